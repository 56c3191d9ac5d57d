"""The JSON report object of DESIGN.md (schema_version 1): one serialiser for the CLI and the API."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, TextIO

from clause_audit.model import Failure, Report


def to_json(result: Report | Failure, *, indent: int | None = None) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=indent)


def write_jsonl(results: Iterable[Report | Failure], out: TextIO, color: bool = False) -> None:
    """Exactly one JSON object per input, one per line, flushed as each input finishes."""
    for result in results:
        out.write(to_json(result) + "\n")
        out.flush()


def write_json(results: Iterable[Report | Failure], out: TextIO, color: bool = False) -> None:
    """One input: the report object; several: an array of them."""
    items: list[dict[str, Any]] = [r.to_dict() for r in results]
    payload: Any = items[0] if len(items) == 1 else items
    out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
