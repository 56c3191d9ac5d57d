"""`clause-audit eval [PATH]`: precision, recall and F1 of the rule library on a labelled clause set."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import yaml
from rich.console import Console
from rich.table import Table

from clause_audit.cli import EXIT_CLEAN, EXIT_ERROR, load_rules
from clause_audit.evaluation import Evaluation, Outcome, evaluate, labelled_sets, load_labelled
from clause_audit.model import DOMAIN_NAMES


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if not path.exists():
        sys.stderr.write(f"clause-audit: 找不到评测集 {path}\n")
        return EXIT_ERROR
    sets = labelled_sets(path)
    if not sets:
        sys.stderr.write(f"clause-audit: {path} 中没有评测集（prepaid.yaml、used_car.yaml 等）\n")
        return EXIT_ERROR
    try:
        loaded = [(name, load_labelled(name)) for name in sets]
    except (OSError, UnicodeDecodeError, yaml.YAMLError, ValueError) as exc:
        sys.stderr.write(f"clause-audit: 评测集格式错误：{exc}\n")
        return EXIT_ERROR
    rulebook = load_rules(args.rules)
    console = Console(highlight=False, no_color="NO_COLOR" in os.environ or not sys.stdout.isatty(), width=120)
    for name, items in loaded:
        evaluation = evaluate(items, rulebook)
        console.print(f"评测集：{name}", soft_wrap=True)
        console.print(score_table(evaluation))
        if not args.quiet:
            _list(console, "漏报（不公平条款未被标记为高/中风险）", evaluation.misses)
            _list(console, "误报（公平条款被标记为高/中风险）", evaluation.false_alarms)
        console.print()
    return EXIT_CLEAN


def score_table(evaluation: Evaluation) -> Table:
    table = Table(title="准确率（高/中风险计为“标记”）", title_justify="left")
    for column in ("领域", "条款数", "不公平", "公平", "精确率", "召回率", "F1", "类别一致"):
        table.add_column(column, justify="right" if column != "领域" else "left")
    for domain in [*evaluation.domains, None]:
        s = evaluation.score(domain)
        name = DOMAIN_NAMES.get(domain, domain) if domain else "全部"
        table.add_row(
            f"{name}（{domain}）" if domain else name,
            str(s.total),
            str(s.tp + s.fn),
            str(s.fp + s.tn),
            f"{s.precision:.3f}",
            f"{s.recall:.3f}",
            f"{s.f1:.3f}",
            f"{s.category_accuracy:.3f}",
        )
    return table


def _list(console: Console, title: str, outcomes: list[Outcome]) -> None:
    console.print(f"\n{title}：{len(outcomes)} 条")
    for o in outcomes:
        extra = f" 标注类别 {o.item.category}" if o.item.unfair else f" 命中类别 {','.join(o.categories)}"
        console.print(f"  {Path(o.item.file).name}#{o.item.index + 1}{extra}：{o.item.text}")
