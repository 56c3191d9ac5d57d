"""Clauses + rulebook → findings. Pure: no files, no printing; a rule that raises becomes a RuleError."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from clause_audit.clauses import display_number
from clause_audit.limits import check_time
from clause_audit.model import SEVERITIES, Clause, Finding, RuleError
from clause_audit.normalize import Normalized, normalize, normalize_many, sentence_spans
from clause_audit.parties import Parties
from clause_audit.prefilter import LiteralPrefilter
from clause_audit.prefilter_store import requirement_lists
from clause_audit.quantities import Quantity, find_quantities
from clause_audit.rulebook import Rule, Rulebook
from clause_audit.utf8text import Utf8Text


@dataclass(frozen=True)
class _PreparedClause:
    clause: Clause
    norm: Normalized

    @cached_property
    def sentences(self) -> list[tuple[int, int]]:
        # only the clauses a rule's literals point at are split into sentences
        return sentence_spans(self.norm.text)

    @cached_property
    def quantities(self) -> list[Quantity]:
        # Only rules with a `number` test read quantities, and few clauses reach one: parsing
        # them up front for every clause cost a quarter of the match stage.
        return find_quantities(self.norm.text)

    @cached_property
    def utf8(self) -> Utf8Text:
        return Utf8Text(self.norm.text)


def applicable_rules(rulebook: Rulebook, domain: str) -> list[Rule]:
    """General rules apply to every document; domain rules only to their own domain."""
    return [r for r in rulebook.rules if r.info.domain in ("general", domain)]


def find_problems(
    clauses: Sequence[Clause],
    rules: Sequence[Rule],
    parties: Parties,
    domain: str,
    *,
    all_document_rules: bool = False,
) -> tuple[list[Finding], list[RuleError]]:
    """Run clause rules over every clause and document rules over the whole text."""
    prepared = _prepare_all(clauses)
    check_time()
    clause_tuple = tuple(clauses)
    findings: list[Finding] = []
    errors: dict[str, RuleError] = {}
    clause_rules = [r for r in rules if r.match is not None]
    anchors = _anchor_prefilter(clause_rules)
    document_text = "\n".join(p.norm.text for p in prepared)
    # rule by rule rather than clause by clause: a rule's compiled automata stay in the CPU's caches
    # while it runs over every clause that may hold it (searches interleaved across all the rules
    # took three times as long); findings are put in document order below
    by_rule: dict[int, list[tuple[_PreparedClause, list[int]]]] = {}
    for item in prepared:
        check_time()
        for index, positions in anchors.candidates(item.norm.text).items():
            by_rule.setdefault(index, []).append((item, positions))
    document_utf8: Utf8Text | None = None
    for index in sorted(by_rule):
        rule = clause_rules[index]
        assert rule.match is not None
        document_utf8 = document_utf8 or Utf8Text(document_text)
        if not rule.match.in_context(document_utf8, parties):
            continue
        for item, positions in by_rule[index]:
            check_time()
            try:
                finding = _clause_finding(rule, item, parties, clause_tuple, positions)
            except Exception as exc:
                errors.setdefault(rule.id, RuleError(rule.id, f"{type(exc).__name__}: {exc}"))
                continue
            if finding is not None:
                findings.append(finding)
    contract = all_document_rules or looks_like_contract(clauses)
    for rule in rules:
        if rule.document is not None and contract and (all_document_rules or rule.info.domain == domain):
            findings.extend(_document_findings(rule, document_text, len(prepared), all_document_rules))
    return _deduplicate(findings, rules), list(errors.values())


_PREFILTERS: dict[tuple[int, ...], tuple[list[Rule], LiteralPrefilter]] = {}


def _anchor_prefilter(rules: list[Rule]) -> LiteralPrefilter:
    """Built once per rule list, for every naming of the two sides (placeholders are left open).
    The cached entry keeps its rules alive so their ids stay unique."""
    key = tuple(id(r) for r in rules)
    cached = _PREFILTERS.get(key)
    if cached is None:
        if len(_PREFILTERS) > 64:
            _PREFILTERS.clear()
        anchors = [r.match.spec.any if r.match else () for r in rules]
        cached = (list(rules), LiteralPrefilter(requirement_lists(anchors, lambda: _example_texts(rules))))
        _PREFILTERS[key] = cached
    return cached[1]


def _example_texts(rules: list[Rule]) -> list[str]:
    """The rules' own examples, normalised: contract wording to estimate how common each literal is."""
    return [normalize(e.text).text for r in rules for e in r.info.examples]


