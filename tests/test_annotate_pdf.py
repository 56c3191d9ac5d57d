"""Annotated PDF: one highlight per finding over exactly the quoted glyphs, the page content untouched."""

from __future__ import annotations

import hashlib
import io
from collections import defaultdict
from pathlib import Path
from typing import Any

import pdfbuild as pb
import pdfplumber
import pypdfium2
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, FloatObject, NameObject
from reportlab.pdfgen.canvas import Canvas
from system_tools import pdftoppm_png, require
from tinyrules import write_rulebook

from clause_audit.model import Document, Report
from clause_audit.pipeline import audit_document
from clause_audit.readers import read_document
from clause_audit.render.annotate_pdf import COLORS, annotate_pdf
from clause_audit.render.annotation import note_text
from clause_audit.rulebook import Rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").rglob("*.pdf"))


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    return write_rulebook(tmp_path_factory.mktemp("rules"))


def _annotate(path: Path, book: Rulebook) -> tuple[bytes, Document, Report, bytes]:
    original = path.read_bytes()
    document = read_document(original, str(path))
    report = audit_document(document, rulebook=book)
    return original, document, report, annotate_pdf(original, document, report)


# ---------------------------------------------------------------- reading an annotated file back


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value[2:].decode("utf-16-be") if value.startswith(b"\xfe\xff") else value.decode("latin-1")
    return str(value)


def _quads(points: list[float]) -> list[tuple[float, float, float, float]]:
    """QuadPoints as boxes x0, y0, x1, y1, in the order written."""
    out = []
    for i in range(0, len(points), 8):
        xs, ys = points[i : i + 8 : 2], points[i + 1 : i + 8 : 2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def _highlights(data: bytes) -> dict[int, list[tuple[int, dict[str, Any]]]]:
    """Finding number -> its highlight parts as (page number, annotation data), from /NM clause-audit-N-part."""
    out: dict[int, list[tuple[int, dict[str, Any]]]] = defaultdict(list)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for annot in page.annots:
                d = annot["data"]
                if d["Subtype"].name == "Highlight":
                    _, number, part = _text(d["NM"]).rsplit("-", 2)
                    out[int(number)].append((page.page_number, {**d, "part": int(part)}))
    return {n: sorted(parts, key=lambda p: p[1]["part"]) for n, parts in out.items()}


def _glyphs_in(data: bytes, page_number: int, quad: tuple[float, float, float, float]) -> list[dict[str, Any]]:
    """The page's glyphs whose centre lies inside `quad` (user space of an unrotated page), left to right."""
    x0, y0, x1, y1 = quad
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = pdf.pages[page_number - 1].chars
    inside = [
        c
        for c in chars
        if not c["text"].isspace() and x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and y0 <= (c["y0"] + c["y1"]) / 2 <= y1
    ]
    return sorted(inside, key=lambda c: c["x0"])


def _page_content(data: bytes) -> list[tuple[str, list[tuple[str, float, float]]]]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [
            (page.extract_text(), [(c["text"], round(c["x0"], 2), round(c["top"], 2)) for c in page.chars])
            for page in pdf.pages
        ]


def _check(original: bytes, document: Document, report: Report, annotated: bytes) -> None:
    """Everything the annotated copy must satisfy, whatever the document."""
    assert annotated.startswith(original)  # an incremental update: the original bytes first, unchanged
    assert _page_content(annotated) == _page_content(original)

    highlights = _highlights(annotated)
    placed = {n for n, f in enumerate(report.findings, start=1) if f.clause_index is not None}
    assert set(highlights) == placed
    for number in placed:
        finding = report.findings[number - 1]
        glyphs = []
        for page_number, d in highlights[number]:
            for quad in _quads(d["QuadPoints"]):
                glyphs += _glyphs_in(annotated, page_number, quad)
            assert _text(d["Contents"]) == note_text(finding)
            assert _text(d["T"]) == "clause-audit"
            assert tuple(d["C"]) == pytest.approx(COLORS[finding.severity])
            assert d["Popup"]["Subtype"].name == "Popup"
            assert d["AP"]["N"]["BBox"] == pytest.approx(d["Rect"])
        assert "".join(c["text"] for c in glyphs) == "".join(finding.quote.split())

    missing = [f for f in report.findings if f.clause_index is None]
    with pdfplumber.open(io.BytesIO(annotated)) as pdf:
        notes = [(p.page_number, a) for p in pdf.pages for a in p.annots if a["data"]["Subtype"].name == "Text"]
        height = float(pdf.pages[0].height)
    assert len(notes) == (1 if missing else 0)
    if missing:
        page_number, note = notes[0]
        assert page_number == 1 and note["x0"] < 40 and note["top"] < 40
        contents = _text(note["data"]["Contents"])
        assert contents.startswith("全文审查意见") and all(f.title in contents for f in missing)
        assert note["bottom"] < height


# ---------------------------------------------------------------- samples


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples(path: Path, book: Rulebook) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    original, document, report, annotated = _annotate(path, book)
    _check(original, document, report, annotated)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    # the annotated copy audits the same
    again = audit_document(read_document(annotated, str(path)), rulebook=book)
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]


