"""Output formats behind one boundary: each module writes a sequence of results to a text stream."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TextIO

from clause_audit.model import Failure, Report

Result = Report | Failure
Writer = Callable[[Iterable[Result], TextIO, bool], None]


def writer_for(fmt: str) -> Writer:
    """The writer of one output format: writer(results, stream, color)."""
    if fmt == "text":
        from clause_audit.render.text import write_text

        return write_text
    if fmt == "markdown":
        from clause_audit.render.markdown import write_markdown

        return write_markdown
    if fmt == "html":
        from clause_audit.render.html import write_html

        return write_html
    from clause_audit.render import json as json_format

    if fmt == "json":
        return json_format.write_json
    if fmt == "jsonl":
        return json_format.write_jsonl
    raise ValueError(f"unknown format: {fmt}")
