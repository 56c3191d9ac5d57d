"""File → Document, choosing the reader by content (magic bytes), never by the file name."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from pathlib import Path

from clause_audit.errors import InputError
from clause_audit.limits import ENV, Limits, check_time, current_limits
from clause_audit.model import Document

SUFFIXES = (".docx", ".pdf", ".txt", ".md")

_IMAGE_MAGIC = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"II*\x00", b"MM\x00*", b"BM", b"RIFF")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes) -> str:
    """'docx', 'pdf' or 'text' from the bytes; InputError for anything else."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    if data.startswith(_OLE_MAGIC):
        return "docx"  # an encrypted .docx or a legacy .doc: the DOCX reader tells which
    if data.startswith(_IMAGE_MAGIC):
        raise InputError("unsupported_format", "这是图片文件，需要先进行文字识别（OCR）")
    if data.startswith((b"PK\x05\x06", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf")):
        raise InputError("unsupported_format", "压缩包不是可审查的文档，请解压后审查其中的 .docx/.pdf/.txt")
    return "text"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise InputError("corrupt_file", "ZIP 结构损坏") from None
    if "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and any(n.startswith("word/") for n in names):
        raise InputError("corrupt_file", "缺少 word/document.xml")
    if any(n.startswith(("xl/", "ppt/")) for n in names):
        raise InputError("unsupported_format", "这是 Excel 或 PowerPoint 文件，只支持 Word（.docx）、PDF 和文本")
    raise InputError("unsupported_format", "ZIP 压缩包不是 Word 文档")


def _too_large(limits: Limits, size: int | None = None) -> InputError:
    have = f"{size / (1024 * 1024):.0f} MB，" if size is not None else ""
    return InputError("too_large", f"{have}上限为 {limits.max_file_mb:g} MB（{ENV['max_file_mb']}）")


def read_bytes(path: Path) -> bytes:
    limits = current_limits()
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise _too_large(limits, size)
        with path.open("rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)  # a file that grows while read stays bounded
        if len(data) > limits.max_file_bytes:
            raise _too_large(limits)
        return data
    except FileNotFoundError:
        raise InputError("not_found") from None
    except IsADirectoryError:
        raise InputError("unsupported_format", "这是一个文件夹") from None
    except OSError as exc:
        raise InputError("unreadable", exc.strerror or "") from None


def read_document(data: bytes, source: str) -> Document:
    """Read a contract from its bytes; `source` names it in reports.

    Raises InputError and nothing else for bad input; the limits in force are `current_limits()`.
    """
    limits = current_limits()
    if len(data) > limits.max_file_bytes:
        raise _too_large(limits, len(data))
    if not data.strip():
        raise InputError("empty_document", "文件为空")
    check_time()
    kind = sniff(data)
    if kind == "pdf":
        from clause_audit.readers.pdf import read_pdf

        document = read_pdf(data, source, limits)
    elif kind == "docx":
        from clause_audit.readers.docx import read_docx

        document = read_docx(data, source, limits)
    else:
        from clause_audit.readers.text import read_text

        document = read_text(data, source)
    if not any(block.text.strip() for block in document.blocks):
        raise InputError("empty_document")
    check_size(document, limits)
    return with_content_hash(document, data)


def check_size(document: Document, limits: Limits) -> None:
    """Refuse a document with more text than the engine is allowed to take on (too_complex)."""
    chars = sum(len(block.text) for block in document.blocks)
    if chars > limits.max_chars:
        raise InputError("too_complex", f"共 {chars} 个字符，上限为 {limits.max_chars} 个（{ENV['max_chars']}）")


def with_content_hash(document: Document, data: bytes) -> Document:
    """The document stamped with the sha256 of the bytes it was read from."""
    return dataclasses.replace(document, content_hash=hashlib.sha256(data).hexdigest())
