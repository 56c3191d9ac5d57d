import textwrap

import pytest

from clause_audit.clauses import split_clauses
from clause_audit.engine import find_problems
from clause_audit.model import Block, Document, Location
from clause_audit.parties import find_parties
from clause_audit.rulebook import load_rulebook

RULES = """\
domain: general
rules:
  - id: general/t-consumer-no-refund
    title: 限制消费者退款
    category: restrict_termination
    severity: high
    match:
      any: ['{consumer}[^。；]{0,6}(不得|无权)[^。；]{0,6}(要求)?(退款|退费)']
      unless: ['法律另有规定']
    message: 排除消费者请求退款的权利。
    legal_basis: [CAS-8]
    suggestion: 乙方有权要求退款。
    examples:
      unfair: ['[[乙方不得要求退款]]。']
      fair: ['甲方不得拒绝退款。']
  - id: general/t-deposit
    title: 定金过高
    category: excessive_penalty
    severity: high
    match:
      any: ['定金']
      number: {unit: percent, above: 20, within: 12, basis: CC-586}
    message: 定金超过主合同标的额的百分之二十。
    legal_basis: [CC-586]
    suggestion: 定金不超过车价的20%。
    examples:
      unfair: ['[[定金为车价的30%]]。']
      fair: ['定金为车价的20%。']
  - id: general/t-refund-near-card
    title: 卡不退
    category: restrict_termination
    severity: medium
    match:
      any: ['概不退(款|还)']
      near: [{pattern: '卡', within: 8}]
      unless: [{pattern: '但因{merchant}', within: 30}]
    message: 会员卡概不退款。
    legal_basis: [PPI-9]
    suggestion: 按剩余次数退款。
    examples:
      unfair: ['本卡[[概不退款]]。']
      fair: ['货物概不退款。']
  - id: general/t-k12-hours
    title: 校外培训预收课时超限
    category: prepayment_cap
    severity: medium
    match:
      any: ['一次性(缴纳|支付)']
      number: {unit: hours, above: 60, within: 12, basis: OST-PREPAY}
      context: ['小学|初中|年级|学生']
    message: 面向中小学生的校外培训不得一次性收取超过60课时的费用。
    legal_basis: [OST-PREPAY]
    suggestion: 每次收费不超过60课时。
    examples:
      unfair: ['四年级学员[[一次性缴纳96课时]]费用。']
      fair: ['学员一次性缴纳96课时费用。']
  - id: general/t-missing-refund
    title: 缺少退款方式
    category: missing_term
    severity: medium
    document:
      requires: ['退款方式|退还方式']
      min_clauses: 3
    message: 合同没有约定预付款退还方式。
    legal_basis: [CPLR-22]
    suggestion: 增加退款方式条款。
    examples:
      unfair: ['本合同一式两份。']
      fair: ['退款方式：原路退回。']
"""


