"""Grouping near-duplicate clauses and anonymising merchant names, on texts whose answer we know."""

import pytest

from clause_audit.bulletin.anonymize import Redactor, business_type, name_core, name_forms
from clause_audit.bulletin.grouping import THRESHOLD, jaccard, problem_sentence, tokens

# (clause, quote) pairs under one rule. SAME: paraphrases a bulletin should show as one item;
# DIFFERENT: clauses that break the same rule in a different way, which should stay separate items.
SAME = [
    ("本卡一经售出，概不退款，不得转让。", "概不退款", "会员卡售出后概不退款，亦不得转让他人。", "概不退款"),
    ("本合同最终解释权归甲方所有。", "最终解释权归甲方", "本协议的最终解释权归本公司所有。", "最终解释权归本公司"),
    (
        "乙方在健身过程中发生扭伤、摔伤等一切意外，均由乙方本人负责，甲方不承担任何责任。",
        "均由乙方本人负责",
        "会员在训练期间发生的摔伤、扭伤等任何意外伤害，由会员自行负责，本中心不承担责任。",
        "由会员自行负责",
    ),
    (
        "有效期届满后卡内未消费的余额自动清零，不予退还。",
        "自动清零",
        "会员卡有效期满后，卡内剩余金额自动清零，不退还。",
        "自动清零",
    ),
    (
        "甲方有权根据经营情况调整服务项目价格，乙方应按调整后的价格支付。",
        "甲方有权根据经营情况调整服务项目价格",
        "本店有权根据成本变化调整服务价格，顾客须按调整后的价格消费。",
        "本店有权根据成本变化调整服务价格",
    ),
    (
        "车辆离店后出现的任何故障、质量问题均与甲方无关。",
        "均与甲方无关",
        "买方提车离店后车辆出现的任何质量问题和故障，均与卖方无关。",
        "均与卖方无关",
    ),
    (
        "乙方不得在微博、点评网站等平台发布负面评价。",
        "不得在微博、点评网站等平台发布负面评价",
        "学员不得擅自在网络平台、微博发布对本校的负面评价。",
        "不得擅自在网络平台、微博发布对本校的负面评价",
    ),
    (
        "乙方要求退卡的，扣除剩余本金30%作为手续费。",
        "扣除剩余本金30%作为手续费",
        "会员申请退卡的，须扣除卡内剩余金额的百分之三十作为手续费。",
        "扣除卡内剩余金额的百分之三十作为手续费",
    ),
    (
        "学员报名后因个人原因退学的，所交费用概不退还。",
        "所交费用概不退还",
        "报名缴费后，学员因自身原因退学的，已交费用一律不予退还。",
        "已交费用一律不予退还",
    ),
    (
        "甲方因任何原因未能按期交车的，乙方同意交车时间相应顺延，甲方不承担违约责任。",
        "甲方不承担违约责任",
        "卖方因任何原因不能按约定日期交付车辆的，交车日期顺延，卖方不承担任何违约责任。",
        "卖方不承担任何违约责任",
    ),
    # a long article sharing only its problem sentence with a shorter one
    (
        "会员卡自开卡之日起生效。会员应妥善保管会员卡，遗失应及时挂失。本卡一经售出，概不退款。会员可携带一名亲友体验一次。",
        "概不退款",
        "会员须遵守场馆规章制度，爱护器材。本卡一经售出概不退款。营业时间为每日九时至二十二时，节假日另行公告。",
        "概不退款",
    ),
    (
        "乙方的个人信息，甲方可提供给合作的保险、金融机构用于营销。",
        "提供给合作的保险、金融机构",
        "甲方有权将乙方的姓名、电话等个人信息提供给甲方合作的金融、保险机构。",
        "提供给甲方合作的金融、保险机构",
    ),
]
DIFFERENT = [
    ("本卡一经售出，概不退款。", "概不退款", "乙方中途停止训练的，所付费用不予退还。", "不予退还"),
    (
        "甲方有权根据经营情况调整营业时间和课程安排。",
        "甲方有权根据经营情况调整",
        "成交价格最终以提车当日甲方确认的价格为准。",
        "最终以提车当日甲方确认的价格为准",
    ),
    (
        "乙方在健身过程中发生的一切意外均由乙方本人负责。",
        "均由乙方本人负责",
        "美容护理后出现的过敏、红肿等不良反应，均属个人体质原因，甲方不承担责任。",
        "均属个人体质原因，甲方不承担责任",
    ),
    (
        "存放在更衣柜内的现金、手机等物品丢失，本公司一概不负责。",
        "本公司一概不负责",
        "衣物洗涤后出现褪色、缩水、起球等情况，本店概不负责。",
        "本店概不负责",
    ),
    ("本合同最终解释权归甲方所有。", "最终解释权归甲方", "本店对价目表及优惠活动保留最终解释权。", "保留最终解释权"),
    (
        "有效期届满后卡内未消费的余额自动清零。",
        "自动清零",
        "私教课须在十二个月内上完，逾期未上完的剩余课时自动作废。",
        "自动作废",
    ),
    (
        "乙方不得向新闻媒体或者网络平台投诉。",
        "不得向新闻媒体或者网络平台投诉",
        "因本合同发生的争议，由甲方所在地人民法院管辖。",
        "由甲方所在地人民法院管辖",
    ),
    (
        "甲方有权根据原材料及人工成本变化调整服务项目价格。",
        "甲方有权根据原材料及人工成本变化调整服务项目价格",
        "价格如有变动，以店内最新价目表为准。",
        "价格如有变动，以店内最新价目表为准",
    ),
    (
        "乙方要求退卡的，另收取卡内剩余本金30%的手续费。",
        "另收取卡内剩余本金30%的手续费",
        "乙方违约的，应按成交价20%支付违约金。",
        "成交价20%支付违约金",
    ),
    (
        "学员须在甲方指定的医院体检，并统一购买学习用品。",
        "须在甲方指定的医院体检",
        "乙方须通过甲方指定的合作金融机构办理贷款。",
        "须通过甲方指定的合作金融机构",
    ),
    ("课时仅限学员本人使用，不得转让。", "不得转让", "合同签订后乙方不得单方解除。", "不得单方解除"),
    (
        "乙方提车离场后提出的任何车况异议，甲方均不予受理。",
        "甲方均不予受理",
        "乙方三日内未以书面形式提出异议的，视为认可车况。",
        "视为认可车况",
    ),
]


