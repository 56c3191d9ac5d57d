"""Recheck in the terminal (Rich): one table of outcomes, counts and the conclusion."""

from __future__ import annotations

from typing import TextIO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clause_audit.recheck.comparison import STATUS_NAMES, Recheck
from clause_audit.recheck.wording import TITLE, conclusion, counts_words, review_words, rules_changed, version_words
from clause_audit.recheck.wording import where as where_words

_STYLE = {"rectified": "green", "unrectified": "bold red", "partial": "bold yellow", "new": "bold magenta"}


def write_text(recheck: Recheck, out: TextIO, color: bool = False) -> None:
    console = Console(file=out, force_terminal=color, no_color=not color, highlight=False, width=120)
    console.rule(Text(TITLE, style="bold"))
    console.print(Text(f"修改前：{version_words(recheck.old)}"))
    console.print(Text(f"修改后：{version_words(recheck.new)}"))
    if recheck.new.merchant or recheck.old.merchant:
        console.print(Text(f"经营者：{recheck.new.merchant or recheck.old.merchant}"))
    if rules_changed(recheck):
        console.print(
            Text(
                f"⚠ 两次审查的规则库版本不同（{recheck.old.rules_version} → {recheck.new.rules_version}），"
                "部分差异可能来自规则变化",
                style="yellow",
            )
        )
    if recheck.outcomes:
        table = Table(show_lines=True)
        for column in ("结果", "规则", "修改前", "修改后", "复核结论"):
            table.add_column(column, overflow="fold")
        for o in recheck.outcomes:
            flag = o.earlier or o.current
            assert flag is not None
            before = f"{where_words(o.earlier)}\n{o.earlier.quote}" if o.earlier else "—"
            after = f"{where_words(o.current)}\n{o.current.quote}" if o.current else "—"
            status = STATUS_NAMES[o.status] + (f"\n相似度 {o.similarity:.2f}" if o.similarity is not None else "")
            note = o.earlier.reviewer_note if o.earlier else ""
            table.add_row(  # Text: quotes and notes are never read as markup
                Text(status, style=_STYLE[o.status]),
                Text(f"{flag.title}\n[{flag.rule_id}]"),
                Text(before),
                Text(after),
                Text(review_words(o.review_status, note)),
            )
        console.print(table)
    console.print(counts_words(recheck))
    console.print(Text(f"结论：{conclusion(recheck)}", style="bold green" if recheck.rectified else "bold red"))
