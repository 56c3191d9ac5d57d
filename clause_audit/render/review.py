"""What the review reports (HTML, Markdown, Word) share: clause text cut at finding spans, citations, header facts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath, PureWindowsPath
from typing import Generic, TypeVar

from clause_audit.model import DOMAIN_NAMES, SEVERITIES, Finding, Report
from clause_audit.statutes import article_id, resolve

T = TypeVar("T")

SEVERITY_WORDS = {"high": "高风险", "medium": "中风险", "low": "低风险"}
STATUS_WORDS = {
    "verified": "已与官方文本核对",
    "partially_verified": "部分核对，引用前请以官方文本为准",
    "unverified": "未核对（据记忆整理），引用前须核实",
}
CONTEXT = 150  # characters of a long clause shown either side of a quote

_CN_DIGITS = "零一二三四五六七八九"
_PARAGRAPH = re.compile(r"¶\s*(\d+)")
_ITEM = re.compile(r"[(（]\s*([^)）]+?)\s*[)）]")


@dataclass(frozen=True)
class Piece(Generic[T]):
    """A stretch text[start:end] of a clause and the spans that cover all of it (possibly none)."""

    start: int
    end: int
    cover: tuple[T, ...]


def pieces(text: str, spans: Sequence[tuple[int, int, T]]) -> list[Piece[T]]:
    """Cut `text` at every span boundary, so overlapping spans become runs of whole pieces.

    Each piece lists the spans covering it in the order given; empty and out-of-range spans are ignored.
    """
    clean = [(max(0, s), min(len(text), e), v) for s, e, v in spans if s < e and s < len(text) and e > 0]
    cuts = sorted({0, len(text)} | {s for s, _, _ in clean} | {e for _, e, _ in clean})
    out: list[Piece[T]] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        if a < b:
            out.append(Piece(a, b, tuple(v for s, e, v in clean if s <= a and b <= e)))
    return out


def excerpt(text: str, start: int, end: int, context: int = CONTEXT) -> tuple[str, str, str]:
    """(before, quote, after) of a span, with a long clause cut to `context` characters either side (…)."""
    left = max(0, start - context)
    right = min(len(text), end + context)
    before = ("…" if left else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    return before, text[start:end], after


def severity_rank(finding: Finding) -> int:
    return SEVERITIES.index(finding.severity) if finding.severity in SEVERITIES else len(SEVERITIES)


@dataclass(frozen=True)
class Citation:
    """One legal-basis reference as a reader needs it: which law and article, its text, how far it is checked."""

    ref: str
    law: str
    article: str  # 第二十六条第二款; "" for a source cited by topic
    text: str
    status: str  # verified | partially_verified | unverified | unknown
    status_words: str
    focus: frozenset[int] = frozenset()  # lines of `text` holding the cited paragraph or item

    @property
    def heading(self) -> str:
        return f"{self.law}{self.article}"

    def lines(self) -> list[tuple[str, bool]]:
        """The article text line by line, each with whether it is the part cited."""
        return [(line, i in self.focus) for i, line in enumerate(self.text.split("\n"))]


def cite(ref: str) -> Citation:
    """Resolve a legal-basis reference (CPL-26¶2, CAS-8(七) …) against the packaged statute table."""
    statute = resolve(ref)
    if statute is None:
        return Citation(ref, ref, "", "", "unknown", "依据编号未收录于条文表")
    paragraph, item, rest = _detail(ref[len(article_id(ref)) :].strip())
    words = (f"第{_chinese_number(paragraph)}款" if paragraph else "") + (f"第{item}项" if item else "") + rest
    law = statute.law
    topic = statute.title.rsplit(" / ", 1)[-1].strip()
    if not statute.article and topic and topic not in law:
        law = f"{law}：{topic}"  # a source cited by topic, its article number unverified
    return Citation(
        ref=ref,
        law=law,
        article=statute.article + words,
        text=statute.text,
        status=statute.status,
        status_words=STATUS_WORDS.get(statute.status, statute.status),
        focus=_focus(statute.text, paragraph, item) if statute.article and not rest else frozenset(),
    )


def _detail(detail: str) -> tuple[int | None, str | None, str]:
    """ "¶2" → paragraph 2; "(七)"/"(4)" → item （七）/（四）; the rest as written."""
    paragraph: int | None = None
    item: str | None = None
    rest = detail
    if m := _PARAGRAPH.match(rest):
        paragraph = int(m.group(1))
        rest = rest[m.end() :].strip()
    if m := _ITEM.match(rest):
        raw = m.group(1)
        item = f"（{_chinese_number(int(raw)) if raw.isdigit() else raw}）"
        rest = rest[m.end() :].strip()
    return paragraph, item, rest


def _focus(text: str, paragraph: int | None, item: str | None) -> frozenset[int]:
    """Which lines of an article's text are its paragraph `paragraph` (款) and item `item` (项).

    Items sit on lines of their own starting with （一）; every other line starts a paragraph."""
    lines = text.split("\n")
    if paragraph is None and item is None:
        return frozenset()
    para_no = 0
    chosen: set[int] = set()
    current = 0
    for i, line in enumerate(lines):
        is_item = line.lstrip().startswith(("（", "("))
        if not is_item:
            para_no += 1
            current = para_no
        in_paragraph = paragraph is None or current == paragraph
        if not in_paragraph:
            continue
        if item is None:
            chosen.add(i)
        elif is_item and line.lstrip().startswith(item):
            chosen.add(i)
            if paragraph is None:
                break
    return frozenset(chosen)


def _chinese_number(n: int) -> str:
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    return str(n)


def document_name(source: str) -> str:
    """The file name of a source path (either slash), or the source itself."""
    name = PureWindowsPath(source).name if "\\" in source else PurePath(source).name
    return name or source


def domain_words(report: Report) -> str:
    """预付式消费（自动识别，置信度 0.70） or 预付式消费（指定）."""
    guess = report.domain
    name = DOMAIN_NAMES.get(guess.code, guess.code)
    how = "指定" if guess.forced else f"自动识别，置信度 {guess.confidence:.2f}"
    return f"{name}（{how}）"


def date_words(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def where_words(finding: Finding, report: Report | None = None) -> str:
    """The clause a finding points at, as a reader cites it: its number, else where it stands."""
    if finding.clause_index is None:
        return "全文"
    if finding.clause_number:
        return finding.clause_number
    if report is not None:
        location = report.clauses[finding.clause_index].location
        if location.page is not None:
            return f"第{location.page}页"
        if location.line is not None:
            return f"第{location.line}行"
        if location.paragraph is not None:
            return f"第{location.paragraph + 1}段"
    return f"第{finding.clause_index + 1}段"


def count_words(report: Report) -> str:
    """共 5 项：高风险 3、中风险 2、低风险 0."""
    counts = report.by_severity()
    parts = "、".join(f"{SEVERITY_WORDS[s]} {counts[s]}" for s in SEVERITIES)
    return f"共 {len(report.findings)} 项：{parts}"


def depth(report: Report, index: int) -> int:
    """How many enclosing articles or headings a clause sits in."""
    n = 0
    parent = report.clauses[index].parent
    while parent is not None and n < len(report.clauses):
        n += 1
        parent = report.clauses[parent].parent
    return n
