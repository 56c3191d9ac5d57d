import textwrap
from pathlib import Path

import pytest

from clause_audit.errors import RuleLoadError
from clause_audit.rulebook import load_rulebook

GOOD = """\
domain: prepaid
rules:
  - id: prepaid/test-no-refund
    title: 概不退款
    category: restrict_termination
    severity: high
    match:
      any: ['(概不|一律不)(退款|退费)']
    message: 预付式消费中约定概不退款的格式条款无效。
    legal_basis: [PPI-9(一), CAS-8]
    suggestion: 乙方要求退款的，甲方应退还余额。
    examples:
      unfair: ['本卡[[概不退款]]。']
      fair: ['甲方应退还余额。']
"""


def _load(tmp_path: Path, text: str):
    (tmp_path / "r.yaml").write_text(textwrap.dedent(text), encoding="utf-8")
    return load_rulebook([tmp_path])


def _problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleLoadError) as info:
        _load(tmp_path, text)
    return info.value.problems


def test_good_rule_loads_with_its_line(tmp_path):
    book = _load(tmp_path, GOOD)
    (rule,) = book.rules
    assert (rule.id, rule.info.line, rule.info.domain) == ("prepaid/test-no-refund", 3, "prepaid")
    assert len(book.version) == 12


def test_unknown_legal_basis_names_file_line_and_rule(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("[PPI-9(一), CAS-8]", "[PPI-9(一), XYZ-99]"))
    assert problems == [f"{tmp_path / 'r.yaml'}:10: [prepaid/test-no-refund] 法律依据 XYZ-99 不在法条表中"]


def test_unsafe_pattern_is_refused(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("'(概不|一律不)(退款|退费)'", "'(?=概不)退款'"))
    assert len(problems) == 1
    assert problems[0].startswith(
        f"{tmp_path / 'r.yaml'}:7: [prepaid/test-no-refund] 正则表达式无效或使用了 RE2 不支持的语法"
    )


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (r"'\b退款\b'", "\\b 在中文之间永远不会匹配"),
        ("'退?'", "可以匹配空字符串"),
        ("'{shop}退款'", "未知占位符 {shop}"),
        ("'概不退還'", "「還」在规范化后的文本中不会出现，请写作「还」"),
        ("'退款,概不'", "请写作「，」"),
        ("'违约金\\(总价'", "请写作「（」「）」"),
    ],
)
def test_pattern_lint(tmp_path, pattern, message):
    problems = _problems(tmp_path, GOOD.replace("'(概不|一律不)(退款|退费)'", pattern))
    assert len(problems) == 1 and message in problems[0]


def test_schema_error_names_the_field_line(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("severity: high", "severity: urgent"))
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'r.yaml'}:6: [prepaid/test-no-refund] severity:")


def test_unknown_key_is_an_error(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("    title: 概不退款\n", "    title: 概不退款\n    titel: typo\n"))
    assert len(problems) == 1 and "titel" in problems[0]


def test_broken_yaml_names_the_line(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("    severity: high\n", "    severity: [high\n"))
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'r.yaml'}:") and "YAML 语法错误" in problems[0]


