"""Extraction-quality gate: flags text that came out of a reader as unmapped glyphs or not Chinese."""

from __future__ import annotations

import re
from typing import Literal

from clause_audit.model import Notice

CODE = "extraction_quality"

# A page is garbage when at least this share of its glyphs could not be mapped to Unicode.
GARBAGE_SHARE = 0.5
# Below this many letters (CJK characters plus Latin words) a page is too short to judge its language.
MIN_LETTERS = 12
# Share of CJK among letters under which a page is "not Chinese" (warning) or "garbage" (error).
CJK_WARNING_SHARE = 0.3
CJK_ERROR_SHARE = 0.05

_CID = re.compile(r"\(cid:\d+\)")
_PUA = re.compile("[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd]")
_CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff]")
# A Latin (or other non-CJK) "word": a run of letters that are not CJK ideographs, kana or hangul.
_WORD = re.compile("[^\\W\\d_\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]+")


def assess_page(text: str, page: int | None) -> list[Notice]:
    """Notices about unmapped glyphs and non-Chinese text in one page's (or one document's) text.

    Every notice of a garbage page has level "error"; otherwise the notices are warnings.
    """
    # counted without lists of matches: a page (or a text file) may be millions of characters
    rest, cid = _CID.subn("", text)
    fffd = rest.count("\ufffd")
    pua = len(rest) - len(_PUA.sub("", rest))
    glyphs = cid + len(rest) - sum(1 for ch in rest if ch.isspace())
    bad = cid + fffd + pua

    cjk = len(rest) - len(_CJK.sub("", rest))
    letters = cjk + sum(1 for _ in _WORD.finditer(rest))
    cjk_share = cjk / letters if letters >= MIN_LETTERS else 1.0

    garbage = (glyphs > 0 and bad / glyphs >= GARBAGE_SHARE) or cjk_share < CJK_ERROR_SHARE
    level: Literal["warning", "error"] = "error" if garbage else "warning"
    where, scope = (f"第{page}页", "该页") if page is not None else ("文档中", "文档")
    notices = []
    if cid:
        notices.append(Notice(CODE, level, f"{where}有{cid}处无法识别的字形（cid），{scope}文字可能不完整", page))
    if fffd:
        notices.append(Notice(CODE, level, f"{where}有{fffd}处无法解码的字符（�），{scope}文字可能不完整", page))
    if pua:
        notices.append(
            Notice(CODE, level, f"{where}有{pua}个没有Unicode映射的字形（私用区字符），{scope}文字可能有误", page)
        )
    if cjk_share < CJK_WARNING_SHARE:
        notices.append(
            Notice(
                CODE,
                level,
                f"{where}的文字大多不是中文（中文仅占{cjk_share:.0%}），可能是字体编码无法识别",
                page,
            )
        )
    return notices


def is_garbage(notices: list[Notice]) -> bool:
    """Whether assess_page judged the text unusable."""
    return any(n.level == "error" for n in notices)
