"""The bulletin as a Word document in the manner of an official bulletin: centred 宋体 title, 黑体 一、 headings,
楷体 （一） items, 仿宋 body, tables, the chart as a picture, page numbers in the footer."""

from __future__ import annotations

import io
from datetime import datetime

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from clause_audit.bulletin.content import Bulletin, Item, cited_text
from clause_audit.bulletin.numbering import chinese_ordinal
from clause_audit.render.wordstyle import add_page_number, set_run_fonts, set_style_fonts

TITLE_FONT = "宋体"  # stands in for 方正小标宋简体, which few machines have
HEADING_FONT = "黑体"
ITEM_FONT = "楷体"
BODY_FONT = "仿宋"
TABLE_FONT = "宋体"
LATIN = "Times New Roman"
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
CHART_WIDTH = Mm(150)


def render_docx(bulletin: Bulletin, chart: bytes | None) -> bytes:
    """The bulletin as DOCX bytes; `chart` is the PNG of chart.chart_png (None leaves the chart out)."""
    document = _new_document(bulletin)
    title = document.add_paragraph(style="Title")
    title.add_run(bulletin.title)
    sub = document.add_paragraph(f"（{bulletin.period}）")
    sub.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _body(document, bulletin.intro)

    n = 1
    document.add_heading(f"{chinese_ordinal(n)}、基本情况", 1)
    _body(document, bulletin.scope_words)
    _table(
        document,
        ["领域", "经营者（家）", "合同（份）", "问题条款（处）", "点评问题（项）"],
        [
            [r.name, str(r.merchants), str(r.contracts), str(r.clauses), str(r.items)]
            for r in (*bulletin.scope, bulletin.total)
        ],
        widths=(40, 30, 30, 32, 32),
    )

    n += 1
    document.add_heading(f"{chinese_ordinal(n)}、问题分布", 1)
    _body(document, "按问题类别和领域统计的问题条款数（处）如下表和下图所示。")
    domains = [s.name for s in bulletin.sections]
    _table(
        document,
        ["问题类别", *domains, "合计"],
        [[r.name, *map(str, r.counts), str(r.total)] for r in bulletin.stats],
        widths=(160 - 18 * (len(domains) + 1), *([18] * (len(domains) + 1))),
    )
    if chart:
        picture = document.add_paragraph()
        picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
        picture.add_run().add_picture(io.BytesIO(chart), width=CHART_WIDTH)
        caption = document.add_paragraph("图 1　不公平格式条款问题分布")
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER

    for section in bulletin.sections:
        n += 1
        document.add_heading(f"{chinese_ordinal(n)}、{section.name}领域的问题条款", 1)
        for k, item in enumerate(section.items, 1):
            _item(document, k, item)

    if bulletin.listing:
        document.add_heading("附：点评合同清单", 1)
        _table(
            document,
            ["序号", "经营者", "领域", "文件"],
            [[str(i), e.merchant, e.domain, "、".join(e.sources)] for i, e in enumerate(bulletin.listing, 1)],
            widths=(14, 62, 24, 60),
        )
    note = document.add_paragraph()
    _run(note, "说明：", bold=True)
    _run(note, bulletin.note)
    issued = document.add_paragraph(bulletin.issued)
    issued.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _item(document: Document, k: int, item: Item) -> None:
    document.add_heading(f"（{chinese_ordinal(k)}）{item.title}", 2)
    usage = document.add_paragraph()
    _run(usage, f"{item.usage}", bold=True)
    _run(usage, f"（涉及：{'、'.join(item.businesses)}）")
    clause = document.add_paragraph()
    _run(clause, "【条款原文】", bold=True)
    if item.clause_number:
        _run(clause, f"{item.clause_number}　")
    _run(clause, item.before)
    _run(clause, item.quote, bold=True, color=RED, underline=True)
    _run(clause, item.after)
    _labelled(document, "【点评】", item.message)
    basis = document.add_paragraph()
    _run(basis, "【法律依据】", bold=True)
    for c in item.citations:
        head = document.add_paragraph()
        head.paragraph_format.first_line_indent = Pt(0)
        head.paragraph_format.left_indent = Mm(8)
        _run(head, c.heading, bold=True)
        if c.text:
            text = document.add_paragraph()
            text.paragraph_format.first_line_indent = Pt(0)
            text.paragraph_format.left_indent = Mm(8)
            _run(text, cited_text(c), size=12)
            if c.status != "verified":
                _run(text, f"（{c.status_words}）", size=10.5, color=GREY)
    _labelled(document, "【整改建议】", item.suggestion)


