"""Review report in Markdown: the contract with problem spans in bold, then each finding with its legal basis."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import TextIO

from clause_audit import __version__
from clause_audit.categories import category_name
from clause_audit.model import Clause, Failure, Finding, Report
from clause_audit.render.review import (
    SEVERITY_WORDS,
    cite,
    count_words,
    date_words,
    depth,
    document_name,
    domain_words,
    excerpt,
    pieces,
    where_words,
)

TITLE = "格式条款审查报告"

# characters that mean something to Markdown anywhere in a line (CommonMark backslash escapes)
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~!&#$])")
# what makes a line start a heading, list, quote, rule or code block
_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+[.)])")


def render_markdown(reports: list[Report], *, today: date | None = None) -> str:
    """One Markdown document for one or more reports (a section per document, a contents list when several)."""
    return _document(list(reports), today or date.today())


def write_markdown(results: Iterable[Report | Failure], out: TextIO, color: bool = False) -> None:
    """Writer for the CLI: all results in one document; an unreadable input gets a short 无法读取 line."""
    out.write(_document(list(results), date.today()))


def escape_markdown(text: str) -> str:
    """Document text made literal: inline specials backslash-escaped, line-start markers neutralised."""
    lines = []
    for line in text.split("\n"):
        line = _INLINE_SPECIAL.sub(r"\\\1", line)
        line = _LINE_START.sub(lambda m: m.group(1) + _escape_marker(m.group(2)), line)
        lines.append(line)
    return "\n".join(lines)


def _escape_marker(marker: str) -> str:
    if marker[0].isdigit():
        return marker[:-1] + "\\" + marker[-1]  # 1. → 1\.
    return "\\" + marker


# ---------------------------------------------------------------- document


def _document(results: list[Report | Failure], today: date) -> str:
    sub = f"审查日期：{date_words(today)}　·　共 {len(results)} 份文件　·　clause-audit {__version__}"
    parts = [f"# {TITLE}", "", sub]
    if len(results) > 1:
        parts += ["", "## 目录", ""]
        for n, result in enumerate(results, 1):
            name = escape_markdown(document_name(result.source))
            if isinstance(result, Failure):
                parts.append(f"{n}. [{name}](#doc-{n})（无法读取）")
            else:
                parts.append(f"{n}. [{name}](#doc-{n})（{count_words(result)}）")
    for n, result in enumerate(results, 1):
        parts += ["", f'<a id="doc-{n}"></a>', ""]
        if isinstance(result, Failure):
            parts += [
                f"## {escape_markdown(document_name(result.source))}",
                "",
                f"无法读取：{escape_markdown(result.message)}（{escape_markdown(result.code)}）",
            ]
        else:
            parts += _report(result, today)
    parts += ["", "---", "", "本报告由 clause-audit 按规则库自动生成，审查意见须经工作人员复核确认。"]
    return "\n".join(parts) + "\n"


def _report(report: Report, today: date) -> list[str]:
    lines = [f"## {escape_markdown(document_name(report.source))}", ""]
    rows = [
        ("文件", escape_markdown(report.source)),
        ("领域", escape_markdown(domain_words(report))),
        ("审查日期", date_words(today)),
        ("规则库版本", f"`{report.rules_version}`"),
        ("条款数", str(len(report.clauses))),
        ("问题数", count_words(report)),
    ]
    if report.merchant:
        rows.append(("经营者", escape_markdown(report.merchant)))
    lines += ["| 项目 | 内容 |", "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)]
    warnings = [
        f"提取质量：{escape_markdown(x.message)}" + (f"（第 {x.page} 页）" if x.page else "") for x in report.notices
    ]
    warnings += [f"规则 `{e.rule_id}` 执行出错：{escape_markdown(e.message)}" for e in report.rule_errors]
    if warnings:
        lines += ["", *(f"> ⚠ {w}" + ("  " if i < len(warnings) - 1 else "") for i, w in enumerate(warnings))]

    in_clauses = [f for f in report.findings if f.clause_index is not None]
    missing = [f for f in report.findings if f.clause_index is None]
    lines += ["", "### 合同全文", ""]
    for clause in report.clauses:
        lines += [_clause_line(report, clause, [f for f in in_clauses if f.clause_index == clause.index]), ""]

    lines += [f"### 问题条款（{len(in_clauses)}）", ""]
    if not in_clauses:
        lines += ["未发现问题条款。", ""]
    for i, finding in enumerate(in_clauses, 1):
        lines += _finding(report, finding, i)
    if missing:
        lines += [f"### 缺失的必备条款（{len(missing)}）", ""]
        for i, finding in enumerate(missing, len(in_clauses) + 1):
            lines += _finding(report, finding, i)
    return lines


def _clause_line(report: Report, clause: Clause, findings: list[Finding]) -> str:
    """A clause as a paragraph: number in bold, every problem span in bold (overlapping spans merged)."""
    spans = [(f.start, f.end, f) for f in findings if f.start is not None and f.end is not None]
    text = clause.text
    out: list[str] = []
    run_start: int | None = None
    cut = pieces(text, spans)
    for k, piece in enumerate(cut):
        if piece.cover and run_start is None:
            run_start = piece.start
        last = k == len(cut) - 1 or not cut[k + 1].cover
        if piece.cover and last:
            assert run_start is not None
            out.append(_bold(text, run_start, piece.end))
            run_start = None
        elif not piece.cover:
            out.append(escape_markdown(text[piece.start : piece.end]))
    body = _hard_breaks("".join(out))
    indent = "　" * min(depth(report, clause.index), 3)
    if clause.kind in ("title", "heading") and not findings:
        return f"{indent}**{escape_markdown(clause.number)}　{body}**" if clause.number else f"{indent}**{body}**"
    number = f"**{escape_markdown(clause.number)}**　" if clause.number else ""
    return f"{indent}{number}{body}"


def _bold(text: str, start: int, end: int) -> str:
    """text[start:end] in bold. `**` next to CJK punctuation does not open or close emphasis in CommonMark
    (“…” after a letter, say), so such quotes fall back to <strong>."""
    inner = text[start:end]
    before = text[start - 1] if start > 0 else None
    after = text[end] if end < len(text) else None
    escaped = escape_markdown(inner)
    if "\n" in inner or not (_can_open(before, inner[0]) and _can_close(inner[-1], after)):
        return f"<strong>{escaped}</strong>"
    return f"**{escaped}**"


def _is_space(ch: str | None) -> bool:
    return ch is None or ch.isspace()


def _is_punct(ch: str | None) -> bool:
    return ch is not None and unicodedata.category(ch)[0] in "PS"


def _can_open(before: str | None, first: str) -> bool:
    if _is_space(first):
        return False
    return not _is_punct(first) or _is_space(before) or _is_punct(before)


def _can_close(last: str, after: str | None) -> bool:
    if _is_space(last):
        return False
    return not _is_punct(last) or _is_space(after) or _is_punct(after)


def _hard_breaks(text: str) -> str:
    """Keep the clause's own line breaks (a backslash at the end of a line is a hard break); leading
    spaces are dropped, as four of them would start a code block."""
    return "\\\n".join(line.lstrip(" \t") for line in text.split("\n"))


def _finding(report: Report, finding: Finding, number: int) -> list[str]:
    sev = SEVERITY_WORDS.get(finding.severity, finding.severity)
    where = escape_markdown(where_words(finding, report))
    lines = [f"#### {number}. {where} · {sev} · {escape_markdown(finding.title)}", ""]
    if finding.clause_index is not None:
        assert finding.start is not None and finding.end is not None
        text = report.clauses[finding.clause_index].text
        before, _, after = excerpt(text, finding.start, finding.end)
        # bold only the span: cut the excerpt's own text so the neighbours of ** are the real ones
        quoted = escape_markdown(before) + _bold(text, finding.start, finding.end) + escape_markdown(after)
        lines += [_blockquote(quoted), ""]
    lines += [f"**问题点评**：{escape_markdown(finding.message)}", "", "**法律依据**：", ""]
    for ref in finding.legal_basis:
        c = cite(ref)
        lines.append(f"- {escape_markdown(c.heading)}（{escape_markdown(c.ref)}，{c.status_words}）")
        if c.text:
            cited = "\n".join(
                f"**{escape_markdown(t)}**" if hit and t.strip() else escape_markdown(t) for t, hit in c.lines()
            )
            lines += ["", _blockquote(cited, indent="  "), ""]
    lines += [
        "",
        f"**修改建议**：{escape_markdown(finding.suggestion)}",
        "",
        f"类别：{escape_markdown(category_name(finding.category))}　·　规则：`{finding.rule_id}`",
        "",
    ]
    return lines


def _blockquote(text: str, indent: str = "") -> str:
    """A block quote keeping the text's line breaks (hard breaks inside one quote)."""
    lines = [line.lstrip(" \t") for line in text.split("\n")]
    return "\n".join(f"{indent}> {line}" + ("\\" if i < len(lines) - 1 else "") for i, line in enumerate(lines))
