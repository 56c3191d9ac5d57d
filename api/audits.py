"""One audit request's work, run in a worker thread: the CLI's read → audit → render path, on bytes."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from clause_audit.errors import InputError
from clause_audit.model import Document
from clause_audit.outputs import output_name, render_bytes
from clause_audit.pipeline import audit_document
from clause_audit.readers import read_document, with_content_hash
from clause_audit.readers.text import read_text
from clause_audit.rulebook import Rulebook

PASTED_NAME = "粘贴文本.txt"
UPLOAD_NAME = "上传文件"

MEDIA_TYPES = {
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "markdown": "text/markdown; charset=utf-8",
    "report-docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# Accept header media types we can answer, in our order of preference when the client gives equal q
_ACCEPTED = {
    "application/json": "json",
    "text/html": "html",
    "text/markdown": "markdown",
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class Outcome:
    """The report object (json), or a rendered file with the name to download it under."""

    report: dict[str, Any] | None = None
    content: bytes = b""
    media_type: str = ""
    filename: str = ""


def audit_upload(data: bytes, filename: str, domain: str | None, rulebook: Rulebook, fmt: str) -> Outcome:
    """An uploaded file: its type is sniffed from the bytes, as the CLI does for a file on disk."""
    document = read_document(data, filename)
    return _finish(data, document, domain, rulebook, fmt)


def audit_text(text: str, filename: str, domain: str | None, rulebook: Rulebook, fmt: str) -> Outcome:
    """Pasted text is text, whatever its first bytes look like (a clause may start with “PK” or “%PDF-”)."""
    data = text.encode("utf-8")
    document = with_content_hash(read_text(data, filename), data)
    if not any(block.text.strip() for block in document.blocks):
        raise InputError("empty_document", "文本为空")
    return _finish(data, document, domain, rulebook, fmt)


def _finish(data: bytes, document: Document, domain: str | None, rulebook: Rulebook, fmt: str) -> Outcome:
    report = audit_document(document, domain=domain, rulebook=rulebook)
    if fmt == "json":
        return Outcome(report=report.to_dict())
    content = render_bytes(fmt, data, document, report)
    return Outcome(content=content, media_type=MEDIA_TYPES[fmt], filename=output_name(Path(document.source), fmt))


def choose_format(requested: str | None, accept: str) -> str:
    """?format= if given, else the best media type of the Accept header that we produce, else json."""
    if requested:
        return requested
    best: tuple[float, int, str] | None = None
    for order, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        fmt = _ACCEPTED.get(media.strip().lower())
        if fmt is None:
            continue
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        if q > 0 and (best is None or (q, -order) > (best[0], -best[1])):
            best = (q, order, fmt)
    return best[2] if best else "json"


def clean_filename(raw: str | None, default: str) -> str:
    """The last path component of a client's file name, without control characters; never a path."""
    name = re.split(r"[/\\]", raw or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    return name[:200] or default


def content_disposition(filename: str) -> str:
    """attachment with an ASCII fallback name and the real (Chinese) name per RFC 5987 / RFC 6266."""
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", filename)
    if fallback != filename:
        stem = Path(filename).name.split(".", 1)
        fallback = "clause-audit" + ("." + re.sub(r"[^A-Za-z0-9._-]", "_", stem[1]) if len(stem) > 1 else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
