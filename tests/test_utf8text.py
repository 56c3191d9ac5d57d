"""Utf8Text: character ↔ byte offsets for searching RE2 on bytes, short texts and long ones."""

import pytest
import re2

from clause_audit.matchers import compile_match
from clause_audit.parties import DEFAULT_PARTIES
from clause_audit.ruleschema import MatchSpec, NearSpec
from clause_audit.utf8text import Utf8Text

MIXED = "A卡é😀，概不退款。"  # 1-, 3-, 2- and 4-byte characters


@pytest.mark.parametrize("text", ["abc", MIXED, MIXED * 200])  # * 200: the table path
def test_every_boundary_round_trips(text: str) -> None:
    u = Utf8Text(text)
    for i in range(len(text) + 1):
        b = u.byte(i)
        assert b == len(text[:i].encode())
        assert u.char(b) == i


def test_a_byte_match_maps_back_to_the_characters_it_covers() -> None:
    u = Utf8Text(MIXED * 200)
    pattern = re2.compile("概不退款".encode())
    matches = list(pattern.finditer(u.data, u.byte(600), u.byte(len(u.text))))
    spans = [(u.char(m.start()), u.char(m.end())) for m in matches]
    assert spans == [(i, i + 4) for i in range(605, len(u.text), len(MIXED))]
    assert all(u.text[a:b] == "概不退款" for a, b in spans)


def test_find_reports_character_offsets_within_a_scope() -> None:
    matcher = compile_match(MatchSpec(any=("概不退款",), unless=("但.{0,6}除外",)))
    text = "😀本卡售出，概不退款。但因甲方原因除外。概不退款。"
    second_sentence = (text.index("但"), len(text))
    assert matcher.find(text, (0, len(text)), [], DEFAULT_PARTIES) is None  # unless in scope
    assert matcher.find(text, (0, second_sentence[0]), [], DEFAULT_PARTIES) == (6, 10)
    assert text[6:10] == "概不退款"


def test_near_windows_count_characters_not_bytes() -> None:
    text = "押金😀😀概不退款"  # 押金 ends 2 characters (8 bytes) before the anchor

    def near(within: int) -> tuple[int, int] | None:
        spec = MatchSpec(any=["概不退款"], near=[NearSpec(pattern="押金", within=within)])
        return compile_match(spec).find(text, (0, len(text)), [], DEFAULT_PARTIES)

    assert near(3) is None
    assert near(4) == (4, 8)
