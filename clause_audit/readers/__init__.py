"""File → Document, choosing the reader by content (magic bytes), never by the file name."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from pathlib import Path

from clause_audit.errors import InputError
from clause_audit.model import Document

MAX_FILE_BYTES = 50 * 1024 * 1024
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


def read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError("too_large", f"{size // (1024 * 1024)} MB，上限为 {MAX_FILE_BYTES // (1024 * 1024)} MB")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("not_found") from None
    except IsADirectoryError:
        raise InputError("unsupported_format", "这是一个文件夹") from None
    except OSError as exc:
        raise InputError("unreadable", exc.strerror or "") from None


def read_document(data: bytes, source: str) -> Document:
    """Read a contract from its bytes; `source` names it in reports."""
    if len(data) > MAX_FILE_BYTES:
        raise InputError("too_large", f"上限为 {MAX_FILE_BYTES // (1024 * 1024)} MB")
    if not data.strip():
        raise InputError("empty_document", "文件为空")
    kind = sniff(data)
    if kind == "pdf":
        from clause_audit.readers.pdf import read_pdf

        document = read_pdf(data, source)
    elif kind == "docx":
        from clause_audit.readers.docx import read_docx

        document = read_docx(data, source)
    else:
        from clause_audit.readers.text import read_text

        document = read_text(data, source)
    if not any(block.text.strip() for block in document.blocks):
        raise InputError("empty_document")
    return with_content_hash(document, data)


def with_content_hash(document: Document, data: bytes) -> Document:
    """The document stamped with the sha256 of the bytes it was read from."""
    return dataclasses.replace(document, content_hash=hashlib.sha256(data).hexdigest())
