"""Command line: parse, dispatch to one function per subcommand, map outcomes to exit codes.

Exit status like a linter: 0 no high/medium finding, 1 findings, 2 usage or input error.
Results go to standard output (or -o), progress and problems to standard error.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Literal, TextIO

from clause_audit import __version__
from clause_audit.model import DOMAINS, Failure, Report

if TYPE_CHECKING:
    from clause_audit.outputs import OutputFolder
    from clause_audit.rulebook import Rulebook
    from clause_audit.store_cli import ReportSaver

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"clause-audit: 参数错误：{message}\n")
        raise SystemExit(EXIT_ERROR)


def _positive_int(text: str) -> int:
    value = int(text) if text.isdigit() else 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"应为正整数：{text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from clause_audit.outputs import FORMATS

    parser = _Parser(prog="clause-audit", description="审查中文消费合同中的不公平格式条款")
    parser.add_argument("--version", action="store_true", help="显示版本号和规则库版本")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    audit = sub.add_parser("audit", help="审查合同文件（.docx / .pdf / .txt / .md，或文件夹）")
    audit.add_argument("paths", nargs="+", metavar="PATH", help="文件或文件夹")
    audit.add_argument("--domain", choices=DOMAINS, help="指定领域，不自动识别")
    audit.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="输出格式（默认 text）；docx/pdf 为批注版原文件，report-docx 为 Word 审查意见书",
    )
    audit.add_argument("-o", "--output", metavar="OUT", help="写入文件；是目录（或以 / 结尾）时每个输入各写一个文件")
    audit.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="并行审查的进程数（默认：CPU 核数）",
    )
    audit.add_argument(
        "--rules", action="append", metavar="DIR", help="追加本地规则目录（可重复；同 id 规则覆盖内置规则）"
    )
    audit.add_argument("--save", action="store_true", help="把审查结果保存为案件（审查记录数据库，见 --db）")
    audit.add_argument("--db", metavar="URL", help="审查记录数据库（与 --save 一起使用）：文件路径或 SQLAlchemy 地址")

    rules = sub.add_parser("rules", help="查看和测试规则库")
    rules_sub = rules.add_subparsers(dest="rules_command", parser_class=_Parser, required=True)
    listing = rules_sub.add_parser("list", help="列出全部规则")
    listing.add_argument("--domain", choices=DOMAINS)
    show = rules_sub.add_parser("show", help="显示一条规则的全部内容")
    show.add_argument("rule_id", metavar="ID")
    test = rules_sub.add_parser("test", help="运行每条规则自带的示例")
    test.add_argument("directory", nargs="?", metavar="DIR", help="规则目录（默认：内置规则库）")
    docs = rules_sub.add_parser("docs", help="生成规则说明（Markdown）")
    docs.add_argument("-o", "--output", metavar="FILE", help="写入文件（默认：标准输出）")
    lint = rules_sub.add_parser("lint", help="检查规则库：格式、重复 id、法律依据、不安全的模式、示例数量和结果")
    lint.add_argument("directory", nargs="?", metavar="DIR", help="规则目录（默认：内置规则库）")
    evaluation = sub.add_parser("eval", help="在标注的评测集上计算精确率、召回率和 F1")
    evaluation.add_argument("path", nargs="?", default="eval", metavar="PATH", help="评测集目录或文件（默认 eval/）")
    evaluation.add_argument("--quiet", action="store_true", help="只显示汇总，不列出漏报和误报")
    evaluation.add_argument("--rules", action="append", metavar="DIR", help="规则目录（可重复）")
    from clause_audit import serve

    serve.configure(sub.add_parser("serve", help="启动网页自查和 Web API 服务（uvicorn）"))
    from clause_audit.bulletin import cli as bulletin_cli

    bulletin_cli.configure(sub.add_parser("bulletin", help="生成不公平格式条款点评报告（docx / html / markdown）"))
    from clause_audit import cases_cli, recheck_cli

    cases_cli.configure(sub.add_parser("cases", help="审查记录（案件）：列出、查看、复核问题"))
    recheck_cli.configure(sub.add_parser("recheck", help="整改复查：比较合同的修改前后两个版本"))
    for p in (listing, show):
        p.add_argument("--rules", action="append", metavar="DIR", help="规则目录（可重复）")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.version:
            return _version()
        if args.command == "audit":
            return _audit(args)
        if args.command == "serve":
            from clause_audit import serve

            return serve.run(args)
        if args.command == "cases":
            from clause_audit import cases_cli

            return cases_cli.run(args)
        if args.command == "recheck":
            from clause_audit import recheck_cli

            return recheck_cli.run(args)
        if args.command == "bulletin":
            from clause_audit.bulletin import cli as bulletin_cli

            return bulletin_cli.run(args)
        if args.command == "eval":
            from clause_audit import eval_cli

            return eval_cli.run(args)
        if args.command == "rules":
            from clause_audit import rules_cli

            return rules_cli.run(args)
        build_parser().print_help(sys.stderr)
        return EXIT_ERROR
    except _RulesUnavailable as exc:
        sys.stderr.write(f"clause-audit: 规则库无法载入：\n{exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("clause-audit: 已中断\n")
        return 130


class _RulesUnavailable(Exception):
    pass


def load_rules(dirs: list[str] | None) -> Rulebook:
    from clause_audit.errors import RuleLoadError
    from clause_audit.library import library_dirs
    from clause_audit.rulebook import load_rulebook

    try:
        return load_rulebook(library_dirs(dirs or ()))
    except RuleLoadError as exc:
        raise _RulesUnavailable(str(exc)) from None


def _version() -> int:
    from clause_audit.library import library_dirs, library_version

    print(f"clause-audit {__version__}（规则库版本 {library_version(library_dirs())}）")
    return EXIT_CLEAN


def _audit(args: argparse.Namespace) -> int:
    from clause_audit.limits import LimitsError, current_limits
    from clause_audit.pipeline import audit_many, expand_paths

    rulebook = load_rules(args.rules)
    paths = expand_paths(args.paths)
    if not paths:
        sys.stderr.write("clause-audit: 没有找到可审查的文件（.docx / .pdf / .txt / .md）\n")
        return EXIT_ERROR
    try:
        current_limits()  # a bad CLAUSE_AUDIT_MAX_* value is a usage error, not one per file
        folder = _output_folder(args.format, args.output, len(paths))
    except (_UsageError, LimitsError) as exc:
        sys.stderr.write(f"clause-audit: 参数错误：{exc}\n")
        return EXIT_ERROR
    saver = _saver(args)
    if saver is False:
        return EXIT_ERROR
    outcome = {"error": False, "flagged": False}
    targets = folder.targets(paths) if folder is not None else [None] * len(paths)

    def tracked() -> Iterator[Report | Failure]:
        results = audit_many(paths, domain=args.domain, rulebook=rulebook, jobs=args.jobs, outputs=folder)
        for target, result in zip(targets, _with_progress(results, len(paths)), strict=True):
            if isinstance(result, Failure):
                outcome["error"] = True
                sys.stderr.write(f"clause-audit: {result.source}：{result.message}\n")
            else:
                outcome["flagged"] |= result.flagged
                if saver and not saver.save(result):
                    outcome["error"] = True
                if target is not None:
                    print(f"{result.source} → {target}")
            yield result

    if folder is not None:
        for _ in tracked():
            pass
    else:
        _write_stream(args.format, args.output, tracked())
    if saver:
        saver.close()
    if outcome["error"]:
        return EXIT_ERROR
    return EXIT_FINDINGS if outcome["flagged"] else EXIT_CLEAN


def _saver(args: argparse.Namespace) -> ReportSaver | None | Literal[False]:
    """The store `audit --save` writes to; None without --save, False (after one line on stderr) on error."""
    if not args.save:
        if args.db:
            sys.stderr.write("clause-audit: 参数错误：--db 须与 --save 一起使用\n")
            return False
        return None
    from clause_audit.store_cli import ReportSaver, open_for_command

    store = open_for_command(args.db)
    return ReportSaver(store) if store is not None else False


class _UsageError(Exception):
    pass


def _output_folder(fmt: str, output: str | None, inputs: int) -> OutputFolder | None:
    """Where per-input files go, or None when the results form one stream (stdout or one file)."""
    from clause_audit.outputs import FILE_FORMATS, OutputFolder

    to_folder = output is not None and (output.endswith(("/", os.sep)) or os.path.isdir(output))
    if fmt in FILE_FORMATS:
        if output is None:
            raise _UsageError(f"--format {fmt} 生成的是文件，请用 -o 指定输出文件或目录")
        if not to_folder and inputs > 1:
            raise _UsageError("多个输入文件请用 -o 指定一个目录（每个输入各写一个文件）")
        return OutputFolder(output, fmt) if to_folder else OutputFolder(os.path.dirname(output) or ".", fmt, output)
    return OutputFolder(output, fmt) if to_folder and output is not None else None


def _write_stream(fmt: str, output: str | None, results: Iterator[Report | Failure]) -> None:
    from clause_audit.render import writer_for

    write = writer_for(fmt)
    if output:
        with open(output, "w", encoding="utf-8") as out:
            write(results, out, False)
    else:
        write(results, sys.stdout, _use_color(sys.stdout))


def _use_color(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ


def _with_progress(results: Iterator[Report | Failure], total: int) -> Iterator[Report | Failure]:
    """A progress bar on standard error for batches, only when it is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield from results
        return
    from rich.console import Console
    from rich.progress import Progress

    console = Console(file=sys.stderr, no_color="NO_COLOR" in os.environ)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("审查中", total=total)
        for result in results:
            progress.advance(task)
            yield result


if __name__ == "__main__":
    raise SystemExit(main())