def test_quote_over_a_line_break_gets_one_quad_per_line(book: Rulebook) -> None:
    original, document, report, annotated = _annotate(ROOT / "samples/prepaid/gym-membership.pdf", book)
    _check(original, document, report, annotated)
    lines = [len(_quads(d["QuadPoints"])) for parts in _highlights(annotated).values() for _, d in parts]
    assert 1 in lines and 2 in lines


def test_table_cells(book: Rulebook) -> None:
    original, document, report, annotated = _annotate(ROOT / "samples/training/driving-school.pdf", book)
    _check(original, document, report, annotated)
    assert any(b.location.cell is not None for b in document.blocks)


# ---------------------------------------------------------------- built documents

LINE = 30  # characters per line in write_pages documents: a full line reaches the right edge


def test_quote_across_a_page_break(tmp_path: Path, book: Rulebook) -> None:
    head = "第一条会员卡仅限本人使用，不得转借他人，"
    tail = "本合同的未尽事宜双方协商解决，协商不成的，本店保留对本合同的最终解"
    head += "会员须遵守本店各项规定，爱护场馆设施，文明健身，"[: -(len(head) + len(tail)) % LINE]
    article = head + tail  # page 1 ends with 最终解, page 2 carries on with 释权归甲方所有
    page1 = ["健身会员服务合同", *(article[i : i + LINE] for i in range(0, len(article), LINE))]
    page2 = ["释权归甲方所有，乙方签字即表示同意全部条款。", "第二条乙方应按时付款。"]
    path = pb.write_pages(tmp_path / "cross.pdf", [page1, page2])
    original, document, report, annotated = _annotate(path, book)
    _check(original, document, report, annotated)
    [number] = [n for n, f in enumerate(report.findings, start=1) if f.rule_id == "general/t-final-interpretation"]
    assert report.findings[number - 1].quote == "最终解释权归甲方所有"
    parts = _highlights(annotated)[number]
    assert [page for page, _ in parts] == [1, 2]
    assert [_text(d["Contents"]) for _, d in parts] == [note_text(report.findings[number - 1])] * 2


@pytest.mark.parametrize("rotation", [90, 270])
def test_page_shown_turned(tmp_path: Path, book: Rulebook, rotation: int) -> None:
    # Two lines drawn turned against the page's /Rotate so that they read upright on screen; the quote
    # wraps from the first to the second. In user space the lines run along y.
    lines = ["本店会员卡仅限本人使用，本合同的最终解释", "权归甲方所有，乙方签字即表示同意全部条款。"]
    canvas = Canvas(str(tmp_path / "turned.pdf"), pagesize=pb.A4)
    canvas.setPageRotation(rotation)
    canvas.translate(300, 300)
    canvas.rotate(rotation)
    canvas.setFont(pb.FONT, 12)
    for i, line in enumerate(lines):
        canvas.drawString(0, -18 * i, line)
    canvas.save()
    path = tmp_path / "turned.pdf"
    original, document, report, annotated = _annotate(path, book)
    assert annotated.startswith(original)
    [number] = [n for n, f in enumerate(report.findings, start=1) if f.rule_id == "general/t-final-interpretation"]
    [(_, d)] = _highlights(annotated)[number]
    points = d["QuadPoints"]
    assert len(points) == 16  # two lines, two quads

    with pdfplumber.open(io.BytesIO(annotated)) as pdf:
        page = pdf.pages[0]
        chars = [c for c in page.chars if not c["text"].isspace()]
        shown_width, shown_height = float(page.width), float(page.height)

    def shown(x: float, y: float) -> tuple[float, float]:
        """A user-space point as pdfplumber places it on the page as shown (origin bottom left)."""
        return (y, shown_height - x) if rotation == 90 else (shown_width - y, x)

    got = []
    for quad in _quads(points):
        corners = [shown(x, y) for x, y in ((quad[0], quad[1]), (quad[2], quad[3]))]
        sx0, sx1 = sorted(c[0] for c in corners)
        sy0, sy1 = sorted(c[1] for c in corners)
        inside = [c for c in chars if sx0 <= (c["x0"] + c["x1"]) / 2 <= sx1 and sy0 <= (c["y0"] + c["y1"]) / 2 <= sy1]
        got += sorted(inside, key=lambda c: c["x0"])
    assert "".join(c["text"] for c in got) == "最终解释权归甲方所有"
    # the first corner of each quad is its upper left as shown, the second its upper right
    for i in range(0, 16, 8):
        ul, ur, ll = shown(*points[i : i + 2]), shown(*points[i + 2 : i + 4]), shown(*points[i + 4 : i + 6])
        assert ul[0] < ur[0] and ul[1] == pytest.approx(ur[1]) and ll[1] < ul[1]


