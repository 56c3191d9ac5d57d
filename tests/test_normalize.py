from hypothesis import given
from hypothesis import strategies as st

from clause_audit.normalize import normalize, sentence_spans, to_simplified


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
