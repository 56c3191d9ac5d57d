"""Hostile and broken inputs, built at test time into a folder (no binaries in the repository).

`build_corpus(folder)` writes every file of CORPUS and returns {name: path}. Each entry says what
auditing it must give: an error code, or None for a file that must be audited. The corpus is
meant to run with LOW_LIMITS in the environment (CLAUSE_AUDIT_MAX_PAGES=20 …), which keeps the
too-many-pages and too-many-paragraphs files small.
"""

from __future__ import annotations

import io
import shutil
import struct
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pdfbuild
from docxbuild import DocxBuilder
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
GOOD_SAMPLE = ROOT / "samples" / "prepaid" / "gym-membership.docx"
UNFAIR = "第一条 本卡一经售出，概不退款。"
UNFAIR_2 = "第二条 本活动最终解释权归本店所有。"
CONTRACT = f"会员卡须知\n{UNFAIR}\n{UNFAIR_2}\n"

# Limits the corpus is built against; tests put these in the environment of the CLI and the API.
LOW_LIMITS = {
    "CLAUSE_AUDIT_MAX_PAGES": "20",
    "CLAUSE_AUDIT_MAX_PARAGRAPHS": "5000",
    "CLAUSE_AUDIT_MAX_UNZIPPED_MB": "64",
}

Builder = Callable[[Path], None]


@dataclass(frozen=True)
class Hostile:
    name: str
    build: Builder
    code: str | None  # the error code expected, None: audited (with findings)


# ---------------------------------------------------------------- DOCX


def _docx_bytes(*paragraphs: str) -> bytes:
    b = DocxBuilder()
    for text in paragraphs:
        b.paragraph(text)
    buffer = io.BytesIO()
    b.document.save(buffer)
    return buffer.getvalue()


