"""The closed set of match kinds a rule can use, compiled with RE2 so matching is linear-time.

Kinds: `any` (anchor patterns: the finding's span), `all` (must also occur in scope), `near`
(must occur within N characters of the anchor), `unless` (cancels the match: anywhere in
scope, or within N characters), `number` (a quantity of a unit near the anchor compared with
a threshold), `context` (the document must mention one of these somewhere), and
document-level `requires` (a term the document must contain somewhere).
Patterns may say {merchant} and {consumer}; they expand to the document's party names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import Any

import re2

from clause_audit.fastregex import OPTIONS, Pattern
from clause_audit.limits import check_time
from clause_audit.normalize import normalize
from clause_audit.parties import DEFAULT_PARTIES, Parties
from clause_audit.quantities import Quantity
from clause_audit.ruleschema import ClauseWideSpec, DocumentSpec, MatchSpec, NearSpec, NumberSpec
from clause_audit.utf8text import Utf8Text

MAX_PATTERN_LENGTH = 2000
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_PLACEHOLDERS = ("merchant", "consumer")


def _expand(pattern: str, parties: Parties) -> str:
    def sub(m: re.Match[str]) -> str:
        terms = parties.merchant_terms if m.group(1) == "merchant" else parties.consumer_terms
        return _alternation(terms)

    return _PLACEHOLDER.sub(sub, pattern)


# A party word may carry a role note: 乙方（健身工作室）因个人原因… reads as 乙方因个人原因…
# (patterns see canonical full-width brackets).
_ROLE_NOTE = "(?:（[^（）。；，\n]{1,12}）)?"


@lru_cache(maxsize=256)
def _alternation(terms: tuple[str, ...]) -> str:
    # one group, so a quantifier written after the placeholder ({merchant}?) applies to all of it
    return "(?:(?:" + "|".join(re.escape(t) for t in terms) + ")" + _ROLE_NOTE + ")"


def check_pattern(pattern: str) -> None:
    """Raise ValueError (Chinese message) for a pattern the engine must not run."""
    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"正则表达式过长（超过 {MAX_PATTERN_LENGTH} 个字符）：{pattern[:40]}…")
    for name in _PLACEHOLDER.findall(pattern):
        if name not in _PLACEHOLDERS:
            raise ValueError(f"未知占位符 {{{name}}}（可用：{{merchant}}、{{consumer}}）：{pattern}")
    if "\\b" in pattern.replace("\\\\", ""):
        raise ValueError(f"\\b 在中文之间永远不会匹配，请删除：{pattern}")
    _check_canonical(pattern)
    try:
        compiled = re2.compile(_expand(pattern, DEFAULT_PARTIES), OPTIONS)
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else str(exc)
        raise ValueError(
            f"正则表达式无效或使用了 RE2 不支持的语法（零宽断言、反向引用）：{pattern}（{detail}）"
        ) from None
    if compiled.search("") is not None:
        raise ValueError(f"正则表达式可以匹配空字符串：{pattern}")


_SYNTAX_WITH_PUNCTUATION = re.compile(r"\(\?(?:P<\w+>|[a-zA-Z]*:)|\{\d*,\d*\}|\\.")


def _check_canonical(pattern: str) -> None:
    """Refuse literal characters that never occur in normalised text (it would silently never match)."""
    if "\\(" in pattern or "\\)" in pattern:
        raise ValueError(f"规范化后的文本中括号是全角的，请写作「（」「）」而不是 \\( \\)：{pattern}")
    literal = _SYNTAX_WITH_PUNCTUATION.sub("", pattern)
    for ch in dict.fromkeys(literal):
        if ch.isascii() and ch not in ",;:!":
            continue
        canonical = _canonical(ch)
        if canonical != ch:
            raise ValueError(f"模式中的「{ch}」在规范化后的文本中不会出现，请写作「{canonical}」：{pattern}")


@lru_cache(maxsize=8192)
def _canonical(ch: str) -> str:
    # the same few hundred characters recur in every pattern: normalising each once saved a
    # fifth of loading the rule library
    return normalize(ch).text or ch


@dataclass(frozen=True)
class _Patterns:
    any: tuple[Pattern, ...]
    all: tuple[Pattern, ...]
    near: tuple[tuple[Pattern, int], ...]
    unless_scope: tuple[Pattern, ...]
    unless_near: tuple[tuple[Pattern, int], ...]
    unless_clause: tuple[Pattern, ...]
    context: tuple[Pattern, ...]
    share_of: Pattern | None  # number.of compiled

    @cached_property
    def unless_union(self) -> tuple[Pattern, ...]:
        """`unless_scope` as one alternation where RE2 takes it: a match of the union is a match of
        one of them, and one RE2 call per scope instead of one per pattern was a fifth of matching."""
        if len(self.unless_scope) < 2:
            return self.unless_scope
        try:
            union = b"|".join(b"(?:" + u.pattern + b")" for u in self.unless_scope)
            return (Pattern(union.decode()),)
        except re2.error:  # e.g. a group name used in two of them
            return self.unless_scope


@dataclass(frozen=True)
class CompiledMatch:
    spec: MatchSpec
    # compiled per naming of the two sides (甲方 or 乙方 as the business): a handful of variants
    _by_terms: dict[tuple[tuple[str, ...], tuple[str, ...]], _Patterns] = field(
        default_factory=dict, compare=False, repr=False
    )
    # the last Parties object asked about and its patterns, one tuple so threads never see half of
    # it: hashing the two word lists for every clause and rule was a tenth of matching
    _last: list[tuple[Parties, _Patterns] | None] = field(default_factory=lambda: [None], compare=False, repr=False)

    def patterns(self, parties: Parties) -> _Patterns:
        last = self._last[0]
        if last is not None and last[0] is parties:
            return last[1]
        key = (parties.merchant_terms, parties.consumer_terms)
        cached = self._by_terms.get(key)
        if cached is None:
            cached = self._compile(parties)
            self._by_terms[key] = cached
        self._last[0] = (parties, cached)
        return cached

    def _compile(self, parties: Parties) -> _Patterns:
        def c(p: str) -> Pattern:  # searched on a Utf8Text's bytes
            return Pattern(_expand(p, parties))

        spec = self.spec
        return _Patterns(
            any=tuple(c(p) for p in spec.any),
            all=tuple(c(p) for p in spec.all),
            near=tuple((c(n.pattern), n.within) for n in spec.near),
            unless_scope=tuple(c(u) for u in spec.unless if isinstance(u, str)),
            unless_near=tuple((c(u.pattern), u.within) for u in spec.unless if isinstance(u, NearSpec)),
            unless_clause=tuple(c(u.pattern) for u in spec.unless if isinstance(u, ClauseWideSpec)),
            context=tuple(c(p) for p in spec.context),
            share_of=c(spec.number.of) if spec.number is not None and spec.number.of else None,
        )

    def in_context(self, document: Utf8Text, parties: Parties) -> bool:
        """Whether the document as a whole says what the rule needs around it (no `context`: always)."""
        patterns = self.patterns(parties).context
        return not patterns or any(p.search(document.data) is not None for p in patterns)

    def find(
        self,
        text: str | Utf8Text,
        scope: tuple[int, int],
        quantities: list[Quantity],
        parties: Parties,
        anchors: Sequence[int] | None = None,
    ) -> tuple[int, int] | None:
        """The span (in characters of the normalised text) of the first match within scope, or None.
        `anchors`: the positions of the anchor patterns to try (the others are known not to occur),
        default all."""
        u = text if isinstance(text, Utf8Text) else Utf8Text(text)
        p = self.patterns(parties)
        a, b = scope
        scope_bytes = (u.byte(a), u.byte(b))
        scope_checked = False
        for pattern in p.any if anchors is None else [p.any[i] for i in anchors]:
            for match_start, match_end in pattern.spans(u.data, *scope_bytes):
                check_time()  # a clause of a million anchors must not outlast the document's budget
                # the scope-wide conditions only once an anchor is found: most scopes have none
                if not scope_checked:
                    if not self._scope_allows(u, scope_bytes, p):
                        return None
                    scope_checked = True
                span = self._accept(u, (u.char(match_start), u.char(match_end)), scope, quantities, p)
                if span is not None:
                    return span
        return None

    @staticmethod
    def _scope_allows(u: Utf8Text, scope_bytes: tuple[int, int], p: _Patterns) -> bool:
        """No `unless` pattern in the scope or clause, and every `all` pattern in the scope."""
        a, b = scope_bytes
        if any(x.search(u.data, a, b) is not None for x in p.unless_union):
            return False
        if any(x.search(u.data) is not None for x in p.unless_clause):
            return False
        return all(q.search(u.data, a, b) is not None for q in p.all)

    def _accept(
        self,
        u: Utf8Text,
        span: tuple[int, int],
        scope: tuple[int, int],
        quantities: list[Quantity],
        p: _Patterns,
    ) -> tuple[int, int] | None:
        start, end = span
        a, b = scope
        for pattern, within in p.near:
            if pattern.search(u.data, u.byte(max(a, start - within)), u.byte(min(b, end + within))) is None:
                return None
        for pattern, within in p.unless_near:
            if pattern.search(u.data, u.byte(max(a, start - within)), u.byte(min(b, end + within))) is not None:
                return None
        number = self.spec.number
        if number is None:
            return span
        q = _nearest_quantity(number, number.unit, span, scope, quantities)
        if q is None and p.share_of is not None:
            q = _share(number, u, span, scope, quantities, p.share_of)
        if q is None or not _satisfies(number, q.value):
            return None
        return min(start, q.start), max(end, q.end)


# how far after the `of` words (成交价、车价…) their amount may be written
_SHARE_BASE_WITHIN = 12


def _share(
    number: NumberSpec,
    u: Utf8Text,
    span: tuple[int, int],
    scope: tuple[int, int],
    quantities: list[Quantity],
    base_words: Pattern,
) -> Quantity | None:
    """The amount near the anchor as a percentage of the amount named by `of`, spanning the anchor's amount."""
    part = _nearest_quantity(number, "money", span, scope, quantities)
    if part is None:
        return None
    # the price may be stated in another sentence of the clause than the one the anchor is in
    for _base_start, base_byte_end in base_words.spans(u.data):
        base_end = u.char(base_byte_end)
        base = next(
            (
                q
                for q in quantities
                if q.unit == "money" and q is not part and base_end <= q.start <= base_end + _SHARE_BASE_WITHIN
            ),
            None,
        )
        if base is not None and base.value > 0:
            return Quantity(round(part.value / base.value * 100, 6), "percent", part.start, part.end)
    return None


