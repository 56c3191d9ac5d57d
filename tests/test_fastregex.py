"""The non-capturing rewrite and the direct matcher give the spans google-re2's own search gives."""

from __future__ import annotations

import pytest
import re2

from clause_audit.fastregex import OPTIONS, Pattern, without_captures
from clause_audit.matchers import _expand
from clause_audit.parties import DEFAULT_PARTIES
from clause_audit.prefilter import rarest_first
from clause_audit.rulebook import load_rulebook


@pytest.mark.parametrize(
    ("pattern", "rewritten"),
    [
        ("(不予|不)退(款|费)", "(?:不予|不)退(?:款|费)"),
        ("(?:已)?(消费)", "(?:已)?(?:消费)"),
        ("(?P<fee>手续费)", "(?P<fee>手续费)"),  # named groups stay: RE2 needs them unique, not absent
        (r"\(退款\)", r"\(退款\)"),  # escaped brackets are literals
        ("[(（]注[)）]", "[(（]注[)）]"),  # brackets inside a class are members
        ("[]()]退", "[]()]退"),  # a leading ] is a member, not the end of the class
        ("[^(]+(退)", "[^(]+(?:退)"),
        ("[[:digit:](]+(天)", "[[:digit:](]+(?:天)"),
        (r"\Q(退)\E", r"\Q(退)\E"),  # quoted text is left alone
        (r"[\]()]退(款)", r"[\]()]退(?:款)"),
    ],
)
def test_without_captures_rewrites_only_capturing_groups(pattern: str, rewritten: str) -> None:
    assert without_captures(pattern) == rewritten


def test_spans_and_search_agree_with_re2_on_every_rule_pattern() -> None:
    texts = [
        "本卡一经售出，概不退款。会员卡不予退还，余额不退。",
        "甲方不得拒绝乙方的退款申请，应于七日内退还余额；如有争议，以甲方解释为准。",
        "因甲方原因停业的，乙方可要求退还剩余费用；定金为总价的30%，违约金按日0.5%计。",
    ]
    data = [t.encode() for t in texts]
    checked = 0
    for rule in load_rulebook().rules:
        if rule.match is None:
            continue
        spec = rule.match.spec
        for source in [*spec.any, *spec.all, *(u if isinstance(u, str) else u.pattern for u in spec.unless)]:
            expanded = _expand(source, DEFAULT_PARTIES)
            fast, slow = Pattern(expanded), re2.compile(expanded.encode(), OPTIONS)
            for d in data:
                assert list(fast.spans(d)) == [m.span() for m in slow.finditer(d)], source
                s = slow.search(d, 3, len(d) - 3)
                assert fast.search(d, 3, len(d) - 3) == (s.span() if s else None), source
            checked += 1
    assert checked > 1000


def test_spans_stay_within_the_window() -> None:
    pattern = Pattern("退(款|费)")
    data = "退款退费退款".encode()
    assert list(pattern.spans(data, 3, 12)) == [(6, 12)]  # 退费 starts at byte 6; the last 退款 is outside
    assert pattern.search(data, 0, 5) is None


def test_rarest_first_puts_the_least_common_requirement_first() -> None:
    common, rare = frozenset({"费用"}), frozenset({"不予退还", "不退还"})
    ordered = rarest_first([[(common, rare), None]], ["费用如下", "费用另计", "押金不退还"])
    assert ordered == [[(rare, common), None]]
    assert rarest_first([[(common, rare)]], []) == [[(common, rare)]]  # no samples: order kept
