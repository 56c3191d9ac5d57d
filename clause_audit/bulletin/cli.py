"""`clause-audit bulletin`: a public clause-review bulletin from contract files or from the audit store.

Everything heavy (the audit, python-docx, matplotlib) is imported in run(), so other commands start fast.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path

from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.model import DOMAINS

EXIT_OK, EXIT_ERROR = 0, 2
FORMATS = ("docx", "html", "markdown")


class BulletinError(Exception):
    """Bad input: shown as one line on standard error, exit status 2."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `clause-audit bulletin`."""
    parser.add_argument("paths", nargs="*", metavar="PATH", help="现场审查的合同文件或文件夹（与 --db 二选一）")
    parser.add_argument("--db", metavar="URL", help="审查记录库（SQLite 文件路径或 SQLAlchemy URL）")
    parser.add_argument("--domain", choices=DOMAINS, help="只点评这一领域的合同")
    parser.add_argument("--since", metavar="DATE", help="审查日期起（含），如 2026-01-01")
    parser.add_argument("--until", metavar="DATE", help="审查日期止（含），如 2026-03-31")
    parser.add_argument("--anonymize", action="store_true", help="经营者名称匿名（如“某健身公司”），不列文件名")
    parser.add_argument(
        "--include-unreviewed", action="store_true", help="包括尚未复核确认的问题（仅 --db；默认只用已确认的）"
    )
    parser.add_argument("--title", metavar="TEXT", help="报告标题（默认：不公平格式条款点评报告）")
    parser.add_argument("--format", dest="bulletin_format", metavar="FORMAT", help="输出格式：docx、html 或 markdown")
    parser.add_argument("-o", "--output", metavar="FILE", help="输出文件")


def run(args: argparse.Namespace) -> int:
    """Collect, build, render, write; bad input is one Chinese line on standard error and exit status 2."""
    try:
        return _run(args)
    except BulletinError as exc:
        sys.stderr.write(f"clause-audit: {exc}\n")
        return EXIT_ERROR


def _run(args: argparse.Namespace) -> int:
    fmt, output = _check_output(args.bulletin_format, args.output)
    if args.db and args.paths:
        raise BulletinError("--db 和合同文件（PATH）只能二选一")
    if not args.db and not args.paths:
        raise BulletinError("请指定要点评的合同文件或文件夹（PATH），或用 --db 指定审查记录库")
    since, until = parse_date(args.since, "--since"), parse_date(args.until, "--until")
    if since and until and since > until:
        raise BulletinError(f"--since（{since}）晚于 --until（{until}）")

    from clause_audit.bulletin.collect import select

    occurrences = _from_store(args, since, until) if args.db else _from_files(args.paths)
    occurrences = select(occurrences, domain=args.domain, since=since, until=until)
    if not occurrences:
        raise BulletinError("所选范围内没有可点评的问题条款（检查 --domain、--since、--until，或是否已复核确认）")

    from clause_audit.bulletin.chart import chart_png
    from clause_audit.bulletin.content import build_bulletin

    bulletin = build_bulletin(occurrences, title=args.title, since=since, until=until, anonymize=args.anonymize)
    data: bytes
    if fmt == "docx":
        from clause_audit.bulletin.render_docx import render_docx

        data = render_docx(bulletin, chart_png(bulletin))
    elif fmt == "html":
        from clause_audit.bulletin.render_html import render_html

        data = render_html(bulletin, chart_png(bulletin)).encode("utf-8")
    else:
        from clause_audit.bulletin.render_markdown import render_markdown

        data = render_markdown(bulletin).encode("utf-8")
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise BulletinError(f"无法写入 {output}：{exc.strerror or exc}") from None
    t = bulletin.total
    sys.stderr.write(
        f"clause-audit: 点评报告已写入 {output}（{t.merchants} 家经营者、{t.contracts} 份合同、{t.items} 项问题）\n"
    )
    return EXIT_OK


def parse_date(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BulletinError(f"{option} 的日期无效：{text}（应为 YYYY-MM-DD，如 2026-01-31）") from None


def _check_output(fmt: str | None, output: str | None) -> tuple[str, Path]:
    if not fmt:
        raise BulletinError("请用 --format 指定输出格式：docx、html 或 markdown")
    if fmt not in FORMATS:
        raise BulletinError(f"不支持的输出格式：{fmt}（可用 docx、html、markdown）")
    if not output:
        raise BulletinError("请用 -o 指定输出文件")
    path = Path(output)
    folder = path.parent if str(path.parent) else Path(".")
    if path.is_dir():
        raise BulletinError(f"-o 应为文件，{output} 是一个目录")
    if not folder.is_dir():
        raise BulletinError(f"无法写入 {output}：目录 {folder} 不存在")
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise BulletinError(f"无法写入 {output}：没有写入权限")
    return fmt, path


def _from_files(paths: list[str]) -> list[Occurrence]:
    from clause_audit.bulletin.collect import occurrences_from_reports
    from clause_audit.cli import load_rules
    from clause_audit.model import Report
    from clause_audit.pipeline import audit_many, expand_paths

    files = expand_paths(paths)
    if not files:
        raise BulletinError("没有找到可审查的文件（.docx / .pdf / .txt / .md）")
    rulebook = load_rules(None)
    reports = []
    for result in audit_many(files, rulebook=rulebook, jobs=os.cpu_count() or 1):
        if isinstance(result, Report):
            reports.append(result)
        else:
            sys.stderr.write(f"clause-audit: {result.source}：{result.message}（未纳入点评）\n")
    if not reports:
        raise BulletinError("没有可以读取的合同文件")
    return occurrences_from_reports(reports)


def _from_store(args: argparse.Namespace, since: date | None, until: date | None) -> list[Occurrence]:
    try:
        from clause_audit.store import open_store
    except ImportError:
        raise BulletinError("审查记录库模块（clause_audit.store）不可用，无法使用 --db") from None
    # the store's period is [since, until): from the start of the first day to the start of the day after the last
    start = datetime.combine(since, time.min).astimezone() if since else None
    end = datetime.combine(until + timedelta(days=1), time.min).astimezone() if until else None
    try:
        store = open_store(args.db)
        try:
            found = store.occurrences(
                domain=args.domain, since=start, until=end, include_unreviewed=args.include_unreviewed
            )
        finally:
            store.close()
        return list(found)
    except Exception as exc:  # the store's own errors: one line, no traceback
        if os.environ.get("CLAUSE_AUDIT_DEBUG"):
            raise
        raise BulletinError(f"无法读取审查记录库 {args.db}：{exc}") from None