def _similarity(a: str, qa: str, b: str, qb: str) -> float:
    return jaccard(tokens(problem_sentence(a, qa)), tokens(problem_sentence(b, qb)))


@pytest.mark.parametrize("pair", SAME, ids=[p[1] for p in SAME])
def test_paraphrases_reach_the_threshold(pair):
    assert _similarity(*pair) >= THRESHOLD


@pytest.mark.parametrize("pair", DIFFERENT, ids=[p[1] for p in DIFFERENT])
def test_different_clauses_stay_below_the_threshold(pair):
    assert _similarity(*pair) < THRESHOLD


def test_threshold_leaves_a_margin_on_both_sides():
    same = min(_similarity(*p) for p in SAME)
    different = max(_similarity(*p) for p in DIFFERENT)
    assert same - THRESHOLD >= 0.04 and THRESHOLD - different >= 0.04, (same, different)


def test_tokens_drop_punctuation_numbers_party_words_and_merchant_names():
    redactor = Redactor([("安顺达机动车驾驶员培训有限公司", "training")])
    got = tokens("最终解释权归安顺达驾校所有，甲方收取30%费用。", redactor)
    assert "解释权" in got and "费用" in got
    assert not got & {"安顺达", "驾校", "30", "%", "，", "。", "甲方"}


def test_problem_sentence_is_the_sentence_holding_the_quote():
    text = "会员卡自开卡之日起生效。本卡一经售出，概不退款。节假日另行公告。"
    assert problem_sentence(text, "概不退款") == "本卡一经售出，概不退款。"
    assert problem_sentence(text, "不在其中") == text


@pytest.mark.parametrize(
    ("name", "domain", "kind", "core"),
    [
        ("星城力健健身有限公司", "prepaid", "某健身公司", "星城力健"),
        ("悦颜坊美容美发有限公司", "prepaid", "某美容美发店", "悦颜坊"),
        ("小王干洗店", "prepaid", "某洗衣店", "小王"),
        ("安顺达机动车驾驶员培训有限公司", "training", "某驾校", "安顺达"),
        ("青苗艺术培训学校有限公司", "training", "某培训机构", "青苗"),
        ("博学教育科技有限公司", "training", "某培训机构", "博学"),
        ("恒通优选二手车销售有限公司", "used_car", "某二手车经销公司", "恒通优选"),
        ("车易达二手车经纪有限公司", "used_car", "某二手车经纪公司", "车易达"),
        ("杭州宏达汽车销售服务有限公司", "used_car", "某二手车经销公司", "宏达"),
        ("北京市朝阳区金色年华商行", "general", "某经营者", "金色年华"),
    ],
)
def test_business_type_and_core(name, domain, kind, core):
    assert business_type(name, domain) == kind
    assert name_core(name) == core
    assert name in name_forms(name) and core in name_forms(name)


def test_redactor_replaces_full_names_short_forms_and_spaced_names():
    redactor = Redactor([("安顺达机动车驾驶员培训有限公司", "training"), ("星城力健健身有限公司", "prepaid")])
    text = "最终解释权归安顺达驾校所有；安 顺 达公司与星城力健健身会所、安顺达机动车驾驶员培训有限公司无关。"
    out = redactor.redact(text)
    assert "安" not in out and "顺达" not in out and "星城" not in out and "力健" not in out
    assert out == "最终解释权归某驾校所有；某驾校与某健身公司、某驾校无关。"


def test_redact_span_keeps_the_quote_on_the_redacted_text():
    redactor = Redactor([("安顺达机动车驾驶员培训有限公司", "training")])
    text = "本收费标准的最终解释权归安顺达驾校所有。"
    start = text.index("最终")
    end = text.index("所有")
    out, s, e = redactor.redact_span(text, start, end)
    assert out[s:e] == "最终解释权归某驾校"
    # a name straddling the end of the quote is replaced whole, inside the quote
    out, s, e = redactor.redact_span(text, start, text.index("顺达"))
    assert out[s:e] == "最终解释权归某驾校" and out[e:] == "所有。"
