"""The example runner shared by pytest and `clause-audit rules test`: each rule alone on its own examples."""

from __future__ import annotations

from dataclasses import dataclass

from clause_audit.clauses import split_clauses
from clause_audit.engine import find_problems
from clause_audit.model import Block, Document, Example, Location
from clause_audit.parties import DEFAULT_PARTIES
from clause_audit.rulebook import Rule, Rulebook


@dataclass(frozen=True)
class ExampleResult:
    rule_id: str
    example: Example
    ok: bool
    detail: str  # what went wrong, in Chinese; "" when ok

    @property
    def label(self) -> str:
        kind = "不公平示例" if self.example.unfair else "公平示例"
        return f"{self.rule_id} {kind}：{self.example.text}"


def example_cases(rulebook: Rulebook) -> list[tuple[Rule, Example]]:
    return [(rule, example) for rule in rulebook.rules for example in rule.info.examples]


def check_example(rule: Rule, example: Example) -> ExampleResult:
    """Run one rule alone on one example: an unfair one must give exactly one finding at the marked
    span; a fair one must give none."""
    document = Document("<example>", "text", (Block(example.text, Location(paragraph=0)),))
    clauses = split_clauses(document)
    findings, errors = find_problems(clauses, [rule], DEFAULT_PARTIES, rule.info.domain, all_document_rules=True)
    if errors:
        return ExampleResult(rule.id, example, False, f"规则执行出错：{errors[0].message}")
    if not example.unfair:
        if findings:
            return ExampleResult(rule.id, example, False, f"公平示例被误报：「{findings[0].quote}」")
        return ExampleResult(rule.id, example, True, "")
    if len(findings) != 1:
        return ExampleResult(rule.id, example, False, f"应命中 1 处，实际命中 {len(findings)} 处")
    found = findings[0]
    if example.span is None:
        return ExampleResult(rule.id, example, True, "")
    clause = clauses[found.clause_index] if found.clause_index is not None else None
    offset = clause.segments[0].block_start if clause is not None and clause.segments else 0
    got = (found.start + offset, found.end + offset) if found.start is not None and found.end is not None else None
    if got != example.span:
        want = example.text[example.span[0] : example.span[1]]
        return ExampleResult(rule.id, example, False, f"命中范围不对：应为「{want}」，实际为「{found.quote}」")
    return ExampleResult(rule.id, example, True, "")


def run_examples(rulebook: Rulebook) -> list[ExampleResult]:
    return [check_example(rule, example) for rule, example in example_cases(rulebook)]
