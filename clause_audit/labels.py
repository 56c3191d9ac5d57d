"""Clause number labels of Chinese contracts: 第一条, 一、, （一）, 1.1, (1), ① … at the start of a line."""

from __future__ import annotations

import re
from dataclasses import dataclass

_CN = "〇零一二三四五六七八九十百千两壹贰叁肆伍陆柒捌玖拾佰"

# (style, pattern). Order matters: the first pattern that matches wins.
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (style, re.compile(pattern))
    for style, pattern in (
        ("chapter", rf"第[{_CN}\d]+章"),
        ("section", rf"第[{_CN}\d]+节"),
        ("part", rf"第[{_CN}\d]+部分"),
        ("article", rf"第[{_CN}\d]+条"),
        ("cn-ordinal", rf"[{_CN}]+[、．.](?![{_CN}\d])"),
        ("cn-paren", rf"[（(][{_CN}]+[）)]"),
        ("decimal-3", r"\d{1,2}\.\d{1,2}\.\d{1,2}(?![\d.])"),
        ("decimal-2", r"\d{1,2}\.\d{1,2}(?![\d.%万千百元个])"),
        ("digit-paren", r"[（(]\d{1,2}[）)]"),
        ("digit-half-paren", r"\d{1,2}[）)]"),
        ("digit", r"\d{1,2}(?:[、]|[.．](?!\d))"),
        ("circled", r"[①-⑳]"),
        ("attachment", rf"附件[{_CN}\d]*[：:]?"),
    )
)

# All of them as one alternation: at a given position re tries the alternatives in order, so the
# first that matches is the first pattern that would match alone; one call instead of up to 13.
_ANY_LABEL = re.compile("|".join(f"(?P<g{i}>{pattern.pattern})" for i, (_, pattern) in enumerate(_LABELS)))
_STYLE_OF_GROUP = {f"g{i}": style for i, (style, _) in enumerate(_LABELS)}

HEADING_STYLES = frozenset({"chapter", "section", "part"})


@dataclass(frozen=True)
class Label:
    text: str  # the label as written, e.g. "第一条" or "（二）"
    style: str
    body_start: int  # offset in the line where the text after the label begins


def match_label(line: str) -> Label | None:
    """The number label at the start of `line`, if any; whitespace after it is skipped."""
    lead = len(line) - len(line.lstrip(" \t\u3000"))
    m = _ANY_LABEL.match(line, lead)
    if m is None:
        return None
    assert m.lastgroup is not None
    style = _STYLE_OF_GROUP[m.lastgroup]
    end = m.end()
    rest = line[end:]
    body = end + len(rest) - len(rest.lstrip(" \t\u3000"))
    if style in ("digit", "decimal-2", "decimal-3") and body == len(line):
        return None  # a bare number on a line is a page number or a table value, not a label
    return Label(text=line[lead:end].rstrip(), style=style, body_start=body)