def test_duplicate_id_is_an_error(tmp_path):
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "b.yaml").write_text(GOOD, encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rulebook([tmp_path])
    assert len(info.value.problems) == 1 and "规则 id 重复" in info.value.problems[0]


def test_high_severity_needs_a_verified_basis(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("[PPI-9(一), CAS-8]", "[SUPC-EXPIRY]"))
    assert len(problems) == 1 and "至少需要一条已核实" in problems[0]


def test_unverified_threshold_allows_only_low(tmp_path):
    text = GOOD.replace(
        "      any: ['(概不|一律不)(退款|退费)']",
        "      any: ['质保']\n      number: {unit: months, below: 3, basis: UCTS-WARRANTY}",
    ).replace("本卡[[概不退款]]。", "[[质保1个月]]。")
    problems = _problems(tmp_path, text.replace("severity: high", "severity: medium"))
    assert len(problems) == 1 and "只能是 low 级别" in problems[0]


def test_unfair_example_needs_a_marked_span(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("本卡[[概不退款]]。", "本卡概不退款。"))
    assert len(problems) == 1 and "[[ ]]" in problems[0]


def test_id_prefix_must_match_domain(tmp_path):
    problems = _problems(tmp_path, GOOD.replace("domain: prepaid", "domain: training"))
    assert len(problems) == 1 and "id 前缀应为所在领域 training/" in problems[0]


def test_packaged_library_loads():
    book = load_rulebook()
    assert len(book.rules) >= 1
    assert all(r.info.examples for r in book.rules)


def test_local_folder_overrides_and_disables_packaged_rules(tmp_path, monkeypatch):
    from clause_audit.library import library_dirs, packaged_rules_dir

    local = tmp_path / "local"
    local.mkdir()
    override = GOOD.replace("domain: prepaid", "domain: general").replace(
        "prepaid/test-no-refund", "general/final-interpretation"
    )
    (local / "override.yaml").write_text(override.replace("severity: high", "severity: medium"), encoding="utf-8")
    base = load_rulebook([packaged_rules_dir()])
    book = load_rulebook(library_dirs([local]))
    assert book.get("general/final-interpretation").info.severity == "medium"
    assert [r.id for r in book.rules] == [r.id for r in base.rules]
    assert book.version != base.version

    (local / "override.yaml").write_text("domain: general\ndisable: [general/final-interpretation]\n", encoding="utf-8")
    monkeypatch.setenv("CLAUSE_AUDIT_RULES", str(local))
    book = load_rulebook(library_dirs())
    assert book.get("general/final-interpretation") is None and len(book.rules) == len(base.rules) - 1


def test_disabling_an_unknown_rule_is_an_error(tmp_path):
    from clause_audit.library import library_dirs

    (tmp_path / "x.yaml").write_text("domain: general\ndisable: [general/no-such-rule]\n", encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rulebook(library_dirs([tmp_path]))
    assert info.value.problems == [
        f"{tmp_path / 'x.yaml'}:2: disable 中的规则 general/no-such-rule 不存在于之前的规则目录中"
    ]


def test_number_of_is_only_for_percentages(tmp_path):
    text = GOOD.replace(
        "      any: ['(概不|一律不)(退款|退费)']",
        "      any: ['质保']\n      number: {unit: months, below: 3, basis: CC-586, of: '车价'}",
    ).replace("本卡[[概不退款]]。", "[[质保1个月]]。")
    problems = _problems(tmp_path, text)
    assert len(problems) == 1 and "number.of 只能与 unit: percent 一起使用" in problems[0]


def test_number_of_compares_an_amount_with_the_named_total(tmp_path):
    from clause_audit import audit

    text = GOOD.replace(
        "      any: ['(概不|一律不)(退款|退费)']",
        "      any: ['支付定金']\n"
        "      number: {unit: percent, above: 20, within: 25, basis: CC-586, of: '(车价|总价)'}",
    ).replace("本卡[[概不退款]]。", "[[支付定金伍万元]]（车价拾万元）。")
    book = _load(tmp_path, text)

    def quotes(clause: str) -> list[str]:
        return [f.quote for f in audit(clause.encode(), filename="t.txt", domain="prepaid", rulebook=book).findings]

    assert quotes("乙方支付定金3万元（车价10万元）。") == ["支付定金3万元"]
    assert quotes("乙方支付定金2万元（车价10万元）。") == []  # 20% exactly: not above
    assert quotes("总价10万元，乙方支付定金2.5万元。") == ["支付定金2.5万元"]
    assert quotes("乙方支付定金3万元。") == []  # no total named: nothing to compare with
    # the total stated in a later sentence of the same clause still counts; another clause's does not
    assert quotes("乙方支付定金3万元，违约不退。本车车价为10万元。") == ["支付定金3万元"]
    assert quotes("乙方支付定金1万元，违约不退。本车车价为10万元。") == []
    assert quotes("第一条 乙方支付定金3万元。\n第二条 本车车价为10万元。") == []
    assert quotes("乙方支付定金25%（车价10万元）。") == ["支付定金25%"]  # a written share wins


def _count_pattern_checks(monkeypatch) -> list[str]:
    from clause_audit import matchers

    checked: list[str] = []
    original = matchers.check_pattern

    def counting(pattern: str) -> None:
        checked.append(pattern)
        original(pattern)

    monkeypatch.setattr(matchers, "check_pattern", counting)
    return checked


def test_a_file_validated_before_is_not_checked_again_and_still_matches(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    folder.mkdir()
    checked = _count_pattern_checks(monkeypatch)
    _load(folder, GOOD)
    assert checked == ["(概不|一律不)(退款|退费)"]
    book = _load(folder, GOOD)  # same bytes: trusted, compiled on first use
    assert checked == ["(概不|一律不)(退款|退费)"]
    from clause_audit.pipeline import audit

    report = audit("本店会员卡一律不退款。".encode(), filename="n.txt", domain="prepaid", rulebook=book)
    assert [(f.rule_id, f.quote) for f in report.findings] == [("prepaid/test-no-refund", "一律不退款")]
    load_rulebook([folder], trust_validated=False)  # what rules lint and rules test use
    assert len(checked) == 2


def test_a_changed_file_is_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "rules"
    folder.mkdir()
    _load(folder, GOOD)
    problems = _problems(folder, GOOD.replace("(概不|一律不)(退款|退费)", "(?=概不)退款"))
    assert len(problems) == 1 and "RE2 不支持的语法" in problems[0]


def test_a_damaged_cache_file_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (tmp_path / "cache" / "clause-audit").mkdir(parents=True)
    (tmp_path / "cache" / "clause-audit" / "validated-rule-files.json").write_text("{not json", encoding="utf-8")
    folder = tmp_path / "rules"
    folder.mkdir()
    checked = _count_pattern_checks(monkeypatch)
    _load(folder, GOOD)
    _load(folder, GOOD)
    assert checked == ["(概不|一律不)(退款|退费)"]  # checked once, then remembered in a rewritten file
