"""Text normalisation for matching, with an offset map back to the verbatim original.

Matching sees one canonical form: NFKC (full-width letters and digits → half-width),
Traditional → Simplified, the ASCII punctuation of contracts written full-width (so “(一)”
and “（一）” look alike, and rule authors write the punctuation Chinese readers write),
whitespace next to CJK removed (PDF letter-spacing, a line break inside a word) and other
whitespace runs folded to one space; line breaks count as whitespace, so sentences end only at
sentence punctuation. Every normalised character remembers the index of the
original character it came from, so a match maps back to verbatim characters.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

_TO_FULLWIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"})
_WHITESPACE = frozenset(" \t\r\n\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff")


def is_cjk(ch: str) -> bool:
    """CJK ideographs and CJK/full-width punctuation: characters that take no spaces between them."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x2FA1F
        or 0xF900 <= o <= 0xFAFF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or o in (0x201C, 0x201D, 0x2018, 0x2019, 0x2014, 0x2026, 0x00B7)
    )


@dataclass(frozen=True)
class Normalized:
    text: str
    origin: Sequence[int]  # origin[i] = index in the original of normalised character i (array or range)
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a normalised span [start, end) to the smallest original span covering it."""
        if start >= end:
            pos = self.origin[start] if start < len(self.origin) else self.original_length
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


@lru_cache(maxsize=1)
def _t2s() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified, character for character (offsets must survive)."""
    if text.isascii():
        return text
    converter = _t2s()
    out = converter.convert(text)
    if len(out) == len(text):
        return out
    # Phrase tables may change length; fall back to converting each character alone.
    chars = []
    for ch in text:
        conv = converter.convert(ch)
        chars.append(conv if len(conv) == 1 else ch)
    return "".join(chars)


_WHITESPACE_TO_SPACE = {ord(ch): " " for ch in _WHITESPACE}
_CANONICAL_TABLE = str.maketrans({**_WHITESPACE_TO_SPACE, **{k: v for k, v in _TO_FULLWIDTH.items()}})
_SPACES = re.compile(" +")


def _canonical_char(ch: str) -> str:
    if ch in _WHITESPACE:
        return " "
    folded = unicodedata.normalize("NFKC", ch) if not ch.isascii() else ch
    return folded.translate(_TO_FULLWIDTH)


class _FoldTable(dict[int, str]):
    """`_canonical_char` as a str.translate table, filled in as characters are first seen.

    Most contract text is not NFKC-stable (any full-width ，（） is), and calling
    `_canonical_char` per character cost most of the match stage; translate with this table does
    the same folding at C speed once a character has been seen."""

    def __missing__(self, code: int) -> str:
        if len(self) > 1 << 16:  # a text of every code point must not grow the table without bound
            self.clear()
        folded = self[code] = _canonical_char(chr(code))
        return folded


_FOLD = _FoldTable()


def normalize(text: str) -> Normalized:
    """Canonical form of `text` for matching, with the offset map."""
    simplified = to_simplified(text)
    if unicodedata.is_normalized("NFKC", simplified):
        # the common case: a one-to-one translation, so offsets are the identity
        canonical = simplified.translate(_CANONICAL_TABLE)
        origin: Sequence[int] = range(len(canonical))  # a range, not an array: built for every clause
    elif len(canonical := simplified.translate(_FOLD)) == len(simplified):
        # NFKC never folds a character to nothing, so an unchanged length means every character
        # folded to exactly one: offsets are the identity here too
        origin = range(len(canonical))
    else:
        pieces: list[str] = []
        mapped = array("q")  # 8 bytes a character: a 10-million-character text fits
        for i, ch in enumerate(simplified):
            folded = _FOLD[ord(ch)]  # the characters the fast path above has already folded
            pieces.append(folded)
            mapped.extend([i] * len(folded))
        origin = mapped
        canonical = "".join(pieces)
    return _fold_whitespace(canonical, origin, len(text))


def normalize_many(texts: Sequence[str]) -> list[Normalized]:
    """`[normalize(t) for t in texts]`, with the character conversions done once over all of them.

    A contract's clauses are short (about 40 characters), so calling OpenCC and `str.translate`
    per clause cost more in call overhead than in conversion. Joined by line breaks (which no
    OpenCC phrase spans and which fold to a space like any other), the texts are
    converted in one go and sliced apart; when a conversion changes any length the slices would
    not line up, so each text is normalised on its own instead.
    """
    joined = "\n".join(texts)
    folded = to_simplified(joined).translate(_FOLD)
    if len(folded) != len(joined):
        return [normalize(t) for t in texts]
    out: list[Normalized] = []
    start = 0
    for text in texts:
        end = start + len(text)
        if end < len(folded) and folded[end] != " ":  # the line break between two texts, folded
            return [normalize(t) for t in texts]
        out.append(_fold_whitespace(folded[start:end], range(len(text)), len(text)))
        start = end + 1
    return out


def _fold_whitespace(canonical: str, origin: Sequence[int], original_length: int) -> Normalized:
    """Drop space runs next to CJK, fold the others to one space; slices keep this linear."""
    if " " not in canonical:
        return Normalized(canonical, origin, original_length)
    out: list[str] = []
    out_origin = array("q")
    last = 0
    for m in _SPACES.finditer(canonical):
        start, end = m.span()
        out.append(canonical[last:start])
        out_origin.extend(origin[last:start])
        before = canonical[start - 1] if start > 0 else ""
        after = canonical[end] if end < len(canonical) else ""
        if before and after and not (is_cjk(before) or is_cjk(after)):
            out.append(" ")
            out_origin.append(origin[start])
        last = end
    out.append(canonical[last:])
    out_origin.extend(origin[last:])
    return Normalized("".join(out), out_origin, original_length)


SENTENCE_END = re.compile(r"[。！？；]")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of normalised text; each span includes its closing mark."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if m.end() > start:
            spans.append((start, m.end()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans
