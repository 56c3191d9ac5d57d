"""Merchant names out of a public bulletin: a generic description by business type, every form of the name redacted."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# (keywords any of which mark the type, description); the first match wins, so specific before general
_TYPES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("驾校", "驾驶员培训", "驾驶培训", "驾驶学校"), "某驾校"),
    (("二手车经纪", "汽车经纪", "经纪"), "某二手车经纪公司"),
    (("二手车", "旧机动车"), "某二手车经销公司"),
    (("健身", "瑜伽", "体育"), "某健身公司"),
    (("美容美发",), "某美容美发店"),
    (("美发", "理发", "发型"), "某美发店"),
    (("美容", "美甲", "美体", "养生", "spa", "SPA"), "某美容店"),
    (("洗衣", "干洗", "洗涤", "洗护"), "某洗衣店"),
    (("培训", "教育", "学校", "学院", "学堂", "课堂", "艺术"), "某培训机构"),
    (("餐饮", "餐厅", "酒店", "饭店", "酒楼", "火锅", "烘焙", "蛋糕"), "某餐饮企业"),
    (("汽车", "车行", "汽贸"), "某汽车销售公司"),
)
FALLBACK = "某经营者"
# used_car contracts from a plain 汽车 business are second-hand car dealers
_BY_DOMAIN = {"used_car": {"某汽车销售公司": "某二手车经销公司"}}

# Generic words a name is built from after its distinctive core: legal form, then business type.
_ORG_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "分公司", "总公司", "公司", "集团", "合伙企业", "个体工商户")
_GENERIC = (
    *_ORG_FORMS,
    "机动车驾驶员培训", "驾驶员培训", "驾驶培训", "驾驶学校", "驾校",
    "二手车销售", "二手车经纪", "二手车交易", "二手车服务", "二手车", "旧机动车", "汽车销售", "汽车服务",
    "汽车经纪", "汽车贸易", "汽贸", "汽车", "车行", "经纪", "销售", "交易市场", "贸易", "商贸",
    "健身服务", "健身俱乐部", "健身中心", "健身房", "健身", "瑜伽", "体育文化", "体育", "运动",
    "美容美发", "美容美体", "美容", "美发", "美甲", "美体", "理发", "养生", "形象设计", "造型",
    "洗衣", "干洗", "洗涤", "洗护",
    "艺术培训学校", "培训学校", "职业技能培训", "艺术培训", "教育培训", "教育咨询", "教育科技", "培训中心",
    "培训", "教育", "学校", "学院", "艺术", "文化传播", "文化", "科技", "信息技术", "咨询", "管理", "服务",
    "餐饮管理", "餐饮", "餐厅", "酒店", "饭店",
    "俱乐部", "会所", "中心", "工作室", "门店", "店", "馆", "商行", "经营部", "门市部",
)  # fmt: skip
_GENERIC_SORTED = tuple(sorted(set(_GENERIC), key=len, reverse=True))
# a leading place name: 北京市、浙江省杭州市、深圳、朝阳区 …
_REGION = re.compile(r"^(?:[\u4e00-\u9fff]{2,7}?(?:省|自治区|市|自治州|地区|盟|区|县|旗))+")
_CITIES = (
    "北京", "上海", "天津", "重庆", "广州", "深圳", "杭州", "南京", "武汉", "成都", "西安", "苏州", "长沙", "郑州",
    "青岛", "济南", "合肥", "福州", "厦门", "宁波", "沈阳", "大连", "哈尔滨", "长春", "昆明", "南昌", "南宁",
    "贵阳", "太原", "石家庄", "兰州", "海口", "乌鲁木齐", "呼和浩特", "银川", "西宁", "拉萨", "无锡", "佛山",
    "东莞", "珠海", "温州", "中国",
)  # fmt: skip
_BRACKETS = re.compile(r"[（(][^）)]{0,12}[）)]")
_SPACE = re.compile(r"\s+")
_MIN_CORE = 2


def business_type(name: str, domain: str = "") -> str:
    """A generic description of a merchant from its name: 某健身公司, 某驾校 … or 某经营者."""
    for keywords, description in _TYPES:
        if any(k in name for k in keywords):
            return _BY_DOMAIN.get(domain, {}).get(description, description)
    return FALLBACK


def name_core(name: str) -> str:
    """The distinctive part of a business name: 安顺达机动车驾驶员培训有限公司 → 安顺达; "" if nothing is left."""
    core = _BRACKETS.sub("", _SPACE.sub("", name))
    core = _strip_region(core)
    changed = True
    while changed:
        changed = False
        for word in _GENERIC_SORTED:
            if core.endswith(word) and len(core) > len(word):
                core = core[: -len(word)]
                changed = True
                break
    return core if len(core) >= _MIN_CORE and core not in _GENERIC else ""


def name_forms(name: str) -> tuple[str, ...]:
    """Every form of a name to redact, longest first: the full name, without brackets or place, and its core."""
    full = _SPACE.sub("", name)
    if not full:
        return ()
    forms = {full, _BRACKETS.sub("", full)}
    forms |= {_strip_region(f) for f in list(forms)}
    core = name_core(name)
    if core:
        forms.add(core)
    return tuple(sorted((f for f in forms if len(f) >= _MIN_CORE), key=len, reverse=True))


def _strip_region(name: str) -> str:
    stripped = _REGION.sub("", name)
    for city in _CITIES:
        if stripped.startswith(city) and len(stripped) > len(city) + 1:
            stripped = stripped[len(city) :]
            break
    return stripped if len(stripped) >= _MIN_CORE else name


@dataclass(frozen=True)
class Redaction:
    """A span of the original text replaced: text[start:end] → replacement."""

    start: int
    end: int
    replacement: str


class Redactor:
    """Replaces every form of the given merchants' names (with any generic words after it) by its description.

    A name written with blanks between its characters, as PDF text often is, is found too.
    """

    def __init__(self, merchants: Iterable[tuple[str, str]]) -> None:
        """`merchants`: (name, domain) pairs; names that are empty or have no usable form are ignored."""
        self.descriptions: dict[str, str] = {}
        alternatives: list[tuple[str, str]] = []
        for name, domain in merchants:
            forms = name_forms(name)
            if not forms or name in self.descriptions:
                continue
            self.descriptions[name] = business_type(name, domain)
            alternatives += [(form, self.descriptions[name]) for form in forms]
        alternatives.sort(key=lambda a: len(a[0]), reverse=True)
        self._replacement = {_loose_key(form): desc for form, desc in alternatives}
        self._pattern: re.Pattern[str] | None = None
        if alternatives:
            names = "|".join(_loose(form) for form, _ in alternatives)
            generic = "|".join(_loose(word) for word in _GENERIC_SORTED)
            self._pattern = re.compile(f"(?P<name>{names})(?:\\s*(?:{generic}))*")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.descriptions)

    def describe(self, name: str, domain: str = "") -> str:
        """The generic description that stands for `name` in the bulletin."""
        return self.descriptions.get(name) or business_type(name, domain)

    def redactions(self, text: str) -> list[Redaction]:
        if self._pattern is None:
            return []
        out = []
        for m in self._pattern.finditer(text):
            key = _loose_key(m.group("name"))
            out.append(Redaction(m.start(), m.end(), self._replacement.get(key, FALLBACK)))
        return out

    def redact(self, text: str) -> str:
        """`text` with every merchant name replaced by its description."""
        return self.redact_span(text, 0, 0)[0]

    def redact_span(self, text: str, start: int, end: int) -> tuple[str, int, int]:
        """Redact `text` and carry the span [start, end) over; a name overlapping the span is replaced whole,
        inside the span."""
        parts: list[str] = []
        pos, new_start, new_end = 0, start, end
        shift = 0
        for r in self.redactions(text):
            parts.append(text[pos : r.start])
            parts.append(r.replacement)
            delta = len(r.replacement) - (r.end - r.start)
            if r.end <= start:
                new_start += delta
                new_end += delta
            elif r.start < end:  # overlaps the span: the span grows to cover the replacement
                if r.start < start:
                    new_start = r.start + shift
                new_end = max(new_end + delta, r.start + shift + len(r.replacement))
            shift += delta
            pos = r.end
        parts.append(text[pos:])
        return "".join(parts), new_start, new_end


def _loose(word: str) -> str:
    """A pattern for `word` that allows blanks between its characters."""
    return r"\s*".join(re.escape(ch) for ch in word)


def _loose_key(text: str) -> str:
    return _SPACE.sub("", text)
