import pytest

from clause_audit.normalize import normalize
from clause_audit.quantities import find_quantities, parse_number


@pytest.mark.parametrize(
    ("text", "value", "unit", "quote"),
    [
        ("违约金为总价的30%", 30, "percent", "30%"),
        ("违约金为总价的３０％", 30, "percent", "30%"),
        ("扣除百分之三十的手续费", 30, "percent", "百分之三十"),
        ("按三成收取违约金", 30, "percent", "三成"),
        ("有效期三个月", 3, "months", "三个月"),
        ("有效期一年", 12, "months", "一年"),
        ("一次性缴纳60课时", 60, "hours", "60课时"),
        ("一次性缴纳六十课时", 60, "hours", "六十课时"),
        ("人民币伍仟元整", 5000, "money", "伍仟元"),
        ("学费3.5万元", 35000, "money", "3.5万元"),
        ("学费5千元", 5000, "money", "5千元"),
        ("质保5000公里", 5000, "km", "5000公里"),
        ("行驶6万公里以内", 60000, "km", "6万公里"),
        ("扣除总金额的一半作为违约金", 50, "percent", "一半"),
        ("于30个工作日内退款", 1.4, "months", "30个工作日"),
        ("提车后24小时内", 24 / 720, "months", "24小时"),
        ("课程总价6,400元", 6400, "money", "6，400元"),
        ("车款１２，８００．５元", 12800.5, "money", "12，800.5元"),
        ("合计1,200,000元", 1200000, "money", "1，200，000元"),
        ("车才6.5万，您确认下", 65000, "money", "6.5万"),  # colloquial: no 元
        ("交2万定金", 20000, "money", "2万"),
        ("已付3千", 3000, "money", "3千"),
        ("行驶里程不超过6万公里", 60000, "km", "6万公里"),  # a unit after 万 is that unit
        ("学费半年一缴", 6, "months", "半年"),
        ("退款于半个月内到账", 0.5, "months", "半个月"),
    ],
)
def test_quantities_with_units(text, value, unit, quote):
    norm = normalize(text).text
    found = find_quantities(norm)
    assert len(found) == 1
    q = found[0]
    assert (q.value, q.unit, norm[q.start : q.end]) == (pytest.approx(value, abs=1e-5), unit, quote)


def test_a_comma_between_numbers_that_are_not_thousands_separates_them():
    found = find_quantities(normalize("分别支付3,40元和12,5000元").text)
    assert [(q.value, q.unit) for q in found] == [(40, "money"), (5000, "money")]


@pytest.mark.parametrize(
    "text",
    ["一次性付清", "一式两份", "一经售出", "有效期至2025年12月31日", "每年3月1日", "累计服务3万人次", "已有2千名学员"],
)
def test_no_quantity_in_words_and_dates(text):
    assert find_quantities(normalize(text).text) == []


def test_seven_days_is_a_fraction_of_a_month():
    (q,) = find_quantities("七日内退还")
    assert q.unit == "months" and abs(q.value - 7 / 30) < 1e-6


@pytest.mark.parametrize(
    ("numeral", "value"), [("30", 30), ("三十", 30), ("壹万贰仟捌佰", 12800), ("3.5万", 35000), ("x", None)]
)
def test_parse_number(numeral, value):
    assert parse_number(numeral) == value


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.integers(0, 10**12))
def test_arabic_and_chinese_numerals_round_trip(n):
    import cn2an

    assert parse_number(str(n)) == n
    assert parse_number(cn2an.an2cn(n, "low")) == n  # 十二万零四十五
    assert parse_number(cn2an.an2cn(n, "up")) == n  # 壹拾贰万零肆拾伍


@given(st.integers(1, 9999), st.sampled_from(["万", "千", "百"]))
def test_digits_with_a_chinese_multiplier(n, unit):
    assert parse_number(f"{n}{unit}") == n * {"万": 10000, "千": 1000, "百": 100}[unit]


@given(
    st.text(
        alphabet=st.sampled_from(list("零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬点.0123456789")),
        min_size=1,
        max_size=20,
    )
)
def test_parse_number_never_raises_on_numeral_soup(numeral):
    value = parse_number(numeral)
    assert value is None or isinstance(value, float)


_QTEXT = st.lists(
    st.sampled_from(
        [
            "百分之",
            "三十",
            "30",
            "%",
            "成",
            "一半",
            "个月",
            "年",
            "元",
            "万元",
            "课时",
            "公里",
            "2025年",
            "12月",
            "31日",
            "，",
            "违约金",
            "。",
            ".",
            "5",
            "千",
            " ",
        ]
    ),
    max_size=30,
).map("".join)


@given(_QTEXT | st.text(max_size=100))
def test_find_quantities_never_raises_and_spans_are_ordered(text):
    found = find_quantities(text)
    ends = 0
    for q in found:
        assert ends <= q.start < q.end <= len(text)
        ends = q.end
