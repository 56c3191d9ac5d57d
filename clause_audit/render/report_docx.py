"""Review report as a Word 格式条款审查意见书: header table, each flagged clause with its problems, missing terms."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

import docx
from docx.document import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from clause_audit import __version__
from clause_audit.categories import category_name
from clause_audit.model import Failure, Finding, Report
from clause_audit.render.review import (
    SEVERITY_WORDS,
    cite,
    count_words,
    date_words,
    document_name,
    domain_words,
    pieces,
    where_words,
)
from clause_audit.render.wordstyle import add_page_number, set_style_fonts

TITLE = "格式条款审查意见书"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_FONT = ("Times New Roman", "宋体")  # (Latin, East Asian)
HEADING_FONT = ("Times New Roman", "黑体")
CLOSING_NOTE = (
    "本意见书由 clause-audit 依据规则库自动审查生成，所列问题、法律依据和修改建议仅供参考，"
    "须经工作人员复核确认后方可作为正式审查意见。法律条文以官方公布的文本为准。"
)
_CN_ORDINALS = "一二三四五六七八九十"


def render_report_docx(reports: list[Report], *, today: date | None = None) -> bytes:
    """The 审查意见书 of one or more reports as DOCX bytes (one part per document, each on a new page)."""
    return _build(list(reports), today or date.today())


def report_docx_bytes(results: Iterable[Report | Failure]) -> bytes:
    """Writer for the CLI: like render_report_docx, with an unreadable input given a short 无法读取 part."""
    return _build(list(results), date.today())


# ---------------------------------------------------------------- document


def _build(results: list[Report | Failure], today: date) -> bytes:
    document = _new_document()
    title = document.add_paragraph(TITLE, style="Title")
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for n, result in enumerate(results):
        if n:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        if len(results) > 1:
            document.add_heading(f"{_ordinal(n + 1)}、{document_name(result.source)}", level=1)
        if isinstance(result, Failure):
            _labelled(document, "无法读取", f"{result.source}：{result.message}（{result.code}）")
        else:
            _report(document, result, today, top_level=len(results) == 1)
    document.add_paragraph()
    note = document.add_paragraph()
    note.add_run("说明：").bold = True
    note.add_run(CLOSING_NOTE)
    document.add_paragraph("复核人（签字）：＿＿＿＿＿＿＿＿　　复核日期：＿＿＿＿年＿＿月＿＿日")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _new_document() -> Document:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    section.top_margin = section.bottom_margin = Mm(25)
    normal = document.styles["Normal"]
    set_style_fonts(normal, *BODY_FONT)
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.3
    for name, size in (("Title", 20), ("Heading 1", 15), ("Heading 2", 13), ("Heading 3", 11.5)):
        style = document.styles[name]
        set_style_fonts(style, *HEADING_FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(12 if name != "Heading 3" else 8)
        style.paragraph_format.space_after = Pt(6)
    title = document.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    # the default Title style draws a blue rule under the text; an official document has none
    ppr = title.element.get_or_add_pPr()
    for border in ppr.findall(qn("w:pBdr")):
        ppr.remove(border)
    document.core_properties.title = TITLE
    document.core_properties.author = f"clause-audit {__version__}"
    _page_numbers(document)
    return document


def _page_numbers(document: Document) -> None:
    """第 N 页 centred in the footer."""
    footer = document.sections[0].footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    add_page_number(footer, "第 ", " 页")


# ---------------------------------------------------------------- one report


def _report(document: Document, report: Report, today: date, *, top_level: bool) -> None:
    level = 1 if top_level else 2
    _header_table(document, report, today)
    for notice in report.notices:
        _labelled(document, "提取质量提示", notice.message + (f"（第 {notice.page} 页）" if notice.page else ""))
    for error in report.rule_errors:
        _labelled(document, "规则执行出错", f"{error.rule_id}：{error.message}")

    by_clause: dict[int, list[Finding]] = {}
    for finding in report.findings:
        if finding.clause_index is not None:
            by_clause.setdefault(finding.clause_index, []).append(finding)
    missing = [f for f in report.findings if f.clause_index is None]

    document.add_heading("一、问题条款" if top_level else "（一）问题条款", level)
    if not by_clause:
        document.add_paragraph("经审查，未发现问题条款。")
    for k, index in enumerate(sorted(by_clause), 1):
        findings = by_clause[index]
        document.add_heading(f"{k}. {where_words(findings[0], report)}", level + 1)
        _original(document, report.clauses[index].text, findings)
        for i, finding in enumerate(findings, 1):
            label = f"问题{_ordinal(i)}" if len(findings) > 1 else "问题"
            _labelled(document, label, f"{finding.title}（{SEVERITY_WORDS.get(finding.severity, finding.severity)}）")
            _finding_body(document, finding)

    document.add_heading("二、缺失的必备条款" if top_level else "（二）缺失的必备条款", level)
    if not missing:
        document.add_paragraph("经审查，未发现缺失的必备条款。")
    for k, finding in enumerate(missing, 1):
        severity = SEVERITY_WORDS.get(finding.severity, finding.severity)
        document.add_heading(f"{k}. {finding.title}（{severity}）", level + 1)
        _finding_body(document, finding)


def _header_table(document: Document, report: Report, today: date) -> None:
    rows = [
        ("文件名", document_name(report.source)),
        ("领域", domain_words(report)),
        ("审查日期", date_words(today)),
        ("规则库版本", report.rules_version),
        ("问题数", count_words(report)),
    ]
    if report.merchant:
        rows.insert(1, ("经营者", report.merchant))
    widths = (Mm(32), Mm(128))
    table = document.add_table(rows=0, cols=2)
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for key, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = widths  # the cells, which Word follows
        head = cells[0].paragraphs[0]
        head.add_run(key).bold = True
        cells[1].paragraphs[0].add_run(value)
        _shade(cells[0], "EDEFF2")
    document.add_paragraph()


def _shade(cell: object, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _original(document: Document, text: str, findings: list[Finding]) -> None:
    """原文：the clause verbatim, every problem span in red bold (overlapping spans run together)."""
    spans = [(f.start, f.end, f) for f in findings if f.start is not None and f.end is not None]
    paragraph = document.add_paragraph()
    paragraph.add_run("原文：").bold = True
    for piece in pieces(text, spans):
        _add_text(paragraph, text[piece.start : piece.end], red=bool(piece.cover))


def _add_text(paragraph: Paragraph, text: str, *, red: bool = False, bold: bool = False) -> None:
    """Runs for `text`, its line breaks kept as breaks inside the paragraph."""
    for i, line in enumerate(text.split("\n")):
        if i:
            paragraph.add_run().add_break()
        if not line:
            continue
        run = paragraph.add_run(line)
        if red:
            run.bold = True
            run.font.color.rgb = RED
        elif bold:
            run.bold = True


def _finding_body(document: Document, finding: Finding) -> None:
    _labelled(document, "问题点评", finding.message)
    label = document.add_paragraph()
    label.add_run("法律依据：").bold = True
    for ref in finding.legal_basis:
        c = cite(ref)
        head = document.add_paragraph(style="List Bullet")
        head.add_run(c.heading).bold = True
        status = head.add_run(f"（{c.ref}，{c.status_words}）")
        status.font.size = Pt(9.5)
        if c.text:
            quote = document.add_paragraph()
            quote.paragraph_format.left_indent = Mm(10)
            quote.paragraph_format.space_after = Pt(6)
            for i, (line, hit) in enumerate(c.lines()):
                if i:
                    quote.add_run().add_break()
                run = quote.add_run(line)
                run.font.size = Pt(10)
                run.bold = hit or None
    _labelled(document, "修改建议", finding.suggestion)
    tag = document.add_paragraph()
    run = tag.add_run(f"类别：{category_name(finding.category)}；规则：{finding.rule_id}")
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _labelled(document: Document, label: str, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}：").bold = True
    _add_text(paragraph, text)
    return paragraph


def _ordinal(n: int) -> str:
    if n <= 10:
        return _CN_ORDINALS[n - 1]
    if n < 20:
        return "十" + _CN_ORDINALS[n - 11]
    return str(n)
