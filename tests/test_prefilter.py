"""The literal prefilter: what each pattern requires, and that it never drops a rule whose anchor matches."""

from __future__ import annotations

from pathlib import Path

import pytest
import re2
from hypothesis import given, settings
from hypothesis import strategies as st

from clause_audit.evaluation import load_labelled
from clause_audit.matchers import _expand
from clause_audit.normalize import normalize
from clause_audit.parties import DEFAULT_PARTIES
from clause_audit.prefilter import LiteralPrefilter, pattern_requirements
from clause_audit.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
DIGITS = "0123456789"


def sets(pattern: str) -> list[set[str]] | None:
    found = pattern_requirements(pattern)
    return None if found is None else [set(r) for r in found]


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ("最终解释权", [{"最终解释权"}]),
        ("(?:不予|不)退还", [{"不予退还", "不退还"}]),
        ("概不退[款费]", [{"概不退款", "概不退费"}]),
        ("不予?退", [{"不予退", "不退"}]),
        ("{merchant}有权单方", [{"有权单方"}]),
        # every required part, the longest first: a match needs 最终解释权 and 归
        ("最终解释权[^。]{0,6}归{merchant}", [{"最终解释权"}, {"归"}]),
        (r"(\d+)%的违约金", [{"%的违约金"}, set(DIGITS)]),  # RE2's \d is ASCII
        (r"定金(?:为|：)?\d+元", [{f"定金{x}{d}" for x in ("", "为", "：") for d in DIGITS}, {"元"}]),
        (r"\p{Han}{2}退款", [{"退款"}]),  # a Unicode class is one unknown character
        ("(?:一律|概)不(?:退|换)+", [{"一律不退", "一律不换", "概不退", "概不换"}]),
    ],
)
def test_requirements_of_a_pattern(pattern, expected):
    assert sets(pattern) == expected


@pytest.mark.parametrize(
    "pattern",
    [
        ".+",  # no literal at all
        r"\s+",
        "[^。]{2,}",
        "{merchant}",  # the naming is not known in advance
        "(?:退款|.{2})",  # one branch has no literal
        "(?:押金)?",  # may match nothing
        "(?i)vip",  # case folded: literals are not literal
        "[[:alpha:]]退款",  # RE2 syntax Python's parser reads otherwise: no guess
    ],
)
def test_patterns_without_a_certain_literal_have_no_requirements(pattern):
    assert pattern_requirements(pattern) is None


def test_a_pattern_is_a_candidate_only_when_every_requirement_occurs():
    prefilter = LiteralPrefilter.of_patterns([["最终解释权[^。]{0,6}归{merchant}"], ["押金", "定金", "订金"], [".+"]])
    assert prefilter.candidates("本店拥有最终解释权。") == {2: [0]}  # 归 is missing; .+ is everywhere
    assert prefilter.candidates("最终解释权归本店所有") == {0: [0], 2: [0]}
    # only the anchors that can occur, in the list's order
    assert prefilter.candidates("订金不退，定金归还") == {1: [1, 2], 2: [0]}
    assert prefilter.candidates("") == {2: [0]}


def test_no_lists_no_candidates():
    assert LiteralPrefilter.of_patterns([]).candidates("任何文本") == {}


def _library_anchors() -> list[list[str]]:
    return [list(r.match.spec.any) for r in load_rulebook().rules if r.match is not None]


def _realistic_texts() -> list[str]:
    items = load_labelled(ROOT / "eval")
    return list(dict.fromkeys(normalize(i.text).text for i in items))


