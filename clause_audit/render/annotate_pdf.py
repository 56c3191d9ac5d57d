"""Annotated PDF: the original with a highlight annotation, carrying its note, over every quoted passage."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Highlight, Popup, Text
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NumberObject,
    RectangleObject,
    TextStringObject,
)

from clause_audit.model import SEVERITIES, CharBox, Document, Finding, Report
from clause_audit.render.annotation import AUTHOR, anchors, document_note_lines, note_text

# Highlight colours (multiplied over the text, so light tints): red-ish, yellow, blue-ish.
COLORS = {"high": (1.0, 0.55, 0.55), "medium": (1.0, 0.92, 0.25), "low": (0.6, 0.8, 1.0)}
PRINT = 4  # annotation flag: printed with the page
NOTE_SIZE = 20.0  # the sticky note icon, in points
POPUP_SIZE = (220.0, 140.0)


@dataclass(frozen=True)
class Quad:
    """The box around one visual line of a quote, in the page's user space."""

    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float


def annotate_pdf(original: bytes, document: Document, report: Report) -> bytes:
    """The original PDF with one /Highlight per finding (one per page when a quote crosses a page break).

    `document` is what readers.pdf read from `original` and `report` its audit. Each highlight has one
    quad per visual line, its note in /Contents, /T "clause-audit", a /Popup and an /AP appearance
    stream. Document-level findings (missing terms), and any quote without glyph boxes, share one
    /Text note at the top left of page 1. Only annotations are added: the original's bytes come
    first, unchanged, followed by an incremental update (a signature stays valid). An encrypted PDF
    (readable with the empty password) is written whole instead, decrypted: pypdf cannot append
    to an encrypted file.
    """
    writer = _writer(original)
    rotations = [page.rotation for page in writer.pages]
    unplaced: list[Finding] = []
    for number, finding in enumerate(report.findings, start=1):
        quads = quads_for(finding, report, document, rotations)
        if not quads or any(not 1 <= q.page <= len(writer.pages) for q in quads):
            unplaced.append(finding)
            continue
        pages = sorted({q.page for q in quads})
        for part, page in enumerate(pages, start=1):
            mine = [q for q in quads if q.page == page]
            _add_highlight(writer, finding, mine, name=f"clause-audit-{number}-{part}")
    if unplaced and len(writer.pages):
        _add_note(writer, unplaced)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _writer(original: bytes) -> PdfWriter:
    reader = PdfReader(io.BytesIO(original))
    if reader.is_encrypted:
        reader.decrypt("")
        return PdfWriter(clone_from=reader)
    return PdfWriter(io.BytesIO(original), incremental=True)


def quads_for(finding: Finding, report: Report, document: Document, rotations: Sequence[int] = ()) -> list[Quad]:
    """One quad per visual line (and page) of a finding's quoted characters, in reading order.

    `rotations[i]` is page i+1's /Rotate: a page shown turned by 90° or 270° has its lines along y.
    """
    boxes = [
        box
        for anchor in anchors(finding, report, document)
        for box in document.blocks[anchor.block].boxes[anchor.start : anchor.end]
        if box is not None
    ]
    quads: list[Quad] = []
    for box in boxes:
        upright = _rotation(rotations, box.page) in (0, 180)
        if quads and _same_line(quads[-1], box, upright):
            q = quads[-1]
            quads[-1] = Quad(q.page, min(q.x0, box.x0), min(q.y0, box.y0), max(q.x1, box.x1), max(q.y1, box.y1))
        else:
            quads.append(Quad(box.page, box.x0, box.y0, box.x1, box.y1))
    return quads


def _rotation(rotations: Sequence[int], page: int) -> int:
    return rotations[page - 1] % 360 if 1 <= page <= len(rotations) else 0


def _same_line(quad: Quad, box: CharBox, upright: bool) -> bool:
    """Whether a glyph overlaps the band of the line so far by half its height (width, on a turned page)."""
    if box.page != quad.page:
        return False
    if upright:
        overlap, size = min(quad.y1, box.y1) - max(quad.y0, box.y0), min(quad.y1 - quad.y0, box.y1 - box.y0)
    else:
        overlap, size = min(quad.x1, box.x1) - max(quad.x0, box.x0), min(quad.x1 - quad.x0, box.x1 - box.x0)
    return overlap > 0 and overlap >= 0.5 * size