# ---------------------------------------------------------------- document set-up


def _new_document(bulletin: Bulletin) -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    normal = document.styles["Normal"]
    set_style_fonts(normal, LATIN, BODY_FONT)
    normal.font.size = Pt(14)  # 四号
    normal.paragraph_format.line_spacing = 1.4
    normal.paragraph_format.space_after = Pt(2)
    normal.paragraph_format.first_line_indent = Pt(28)  # two characters
    for name, font, size, center in (
        ("Title", TITLE_FONT, 22, True),  # 二号
        ("Heading 1", HEADING_FONT, 16, False),  # 三号
        ("Heading 2", ITEM_FONT, 15, False),
    ):
        style = document.styles[name]
        set_style_fonts(style, LATIN, font)
        style.font.size = Pt(size)
        style.font.bold = name == "Title"
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(12), Pt(6)
        fmt.first_line_indent = Pt(0) if center else Pt(28)
        if center:
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        ppr = style.element.get_or_add_pPr()
        for border in ppr.findall(qn("w:pBdr")):  # the default Title's blue rule
            ppr.remove(border)
    _properties(document, bulletin)
    _page_numbers(document)
    return document


def _properties(document: Document, bulletin: Bulletin) -> None:
    """Core properties set explicitly: the template's own values (and anything about the inputs) stay out."""
    props = document.core_properties
    now = datetime.now().replace(microsecond=0)
    props.title = bulletin.title
    props.subject = "不公平格式条款点评报告"
    props.author = "clause-audit"
    props.last_modified_by = "clause-audit"
    props.keywords = "不公平格式条款；点评报告"
    props.comments = f"{bulletin.period}；{'经营者名称已匿名' if bulletin.anonymized else ''}"
    props.category = "点评报告"
    props.content_status = ""
    props.identifier = ""
    props.language = "zh-CN"
    props.version = ""
    props.revision = 1
    props.created = now
    props.modified = now
    props.last_printed = now


def _page_numbers(document: Document) -> None:
    """— N — centred in the footer."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer.paragraph_format.first_line_indent = Pt(0)
    add_page_number(footer, "— ", " —")


def _run(
    paragraph: Paragraph,
    text: str,
    *,
    bold: bool = False,
    color: RGBColor | None = None,
    underline: bool = False,
    size: float | None = None,
    font: str | None = None,
) -> Run | None:
    """Runs for `text`, its line breaks kept as breaks in the paragraph; returns the last run."""
    last = None
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        if not line:
            continue
        last = paragraph.add_run(line)
        last.bold = bold or None
        last.underline = underline or None
        if color is not None:
            last.font.color.rgb = color
        if size is not None:
            last.font.size = Pt(size)
        if font is not None:
            set_run_fonts(last, LATIN, font)
    return last


def _labelled(document: Document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    _run(paragraph, label, bold=True)
    _run(paragraph, text)


def _body(document: Document, text: str) -> None:
    document.add_paragraph(text)


def _table(document: Document, head: list[str], rows: list[list[str]], *, widths: tuple[float, ...]) -> Table:
    table = document.add_table(rows=0, cols=len(head))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    sizes = [Mm(w) for w in widths]
    for column, width in zip(table.columns, sizes, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for r, values in enumerate([head, *rows]):
        cells = table.add_row().cells
        for cell, value, width in zip(cells, values, sizes, strict=True):
            cell.width = width  # the cells, which Word follows
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.first_line_indent = Pt(0)
            paragraph.paragraph_format.line_spacing = 1.15
            if r == 0 or value.isdigit():
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _run(paragraph, value, bold=r == 0 or (r == len(rows) and values[0] == "合计"), size=10.5, font=TABLE_FONT)
    document.add_paragraph()
    return table
