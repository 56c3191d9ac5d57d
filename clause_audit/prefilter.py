"""Which rules' anchors may occur in a text, found in one pass of an RE2 set over required literals.

For each anchor pattern we derive its *requirements*: sets of literal strings such that every match
of the pattern contains a literal of each set (RE2's FilteredRE2 works the same way): `(不予|不)退还.*押金`
needs one of {不予退还, 不退还} and {押金}. A rule is a candidate for a text when, for one of its
anchors, a literal of every set occurs; the rule's own patterns then decide. A pattern with no
certain literal (`.+`, `\\d`, a lone placeholder) makes its rule a candidate for every text, which is
always correct, only slower.

An RE2 set of the anchors themselves did the same job, but its lazily built DFA cost the first
document of every process half a second, and ten times the rules took 340 MB and thrashed its cache.
A set of plain literals has no such blow-up: its DFA is a trie. It answers which literals occur
without listing every occurrence, which made it four times as fast as an Aho-Corasick automaton
(pyahocorasick) whose 22k hits in a 50-page contract had to be gathered in Python.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# the private parser is the one `re` itself uses; `sre_parse` is its deprecated alias
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser as sre_parse  # type: ignore[attr-defined]
from typing import Any

import re2

# what we parse as one unknown character: a party placeholder (a naming not known in advance) and
# RE2's Unicode classes (\p{Han}), which Python's parser does not read
_OPEN_ATOM = re.compile(r"\{(?:merchant|consumer)\}|\\[pP](?:\{\w+\}|\w)")
_OPEN = "\ue000"
# other RE2 syntax that Python's parser reads differently or not at all: no requirements
_NOT_PYTHON_SYNTAX = re.compile(r"\[:|\\[QECz]|\{,")
# a product of alternatives larger than this is closed off rather than multiplied out
_MAX_STRINGS = 512
# a character class of at most this many characters still counts as literal alternatives
_MAX_CLASS = 32
_ASCII_DIGITS = frozenset("0123456789")  # RE2's \d


@dataclass(frozen=True)
class _Language:
    """What we know of the strings a sub-pattern matches."""

    exact: frozenset[str] | None  # every string it can match, when that set is small and known
    # literal sets every match must draw on: one literal of each set occurs in every match
    required: tuple[frozenset[str], ...] = ()
    # when not exact: strings one of which every match starts with (`(?:退|换)+` starts with 退 or 换)
    starts: frozenset[str] | None = None

    @property
    def best_cover(self) -> frozenset[str] | None:
        if self.exact is not None and "" not in self.exact:
            return self.exact
        return max(self.required, key=_strength) if self.required else None


_UNKNOWN = _Language(None)
_EMPTY = _Language(frozenset({""}))


def pattern_requirements(pattern: str) -> tuple[frozenset[str], ...] | None:
    """Literal sets one literal of each of which occurs in every match of `pattern` (placeholders left
    open), strongest first; None when no literal is certain."""
    return _pattern_requirements(pattern)


@lru_cache(maxsize=8192)
def _pattern_requirements(pattern: str) -> tuple[frozenset[str], ...] | None:
    if _NOT_PYTHON_SYNTAX.search(pattern):
        return None
    try:
        parsed = sre_parse.parse(_OPEN_ATOM.sub(_OPEN, pattern))
    except (re.error, OverflowError, RecursionError):
        return None
    if parsed.state.flags & sre.SRE_FLAG_IGNORECASE:  # a leading (?i): literals would not be literal
        return None
    language = _sequence(list(parsed))
    if language.exact is not None and "" not in language.exact:
        required = [language.exact]
    else:
        required = [r for r in language.required if "" not in r]
    minimal = list(dict.fromkeys(_shortest_only(r) for r in required))
    needed = [a for a in minimal if not any(b is not a and _implies(b, a) for b in minimal)]
    return tuple(sorted(needed, key=_strength, reverse=True)) or None


def _implies(b: frozenset[str], a: frozenset[str]) -> bool:
    """Whether a text with a literal of `b` always has one of `a` ({定金1, 定金2} implies {1, 2})."""
    return all(any(x in y for x in a) for y in b)


def _shortest_only(literals: frozenset[str]) -> frozenset[str]:
    """Drop each literal that contains another of the set: a text with 不予 has 不, so {不, 不予} is {不}."""
    kept: list[str] = []
    for literal in sorted(literals, key=len):
        if not any(k in literal for k in kept):
            kept.append(literal)
    return frozenset(kept)


def _strength(cover: frozenset[str]) -> tuple[int, int]:
    """Longer literals occur in fewer texts; fewer of them, fewer lookups."""
    return min(len(s) for s in cover), -len(cover)


def _sequence(items: Sequence[tuple[object, Any]]) -> _Language:
    required: list[frozenset[str]] = []
    run: frozenset[str] | None = frozenset({""})
    whole_exact = True
    starts: frozenset[str] | None = None
    for op, av in items:
        item = _item(op, av)
        if item.exact is not None and run is not None and len(run) * len(item.exact) <= _MAX_STRINGS:
            run = frozenset(a + b for a, b in itertools.product(run, item.exact))
            continue
        if item.starts is not None and run is not None and len(run) * len(item.starts) <= _MAX_STRINGS:
            run = frozenset(a + b for a, b in itertools.product(run, item.starts))
            item = _Language(None, item.required)  # its beginnings are in the run now
        if whole_exact and run is not None and "" not in run:
            starts = run  # every match of the sequence begins with one of these
        whole_exact = False
        if run is not None and "" not in run:
            required.append(run)
        required.extend(item.required)
        run = item.exact
    if run is not None and "" not in run:
        required.append(run)
    return _Language(run if whole_exact else None, tuple(required), starts)


def _item(op: object, av: Any) -> _Language:  # av: the parser's argument for op
    if op is sre.LITERAL:
        assert isinstance(av, int)
        return _UNKNOWN if chr(av) == _OPEN else _Language(frozenset({chr(av)}))
    if op is sre.IN:
        assert isinstance(av, list)
        return _char_class(av)
    if op is sre.SUBPATTERN:
        _group, add_flags, del_flags, body = av
        if add_flags or del_flags:  # (?i) and the like: literals would not be literal
            return _UNKNOWN
        return _sequence(list(body))
    if op is sre.BRANCH:
        _none, branches = av
        return _alternatives([_sequence(list(b)) for b in branches])
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", None)):
        low, high, body = av
        return _repeat(low, high, _sequence(list(body)))
    if op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
        return _Language(_ASCII_DIGITS)
    if op is sre.AT:
        return _EMPTY  # ^ $ and boundaries match no characters
    return _UNKNOWN


def _char_class(members: list[tuple[object, Any]]) -> _Language:
    chars: set[str] = set()
    for op, av in members:
        if op is sre.LITERAL:
            assert isinstance(av, int)
            chars.add(chr(av))
        elif op is sre.RANGE and av[1] - av[0] < _MAX_CLASS:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            chars.update(_ASCII_DIGITS)
        else:  # negation, \s, \w, wide ranges
            return _UNKNOWN
    if _OPEN in chars or len(chars) > _MAX_CLASS:
        return _UNKNOWN
    return _Language(frozenset(chars))


def _alternatives(branches: list[_Language]) -> _Language:
    exact: frozenset[str] | None = None
    if all(b.exact is not None for b in branches):
        exact = frozenset().union(*(b.exact for b in branches if b.exact is not None))
        if len(exact) > _MAX_STRINGS:
            exact = None
    starts: frozenset[str] | None = None
    if exact is None:
        beginnings = [b.exact if b.exact is not None else b.starts for b in branches]
        if all(x is not None and "" not in x for x in beginnings):
            starts = frozenset().union(*(x for x in beginnings if x is not None))
            starts = starts if len(starts) <= _MAX_STRINGS else None
    covers = [b.best_cover for b in branches]
    if any(c is None for c in covers):
        return _Language(exact, (), starts)
    return _Language(exact, (frozenset().union(*(c for c in covers if c)),), starts)


def _repeat(low: int, high: int, body: _Language) -> _Language:
    if body.exact is not None and high <= 1:
        return _Language(body.exact | ({""} if low == 0 else set()))
    if body.exact is not None and low == high and len(body.exact) ** low <= _MAX_STRINGS:
        return _Language(frozenset("".join(p) for p in itertools.product(body.exact, repeat=low)))
    if low >= 1 and body.exact is not None:
        cover = body.best_cover
        return _Language(None, (cover,) if cover else (), starts=body.exact)
    if low >= 1:
        return _Language(None, body.required, body.starts)
    return _UNKNOWN


Requirements = tuple[frozenset[str], ...]


def rarest_first(
    requirement_lists: Sequence[Sequence[Requirements | None]], samples: Sequence[str]
) -> list[list[Requirements | None]]:
    """Each pattern's requirements reordered so the one least often met in `samples` comes first.

    The prefilter looks a pattern up by its first requirement and checks the others only then, so a
    first requirement that most clauses meet ({费用}, {甲方}) wakes the pattern for nothing: in a
    50-page contract, ordering by length alone left ten thousand such checks, half of them avoidable.
    `samples` stand for the text to come (the rules' own examples will do); ties keep the given order.
    """
    literals = {lit for patterns in requirement_lists for r in patterns if r for group in r for lit in group}
    seen = dict.fromkeys(literals, 0)
    if literals and samples:
        ordered = list(literals)
        literal_set = LiteralSet(ordered)
        for text in samples:
            for number in literal_set.present(text):
                seen[ordered[number]] += 1

    def how_often(group: frozenset[str]) -> int:
        return sum(seen[lit] for lit in group)

    return [
        [None if r is None else tuple(sorted(r, key=how_often)) for r in patterns] for patterns in requirement_lists
    ]


class LiteralSet:
    """Which of many literal strings occur in a text: one RE2 set search, no list of occurrences."""

    _BASE_MEMORY = 64 << 20
    _MEMORY_PER_LITERAL = 2 << 10

    def __init__(self, literals: Sequence[str]) -> None:
        options = re2.Options()
        options.log_errors = False
        # RE2 sets report nothing when their DFA runs out of memory, so the budget grows with the
        # set: 13k literals used 9 MB, 130k literals 86 MB
        options.max_mem = self._BASE_MEMORY + self._MEMORY_PER_LITERAL * len(literals)
        self._set = None
        if literals:
            literal_set = re2.Set.SearchSet(options)
            for literal in literals:
                literal_set.Add(re2.escape(literal))
            literal_set.Compile()
            self._set = literal_set

    def present(self, text: str) -> list[int]:
        """The positions (in the given list) of the literals that occur in `text`, in no set order."""
        # RE2::Set answers None rather than an empty list when nothing occurs
        return (self._set.Match(text) or []) if self._set is not None else []


class LiteralPrefilter:
    """Which patterns of many pattern lists may match a text: one RE2 set search over their literals."""

    def __init__(self, requirement_lists: Sequence[Sequence[Requirements | None]]) -> None:
        """One entry per pattern list: each of its patterns' `pattern_requirements`."""
        self._owner: list[tuple[int, int]] = []  # per pattern id: (list index, position in the list)
        always: list[int] = []  # pattern ids without a certain literal: candidates for every text
        literal_ids: dict[str, int] = {}
        # per literal id: the patterns it makes candidates on its own, and those it triggers that
        # need further literals (an index into self._checks)
        direct: list[list[int]] = []
        triggers: list[list[int]] = []
        # per such pattern: its id and, for each requirement after the first, its literal ids
        self._checks: list[tuple[int, tuple[frozenset[int], ...]]] = []

        def literal_id(literal: str) -> int:
            if literal not in literal_ids:
                literal_ids[literal] = len(literal_ids)
                direct.append([])
                triggers.append([])
            return literal_ids[literal]

        for index, patterns in enumerate(requirement_lists):
            for position, requirements in enumerate(patterns):
                pattern_id = len(self._owner)
                self._owner.append((index, position))
                if requirements is None:
                    always.append(pattern_id)
                    continue
                ids = [frozenset(literal_id(lit) for lit in r) for r in requirements]
                for number in ids[0]:
                    if len(ids) == 1:
                        direct[number].append(pattern_id)
                    else:
                        triggers[number].append(len(self._checks))
                if len(ids) > 1:
                    self._checks.append((pattern_id, tuple(ids[1:])))
        self._always = tuple(always)
        # per literal id: (patterns it makes candidates, checks it triggers), or None when it is only
        # ever a further requirement (most literals: nothing to do when they occur)
        self._actions = [(tuple(d), tuple(t)) if d or t else None for d, t in zip(direct, triggers, strict=True)]
        self._literals = LiteralSet(list(literal_ids))  # dicts keep insertion order: position = id

    @classmethod
    def of_patterns(cls, pattern_lists: Sequence[Sequence[str]]) -> LiteralPrefilter:
        return cls([[pattern_requirements(p) for p in patterns] for patterns in pattern_lists])

    def candidates(self, text: str) -> dict[int, list[int]]:
        """The lists that may have a match somewhere in `text`, each with the positions of its
        patterns that may (a superset), in order."""
        found = set(self._always)
        if self._actions:
            present = set(self._literals.present(text))
            pending: set[int] = set()
            actions = self._actions
            for number in present:
                action = actions[number]
                if action is not None:
                    found.update(action[0])
                    pending.update(action[1])
            checks, isdisjoint = self._checks, present.isdisjoint
            for check in pending:  # the hot loop of the prefilter: plain loops, no generators
                pattern_id, rest = checks[check]
                for group in rest:
                    if isdisjoint(group):
                        break
                else:
                    found.add(pattern_id)
        by_list: dict[int, list[int]] = {}
        owner = self._owner
        for pattern_id in sorted(found):
            index, position = owner[pattern_id]
            if index in by_list:
                by_list[index].append(position)
            else:
                by_list[index] = [position]
        return by_list