def test_encrypted_pdf_is_written_whole(tmp_path: Path, book: Rulebook) -> None:
    plain = pb.write_paragraphs(
        tmp_path / "plain.pdf", ["第一条 本合同的最终解释权归甲方所有。", "第二条 乙方按时付款。"]
    )
    path = pb.encrypt(plain, tmp_path / "locked.pdf", user_password="", owner_password="owner")
    original, document, report, annotated = _annotate(path, book)
    assert _page_content(annotated) == _page_content(original)
    assert len(_highlights(annotated)) == 2
    assert path.read_bytes() == original


def test_no_findings_leaves_the_file_as_it_was(tmp_path: Path, book: Rulebook) -> None:
    path = pb.write_paragraphs(tmp_path / "clean.pdf", ["第一条 乙方应按时归还物品。"])
    original, document, report, annotated = _annotate(path, book)
    assert report.findings == ()
    assert annotated.startswith(original)
    assert _page_content(annotated) == _page_content(original)


# ---------------------------------------------------------------- real renderers


def _assert_tinted(image: Image.Image, data: bytes, report: Report, page: int) -> int:
    """Check the highlights of one page rendered at 72 dpi: the background inside a quad (its lightest
    pixels) shows the quad's colour multiplied over white, and over the colour of any quad overlapping
    it. Returns how many quads were checked."""
    quads = []
    for number, parts in _highlights(data).items():
        color = COLORS[report.findings[number - 1].severity]
        quads += [(quad, color) for page_number, d in parts if page_number == page for quad in _quads(d["QuadPoints"])]
    checked = 0
    for x0, y0, x1, y1 in (q for q, _ in quads):
        # pixel columns of the quad, grouped by which quads cover them wholly
        top, bottom = round(image.height - y1) + 1, round(image.height - y0) - 1
        columns: dict[tuple[int, ...], list[bytes]] = defaultdict(list)
        for x in range(round(x0) + 1, round(x1) - 1):
            over = tuple(
                i for i, ((a0, b0, a1, b1), _) in enumerate(quads) if a0 <= x < x + 1 <= a1 and b0 <= y0 <= y1 <= b1 + 1
            )
            raw = image.crop((x, top, x + 1, bottom)).convert("RGB").tobytes()
            columns[over] += [raw[i : i + 3] for i in range(0, len(raw), 3)]
        for over, pixels in columns.items():
            brightest = max(map(sum, pixels))
            light = [p for p in pixels if sum(p) >= brightest - 15]  # the background between glyph strokes
            expected = [255.0] * 3
            for i in over:
                expected = [e * c for e, c in zip(expected, quads[i][1], strict=True)]
            mean = [sum(p[i] for p in light) / len(light) for i in range(3)]
            assert mean == pytest.approx(expected, abs=25)
        checked += 1
    return checked


def test_poppler_renders_the_highlights(tmp_path: Path, book: Rulebook) -> None:
    pdftoppm = require("pdftoppm")
    original, document, report, annotated = _annotate(ROOT / "samples/prepaid/gym-membership.pdf", book)
    (tmp_path / "annotated.pdf").write_bytes(annotated)
    seen = 0
    for page in (1, 2, 3):  # page 3 has two overlapping highlights
        png = pdftoppm_png(pdftoppm, tmp_path / "annotated.pdf", tmp_path / f"page{page}", page=page)
        with Image.open(png) as image:
            seen += _assert_tinted(image, annotated, report, page)
    assert seen == sum(len(_quads(d["QuadPoints"])) for parts in _highlights(annotated).values() for _, d in parts)


def test_appearance_stream_is_what_viewers_draw(tmp_path: Path, book: Rulebook) -> None:
    # Turn /C green: a viewer that drew its own highlight would show green; ours shows the /AP colour.
    original, document, report, annotated = _annotate(ROOT / "samples/prepaid/gym-membership.pdf", book)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(annotated)))
    for page in writer.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot["/Subtype"] == "/Highlight":
                annot[NameObject("/C")] = ArrayObject([FloatObject(0), FloatObject(1), FloatObject(0)])
    out = io.BytesIO()
    writer.write(out)
    pdf = pypdfium2.PdfDocument(out.getvalue())
    try:
        image = pdf[2].render(scale=1.0, draw_annots=True).to_pil()
    finally:
        pdf.close()
    assert _assert_tinted(image, annotated, report, page=3) == 3  # 最终解释…（two lines) and 归甲方所有
