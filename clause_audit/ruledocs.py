"""The rule reference (docs/rules.md, in Chinese), generated from the rule library."""

from __future__ import annotations

from collections import Counter

from clause_audit.categories import CATEGORY_NAMES
from clause_audit.model import DOMAIN_NAMES, DOMAINS, SEVERITY_NAMES
from clause_audit.rulebook import Rule, Rulebook
from clause_audit.statutes import resolve

_STATUS = {"verified": "已核实", "partially_verified": "部分核实", "unverified": "未核实"}


def render_rule_reference(rulebook: Rulebook) -> str:
    """Markdown: an index per domain, then one section per rule."""
    lines = [
        "# 规则说明",
        "",
        "本文件由 `clause-audit rules docs -o docs/rules.md` 根据 `rules/` 生成，请勿手工修改。",
        "",
    ]
    counts = Counter(r.info.domain for r in rulebook.rules)
    lines += ["| 领域 | 规则数 |", "| --- | --- |"]
    lines += [f"| {DOMAIN_NAMES[d]}（{d}） | {counts[d]} |" for d in DOMAINS if counts[d]]
    lines.append("")
    for domain in DOMAINS:
        rules = [r for r in rulebook.rules if r.info.domain == domain]
        if not rules:
            continue
        lines += [f"## {DOMAIN_NAMES[domain]}（{domain}）", ""]
        lines += [f"- [`{r.id}`](#{_anchor(r.id)}) {r.info.title}" for r in rules]
        lines.append("")
        for rule in rules:
            lines += _rule_section(rule)
    return "\n".join(lines).rstrip() + "\n"


def _anchor(rule_id: str) -> str:
    return rule_id.replace("/", "").lower()


def _rule_section(rule: Rule) -> list[str]:
    info = rule.info
    level = "文档级（检查必备条款是否缺失）" if info.document_level else "条款级"
    out = [
        f'<a id="{_anchor(info.id)}"></a>',
        "",
        f"### `{info.id}` {info.title}",
        "",
        f"- 类别：`{info.category}`（{CATEGORY_NAMES[info.category]}）",
        f"- 风险级别：{SEVERITY_NAMES[info.severity]}",
        f"- 检查方式：{level}",
        "",
        f"**为什么不公平**：{info.message}",
        "",
        f"**修改建议**：{info.suggestion}",
        "",
        "**法律依据**：",
        "",
    ]
    for ref in info.legal_basis:
        statute = resolve(ref)
        if statute is None:
            out.append(f"- {ref}")
            continue
        out.append(f"- {ref}：{statute.law}{statute.article}（{_STATUS[statute.status]}）")
        out += ["", *(f"  > {line}" for line in statute.text.splitlines() if line.strip()), ""]
    out += ["", "**示例**：", ""]
    for example in info.examples:
        text = example.text
        if example.span is not None:
            a, b = example.span
            text = f"{text[:a]}**{text[a:b]}**{text[b:]}"
        out.append(f"- {'✗ 不公平' if example.unfair else '✓ 公平'}：{text}")
    out.append("")
    return out