@pytest.fixture(scope="module")
def rules(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rules")
    (folder / "t.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    return list(load_rulebook([folder]).rules)


def _run(rules, *lines, domain="general"):
    doc = Document("t.txt", "text", tuple(Block(t, Location(paragraph=i)) for i, t in enumerate(lines)))
    clauses = split_clauses(doc)
    findings, errors = find_problems(clauses, rules, find_parties(clauses), domain)
    assert errors == []
    return clauses, findings


def test_consumer_restriction_flagged_merchant_duty_not(rules):
    clauses, findings = _run(rules, "第一条 乙方不得要求退款。", "第二条 甲方不得拒绝退款。")
    assert [(f.rule_id, f.clause_index, f.quote, f.clause_number) for f in findings] == [
        ("general/t-consumer-no-refund", 0, "乙方不得要求退款", "第一条")
    ]
    f = findings[0]
    assert clauses[0].text[f.start : f.end] == f.quote


def test_roles_follow_the_parties_block(rules):
    _, findings = _run(
        rules,
        "甲方（买方）：李某",
        "乙方（卖方）：某车行有限公司",
        "第一条 甲方不得要求退款。",
        "第二条 乙方不得要求退款。",
    )
    assert [f.clause_number for f in findings if f.rule_id == "general/t-consumer-no-refund"] == ["第一条"]


def test_a_role_note_after_the_party_word_is_read_through(rules):
    _, findings = _run(
        rules,
        "第一条 乙方（会员、持卡人）不得要求退款。",
        "第二条 甲方（健身工作室）不得拒绝退款。",
        "第三条 乙方（会员）对课程安排有疑问的，可以要求退款。",
    )
    assert [(f.clause_number, f.quote) for f in findings if f.rule_id == "general/t-consumer-no-refund"] == [
        ("第一条", "乙方（会员、持卡人）不得要求退款")
    ]


def test_an_optional_placeholder_stays_optional_with_its_role_note():
    import re2

    from clause_audit.matchers import _expand
    from clause_audit.parties import DEFAULT_PARTIES

    pattern = re2.compile(_expand("{merchant}?不负责", DEFAULT_PARTIES))
    assert [pattern.search(t) is not None for t in ("不负责", "甲方不负责", "甲方（车行）不负责")] == [True, True, True]
    assert pattern.search("甲方（车行）不负责").group(0) == "甲方（车行）不负责"


def test_one_prefilter_serves_both_namings_of_the_parties(rules):
    from clause_audit import engine

    engine._PREFILTERS.clear()
    _, first = _run(rules, "第一条 乙方不得要求退款。")
    _, swapped = _run(rules, "甲方（买方）：李某", "乙方（卖方）：某车行有限公司", "第一条 甲方不得要求退款。")
    assert [f.quote for f in first] == ["乙方不得要求退款"]
    assert [f.quote for f in swapped if f.clause_index is not None] == ["甲方不得要求退款"]
    assert len(engine._PREFILTERS) == 1


def test_exception_in_the_same_sentence_cancels(rules):
    _, findings = _run(rules, "乙方不得要求退款，法律另有规定的除外。")
    assert findings == []


def test_exception_only_in_another_sentence_does_not_cancel(rules):
    _, findings = _run(rules, "乙方不得要求退款。法律另有规定的，从其规定。")
    assert [f.quote for f in findings] == ["乙方不得要求退款"]


@pytest.mark.parametrize(
    ("text", "quote"),
    [
        ("定金为车价的30%。", "定金为车价的30%"),
        ("定金为车价的百分之二十五。", "定金为车价的百分之二十五"),
        ("乙方支付定金（车价的３０％）。", "定金（车价的３０％"),
        ("定金为车价的20%。", None),
        ("定金为车价的百分之十。", None),
        ("定金伍仟元。", None),
    ],
)
def test_numeric_threshold_both_sides(rules, text, quote):
    clauses, findings = _run([r for r in rules if r.id == "general/t-deposit"], text)
    assert [f.quote for f in findings] == ([quote] if quote else [])


def test_near_and_unless_near(rules):
    only = [r for r in rules if r.id == "general/t-refund-near-card"]
    assert [f.quote for f in _run(only, "本卡售出概不退款。")[1]] == ["概不退款"]
    assert _run(only, "本店商品售出概不退款。")[1] == []
    assert _run(only, "本卡售出概不退款，但因甲方原因停业的除外。")[1] == []


def test_traditional_and_spaced_text_quote_stays_verbatim(rules):
    clauses, findings = _run(rules, "第三條 乙方不 得 要求退款。")
    (f,) = findings
    assert f.quote == "乙方不 得 要求退款"
    assert clauses[0].text[f.start : f.end] == f.quote


def test_findings_in_one_clause_keep_reading_order(rules):
    _, findings = _run(rules, "本卡概不退款，乙方不得要求退款。")
    assert [(f.rule_id, f.start) for f in findings] == [
        ("general/t-refund-near-card", 2),
        ("general/t-consumer-no-refund", 7),
    ]


def test_overlapping_findings_of_one_category_are_reported_once(rules):
    from clause_audit.engine import _deduplicate
    from clause_audit.model import Finding

    def finding(rule_id, severity, start, end):
        return Finding(rule_id, "", "restrict_termination", severity, 0, start, end, "", "", (), "")

    general = finding("general/t-refund-near-card", "medium", 2, 6)
    specific = finding("general/t-consumer-no-refund", "high", 4, 10)
    apart = finding("general/t-refund-near-card", "medium", 20, 24)
    assert _deduplicate([general, specific, apart], rules) == [specific, apart]


def test_missing_term_only_for_long_documents_of_its_domain(rules):
    lines = ["服务合同", "第一条 甲。", "第二条 乙。", "第三条 丙。"]
    _, findings = _run(rules, *lines, domain="general")
    assert [(f.rule_id, f.clause_index, f.quote) for f in findings] == [("general/t-missing-refund", None, "")]
    assert _run(rules, *lines[:2])[1] == []
    assert _run(rules, *lines, "第四条 退款方式：原路退回。")[1] == []


def test_missing_term_not_asked_of_a_shop_notice(rules):
    assert _run(rules, "本店告示", "第一条 甲。", "第二条 乙。", "第三条 丙。")[1] == []
    assert [f.rule_id for f in _run(rules, "甲方（经营者）：某店", "第一条 甲。", "第二条 乙。", "第三条 丙。")[1]] == [
        "general/t-missing-refund"
    ]


def test_a_rule_that_raises_is_recorded_not_fatal(rules, monkeypatch):
    rule = rules[0]

    def boom(*args, **kwargs):
        raise RuntimeError("bad")

    monkeypatch.setattr(type(rule.match), "find", boom)
    doc = Document("t.txt", "text", (Block("乙方不得要求退款。", Location(paragraph=0)),))
    clauses = split_clauses(doc)
    findings, errors = find_problems(clauses, [rule], find_parties(clauses), "general")
    assert findings == [] and [(e.rule_id, e.message) for e in errors] == [(rule.id, "RuntimeError: bad")]


def test_context_looks_at_the_whole_document(rules):
    only = [r for r in rules if r.id == "general/t-k12-hours"]
    header = "学员：孙某某，某某小学四年级"
    clause = "第二条 乙方于签约时一次性缴纳96课时费用共计11520元。"
    assert [f.quote for f in _run(only, header, clause)[1]] == ["一次性缴纳96课时"]
    assert _run(only, "学员：孙某某（成人）", clause)[1] == []


def test_clause_wide_exception(tmp_path):
    rule = textwrap.dedent(
        """\
        domain: general
        rules:
          - id: general/t-deemed
            title: 视为认可
            category: restrict_claims
            severity: medium
            match:
              any: ['视为[^。；]{0,6}认可']
              unless: [{pattern: '但[^。；]{0,20}除外', scope: clause}]
            message: 提车后短期未异议即视为认可车况。
            legal_basis: [CC-621]
            suggestion: 删除该条款。
            examples:
              unfair: ['三日内未提出异议的，[[视为乙方认可]]车况。']
              fair: ['三日内未提出异议的，视为乙方认可车况；但甲方隐瞒车况的除外。']
        """
    )
    (tmp_path / "t.yaml").write_text(rule, encoding="utf-8")
    rules = list(load_rulebook([tmp_path]).rules)
    assert [f.quote for f in _run(rules, "三日内未提出异议的，视为乙方认可车况。")[1]] == ["视为乙方认可"]
    assert _run(rules, "三日内未提出异议的，视为乙方认可车况；但甲方隐瞒车况的除外。")[1] == []
