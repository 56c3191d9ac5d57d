"""`clause-audit rules list|show|test`: the rule library for the people who maintain it."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.text import Text

from clause_audit.cli import EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS, load_rules
from clause_audit.errors import RuleLoadError
from clause_audit.library import packaged_rules_dir
from clause_audit.model import DOMAIN_NAMES, SEVERITY_NAMES
from clause_audit.rulebook import Rulebook, load_rulebook
from clause_audit.statutes import resolve


def run(args: argparse.Namespace) -> int:
    if args.rules_command == "list":
        return _list(args)
    if args.rules_command == "show":
        return _show(args)
    if args.rules_command == "lint":
        return _lint(args)
    if args.rules_command == "docs":
        return _docs(args)
    return _test(args)


def _console() -> Console:
    import os

    return Console(highlight=False, no_color="NO_COLOR" in os.environ or not sys.stdout.isatty())


def _list(args: argparse.Namespace) -> int:
    rulebook = load_rules(args.rules)
    table = Table(title=f"规则库（版本 {rulebook.version}）", title_justify="left")
    table.add_column("规则 id", no_wrap=True)
    table.add_column("领域", no_wrap=True)
    table.add_column("类别", no_wrap=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("标题")
    shown = 0
    for rule in rulebook.rules:
        info = rule.info
        if args.domain and info.domain != args.domain:
            continue
        shown += 1
        table.add_row(info.id, DOMAIN_NAMES[info.domain], info.category, SEVERITY_NAMES[info.severity], info.title)
    console = _console()
    console.print(table)
    console.print(f"共 {shown} 条规则")
    return EXIT_CLEAN


def _show(args: argparse.Namespace) -> int:
    rulebook = load_rules(args.rules)
    rule = rulebook.get(args.rule_id)
    if rule is None:
        sys.stderr.write(f"clause-audit: 没有 id 为 {args.rule_id} 的规则（用 `clause-audit rules list` 查看全部）\n")
        return EXIT_ERROR
    info = rule.info
    console = _console()
    console.print(Text(f"{info.id}  {info.title}", style="bold"))
    console.print(f"领域：{DOMAIN_NAMES[info.domain]}  类别：{info.category}  级别：{SEVERITY_NAMES[info.severity]}")
    console.print(f"位置：{info.file}:{info.line}")
    console.print(Text("问题：", style="bold") + info.message)
    console.print(Text("建议：", style="bold") + info.suggestion)
    console.print(Text("法律依据：", style="bold"))
    for ref in info.legal_basis:
        statute = resolve(ref)
        if statute is None:
            console.print(f"  {ref}（法条表中没有）")
            continue
        status = {"verified": "已核实", "partially_verified": "部分核实", "unverified": "未核实"}[statute.status]
        console.print(Text(f"  {ref} {statute.law}{statute.article}（{status}）", style="bold"))
        console.print(Text("  " + statute.text.replace("\n", "\n  "), style="dim"))
    console.print(Text("示例：", style="bold"))
    for example in info.examples:
        mark = "✗ 不公平" if example.unfair else "✓ 公平"
        console.print(f"  {mark}：{example.text}")
    return EXIT_CLEAN


def _load_for_check(directory: str | None) -> Rulebook | list[str]:
    """The rulebook of one folder (or the packaged one), every pattern checked, or the problems that
    stop it loading."""
    try:
        return load_rulebook([Path(directory)] if directory else [packaged_rules_dir()], trust_validated=False)
    except RuleLoadError as exc:
        return exc.problems


MIN_EXAMPLES = 3


def _lint(args: argparse.Namespace) -> int:
    from clause_audit.selfcheck import run_examples

    loaded = _load_for_check(args.directory)
    if isinstance(loaded, list):
        problems = loaded
    else:
        problems = []
        for rule in loaded.rules:
            info = rule.info
            unfair = sum(e.unfair for e in info.examples)
            fair = len(info.examples) - unfair
            if unfair < MIN_EXAMPLES or fair < MIN_EXAMPLES:
                counts = f"不公平示例 {unfair} 条、公平示例 {fair} 条（各至少 {MIN_EXAMPLES} 条）"
                problems.append(f"{info.file}:{info.line}: [{info.id}] 示例不足：{counts}")
        for result in run_examples(loaded):
            if not result.ok:
                info = loaded.get(result.rule_id).info  # type: ignore[union-attr]
                problems.append(f"{info.file}:{info.line}: [{info.id}] {result.detail}：{result.example.text}")
    for problem in problems:
        sys.stdout.write(problem + "\n")
    sys.stdout.write(f"发现 {len(problems)} 个问题\n" if problems else "规则库检查通过\n")
    return EXIT_FINDINGS if problems else EXIT_CLEAN


def _docs(args: argparse.Namespace) -> int:
    from clause_audit.ruledocs import render_rule_reference

    text = render_rule_reference(load_rules(None))
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_CLEAN


def _test(args: argparse.Namespace) -> int:
    from clause_audit.selfcheck import run_examples

    loaded = _load_for_check(args.directory)
    if isinstance(loaded, list):
        sys.stderr.write("clause-audit: 规则库无法载入：\n" + "\n".join(loaded) + "\n")
        return EXIT_ERROR
    rulebook = loaded
    results = run_examples(rulebook)
    failed = [r for r in results if not r.ok]
    for result in failed:
        info = rulebook.get(result.rule_id)
        where = f"{info.info.file}:{info.info.line}" if info else ""
        sys.stdout.write(f"FAIL {where} {result.label}\n     {result.detail}\n")
    rules_without = [r.id for r in rulebook.rules if not r.info.examples]
    for rule_id in rules_without:
        sys.stdout.write(f"FAIL {rule_id}：规则没有示例\n")
    sys.stdout.write(f"{len(results) - len(failed)} passed, {len(failed)} failed（{len(rulebook.rules)} 条规则）\n")
    return EXIT_FINDINGS if failed or rules_without else EXIT_CLEAN