def _replace_members(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The DOCX with some members replaced (None removes one)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name in replace:
                if replace[name] is not None:
                    dst.writestr(name, replace[name])  # type: ignore[arg-type]
            else:
                dst.writestr(name, src.read(name))
    return out.getvalue()


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _with_dtd(dtd: str, reference: str) -> bytes:
    """A DOCX whose document.xml declares `dtd` and uses `reference` inside the unfair clause."""
    data = _docx_bytes(UNFAIR)
    xml = _document_xml(data)
    body = xml.split("?>", 1)[1].replace("概不退款", f"概不{reference}退款")
    return _replace_members(
        data, {"word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?>\n{dtd}{body}'.encode()}
    )


def billion_laughs(path: Path) -> None:
    entities = ['<!ENTITY lol0 "lol">'] + [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    path.write_bytes(_with_dtd(f"<!DOCTYPE w:document [{''.join(entities)}]>", "&lol9;"))


def external_entity(path: Path) -> None:
    path.write_bytes(_with_dtd('<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "&xxe;"))


def zip_bomb(path: Path, megabytes: int = 128) -> None:
    """A small DOCX whose document.xml inflates to `megabytes` MB (mostly one run of spaces)."""
    data = _docx_bytes(UNFAIR)
    xml = _document_xml(data)
    head, tail = xml.split("<w:body>", 1)
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            if name != "word/document.xml":
                dst.writestr(name, src.read(name))
        with dst.open("word/document.xml", "w", force_zip64=True) as member:
            member.write((head + "<w:body>").encode())
            chunk = b" " * (1 << 20)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(tail.encode())


def _nested_tables(depth: int) -> bytes:
    b = DocxBuilder()
    b.paragraph("会员卡须知")
    table = b.document.add_table(rows=1, cols=1)
    for level in range(depth - 1):
        cell = table.cell(0, 0)
        cell.paragraphs[0].text = f"第{level + 1}层"
        table = cell.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].text = UNFAIR
    buffer = io.BytesIO()
    b.document.save(buffer)
    return buffer.getvalue()


def tables_12_deep(path: Path) -> None:
    path.write_bytes(_nested_tables(12))


def tables_too_deep(path: Path) -> None:
    path.write_bytes(_nested_tables(40))  # the default limit is 32


def xml_too_deep(path: Path) -> None:
    """Content controls nested 300 deep: deeper than libxml2 parses without huge_tree."""
    data = _docx_bytes(UNFAIR)
    xml = _document_xml(data)
    open_, close = "<w:sdt><w:sdtContent>" * 300, "</w:sdtContent></w:sdt>" * 300
    head, rest = xml.split("<w:body>", 1)
    path.write_bytes(_replace_members(data, {"word/document.xml": f"{head}<w:body>{open_}{close}{rest}".encode()}))


def too_many_paragraphs(path: Path) -> None:
    b = DocxBuilder()
    for i in range(6000):  # over LOW_LIMITS' 5,000
        b.paragraph(f"第{i + 1}条 乙方应按时缴费。")
    b.save(path)


def element_bomb(path: Path) -> None:
    """One paragraph of 120,000 runs: few paragraphs, but over LOW_LIMITS' 100,000 XML elements."""
    data = _docx_bytes(UNFAIR)
    xml = _document_xml(data)
    runs = "<w:r><w:t>款</w:t></w:r>" * 120_000
    head, rest = xml.split("<w:body>", 1)
    body = f"{head}<w:body><w:p>{runs}</w:p>{rest}"
    path.write_bytes(_replace_members(data, {"word/document.xml": body.encode()}))


def missing_document_xml(path: Path) -> None:
    path.write_bytes(_replace_members(_docx_bytes(UNFAIR), {"word/document.xml": None}))


def truncated_docx(path: Path) -> None:
    data = _docx_bytes(UNFAIR)
    path.write_bytes(data[: len(data) // 2])


def zip_renamed(path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("合同.txt", CONTRACT)
    path.write_bytes(buffer.getvalue())


def legacy_doc(path: Path) -> None:
    """The start of an OLE compound file holding a WordDocument stream, as Word 97-2003 writes."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 16 + struct.pack("<HH", 0x3E, 3) + b"\xff" * 480
    path.write_bytes(header + "WordDocument".encode("utf-16-le") + b"\x00" * 1024)


# ---------------------------------------------------------------- PDF


def _pdf(path: Path, texts: list[str]) -> Path:
    return pdfbuild.write_paragraphs(path, texts)


def too_many_pages(path: Path) -> None:
    pdfbuild.write_pages(path, [[f"第{i + 1}条 乙方应按时缴费。"] for i in range(25)])  # over LOW_LIMITS' 20


def blank_pages(count: int) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        from pypdf import PdfWriter

        writer = PdfWriter()
        for _ in range(count):
            writer.add_blank_page(595, 842)
        with path.open("wb") as out:
            writer.write(out)

    return build


def encrypted_user_password(path: Path) -> None:
    plain = _pdf(path.with_suffix(".plain"), [UNFAIR, UNFAIR_2])
    pdfbuild.encrypt(plain, path, user_password="secret", owner_password="owner")
    plain.unlink()


def encrypted_owner_only(path: Path) -> None:
    plain = _pdf(path.with_suffix(".plain"), [UNFAIR, UNFAIR_2])
    pdfbuild.encrypt(plain, path, user_password="", owner_password="owner")
    plain.unlink()


def damaged_xref(path: Path) -> None:
    """Every offset of the cross-reference table wrong by 500 bytes, and startxref pointing nowhere."""
    data = _pdf(path, [UNFAIR, UNFAIR_2]).read_bytes()
    first_line = data.index(b"\n") + 1
    data = data[:first_line] + b"%" + b"x" * 499 + b"\n" + data[first_line:]
    start = data.rindex(b"startxref")
    path.write_bytes(data[:start] + b"startxref\n99999999\n%%EOF\n")


def image_only_pdf(path: Path) -> None:
    pdfbuild.write_shapes_only(path, pages=2)


def png_renamed(path: Path) -> None:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (200, 30, 30)).save(buffer, format="PNG")
    path.write_bytes(buffer.getvalue())


def truncated_pdf(path: Path) -> None:
    data = _pdf(path, [UNFAIR]).read_bytes()
    path.write_bytes(data[: len(data) // 3])


def _deflated_spaces(megabytes: int) -> bytes:
    deflater = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    return b"".join(
        [deflater.compress(b"BT ET "), *(deflater.compress(chunk) for _ in range(megabytes)), deflater.flush()]
    )


def pdf_bomb_stream(path: Path) -> None:
    """A one-page PDF of 100 KB whose content stream inflates to 100 MB of spaces (over LOW_LIMITS' 64)."""
    content = _deflated_spaces(100)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))


# ---------------------------------------------------------------- text and others


def zero_bytes(path: Path) -> None:
    path.write_bytes(b"")


def utf16_bom(path: Path) -> None:
    path.write_bytes(CONTRACT.encode("utf-16"))  # Python writes the BOM


def utf16_without_bom(path: Path) -> None:
    path.write_bytes(CONTRACT.encode("utf-16-le"))


def gbk(path: Path) -> None:
    path.write_bytes(CONTRACT.encode("gbk"))


def control_characters(path: Path) -> None:
    path.write_bytes(f"会员卡须知\n第一条 本卡\x07一经售出，\x1b概不退款。\x0c\n{UNFAIR_2}\n".encode())


def nul_bytes(path: Path) -> None:
    path.write_bytes(CONTRACT.encode() + b"\x00\x01\x02binary\x00" * 64 + CONTRACT.encode())


def nul_padding(path: Path) -> None:
    path.write_bytes(CONTRACT.encode() + b"\x00" * 4096)


def over_size_limit(path: Path) -> None:
    """60 MB (over the 50 MB limit) without writing 60 MB: a sparse file."""
    with path.open("wb") as out:
        out.truncate(60 * 1024 * 1024)


def enormous_line(path: Path, chars: int = 1_000_000) -> None:
    """One line of a million characters without punctuation, with unfair wording inside."""
    filler = "乙方按约定享受服务甲方按约定提供服务"
    middle = "本店保留最终解释权"
    half = filler * (chars // (2 * len(filler)))
    path.write_text(half + middle + half + "概不退款" + half[:1000], encoding="utf-8")


def good_sample(path: Path) -> None:
    shutil.copyfile(GOOD_SAMPLE, path)


CORPUS: tuple[Hostile, ...] = (
    Hostile("zip-bomb.docx", zip_bomb, "zip_bomb"),
    Hostile("billion-laughs.docx", billion_laughs, "corrupt_file"),
    Hostile("external-entity.docx", external_entity, "corrupt_file"),
    Hostile("tables-12-deep.docx", tables_12_deep, None),
    Hostile("tables-40-deep.docx", tables_too_deep, "too_complex"),
    Hostile("xml-300-deep.docx", xml_too_deep, "too_complex"),
    Hostile("6000-paragraphs.docx", too_many_paragraphs, "too_complex"),
    Hostile("120000-runs.docx", element_bomb, "too_complex"),
    Hostile("no-document-xml.docx", missing_document_xml, "corrupt_file"),
    Hostile("truncated.docx", truncated_docx, "corrupt_file"),
    Hostile("zip-renamed.docx", zip_renamed, "unsupported_format"),
    Hostile("word97-renamed.docx", legacy_doc, "unsupported_format"),
    Hostile("good-gym-membership.docx", good_sample, None),
    Hostile("25-pages.pdf", too_many_pages, "too_many_pages"),
    Hostile("user-password.pdf", encrypted_user_password, "encrypted"),
    Hostile("owner-password-only.pdf", encrypted_owner_only, None),
    Hostile("damaged-xref.pdf", damaged_xref, None),
    Hostile("image-only.pdf", image_only_pdf, "no_text_layer"),
    Hostile("png-renamed.pdf", png_renamed, "unsupported_format"),
    Hostile("truncated.pdf", truncated_pdf, "corrupt_file"),
    Hostile("stream-bomb.pdf", pdf_bomb_stream, "zip_bomb"),
    Hostile("zero-bytes.txt", zero_bytes, "empty_document"),
    Hostile("utf16-bom.txt", utf16_bom, None),
    Hostile("utf16-no-bom.txt", utf16_without_bom, "decode_error"),
    Hostile("gbk.txt", gbk, None),
    Hostile("control-characters.txt", control_characters, None),
    Hostile("nul-bytes.txt", nul_bytes, "decode_error"),
    Hostile("nul-padding.txt", nul_padding, None),
    Hostile("60mb.pdf", over_size_limit, "too_large"),
    Hostile("enormous-line.txt", enormous_line, None),
)


def build_corpus(folder: Path) -> dict[str, Path]:
    """Write every corpus file into `folder`; {name: path} in CORPUS order."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for item in CORPUS:
        path = folder / item.name
        item.build(path)
        paths[item.name] = path
    return paths
