"""RE2 patterns searched for where they match, not what their groups captured.

Rules only ever use a match's whole span, so two costs of google-re2's `re2` module buy nothing:
- capturing groups: with any group to report RE2 cannot answer from its DFA alone and falls back
  to a slower engine; a pattern searched with its groups made non-capturing took 40 % of the time;
- the Python wrapper: `search` builds a generator and a Match object around each call of the
  extension, which cost more than the search itself on a sentence.
`Pattern` compiles the non-capturing form and calls the extension's matcher directly, keeping the
public `re2` calls as the fallback should a release rename what it calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import re2

_NULL_SPAN = (-1, -1)


def _options() -> Any:
    options = re2.Options()
    options.log_errors = False
    return options


OPTIONS = _options()


def without_captures(pattern: str) -> str:
    """`pattern` with every capturing group `(…)` written `(?:…)`: the same matches, nothing captured.

    Character classes (`[(]`, `[[:alpha:](]`) and escapes (`\\(`) are copied as they are; a pattern
    with `\\Q…\\E` quoting is returned unchanged, as the quoted part cannot be told apart cheaply.
    """
    if "\\Q" in pattern:
        return pattern
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
        elif ch == "[":
            end = _class_end(pattern, i)
            out.append(pattern[i:end])
            i = end
        elif ch == "(" and not pattern.startswith("?", i + 1):
            out.append("(?:")
            i += 1
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def _class_end(pattern: str, start: int) -> int:
    """The index just after the character class opening at `start`."""
    i, n = start + 1, len(pattern)
    if i < n and pattern[i] == "^":
        i += 1
    if i < n and pattern[i] == "]":  # a leading ] is a member
        i += 1
    while i < n:
        if pattern[i] == "\\":
            i += 2
        elif pattern.startswith("[:", i):
            close = pattern.find(":]", i + 2)
            i = close + 2 if close >= 0 else i + 1
        elif pattern[i] == "]":
            return i + 1
        else:
            i += 1
    return n


class Pattern:
    """One compiled pattern, searched in UTF-8 bytes; offsets are byte offsets."""

    __slots__ = ("pattern", "_compiled", "_regexp", "_anchor")

    def __init__(self, pattern: str) -> None:
        source = without_captures(pattern)
        try:
            compiled = re2.compile(source.encode(), OPTIONS)
        except re2.error:  # the rewrite should never break a pattern; if it does, keep the original
            compiled = re2.compile(pattern.encode(), OPTIONS)
        self.pattern: bytes = compiled.pattern
        self._compiled = compiled
        regexp = getattr(compiled, "_regexp", None)
        self._anchor = getattr(getattr(re2, "_Anchor", None), "UNANCHORED", None)
        self._regexp = regexp if self._anchor is not None and hasattr(regexp, "Match") else None

    def _match(self, data: bytes, pos: int, endpos: int) -> tuple[int, int]:
        if self._regexp is not None:
            return self._regexp.Match(self._anchor, data, pos, endpos)[0]
        m = self._compiled.search(data, pos, endpos)
        return _NULL_SPAN if m is None else m.span()

    def search(self, data: bytes, pos: int = 0, endpos: int | None = None) -> tuple[int, int] | None:
        """The span of the first match in data[pos:endpos], or None."""
        span = self._match(data, pos, len(data) if endpos is None else endpos)
        return None if span[0] < 0 else span

    def spans(self, data: bytes, pos: int = 0, endpos: int | None = None) -> Iterator[tuple[int, int]]:
        """The spans of the non-overlapping matches in data[pos:endpos], in order (as `finditer`)."""
        end = len(data) if endpos is None else endpos
        while pos <= end:
            span = self._match(data, pos, end)
            if span[0] < 0:
                return
            yield span
            pos = span[1] if span[1] > pos else pos + 1
            # an empty match at pos moves on one byte: rule patterns never match empty (lint refuses it),
            # and a UTF-8 continuation byte cannot start a match of a valid pattern