def test_packaged_anchors_that_match_are_always_candidates():
    """Every eval clause, every anchor of the library: a match the prefilter ruled out would be a
    silently lost finding."""
    anchors = _library_anchors()
    texts = _realistic_texts()
    assert len(texts) > 2000
    prefilter = LiteralPrefilter.of_patterns(anchors)
    candidates = [prefilter.candidates(t) for t in texts]
    namings = (DEFAULT_PARTIES.merchant_terms, DEFAULT_PARTIES.consumer_terms)
    lost = []
    for index, patterns in enumerate(anchors):
        for position, pattern in enumerate(patterns):
            ruled_out = [t for t, c in zip(texts, candidates, strict=True) if position not in c.get(index, ())]
            for merchant, consumer in (namings, namings[::-1]):  # either side may be the business
                naming = type(DEFAULT_PARTIES)(merchant_terms=merchant, consumer_terms=consumer)
                compiled = re2.compile(_expand(pattern, naming))
                # one search over the ruled-out texts joined; only a hit needs a text-by-text look
                # (a pattern with ^ or $ is looked at text by text anyway)
                if "^" not in pattern and "$" not in pattern and not compiled.search("\n".join(ruled_out)):
                    continue
                lost += [(pattern, t) for t in ruled_out if compiled.search(t)]
    assert lost == []


# random patterns over a small alphabet, so random texts often match them
_ALPHABET = "ab甲乙"
_atoms = st.one_of(
    st.sampled_from(list(_ALPHABET)),
    st.sampled_from(["[ab]", "[甲乙b]", "[^a]", ".", r"\d", "[1-3a]", r"\p{Han}", "{merchant}"]),
)


def _compose(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.lists(children, min_size=2, max_size=4).map("".join),
        st.lists(children, min_size=2, max_size=3).map(lambda xs: "(?:" + "|".join(xs) + ")"),
        st.tuples(children, st.sampled_from(["?", "*", "+", "{2}", "{1,3}", "{0,2}"])).map(
            lambda t: f"(?:{t[0]}){t[1]}"
        ),
    )


_patterns = st.recursive(_atoms, _compose, max_leaves=10)


@settings(max_examples=400, deadline=None)
@given(pattern=_patterns, text=st.text(alphabet=_ALPHABET + "方12", max_size=24))
def test_a_random_pattern_that_matches_is_a_candidate(pattern, text):
    naming = DEFAULT_PARTIES
    compiled = re2.compile(_expand(pattern, naming))
    if compiled.search(text) is not None:
        assert LiteralPrefilter.of_patterns([[pattern]]).candidates(text) == {0: [0]}


def test_the_store_keeps_a_rule_lists_literals_between_runs(tmp_path, monkeypatch):
    from clause_audit import prefilter_store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lists = [["最终解释权[^。]{0,6}归{merchant}", ".+"], ["(?:不予|不)退还"]]
    first = prefilter_store.requirement_lists(lists)
    assert first == [[pattern_requirements(p) for p in row] for row in lists]
    [stored] = (tmp_path / "clause-audit" / "prefilter").glob("*.json")

    def not_again(pattern):
        raise AssertionError(f"worked out again: {pattern}")

    monkeypatch.setattr(prefilter_store, "pattern_requirements", not_again)
    assert prefilter_store.requirement_lists(lists) == first
    # a changed list is a new key, so nothing stored for another list is ever reused for it
    monkeypatch.undo()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert prefilter_store.requirement_lists([["押金"]]) == [[pattern_requirements("押金")]]
    assert len(list(stored.parent.glob("*.json"))) == 2


@pytest.mark.parametrize("damage", ["{not json", "[[1, 2, 3]]", '[["x"], []]', "[]"])
def test_a_damaged_store_file_is_worked_out_again(tmp_path, monkeypatch, damage):
    from clause_audit import prefilter_store

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lists = [["最终解释权", "押金"], ["退还"]]
    expected = prefilter_store.requirement_lists(lists)
    [stored] = (tmp_path / "clause-audit" / "prefilter").glob("*.json")
    stored.write_text(damage, "utf-8")
    assert prefilter_store.requirement_lists(lists) == expected


def test_an_unwritable_cache_costs_only_time(tmp_path, monkeypatch):
    from clause_audit import prefilter_store

    blocked = tmp_path / "file"
    blocked.write_text("", "utf-8")  # the cache folder's parent is a file: nothing can be made there
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    monkeypatch.setattr("tempfile.gettempdir", lambda: str(blocked))
    assert prefilter_store.requirement_lists([["押金"]]) == [[pattern_requirements("押金")]]
