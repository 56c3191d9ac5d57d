"""Test helper: writes small Chinese PDFs with reportlab's built-in STSong-Light CID font."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

FONT = "STSong-Light"
MARGIN = 72.0  # 1 inch on every side
PAGE_WIDTH, PAGE_HEIGHT = A4

pdfmetrics.registerFont(UnicodeCIDFont(FONT))

BODY = ParagraphStyle("body", fontName=FONT, fontSize=10.5, leading=16, wordWrap="CJK", spaceAfter=8)

PageDecorator = Callable[[Canvas, int], None]


def paragraph(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    return Paragraph(text, style)


def grid_table(rows: Sequence[Sequence[str]], col_widths: Sequence[float] | None = None) -> Table:
    """A ruled table (GRID) whose cells are wrapped CJK paragraphs."""
    cell_style = ParagraphStyle("cell", parent=BODY, spaceAfter=0)
    data = [[Paragraph(text, cell_style) for text in row] for row in rows]
    table = Table(data, colWidths=list(col_widths) if col_widths else None)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.8, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def write_story(path: Path, story: Sequence[Flowable], decorate: PageDecorator | None = None) -> Path:
    """Lay out `story` on A4 pages; `decorate(canvas, page_number)` draws headers and footers."""

    def on_page(canvas: Canvas, doc: SimpleDocTemplate) -> None:
        if decorate is not None:
            canvas.saveState()
            decorate(canvas, doc.page)
            canvas.restoreState()

    doc = SimpleDocTemplate(
        str(path), pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN
    )
    doc.build(list(story), onFirstPage=on_page, onLaterPages=on_page)
    return path


def write_paragraphs(path: Path, texts: Sequence[str]) -> Path:
    return write_story(path, [paragraph(t) for t in texts])


def write_shapes_only(path: Path, pages: int = 1) -> Path:
    """Pages carrying an image and a rectangle but not one character, like a scan."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (120, 120, 120)).save(buffer, format="PNG")
    buffer.seek(0)
    image = ImageReader(buffer)
    canvas = Canvas(str(path), pagesize=A4)
    for _ in range(pages):
        canvas.drawImage(image, MARGIN, PAGE_HEIGHT / 2, width=400, height=300)
        canvas.rect(MARGIN, MARGIN, 100, 50)
        canvas.showPage()
    canvas.save()
    return path


def encrypt(source: Path, target: Path, *, user_password: str, owner_password: str | None = None) -> Path:
    writer = PdfWriter(clone_from=PdfReader(str(source)))
    writer.encrypt(user_password=user_password, owner_password=owner_password, algorithm="AES-128")
    with target.open("wb") as out:
        writer.write(out)
    return target


def write_pages(
    path: Path,
    pages: Sequence[Sequence[str]],
    *,
    char_space: float = 0.0,
    size: float = 12.0,
    decorate: PageDecorator | None = None,
) -> Path:
    """Each string drawn as one canvas text line at a fixed pitch, optionally letter-spaced (PDF Tc)."""
    canvas = Canvas(str(path), pagesize=A4)
    for number, lines in enumerate(pages, start=1):
        y = PAGE_HEIGHT - MARGIN
        for line in lines:
            text = canvas.beginText(MARGIN, y)
            text.setFont(FONT, size)
            text.setCharSpace(char_space)
            text.textOut(line)
            canvas.drawText(text)
            y -= size * 1.6
        if decorate is not None:
            decorate(canvas, number)
        canvas.showPage()
    canvas.save()
    return path


def concat(target: Path, *sources: Path) -> Path:
    writer = PdfWriter()
    for source in sources:
        writer.append(str(source))
    with target.open("wb") as out:
        writer.write(out)
    return target
