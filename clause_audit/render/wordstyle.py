"""Typefaces and page numbers for the Word files clause-audit writes (审查意见书, 点评报告, 复查意见).

Word picks the typeface of Chinese text from w:eastAsia, not from the font name python-docx sets,
and a theme font attribute wins over an explicit one, so both are set here.
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph
from docx.text.run import Run

_THEME_FONTS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def set_style_fonts(style: BaseStyle, latin: str, east_asian: str) -> None:
    """A style's Latin and East-Asian typefaces; its theme fonts are dropped."""
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asian)
    for attr in _THEME_FONTS:
        rfonts.attrib.pop(qn(attr), None)


def set_run_fonts(run: Run, latin: str, east_asian: str) -> None:
    """One run's Latin and East-Asian typefaces."""
    run.font.name = latin
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)


def add_page_number(paragraph: Paragraph, before: str, after: str) -> None:
    """`before` N `after` in the paragraph, N a PAGE field that Word fills in."""
    paragraph.add_run(before)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(after)
