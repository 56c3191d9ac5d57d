"""Plain text and Markdown → Document: UTF-8 (with or without BOM), UTF-16/32 with a BOM, or
GB18030/GBK; one block per line."""

from __future__ import annotations

import codecs

from clause_audit.errors import InputError
from clause_audit.model import Block, Document, Location
from clause_audit.readers.quality import assess_page

_ENCODINGS = ("utf-8-sig", "gb18030")
# Control characters other than tab, newline and carriage return mean this is not text.
_CONTROL = frozenset(chr(c) for c in range(32) if chr(c) not in "\t\n\r\f\v")
# Windows Notepad's "Unicode" is UTF-16 with a BOM; the UTF-32 marks come first, they begin alike.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> str:
    """Decode contract text; raise InputError("decode_error") when no supported encoding fits.

    A few stray control characters are kept (offsets stay those of the decoded text); NUL bytes
    other than padding at the end, or many control characters, mean the file is not text.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding).rstrip("\x00"))
            except UnicodeDecodeError:
                raise InputError(
                    "decode_error",
                    f"以 {encoding.upper()} 的字节顺序标记开头，但内容不是有效的 {encoding.upper()} 文本",
                ) from None
    data = data.rstrip(b"\x00")  # padding some copying tools leave at the end of a file
    if b"\x00" in data:
        raise InputError("decode_error", "含有二进制数据（NUL 字节），不是文本文件（UTF-16 文本须带字节顺序标记 BOM）")
    for encoding in _ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return _checked(text)
    raise InputError("decode_error", "既不是 UTF-8 也不是 GB18030/GBK 编码")


def _checked(text: str) -> str:
    if "\x00" in text:
        raise InputError("decode_error", "含有 NUL 字符，不是文本文件")
    if sum(ch in _CONTROL for ch in text) > max(3, len(text) // 100):
        raise InputError("decode_error", "含有大量控制字符，不是文本文件")
    return text


def read_text(data: bytes, source: str) -> Document:
    text = decode_text(data)
    blocks: list[Block] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip():
            blocks.append(Block(text=line.rstrip(), location=Location(paragraph=len(blocks), line=number)))
    return Document(source=source, format="text", blocks=tuple(blocks), notices=tuple(assess_page(text, None)))
