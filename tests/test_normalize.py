from hypothesis import given, settings
from hypothesis import strategies as st

from clause_audit.normalize import Normalized, normalize, normalize_many, sentence_spans, to_simplified


def test_fullwidth_traditional_and_punctuation_fold_to_one_form():
    assert (
        normalize("本卡最終解釋權歸本店所有（見第３條）, 違約金５０％").text
        == "本卡最终解释权归本店所有（见第3条），违约金50%"
    )


def test_spaces_between_cjk_are_removed_and_latin_spaces_kept():
    assert normalize("本 合 同 的 最 终 解 释 权").text == "本合同的最终解释权"
    assert normalize("VIP  card  金卡").text == "VIP card金卡"


def test_line_breaks_inside_a_word_vanish_and_sentences_end_at_punctuation():
    norm = normalize("概不退\n款。余额\r\n作废；VIP\ncard")
    assert norm.text == "概不退款。余额作废；VIP card"
    assert sentence_spans(norm.text) == [(0, 5), (5, 10), (10, 18)]


def test_offsets_map_back_to_the_verbatim_original():
    original = "第八條　本卡一經售出，概 不 退 款。"
    norm = normalize(original)
    start = norm.text.index("概不退款")
    s, e = norm.to_original(start, start + 4)
    assert original[s:e] == "概 不 退 款"
    s, e = norm.to_original(norm.text.index("一经售出"), norm.text.index("一经售出") + 4)
    assert original[s:e] == "一經售出"


def test_traditional_conversion_keeps_length():
    text = "合約 最終解釋權 訂金 乾淨 裡面 頭髮"
    assert len(to_simplified(text)) == len(text)


_ALPHABET = st.sampled_from(list("本卡概不退款最終解釋權歸甲方乙方０１２３５％（）, ;:\n\u3000 　abcXYZ0123①㎡"))


def _as_tuple(norm: Normalized) -> tuple[str, list[int], int]:
    return norm.text, list(norm.origin), norm.original_length


def test_normalising_many_texts_at_once_gives_each_text_its_own_normal_form():
    texts = ["第一條 本卡概不退款。 ", " 乙方（會員）", "", "Fee: 30 %\n", "最 終 解 釋 權"]
    many = normalize_many(texts)
    assert [_as_tuple(n) for n in many] == [_as_tuple(normalize(t)) for t in texts]
    assert many[0].text == "第一条本卡概不退款。"  # the trailing space does not run into the next text
    assert many[3].text == "Fee：30 %"


def test_normalising_many_falls_back_text_by_text_when_a_character_folds_to_two():
    texts = ["面积100㎡，", "押金２０％"]  # ㎡ folds to "m2": later slices would no longer line up
    many = normalize_many(texts)
    assert [_as_tuple(n) for n in many] == [_as_tuple(normalize(t)) for t in texts]
    assert many[0].text == "面积100m2，" and many[1].text == "押金20%"


@given(st.lists(st.one_of(st.lists(_ALPHABET, max_size=30).map("".join), st.text(max_size=30)), max_size=8))
def test_normalising_many_equals_normalising_each(texts):
    assert [_as_tuple(n) for n in normalize_many(texts)] == [_as_tuple(normalize(t)) for t in texts]


@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_every_normalised_character_comes_from_its_original(text):
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert list(norm.origin) == sorted(norm.origin)
    for i, ch in enumerate(norm.text):
        source = text[norm.origin[i]]
        if ch == " ":
            assert source.isspace()
        else:
            assert ch in normalize(source).text


@given(st.lists(_ALPHABET, max_size=60).map("".join), st.data())
def test_any_normalised_span_maps_to_an_original_span_whose_normal_form_contains_it(text, data):
    norm = normalize(text)
    if not norm.text:
        return
    start = data.draw(st.integers(0, len(norm.text) - 1))
    end = data.draw(st.integers(start + 1, len(norm.text)))
    s, e = norm.to_original(start, end)
    assert 0 <= s < e <= len(text)
    want = norm.text[start:end].strip()
    assert want in normalize(text[s:e]).text or not want


# Control characters, NUL, NFKC expansions (㎡ → m2, ﬁ → fi, ½ → 1⁄2), combining marks, characters
# outside the BMP and Traditional forms: whatever a reader hands over.
_HOSTILE = st.sampled_from(
    list("概不退款最終解釋權本店所有甲乙，。；：（）\x00\x01\x07\x0b\x0c\x1b\x7f\u200b\ufeff㎡ﬁ½⑩ｶﾞé\u0301")
    + ["\U00020000", "\U0001f600", "\r\n", "\t", " ", "\u3000"]
)


@given(st.lists(_HOSTILE, max_size=80).map("".join))
def test_offset_map_is_total_and_ordered_on_hostile_text(text):
    norm = normalize(text)
    assert len(norm.origin) == len(norm.text)
    assert all(0 <= o < len(text) for o in norm.origin)
    assert list(norm.origin) == sorted(norm.origin)


@given(st.text(max_size=200), st.data())
def test_any_span_of_any_text_maps_inside_the_original(text, data):
    norm = normalize(text)
    start = data.draw(st.integers(0, len(norm.text)))
    end = data.draw(st.integers(start, len(norm.text)))
    s, e = norm.to_original(start, end)
    assert 0 <= s <= e <= len(text)
    if start < end:
        assert s < e


@settings(deadline=None)
@given(
    st.lists(
        st.lists(_HOSTILE | st.sampled_from(["最终解释权归本店所有", "一经售出概不退款", "第一条 "]), max_size=12).map(
            "".join
        ),
        min_size=1,
        max_size=6,
    )
)
def test_every_finding_quotes_its_clause_verbatim_at_its_offsets(lines):
    from clause_audit.model import Block, Document, Location
    from clause_audit.pipeline import audit_document

    blocks = tuple(Block(text=t, location=Location(paragraph=i)) for i, t in enumerate(lines) if t.strip())
    if not blocks:
        return
    report = audit_document(Document(source="fuzz.txt", format="text", blocks=blocks))
    for f in report.findings:
        if f.clause_index is None:
            continue
        clause = report.clauses[f.clause_index]
        assert f.start is not None and f.end is not None and 0 <= f.start < f.end <= len(clause.text)
        assert clause.text[f.start : f.end] == f.quote
