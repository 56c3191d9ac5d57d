"""Writes Chinese sample and test DOCX files (A4, 宋体) with real Word automatic numbering.

Usage (from a script or test that has put scripts/ on sys.path):

    from docxbuild import DocxBuilder

    b = DocxBuilder()
    b.heading("预付式消费服务合同", level=0)          # Title style
    b.paragraph("第一部分", numbered=None)
    b.paragraph("服务内容", numbered=("article", 0))   # 第一条
    b.paragraph("课时安排", numbered=("article", 1))   # （一）
    b.table([["项目", "金额"], ["年卡", "3000元"]])
    b.save("out.docx")

Lists are real numbering.xml definitions (w:abstractNum + w:num) and paragraphs carry w:numPr, so
the number is not in the paragraph's text: Word and LibreOffice render it. Built-in lists:

    article   第%1条 / （%2） / %3.        chineseCounting, chineseCounting, decimal
    chinese   %1、  / （%2） / %3.         chineseCounting, chineseCounting, decimal
    decimal   %1.   / %1.%2  / %1.%2.%3    decimal
    circled   %1                          decimalEnclosedCircle (①)
    bullet    •                           bullet

`define_list` adds others; `restart` starts a list again at its first number; `number_style`
makes a paragraph style carry numbering (style-based numbering, like Word's "List Number").
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.sax.saxutils import quoteattr

import docx
from docx.document import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm
from docx.table import Table
from docx.text.paragraph import Paragraph

Level = tuple[str, str]  # (w:numFmt, w:lvlText), e.g. ("chineseCounting", "第%1条")

LISTS: dict[str, list[Level]] = {
    "article": [("chineseCounting", "第%1条"), ("chineseCounting", "（%2）"), ("decimal", "%3.")],
    "chinese": [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")],
    "decimal": [("decimal", "%1."), ("decimal", "%1.%2"), ("decimal", "%1.%2.%3")],
    "circled": [("decimalEnclosedCircle", "%1")],
    "bullet": [("bullet", "•")],
}


def _set_east_asian_font(rpr_owner: object, font: str) -> None:
    rpr = rpr_owner.get_or_add_rPr()  # type: ignore[attr-defined]
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        rfonts.set(qn(attr), font)
    # a theme font attribute wins over an explicit one, so drop them
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(attr), None)


class DocxBuilder:
    """Builds one DOCX document; every method appends to the end of the body."""

    def __init__(self, font: str = "宋体") -> None:
        self.document: Document = docx.Document()
        section = self.document.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(25)
        section.top_margin = section.bottom_margin = Mm(25)
        for name in ("Normal", "Title", "Heading 1", "Heading 2", "Heading 3"):
            _set_east_asian_font(self.document.styles[name].element, font)
        self._numbering = self.document.part.numbering_part.element
        self._levels: dict[str, list[Level]] = {}
        self._abstract_ids: dict[str, int] = {}
        self._num_ids: dict[str, int] = {}
        self._starts: dict[str, int] = {}
        for name, levels in LISTS.items():
            self.define_list(name, levels)

    def define_list(self, name: str, levels: Sequence[Level], start: int = 1) -> None:
        """Define (or redefine) list `name`; level i uses levels[i] and counts from `start`."""
        ids = [int(x) for x in self._numbering.xpath("./w:abstractNum/@w:abstractNumId")]
        abstract_id = max(ids, default=-1) + 1
        lvls = "".join(
            f'<w:lvl w:ilvl="{i}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'<w:suff w:val="{"nothing" if text[-1:] in "、）)." else "space"}"/>'
            f'<w:lvlText w:val={quoteattr(text)}/><w:lvlJc w:val="left"/>'
            f'<w:pPr><w:ind w:left="{420 * i}" w:firstLine="0"/></w:pPr></w:lvl>'
            for i, (fmt, text) in enumerate(levels)
        )
        kind = "multilevel" if len(levels) > 1 else "singleLevel"
        abstract = parse_xml(
            f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
            f'<w:multiLevelType w:val="{kind}"/>{lvls}</w:abstractNum>'
        )
        # schema order: every w:abstractNum precedes the first w:num
        first_num = self._numbering.find(qn("w:num"))
        if first_num is not None:
            first_num.addprevious(abstract)
        else:
            self._numbering.append(abstract)
        self._levels[name] = list(levels)
        self._abstract_ids[name] = abstract_id
        self._starts[name] = start
        self._num_ids[name] = self._numbering.add_num(abstract_id).numId

    def restart(self, name: str) -> None:
        """Make the next paragraphs of list `name` count from its start again (a new w:num)."""
        num = self._numbering.add_num(self._abstract_ids[name])
        for i in range(len(self._levels[name])):
            num.add_lvlOverride(ilvl=i).add_startOverride(self._starts[name])
        self._num_ids[name] = num.numId

    def number_style(self, style: str, name: str, level: int = 0) -> None:
        """Give paragraph style `style` the numbering of list `name` at `level`."""
        numpr = self.document.styles[style].element.get_or_add_pPr().get_or_add_numPr()
        numpr.get_or_add_ilvl().val = level
        numpr.get_or_add_numId().val = self._num_ids[name]

    def heading(self, text: str, level: int = 1) -> Paragraph:
        """A heading paragraph: level 0 is the Title style, 1–9 are Heading 1–9."""
        return self.document.add_heading(text, level)

    def paragraph(self, text: str = "", numbered: tuple[str, int] | None = None, style: str | None = None) -> Paragraph:
        """A body paragraph; `numbered=(list name, level)` attaches w:numPr, e.g. ("article", 0)."""
        paragraph = self.document.add_paragraph(text, style)
        if numbered is not None:
            name, level = numbered
            if level >= len(self._levels[name]):
                raise ValueError(f"list {name!r} has no level {level}")
            numpr = paragraph._p.get_or_add_pPr().get_or_add_numPr()
            numpr.get_or_add_ilvl().val = level
            numpr.get_or_add_numId().val = self._num_ids[name]
        return paragraph

    def table(self, rows: Sequence[Sequence[str]], style: str = "Table Grid") -> Table:
        """A bordered table, one string per cell (2 columns for a fee table, but any count works)."""
        table = self.document.add_table(rows=len(rows), cols=max(len(r) for r in rows))
        table.style = self.document.styles[style]
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                table.cell(r, c).text = value
        return table

    def header(self, text: str) -> None:
        """Text in the page header (repeated on every page)."""
        self.document.sections[0].header.paragraphs[0].text = text

    def footer(self, text: str) -> None:
        """Text in the page footer."""
        self.document.sections[0].footer.paragraphs[0].text = text

    def save(self, path: str | Path) -> Path:
        """Write the file, creating parent folders; returns the path."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.document.save(str(path))
        return path
