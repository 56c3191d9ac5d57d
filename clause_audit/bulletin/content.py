"""What a bulletin says, format-free: period, scope, statistics and the problem items, anonymised when asked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from clause_audit.bulletin.anonymize import Redactor
from clause_audit.bulletin.collect import Contracts, distinct, identify_contracts, local_date, normal_text
from clause_audit.bulletin.grouping import Group, group_occurrences
from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.categories import category_name
from clause_audit.model import CATEGORIES, DOMAIN_NAMES, DOMAINS
from clause_audit.render.review import Citation, cite, date_words, document_name, excerpt

DEFAULT_TITLE = "不公平格式条款点评报告"
CONTEXT = 120  # characters of a long clause shown either side of the problem quote
UNNAMED = "未识别名称的经营者"

# short category labels for the chart and narrow table columns
SHORT_CATEGORY = {
    "exempt_personal_injury": "免除人身伤害责任",
    "exempt_property_damage": "免除财产损失责任",
    "exempt_after_sales": "免除售后责任",
    "exempt_breach": "免除违约责任",
    "exempt_duties": "免除告知等义务",
    "excessive_penalty": "违约金手续费过高",
    "shift_business_risk": "转嫁经营风险",
    "restrict_choice": "限制自主选择",
    "restrict_termination": "限制解除退款",
    "restrict_claims": "限制索赔权利",
    "restrict_remedies": "限制投诉诉讼",
    "sole_interpretation": "单方解释权",
    "unilateral_change": "单方变更合同",
    "expiry_forfeiture": "过期作废",
    "prepayment_cap": "超额预收费",
    "privacy_overreach": "滥用个人信息",
    "missing_term": "必备条款缺失",
}


@dataclass(frozen=True)
class Item:
    """One problem of the bulletin: the representative clause, the comment, the law and the fix."""

    rule_id: str
    title: str
    category: str
    severity: str
    clause_number: str
    before: str  # representative clause text before the quote (anonymised when asked)
    quote: str
    after: str
    message: str
    suggestion: str
    citations: tuple[Citation, ...]
    merchants: int
    contracts: int
    businesses: tuple[str, ...]  # who used it: names, or generic descriptions with counts when anonymised

    @property
    def usage(self) -> str:
        return f"{self.merchants} 家经营者使用了类似条款"


@dataclass(frozen=True)
class Section:
    domain: str
    name: str
    items: tuple[Item, ...]


@dataclass(frozen=True)
class ScopeRow:
    domain: str  # "" for the total row
    name: str
    contracts: int
    merchants: int
    clauses: int  # problem clauses
    items: int


@dataclass(frozen=True)
class StatRow:
    category: str
    name: str
    short: str
    counts: tuple[int, ...]  # problem clauses per domain, in Bulletin.domains order
    total: int


@dataclass(frozen=True)
class Listing:
    """One audited contract in the appendix (only when not anonymised)."""

    merchant: str
    domain: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Bulletin:
    title: str
    period: str
    issued: str
    anonymized: bool
    unreviewed: bool  # some findings were not confirmed by a reviewer
    domains: tuple[str, ...]  # the domains present, in DOMAINS order
    scope: tuple[ScopeRow, ...]
    total: ScopeRow
    stats: tuple[StatRow, ...]
    sections: tuple[Section, ...]
    listing: tuple[Listing, ...]

    @property
    def intro(self) -> str:
        t = self.total
        return (
            f"为维护消费者合法权益，依据《中华人民共和国消费者权益保护法》《合同行政监督管理办法》等规定，"
            f"对{self.period}收集的 {t.merchants} 家经营者的 {t.contracts} 份格式合同进行了审查，"
            f"发现涉嫌不公平格式条款 {t.clauses} 处，点评问题 {t.items} 项，现予公布。"
        )

    @property
    def scope_words(self) -> str:
        parts = "、".join(f"{r.name}领域 {r.merchants} 家经营者的 {r.contracts} 份合同" for r in self.scope)
        t = self.total
        return (
            f"本期共点评{parts}，合计 {t.merchants} 家经营者、{t.contracts} 份合同，"
            f"涉嫌不公平格式条款 {t.clauses} 处，点评问题 {t.items} 项。同一合同的 Word 版与 PDF 版按一份合同计。"
        )

    @property
    def note(self) -> str:
        text = (
            "本报告由 clause-audit 依据规则库审查生成。所引法律条文以官方公布的文本为准；"
            "点评意见针对条款文字本身，不构成对具体经营者的行政处理结论。"
        )
        if self.unreviewed:
            text += "本报告包含尚未经工作人员复核确认的审查结果，发布前须逐项复核。"
        if self.anonymized:
            text += "经营者名称已作匿名处理。"
        return text


def cited_text(citation: Citation) -> str:
    """The part of an article a bulletin quotes: the cited paragraph or item when the reference names one."""
    lines = citation.lines()
    chosen = [line for line, hit in lines if hit]
    return "\n".join(chosen or [line for line, _ in lines])


def build_bulletin(
    occurrences: Sequence[Occurrence],
    *,
    title: str | None = None,
    since: date | None = None,
    until: date | None = None,
    anonymize: bool = False,
    today: date | None = None,
) -> Bulletin:
    """The bulletin of these occurrences (already selected by domain and period)."""
    contracts = identify_contracts(occurrences)
    found = distinct(occurrences, contracts)
    redactor = Redactor((o.merchant, o.domain) for o in occurrences if o.merchant)
    groups = group_occurrences(found, contracts, redactor=redactor)
    domains = tuple(d for d in DOMAINS if any(o.domain == d for o in found))
    domains += tuple(sorted({o.domain for o in found} - set(domains)))
    sections = tuple(
        Section(
            d, DOMAIN_NAMES.get(d, d), tuple(_item(g, contracts, redactor, anonymize) for g in groups if g.domain == d)
        )
        for d in domains
    )
    scope = tuple(_scope(d, [o for o in found if o.domain == d], contracts, groups) for d in domains)
    name = title or (
        f"{DOMAIN_NAMES.get(domains[0], domains[0])}领域{DEFAULT_TITLE}" if len(domains) == 1 else DEFAULT_TITLE
    )
    return Bulletin(
        title=redactor.redact(name) if anonymize else name,
        period=_period(occurrences, since, until),
        issued=date_words(today or date.today()),
        anonymized=anonymize,
        unreviewed=any(o.review_status != "confirmed" for o in occurrences),
        domains=domains,
        scope=scope,
        total=_scope("", found, contracts, groups),
        stats=_stats(found, contracts, domains),
        sections=sections,
        listing=() if anonymize else _listing(occurrences, contracts),
    )


def _item(group: Group, contracts: Contracts, redactor: Redactor, anonymize: bool) -> Item:
    rep = group.representative
    text, start, end = rep.clause_text, rep.clause_text.find(rep.quote) if rep.quote else -1, 0
    if start >= 0:
        end = start + len(rep.quote)
        if anonymize:
            text, start, end = redactor.redact_span(text, start, end)
        before, quote, after = excerpt(text, start, end, CONTEXT)
    else:  # a document-level finding, or a quote not found verbatim: show the clause, then the quote
        before, quote, after = (redactor.redact(text) if anonymize else text), "", ""
        if rep.quote:
            quote = redactor.redact(rep.quote) if anonymize else rep.quote
    return Item(
        rule_id=rep.rule_id,
        title=redactor.redact(rep.title) if anonymize else rep.title,
        category=rep.category,
        severity=rep.severity,
        clause_number=redactor.redact(rep.clause_number) if anonymize else rep.clause_number,
        before=before,
        quote=quote,
        after=after,
        message=redactor.redact(rep.message) if anonymize else rep.message,
        suggestion=redactor.redact(rep.suggestion) if anonymize else rep.suggestion,
        citations=tuple(cite(ref) for ref in rep.legal_basis),
        merchants=len(group.merchants),
        contracts=len(group.contracts),
        businesses=_businesses(group, contracts, redactor, anonymize),
    )


def _businesses(group: Group, contracts: Contracts, redactor: Redactor, anonymize: bool) -> tuple[str, ...]:
    first: dict[str, Occurrence] = {}
    for o in group.members:
        first.setdefault(contracts.merchant(o), o)
    if not anonymize:
        named = [o.merchant for o in first.values() if o.merchant]
        unnamed = len(first) - len(named)
        return tuple(named) + ((f"{UNNAMED}{f' {unnamed} 家' if unnamed > 1 else ''}",) if unnamed else ())
    kinds = Counter(redactor.describe(o.merchant, o.domain) for o in first.values())
    return tuple(f"{kind} {n} 家" if n > 1 else kind for kind, n in kinds.most_common())


def _clause_key(o: Occurrence, contracts: Contracts) -> tuple[str, str]:
    return contracts.contract(o), normal_text(o.clause_text) or f"rule:{o.rule_id}"


def _scope(domain: str, found: Sequence[Occurrence], contracts: Contracts, groups: Sequence[Group]) -> ScopeRow:
    return ScopeRow(
        domain=domain,
        name=DOMAIN_NAMES.get(domain, domain) if domain else "合计",
        contracts=len({contracts.contract(o) for o in found}),
        merchants=len({contracts.merchant(o) for o in found}),
        clauses=len({_clause_key(o, contracts) for o in found}),
        items=sum(1 for g in groups if not domain or g.domain == domain),
    )


def _stats(found: Sequence[Occurrence], contracts: Contracts, domains: tuple[str, ...]) -> tuple[StatRow, ...]:
    cells: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for o in found:
        cells.setdefault((o.category, o.domain), set()).add(_clause_key(o, contracts))
    order = {c: i for i, c in enumerate(CATEGORIES)}
    rows = []
    for category in sorted({o.category for o in found}, key=lambda c: (order.get(c, len(order)), c)):
        counts = tuple(len(cells.get((category, d), ())) for d in domains)
        clauses = set().union(*(cells.get((category, d), set()) for d in domains))
        rows.append(
            StatRow(category, category_name(category), SHORT_CATEGORY.get(category, category), counts, len(clauses))
        )
    rows.sort(key=lambda r: -r.total)
    return tuple(rows)


def _listing(occurrences: Sequence[Occurrence], contracts: Contracts) -> tuple[Listing, ...]:
    by_contract: dict[str, tuple[Occurrence, list[str]]] = {}
    for o in occurrences:
        entry = by_contract.setdefault(contracts.contract(o), (o, []))
        name = document_name(o.source)
        if name not in entry[1]:
            entry[1].append(name)
    return tuple(
        Listing(o.merchant or UNNAMED, DOMAIN_NAMES.get(o.domain, o.domain), tuple(sorted(sources)))
        for o, sources in sorted(
            by_contract.values(),
            key=lambda e: (DOMAINS.index(e[0].domain) if e[0].domain in DOMAINS else 9, e[0].merchant),
        )
    )


def _period(occurrences: Sequence[Occurrence], since: date | None, until: date | None) -> str:
    days = [local_date(o.audited_at) for o in occurrences]
    first = since or (min(days) if days else None)
    last = until or (max(days) if days else None)
    if first is None or last is None:
        return "本期"
    if first == last:
        return date_words(first)
    return f"{date_words(first)}至{date_words(last)}"
