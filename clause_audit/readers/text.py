"""Plain text and Markdown → Document: UTF-8 (with or without BOM) or GB18030/GBK, one block per line."""

from __future__ import annotations

from clause_audit.errors import InputError
from clause_audit.model import Block, Document, Location
from clause_audit.readers.quality import assess_page

_ENCODINGS = ("utf-8-sig", "gb18030")
# Control characters other than tab, newline and carriage return mean this is not text.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v")


def decode_text(data: bytes) -> str:
    """Decode contract text; raise InputError("decode_error") when no supported encoding fits."""
    if b"\x00" in data:
        raise InputError("decode_error", "含有二进制数据（NUL 字节），不是文本文件")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if sum(ch in _CONTROL for ch in text) > max(3, len(text) // 100):
            raise InputError("decode_error", "含有大量控制字符，不是文本文件")
        return text
    raise InputError("decode_error", "既不是 UTF-8 也不是 GB18030/GBK 编码")


def read_text(data: bytes, source: str) -> Document:
    text = decode_text(data)
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks.append(Block(text=line.rstrip(), location=Location(paragraph=len(blocks), line=number)))
    return Document(source=source, format="text", blocks=tuple(blocks), notices=tuple(assess_page(text, None)))
