"""Word automatic numbering (w:numPr) rendered as a reader sees it: 第一条, （一）, 1.1, ①."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement

_VAL = qn("w:val")
_PPR = qn("w:pPr")
_NUMPR = qn("w:numPr")
_NUMID = qn("w:numId")
_ILVL = qn("w:ilvl")
_PSTYLE = qn("w:pStyle")
_LVL = qn("w:lvl")
_MAX_LEVELS = 9
_PLACEHOLDER = re.compile(r"%([1-9])")

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = tuple(
    zip(
        (1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1),
        ["M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"],
        strict=True,
    )
)


def _chinese(n: int, digits: str = _CN_DIGITS, units: str = "十百千", short_ten: bool = True) -> str:
    if n == 0:
        return "〇"
    if n >= 10000:
        high, low = divmod(n, 10000)
        head = _chinese(high, digits, units, short_ten) + ("萬" if digits == _TW_LEGAL_DIGITS else "万")
        if not low:
            return head
        return head + (digits[0] if low < 1000 else "") + _chinese(low, digits, units, short_ten=False)
    out: list[str] = []
    text = str(n)
    zero = False
    for i, ch in enumerate(text):
        d, pos = int(ch), len(text) - 1 - i
        if d == 0:
            zero = True
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + (units[pos - 1] if pos else ""))
    result = "".join(out)
    # 十一, not 一十一, as Word and every contract write it
    return result[1:] if short_ten and 10 <= n < 20 else result


def _letters(n: int) -> str:
    # Word repeats the letter past Z: 27 -> AA, 28 -> BB
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _roman(n: int) -> str:
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _circled(n: int) -> str:
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return str(n)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_number(n: int, fmt: str) -> str:
    """`n` written in the Word number format `fmt` (w:numFmt); decimal for formats we do not know."""
    if fmt in ("bullet", "none"):
        return ""
    if n < 1 and fmt not in ("decimal", "decimalZero"):
        return str(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting"):
        return _chinese(n)
    if fmt in ("taiwaneseCountingThousand", "japaneseLegal"):
        return _chinese(n, short_ten=False)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL_DIGITS, "拾佰仟", short_ten=False)
    if fmt == "ideographLegalTraditional":
        return _chinese(n, _TW_LEGAL_DIGITS, "拾佰仟", short_ten=False)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10]
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12]
    if fmt == "upperLetter":
        return _letters(n)
    if fmt == "lowerLetter":
        return _letters(n).lower()
    if fmt == "upperRoman" and n < 4000:
        return _roman(n)
    if fmt == "lowerRoman" and n < 4000:
        return _roman(n).lower()
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _circled(n)
    if fmt == "decimalEnclosedParen":
        return chr(0x2474 + n - 1) if n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return chr(0x2488 + n - 1) if n <= 20 else f"{n}."
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "ordinal":
        return _ordinal(n)
    return str(n)


@dataclass(frozen=True)
class _Level:
    start: int = 0  # ECMA-376: an absent w:start means 0
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # w:lvlRestart; None: restart whenever a higher level advances
    legal: bool = False  # w:isLgl
    style: str | None = None  # w:pStyle: the paragraph style tied to this level


def first_child(el: BaseOxmlElement, tag: str) -> BaseOxmlElement | None:
    """`el.find(tag)` for a namespaced tag, at half the cost (find parses its argument as a path
    each time); the readers call it several times for every paragraph."""
    return next(el.iterchildren(tag), None)


def child_value(el: BaseOxmlElement | None, tag: str) -> str | None:
    if el is None:
        return None
    child = first_child(el, tag)
    return None if child is None else child.get(_VAL)


def _int(value: str | None) -> int | None:
    try:
        return None if value is None else int(value)
    except ValueError:
        return None


def _on(el: BaseOxmlElement, tag: str) -> bool:
    child = el.find(tag)
    return child is not None and child.get(_VAL, "true") not in ("0", "false", "off")


def _level(lvl: BaseOxmlElement, base: _Level | None = None) -> _Level:
    level = base or _Level()
    start = _int(child_value(lvl, qn("w:start")))
    restart = _int(child_value(lvl, qn("w:lvlRestart")))
    fmt = child_value(lvl, qn("w:numFmt"))
    text = lvl.find(qn("w:lvlText"))
    return replace(
        level,
        start=level.start if start is None else start,
        fmt=fmt or level.fmt,
        text=level.text if text is None else text.get(_VAL, ""),
        restart=level.restart if restart is None else restart,
        legal=_on(lvl, qn("w:isLgl")),
        style=child_value(lvl, _PSTYLE) or level.style,
    )


class Numbering:
    """Counters of one document's lists. Call `label` on every w:p in reading order, empty ones too."""

    def __init__(self, numbering: BaseOxmlElement | None, styles: BaseOxmlElement | None) -> None:
        self._styles: dict[str, BaseOxmlElement] = {}
        self._default_style: str | None = None
        for style in [] if styles is None else styles.iterchildren(qn("w:style")):
            style_id = style.get(qn("w:styleId"))
            if style_id is None:
                continue
            self._styles[style_id] = style
            kind = style.get(qn("w:type"), "paragraph")
            if kind == "paragraph" and style.get(qn("w:default")) in ("1", "true", "on"):
                self._default_style = style_id
        self._abstracts: dict[str, BaseOxmlElement] = {}
        self._nums: dict[int, BaseOxmlElement] = {}
        if numbering is not None:
            for el in numbering.iterchildren(qn("w:abstractNum")):
                self._abstracts.setdefault(el.get(qn("w:abstractNumId"), ""), el)
            for el in numbering.iterchildren(qn("w:num")):
                num_id = _int(el.get(_NUMID))
                if num_id is not None:
                    self._nums.setdefault(num_id, el)
        self._levels: dict[int, tuple[_Level, ...] | None] = {}
        self._style_numpr: dict[str, tuple[int | None, int | None]] = {}
        self._counters: dict[int, list[int | None]] = {}

    def label(self, p: BaseOxmlElement) -> str:
        """The number Word shows before paragraph `p` ("" for none and for bullets); advances the counters."""
        ppr = first_child(p, _PPR)
        return self.label_of(ppr, child_value(ppr, _PSTYLE))

    def label_of(self, ppr: BaseOxmlElement | None, style_id: str | None) -> str:
        """`label` for a reader that already holds the paragraph's w:pPr and the style id in it."""
        ref = self._reference(ppr, style_id)
        if ref is None:
            return ""
        num_id, ilvl = ref
        levels = self._levels_of(num_id)
        if not levels:
            return ""
        ilvl = min(max(ilvl, 0), len(levels) - 1)
        counters = self._counters.setdefault(num_id, [None] * len(levels))
        current = counters[ilvl]
        counters[ilvl] = levels[ilvl].start if current is None else current + 1
        for k in range(ilvl + 1, len(levels)):
            restart = levels[k].restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[k] = None
        level = levels[ilvl]
        if level.fmt == "bullet" or not level.text:
            return ""

        def number(match: re.Match[str]) -> str:
            k = min(int(match.group(1)) - 1, len(levels) - 1)
            value = counters[k]
            # a level that has not appeared yet shows its start value, as Word does
            n = levels[k].start if value is None else value
            fmt = "decimal" if level.legal and levels[k].fmt not in ("bullet", "none") else levels[k].fmt
            return format_number(n, fmt)

        return _PLACEHOLDER.sub(number, level.text)

    def _reference(self, ppr: BaseOxmlElement | None, style_id: str | None) -> tuple[int, int] | None:
        num_id = ilvl = None
        if style_id is None or style_id not in self._styles:
            style_id = self._default_style
        numpr = first_child(ppr, _NUMPR) if ppr is not None else None
        if numpr is not None:
            num_id = _int(child_value(numpr, _NUMID))
            ilvl = _int(child_value(numpr, _ILVL))
        if (num_id is None or ilvl is None) and style_id is not None:
            style_num, style_ilvl = self._numpr_of_style(style_id)
            num_id = style_num if num_id is None else num_id
            ilvl = style_ilvl if ilvl is None else ilvl
        if not num_id:  # absent, or 0: "no numbering", which also cancels a style's numbering
            return None
        if ilvl is None:
            levels = self._levels_of(num_id) or ()
            ilvl = next((i for i, lv in enumerate(levels) if style_id and lv.style == style_id), 0)
        return num_id, ilvl

    def _numpr_of_style(self, style_id: str) -> tuple[int | None, int | None]:
        if style_id in self._style_numpr:
            return self._style_numpr[style_id]
        num_id = ilvl = None
        seen: set[str] = set()
        current: str | None = style_id
        while current is not None and current not in seen and (num_id is None or ilvl is None):
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            numpr = style.find(_PPR)
            numpr = numpr.find(_NUMPR) if numpr is not None else None
            if numpr is not None:
                num_id = _int(child_value(numpr, _NUMID)) if num_id is None else num_id
                ilvl = _int(child_value(numpr, _ILVL)) if ilvl is None else ilvl
            current = child_value(style, qn("w:basedOn"))
        self._style_numpr[style_id] = (num_id, ilvl)
        return num_id, ilvl

    def _levels_of(self, num_id: int) -> tuple[_Level, ...] | None:
        if num_id not in self._levels:
            self._levels[num_id] = self._build_levels(num_id)
        return self._levels[num_id]

    def _build_levels(self, num_id: int, depth: int = 0) -> tuple[_Level, ...] | None:
        num = self._nums.get(num_id)
        if num is None:
            return None
        abstract = self._abstracts.get(child_value(num, qn("w:abstractNumId")) or "")
        if abstract is None:
            return None
        link = child_value(abstract, qn("w:numStyleLink"))
        if link is not None and depth < 3:
            # the list is defined by a numbering style, which points at another w:num
            linked = self._numpr_of_style(link)[0]
            if linked and linked != num_id:
                base = self._build_levels(linked, depth + 1)
                if base is not None:
                    return self._apply_overrides(num, list(base))
        levels = [_Level() for _ in range(_MAX_LEVELS)]
        for lvl in abstract.iterchildren(_LVL):
            i = _int(lvl.get(_ILVL))
            if i is not None and 0 <= i < _MAX_LEVELS:
                levels[i] = _level(lvl)
        return self._apply_overrides(num, levels)

    def _apply_overrides(self, num: BaseOxmlElement, levels: list[_Level]) -> tuple[_Level, ...]:
        for override in num.iterchildren(qn("w:lvlOverride")):
            i = _int(override.get(_ILVL))
            if i is None or not 0 <= i < len(levels):
                continue
            lvl = override.find(_LVL)
            if lvl is not None:
                levels[i] = _level(lvl, levels[i])
            start = _int(child_value(override, qn("w:startOverride")))
            if start is not None:
                levels[i] = replace(levels[i], start=start)
        return tuple(levels)
