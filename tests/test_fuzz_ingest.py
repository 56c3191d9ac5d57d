"""Fuzzing the readers: random and mutated bytes (of a DOCX's XML, a PDF, a text file) either read
as a Document or raise InputError, never anything else, and each within a time bound.

Runs briefly by default; CLAUSE_AUDIT_FUZZ_EXAMPLES=5000 runs longer (see README, developer notes).
"""

from __future__ import annotations

import io
import os
import time
import zipfile
from functools import lru_cache
from pathlib import Path

import pdfbuild
from docxbuild import DocxBuilder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clause_audit.errors import InputError
from clause_audit.model import Document
from clause_audit.readers import read_document

EXAMPLES = int(os.environ.get("CLAUSE_AUDIT_FUZZ_EXAMPLES", "50"))
SECONDS_PER_INPUT = 10
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
TEXT = "会员须知\n第一条 本卡一经售出，概不退款。\n第二条 本活动最终解释权归本店所有。\n"


@lru_cache(maxsize=1)
def _docx() -> bytes:
    b = DocxBuilder()
    b.paragraph("会员须知")
    b.paragraph("本卡一经售出，概不退款。", numbered=("article", 0))
    b.table([["项目", "金额"], ["年卡", "本活动最终解释权归本店所有"]])
    buffer = io.BytesIO()
    b.document.save(buffer)
    return buffer.getvalue()


@lru_cache(maxsize=1)
def _pdf() -> bytes:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = pdfbuild.write_story(
            Path(folder) / "f.pdf",
            [pdfbuild.paragraph("第一条 本卡一经售出，概不退款。"), pdfbuild.grid_table([["甲", "最终解释权归本店"]])],
        )
        return path.read_bytes()


def _read(data: bytes) -> None:
    started = time.monotonic()
    try:
        result = read_document(data, "fuzz")
    except InputError as exc:
        assert exc.code and exc.message
    else:
        assert isinstance(result, Document)
        assert any(block.text.strip() for block in result.blocks)
    assert time.monotonic() - started < SECONDS_PER_INPUT


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    """Each edit (position, bytes removed, bytes inserted) at a position scaled to the data."""
    out = bytearray(data)
    for position, removed, inserted in edits:
        at = position % (len(out) + 1)
        out[at : at + removed] = inserted
    return bytes(out)


_EDITS = st.lists(st.tuples(st.integers(0, 2**31), st.integers(0, 64), st.binary(max_size=16)), max_size=8)
_MAGIC = st.sampled_from(
    [b"", b"%PDF-1.7\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\xff\xfe", b"\xef\xbb\xbf"]
)


@FUZZ
@given(_MAGIC, st.binary(max_size=4096))
def test_random_bytes(magic: bytes, data: bytes) -> None:
    _read(magic + data)


@FUZZ
@given(_EDITS)
def test_mutated_pdf(edits: list[tuple[int, int, bytes]]) -> None:
    _read(_mutate(_pdf(), edits))


@FUZZ
@given(st.sampled_from(["word/document.xml", "word/numbering.xml", "word/styles.xml", "[Content_Types].xml"]), _EDITS)
def test_mutated_docx_xml(member: str, edits: list[tuple[int, int, bytes]]) -> None:
    """The XML inside is mutated and the ZIP rebuilt, so the bytes get past the CRC checks to the parser."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            content = src.read(name)
            dst.writestr(name, _mutate(content, edits) if name == member else content)
    _read(out.getvalue())


@FUZZ
@given(_EDITS)
def test_mutated_docx_bytes(edits: list[tuple[int, int, bytes]]) -> None:
    _read(_mutate(_docx(), edits))


@FUZZ
@given(st.sampled_from(["utf-8", "utf-8-sig", "gbk", "utf-16", "utf-32"]), _EDITS)
def test_mutated_text(encoding: str, edits: list[tuple[int, int, bytes]]) -> None:
    _read(_mutate(TEXT.encode(encoding), edits))
