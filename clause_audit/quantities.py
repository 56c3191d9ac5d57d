"""Quantities in normalised contract text: percentages, money, durations, lesson hours, distances.

Numbers come in Arabic digits (30%, 3.5万元) and Chinese numerals, ordinary or financial
(百分之三十, 三成, 三个月, 六十课时, 伍仟元). Spans are found with one regex and the numerals
converted with cn2an, so offsets stay exact.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

UNITS = ("percent", "money", "months", "hours", "km")

_CN_DIGITS = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬点"
# 6,400 becomes 6，400 in normalised text: comma groups of three digits are thousands, not a list
_DIGITS = r"(?:\d{1,3}(?:，\d{3})+(?!\d)|\d+)(?:\.\d+)?"
_NUM = rf"(?:{_DIGITS}(?:[万千百])?|[{_CN_DIGITS}]+)"

_QUANTITY = re.compile(
    rf"(?P<pct_cn>百分之(?P<pct_cn_n>{_NUM}))"
    rf"|(?P<pct_n>\d+(?:\.\d+)?)\s?%"
    rf"|(?P<cheng_n>[一二三四五六七八九十\d](?:\.\d)?)成(?![年人本立功交])"
    rf"|(?P<half>一半|半数)"
    rf"|(?P<half_period>半年|半个月)"
    rf"|(?P<n>{_NUM})\s?(?P<unit>万元|千元|元|块钱|个月|月|年|周|星期|个工作日|工作日|日|天|个小时|小时|课时|学时|节课|次课|万公里|公里|km)"
    # 车价6.5万, 2万定金, 付了3千: digits and 万 or 千 with no unit after are money in speech
    rf"|(?P<bare_n>{_DIGITS})(?P<bare_unit>[万千])(?![\d万千百元块公里米克人次个件台辆户份名字张平方])"
)

# Calendar dates are not durations: 2025年12月31日 says when, not how long.
_DATE = re.compile(
    rf"(?:\d{{4}}|[{_CN_DIGITS}]{{4}})\s?年(?:\s?{_NUM}\s?月(?:\s?{_NUM}\s?[日号])?)?|{_NUM}\s?月\s?{_NUM}\s?[日号]"
)

# months per unit; days count as 1/30 month, a week 7/30
# a working day counts as 7/5 calendar days: 15 working days ≈ 3 weeks
_DURATION = {
    "个月": 1.0, "月": 1.0, "年": 12.0, "周": 7 / 30, "星期": 7 / 30, "日": 1 / 30, "天": 1 / 30,
    "个工作日": 7 / 5 / 30, "工作日": 7 / 5 / 30, "个小时": 1 / 720, "小时": 1 / 720,
}  # fmt: skip
_MONEY = {"元": 1.0, "块钱": 1.0, "千元": 1000.0, "万元": 10000.0}
_HOURS = ("课时", "学时", "节课", "次课")
_KM = {"公里": 1.0, "km": 1.0, "万公里": 10000.0}


@dataclass(frozen=True)
class Quantity:
    value: float  # percent as a percentage (30 for 30%), money in yuan, durations in months
    unit: str
    start: int
    end: int


def parse_number(numeral: str) -> float | None:
    """A numeral in digits or Chinese (大写 included) as a float; None when it is not one."""
    numeral = numeral.replace("，", "") if numeral[:1].isdigit() else numeral
    try:
        return float(numeral)
    except ValueError:
        pass
    if numeral[-1] in "万千百" and numeral[:-1].replace(".", "", 1).isdigit():
        return float(numeral[:-1]) * {"万": 10000, "千": 1000, "百": 100}[numeral[-1]]
    return _parse_chinese(numeral)


@lru_cache(maxsize=4096)
def _parse_chinese(numeral: str) -> float | None:
    import cn2an  # imported on first use: it costs ~0.2 s

    try:
        return float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def find_quantities(text: str) -> list[Quantity]:
    """Every quantity with a recognised unit in normalised `text`, in order."""
    date_ends = []
    date_starts = []
    for d in _DATE.finditer(text):  # non-overlapping and in order, so both lists are sorted
        date_starts.append(d.start())
        date_ends.append(d.end())
    found: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        i = bisect_right(date_ends, m.start())  # the first date ending after the match starts
        if i < len(date_starts) and date_starts[i] < m.end():
            continue
        q = _quantity(m)
        if q is not None:
            found.append(q)
    return found


def _quantity(m: re.Match[str]) -> Quantity | None:
    if m["pct_cn"]:
        value = parse_number(m["pct_cn_n"])
        unit = "percent"
    elif m["pct_n"]:
        value = float(m["pct_n"])
        unit = "percent"
    elif m["half"]:
        value, unit = 50.0, "percent"
    elif m["half_period"]:
        value, unit = (6.0 if m["half_period"] == "半年" else 0.5), "months"
    elif m["bare_n"]:
        value = float(m["bare_n"].replace("，", "")) * (10000.0 if m["bare_unit"] == "万" else 1000.0)
        unit = "money"
    elif m["cheng_n"]:
        n = parse_number(m["cheng_n"])
        value = None if n is None else n * 10
        unit = "percent"
    else:
        n = parse_number(m["n"])
        word = m["unit"]
        if n is None:
            return None
        if word in _MONEY:
            value, unit = n * _MONEY[word], "money"
        elif word in _DURATION:
            value, unit = n * _DURATION[word], "months"
        elif word in _HOURS:
            value, unit = n, "hours"
        else:
            value, unit = n * _KM[word], "km"
    if value is None:
        return None
    return Quantity(round(value, 6), unit, m.start(), m.end())