def _nearest_quantity(
    number: NumberSpec, unit: str, span: tuple[int, int], scope: tuple[int, int], quantities: list[Quantity]
) -> Quantity | None:
    """The quantity of `unit` closest to the anchor, preferring one written after it."""
    start, end = span
    best: tuple[int, Quantity] | None = None
    for q in quantities:
        if q.unit != unit or q.start < scope[0] or q.end > scope[1]:
            continue
        if q.start >= end:
            distance = q.start - end
        elif q.end <= start:
            distance = start - q.end + 1  # a number before its keyword: a tie goes to the one after
        else:
            distance = 0
        if distance <= number.within and (best is None or distance < best[0]):
            best = (distance, q)
    return best[1] if best else None


def _satisfies(number: NumberSpec, value: float) -> bool:
    if number.above is not None:
        return value > number.above
    if number.at_least is not None:
        return value >= number.at_least
    if number.below is not None:
        return value < number.below
    assert number.at_most is not None
    return value <= number.at_most


@dataclass(frozen=True)
class DocumentCheck:
    spec: DocumentSpec
    patterns: tuple[Any, ...]

    def missing(self, text: str, clause_count: int, *, ignore_size: bool = False) -> bool:
        """True when a long-enough document contains none of the required terms."""
        if not ignore_size and clause_count < self.spec.min_clauses:
            return False
        return all(p.search(text) is None for p in self.patterns)


def compile_match(spec: MatchSpec, *, validate: bool = True) -> CompiledMatch:
    """With `validate`, every pattern is checked and compiled now; without (a file validated before),
    the patterns are compiled when a clause first needs them."""
    compiled = CompiledMatch(spec)
    if validate:
        for pattern in _all_patterns(spec):
            check_pattern(pattern)
        compiled.patterns(DEFAULT_PARTIES)
    return compiled


def compile_document(spec: DocumentSpec, *, validate: bool = True) -> DocumentCheck:
    if validate:
        for pattern in spec.requires:
            check_pattern(pattern)
    return DocumentCheck(spec, tuple(re2.compile(_expand(p, DEFAULT_PARTIES), OPTIONS) for p in spec.requires))


def _all_patterns(spec: MatchSpec) -> list[str]:
    out = [*spec.any, *spec.all, *(n.pattern for n in spec.near)]
    out += [u if isinstance(u, str) else u.pattern for u in spec.unless]
    if spec.number is not None and spec.number.of:
        out.append(spec.number.of)
    return out + list(spec.context)
