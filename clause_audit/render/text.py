"""Terminal report (Rich): each flagged clause with the quote highlighted, then a summary table."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clause_audit.model import DOMAIN_NAMES, SEVERITY_NAMES, Failure, Finding, Report
from clause_audit.render.annotation import legal_basis_words
from clause_audit.render.review import where_words

_SEVERITY_STYLE = {"high": "bold white on red", "medium": "bold black on yellow", "low": "black on cyan"}
_QUOTE_STYLE = {"high": "bold red underline", "medium": "bold yellow underline", "low": "cyan underline"}
_CONTEXT = 120  # characters of a long clause shown either side of the quote


def write_text(results: Iterable[Report | Failure], out: TextIO, color: bool = False) -> None:
    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False, width=100)
    done: list[Report | Failure] = []
    for result in results:
        done.append(result)
        if isinstance(result, Failure):
            console.print(Text(f"✗ {result.source}：{result.message}（{result.code}）", style="bold red"))
            console.print()
            continue
        _print_report(console, result)
    if done:
        console.print(_summary(done))


def _print_report(console: Console, report: Report) -> None:
    domain = report.domain
    how = "指定" if domain.forced else f"置信度 {domain.confidence:.2f}"
    console.rule(Text(report.source, style="bold"))
    console.print(
        f"领域：{DOMAIN_NAMES[domain.code]}（{domain.code}，{how}）  条款：{len(report.clauses)}  "
        f"规则库版本：{report.rules_version}" + (f"  经营者：{report.merchant}" if report.merchant else "")
    )
    for notice in report.notices:
        style = "bold red" if notice.level == "error" else "yellow"
        console.print(Text(f"⚠ 提取质量：{notice.message}", style=style))
    for error in report.rule_errors:
        console.print(Text(f"⚠ 规则 {error.rule_id} 执行出错：{error.message}", style="red"))
    if not report.findings:
        console.print(Text("未发现问题条款。", style="green"))
    for finding in report.findings:
        console.print()
        _print_finding(console, report, finding)
    console.print()


def _print_finding(console: Console, report: Report, finding: Finding) -> None:
    head = Text()
    head.append(f" {SEVERITY_NAMES[finding.severity]} ", style=_SEVERITY_STYLE[finding.severity])
    where = where_words(finding, report)
    head.append(f" {where}  {finding.title}  ", style="bold")
    head.append(f"[{finding.rule_id}]", style="dim")
    console.print(head)
    if finding.clause_index is not None:
        console.print(_quoted_clause(report.clauses[finding.clause_index].text, finding))
    console.print(Text("问题：", style="bold") + Text(finding.message))
    console.print(Text("依据：", style="bold") + Text(legal_basis_words(finding.legal_basis)))
    console.print(Text("建议：", style="bold") + Text(finding.suggestion, style="green"))


def _quoted_clause(text: str, finding: Finding) -> Text:
    assert finding.start is not None and finding.end is not None
    start, end = finding.start, finding.end
    left = max(0, start - _CONTEXT)
    right = min(len(text), end + _CONTEXT)
    shown = Text("  ")
    shown.append(("…" if left else "") + text[left:start])
    shown.append(text[start:end], style=_QUOTE_STYLE[finding.severity])
    shown.append(text[end:right] + ("…" if right < len(text) else ""))
    return shown


def _summary(results: list[Report | Failure]) -> Table:
    table = Table(title="审查汇总", title_justify="left")
    table.add_column("文件")
    table.add_column("领域")
    table.add_column("条款", justify="right")
    for severity in ("high", "medium", "low"):
        table.add_column(SEVERITY_NAMES[severity], justify="right")
    table.add_column("结论")
    for result in results:
        if isinstance(result, Failure):
            table.add_row(result.source, "-", "-", "-", "-", "-", Text(f"无法读取（{result.code}）", style="red"))
            continue
        counts = result.by_severity()
        verdict = Text("发现问题", style="bold red") if result.flagged else Text("未发现高/中风险", style="green")
        table.add_row(
            result.source,
            DOMAIN_NAMES[result.domain.code],
            str(len(result.clauses)),
            *(str(counts[s]) for s in ("high", "medium", "low")),
            verdict,
        )
    return table
