"""Every rule's own examples, run the way `clause-audit rules test` runs them."""

import pytest
import yaml

from clause_audit.library import packaged_rules_dir, rule_files
from clause_audit.rulebook import load_rulebook
from clause_audit.selfcheck import check_example, example_cases

RULEBOOK = load_rulebook()
CASES = example_cases(RULEBOOK)


@pytest.mark.parametrize(
    ("rule", "example"),
    CASES,
    ids=[f"{r.id}:{'unfair' if e.unfair else 'fair'}{i}" for i, (r, e) in enumerate(CASES)],
)
def test_rule_example(rule, example):
    result = check_example(rule, example)
    assert result.ok, f"{result.label}：{result.detail}"


def test_every_example_on_disk_is_collected():
    on_disk = 0
    for path in rule_files(packaged_rules_dir()):
        for rule in yaml.safe_load(path.read_text("utf-8"))["rules"]:
            on_disk += len(rule["examples"]["unfair"]) + len(rule["examples"]["fair"])
    assert len(CASES) == on_disk


def test_every_rule_has_unfair_and_fair_examples():
    for rule in RULEBOOK.rules:
        kinds = {e.unfair for e in rule.info.examples}
        assert kinds == {True, False}, rule.id