def _corners(q: Quad, rotation: int) -> tuple[float, ...]:
    """The quad as QuadPoints: upper left, upper right, lower left, lower right as the page is shown
    (the order Acrobat writes), whatever the page's /Rotate."""
    if rotation == 90:
        return (q.x0, q.y0, q.x0, q.y1, q.x1, q.y0, q.x1, q.y1)
    if rotation == 180:
        return (q.x1, q.y0, q.x0, q.y0, q.x1, q.y1, q.x0, q.y1)
    if rotation == 270:
        return (q.x1, q.y1, q.x1, q.y0, q.x0, q.y1, q.x0, q.y0)
    return (q.x0, q.y1, q.x1, q.y1, q.x0, q.y0, q.x1, q.y0)


def _color(severity: str) -> tuple[float, float, float]:
    return COLORS.get(severity, COLORS["medium"])


def _add_highlight(writer: PdfWriter, finding: Finding, quads: list[Quad], name: str) -> None:
    page = writer.pages[quads[0].page - 1]
    rect = (min(q.x0 for q in quads), min(q.y0 for q in quads), max(q.x1 for q in quads), max(q.y1 for q in quads))
    rotation = page.rotation % 360
    points = ArrayObject(FloatObject(round(v, 3)) for q in quads for v in _corners(q, rotation))
    rgb = _color(finding.severity)
    highlight = Highlight(rect=rect, quad_points=points, printing=True)
    highlight[NameObject("/C")] = ArrayObject(FloatObject(c) for c in rgb)
    highlight[NameObject("/T")] = TextStringObject(AUTHOR)
    highlight[NameObject("/Contents")] = TextStringObject(note_text(finding))
    highlight[NameObject("/NM")] = TextStringObject(name)
    highlight[NameObject("/Subj")] = TextStringObject(finding.title)
    highlight[NameObject("/AP")] = DictionaryObject({NameObject("/N"): _appearance(writer, rect, quads, rgb)})
    added = writer.add_annotation(page, highlight)
    writer.add_annotation(page, Popup(rect=_popup_rect(page.mediabox, rect), parent=added))


def _appearance(
    writer: PdfWriter, rect: tuple[float, float, float, float], quads: list[Quad], rgb: tuple[float, ...]
) -> IndirectObject:
    """A form that fills the quads in the colour, multiplied over the text (as viewers draw highlights)."""
    paths = "".join(f"{q.x0:.3f} {q.y0:.3f} {q.x1 - q.x0:.3f} {q.y1 - q.y0:.3f} re\n" for q in quads)
    form = DecodedStreamObject()
    form.set_data(f"/GS0 gs\n{rgb[0]:.3f} {rgb[1]:.3f} {rgb[2]:.3f} rg\n{paths}f\n".encode("ascii"))
    state = DictionaryObject(
        {NameObject("/Type"): NameObject("/ExtGState"), NameObject("/BM"): NameObject("/Multiply")}
    )
    form.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): RectangleObject(rect),
            NameObject("/Resources"): DictionaryObject(
                {NameObject("/ExtGState"): DictionaryObject({NameObject("/GS0"): state})}
            ),
        }
    )
    return writer._add_object(form)


def _popup_rect(box: RectangleObject, near: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """Where the note window opens: at the right edge of the page, level with the passage."""
    width, height = POPUP_SIZE
    right = float(box.right)
    top = min(float(box.top), near[3] + height / 2)
    bottom = max(float(box.bottom), top - height)
    return right - width, bottom, right, bottom + height


def _add_note(writer: PdfWriter, findings: list[Finding]) -> None:
    page = writer.pages[0]
    box = page.cropbox
    left, top = float(box.left) + 8, float(box.top) - 8
    rect = (left, top - NOTE_SIZE, left + NOTE_SIZE, top)
    worst = min((SEVERITIES.index(f.severity) for f in findings if f.severity in SEVERITIES), default=1)
    note = Text(rect=rect, text="\n".join(document_note_lines(findings)), flags=PRINT)
    note[NameObject("/T")] = TextStringObject(AUTHOR)
    note[NameObject("/NM")] = TextStringObject("clause-audit-document")
    note[NameObject("/Name")] = NameObject("/Comment")
    note[NameObject("/C")] = ArrayObject(FloatObject(c) for c in _color(SEVERITIES[worst]))
    note[NameObject("/F")] = NumberObject(PRINT)
    added = writer.add_annotation(page, note)
    width, height = POPUP_SIZE
    writer.add_annotation(page, Popup(rect=(left, top - height, left + width, top), parent=added))
