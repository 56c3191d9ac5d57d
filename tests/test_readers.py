"""Choosing the reader by content, text decoding, and the error code of every kind of bad input."""

import io
import zipfile

import pytest
from docxbuild import DocxBuilder

from clause_audit import audit
from clause_audit.errors import InputError
from clause_audit.readers import read_document

CONTRACT = "会员须知\n第一条 本卡可在全国门店使用。\n第二条 本活动最终解释权归本店所有。\n"


def _code(data: bytes, name: str = "x") -> str:
    with pytest.raises(InputError) as info:
        read_document(data, name)
    return info.value.code


def _zip(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_text_encodings(encoding):
    document = read_document(CONTRACT.encode(encoding), "c.txt")
    assert [b.text for b in document.blocks] == CONTRACT.splitlines()
    assert document.format == "text" and document.notices == ()


def test_crlf_lines_and_blank_lines():
    document = read_document("第一条 甲。\r\n\r\n第二条 乙。\r\n".encode(), "c.txt")
    assert [(b.text, b.location.line) for b in document.blocks] == [("第一条 甲。", 1), ("第二条 乙。", 3)]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty_document"),
        (b"   \n\t\n", "empty_document"),
        ("\u3000\n".encode(), "empty_document"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported_format"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 100, "unsupported_format"),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "WordDocument".encode("utf-16-le") + b"\x00" * 100,
            "unsupported_format",
        ),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 100,
            "encrypted",
        ),
        (b"PK\x03\x04 not really a zip", "corrupt_file"),
        (b"%PDF-1.7\n garbage", "corrupt_file"),
        (b"text with NUL \x00 bytes", "decode_error"),
        (bytes(range(128, 256)) * 4, "decode_error"),
    ],
)
def test_bad_inputs_get_their_code(data, code):
    assert _code(data) == code


def test_zip_that_is_not_a_word_document():
    assert _code(_zip({"a.txt": "hello"})) == "unsupported_format"
    assert _code(_zip({"[Content_Types].xml": "<x/>", "xl/workbook.xml": "<x/>"})) == "unsupported_format"
    assert _code(_zip({"[Content_Types].xml": "<x/>", "word/styles.xml": "<x/>"})) == "corrupt_file"


def test_files_are_read_by_content_not_by_name(tmp_path):
    docx = tmp_path / "really-a-docx.txt"
    builder = DocxBuilder()
    builder.paragraph("第一条 本活动最终解释权归本店所有。")
    builder.save(docx)
    report = audit(docx)
    assert report.format == "docx"
    assert [f.quote for f in report.findings] == ["最终解释权归本店"]
    text = tmp_path / "really-text.pdf"
    text.write_text(CONTRACT, encoding="utf-8")
    assert audit(text).format == "text"


def test_missing_path_and_folder(tmp_path):
    with pytest.raises(InputError) as info:
        audit(tmp_path / "nope.docx")
    assert info.value.code == "not_found"
    with pytest.raises(InputError) as info:
        audit(tmp_path)
    assert info.value.code == "unsupported_format"


def test_bytes_with_a_filename_hint():
    report = audit(CONTRACT.encode("gb18030"), filename="上传.txt")
    assert report.source == "上传.txt" and report.findings[0].rule_id == "general/final-interpretation"


def test_mojibake_text_gets_a_quality_warning():
    document = read_document(("第一条 " + "\ufffd" * 3 + "本卡可以转让，也可以退款。" * 3).encode(), "m.txt")
    assert [(n.code, n.level) for n in document.notices] == [("extraction_quality", "warning")]
