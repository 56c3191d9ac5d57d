"""Recheck as a short Word 整改复查意见 (python-docx; Chinese typefaces set on every run via w:eastAsia)."""

from __future__ import annotations

import io
from datetime import date

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from docx.text.run import Run

from clause_audit.recheck.comparison import STATUS_NAMES, Flag, Recheck
from clause_audit.recheck.wording import TITLE, conclusion, counts_words, review_words, rules_changed, version_words
from clause_audit.recheck.wording import where as where_words
from clause_audit.render.wordstyle import set_run_fonts

BODY_FONT = ("Times New Roman", "宋体")  # (Latin, East Asian)
HEADING_FONT = ("Times New Roman", "黑体")


def render_docx(recheck: Recheck, *, today: date | None = None) -> bytes:
    document = docx.Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(title.add_run(TITLE), HEADING_FONT, size=18, bold=True)
    merchant = recheck.new.merchant or recheck.old.merchant
    lines = [("修改前：", version_words(recheck.old)), ("修改后：", version_words(recheck.new))]
    if merchant:
        lines.append(("经营者：", merchant))
    lines.append(("复查日期：", (today or date.today()).strftime("%Y年%m月%d日")))
    for label, value in lines:
        paragraph = document.add_paragraph()
        _font(paragraph.add_run(label), BODY_FONT, bold=True)
        _font(paragraph.add_run(value), BODY_FONT)
    if rules_changed(recheck):
        _font(document.add_paragraph().add_run("注：两次审查的规则库版本不同，部分差异可能来自规则变化。"), BODY_FONT)
    if recheck.outcomes:
        table = document.add_table(rows=1, cols=5)
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, ("结果", "规则", "修改前", "修改后", "复核结论"), strict=True):
            _font(cell.paragraphs[0].add_run(text), HEADING_FONT, size=10.5, bold=True)
        for o in recheck.outcomes:
            flag = o.earlier or o.current
            assert flag is not None
            status = STATUS_NAMES[o.status] + (f"（相似度 {o.similarity:.2f}）" if o.similarity is not None else "")
            note = o.earlier.reviewer_note if o.earlier else ""
            texts = (status, f"{flag.title}（{flag.rule_id}）", _cell(o.earlier), _cell(o.current))
            cells = table.add_row().cells
            for cell, text in zip(cells, (*texts, review_words(o.review_status, note)), strict=True):
                _font(cell.paragraphs[0].add_run(text), BODY_FONT, size=10.5)
    _font(document.add_paragraph().add_run(counts_words(recheck)), BODY_FONT)
    verdict = document.add_paragraph()
    _font(verdict.add_run("结论："), HEADING_FONT, bold=True)
    _font(verdict.add_run(conclusion(recheck)), BODY_FONT)
    _font(
        document.add_paragraph().add_run("本意见由 clause-audit 自动比对生成，仅供参考，须经工作人员复核确认。"),
        BODY_FONT,
        size=9,
    )
    document.core_properties.title = TITLE
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _cell(flag: Flag | None) -> str:
    return "—" if flag is None else f"{where_words(flag)}：{flag.quote}"


def _font(run: Run, fonts: tuple[str, str], *, size: float = 11, bold: bool = False) -> None:
    set_run_fonts(run, *fonts)
    run.font.size = Pt(size)
    run.bold = bold