_CONTRACT_TITLE = re.compile(r"合同|协议|约定书|契约")


def looks_like_contract(clauses: Sequence[Clause]) -> bool:
    """Missing-term checks are for contracts: a parties block or a 合同/协议 title. A shop notice,
    card rules or a pasted clause are not expected to carry every term."""
    return any(c.kind == "parties" or (c.kind == "title" and _CONTRACT_TITLE.search(c.text)) for c in clauses)


def _prepare_all(clauses: Sequence[Clause]) -> list[_PreparedClause]:
    normalized = normalize_many([c.text for c in clauses])
    return [_PreparedClause(c, n) for c, n in zip(clauses, normalized, strict=True)]


def _clause_finding(
    rule: Rule,
    item: _PreparedClause,
    parties: Parties,
    clauses: tuple[Clause, ...],
    anchors: Sequence[int] | None = None,
) -> Finding | None:
    """The rule's first match in the clause (one finding per rule per clause), or None. `anchors`:
    the positions of the only anchor patterns that can match in this clause (the prefilter's)."""
    assert rule.match is not None
    text = item.norm.text
    scopes = item.sentences if rule.match.spec.scope == "sentence" else [(0, len(text))]
    quantities = item.quantities if rule.match.spec.number is not None else []
    for scope in scopes:
        check_time()
        span = rule.match.find(item.utf8, scope, quantities, parties, anchors)
        if span is None:
            continue
        start, end = item.norm.to_original(*span)
        clause = item.clause
        return _finding(rule, clause.index, start, end, clause.text[start:end], display_number(clauses, clause.index))
    return None


def _document_findings(rule: Rule, document_text: str, clause_count: int, ignore_size: bool) -> list[Finding]:
    assert rule.document is not None
    if rule.document.missing(document_text, clause_count, ignore_size=ignore_size):
        return [_finding(rule, None, None, None, "", "")]
    return []


def _finding(
    rule: Rule, clause_index: int | None, start: int | None, end: int | None, quote: str, number: str
) -> Finding:
    info = rule.info
    return Finding(
        rule_id=info.id,
        title=info.title,
        category=info.category,
        severity=info.severity,
        clause_index=clause_index,
        start=start,
        end=end,
        quote=quote,
        message=info.message,
        legal_basis=info.legal_basis,
        suggestion=info.suggestion,
        clause_number=number,
    )


def _deduplicate(findings: list[Finding], rules: Sequence[Rule]) -> list[Finding]:
    """Where two rules report the same problem (same clause, category, overlapping span), keep one:
    the more severe, then the domain rule over the general one, then library order."""
    order = {r.id: i for i, r in enumerate(rules)}

    def rank(f: Finding) -> tuple[int, int, int]:
        general = f.rule_id.startswith("general/")
        return (SEVERITIES.index(f.severity), int(general), order[f.rule_id])

    kept: list[Finding] = []
    # only findings of the same clause and category can be the same problem: compare within those
    # groups, so a document of 30,000 findings is not 450 million comparisons
    groups: dict[tuple[int, str], list[Finding]] = {}
    for f in sorted(findings, key=rank):
        if f.clause_index is not None:
            group = groups.setdefault((f.clause_index, f.category), [])
            if any(_same_problem(f, k) for k in group):
                continue
            group.append(f)
        kept.append(f)
    return sorted(kept, key=lambda f: (f.clause_index is not None, f.clause_index or 0, f.start or 0, order[f.rule_id]))


def _same_problem(a: Finding, b: Finding) -> bool:
    if a.clause_index != b.clause_index or a.category != b.category:
        return False
    assert a.start is not None and a.end is not None and b.start is not None and b.end is not None
    return a.start < b.end and b.start < a.end
