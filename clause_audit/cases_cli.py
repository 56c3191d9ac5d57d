"""`clause-audit cases list|show|review`: saved audits (cases) and staff review decisions."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from clause_audit.model import DOMAINS
from clause_audit.reviewing import REVIEW_STATUS_NAMES, REVIEW_STATUSES
from clause_audit.store_cli import add_db_option, open_for_command

if TYPE_CHECKING:
    from rich.console import Console

    from clause_audit.store import Store
    from clause_audit.store.records import Case

EXIT_OK, EXIT_ERROR = 0, 2


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `clause-audit cases`."""
    sub = parser.add_subparsers(dest="cases_command", parser_class=type(parser), required=True)
    listing = sub.add_parser("list", help="列出审查记录（案件）")
    listing.add_argument("--merchant", metavar="M", help="经营者名称（包含即可）")
    listing.add_argument("--domain", choices=DOMAINS)
    listing.add_argument("--since", type=_day, metavar="DATE", help="审查日期不早于（YYYY-MM-DD）")
    listing.add_argument("--until", type=_day, metavar="DATE", help="审查日期不晚于（YYYY-MM-DD，含当天）")
    listing.add_argument("--status", choices=REVIEW_STATUSES, help="只列出含该复核状态问题的案件")
    show = sub.add_parser("show", help="显示一个案件及其全部问题")
    show.add_argument("case_id", type=case_id, metavar="ID", help="案件编号（如 3 或 #3）")
    review = sub.add_parser("review", help="复核一个问题：确认或驳回")
    review.add_argument("finding_id", type=case_id, metavar="FINDING_ID", help="问题编号（见 cases show）")
    decision = review.add_mutually_exclusive_group(required=True)
    decision.add_argument("--confirm", dest="decision", action="store_const", const="confirmed", help="确认问题")
    decision.add_argument(
        "--dismiss", dest="decision", action="store_const", const="dismissed", help="驳回（不构成问题）"
    )
    review.add_argument("--note", default="", metavar="TEXT", help="复核意见")
    review.add_argument("--reviewer", metavar="NAME", help="复核人（默认：当前系统用户名）")
    review.add_argument("--override", action="store_true", help="改判他人（或自己）已作出的复核结论")
    for p in (listing, show, review):
        add_db_option(p)


def run(args: argparse.Namespace) -> int:
    store = open_for_command(args.db)
    if store is None:
        return EXIT_ERROR
    from clause_audit.store import StoreError

    try:
        with store:
            if args.cases_command == "list":
                return _list(store, args)
            if args.cases_command == "show":
                return _show(store, args.case_id)
            return _review(store, args)
    except StoreError as exc:
        sys.stderr.write(f"clause-audit: {exc.message}\n")
        return EXIT_ERROR


def case_id(text: str) -> int:
    """A case or finding number, written 12 or #12."""
    digits = text.strip().removeprefix("#")
    if not digits.isdigit() or int(digits) < 1:
        raise argparse.ArgumentTypeError(f"编号应为正整数：{text}")
    return int(digits)


def _day(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, no_color="NO_COLOR" in os.environ or not sys.stdout.isatty(), width=120)


def _list(store: Store, args: argparse.Namespace) -> int:
    from rich.table import Table
    from rich.text import Text

    until = args.until
    if until is not None and until == until.replace(hour=0, minute=0, second=0, microsecond=0):
        until += timedelta(days=1)  # a date names the whole day
    found = store.cases(merchant=args.merchant, domain=args.domain, since=args.since, until=until, status=args.status)
    console = _console()
    if not found:
        console.print("没有符合条件的审查记录。")
        return EXIT_OK
    table = Table(title=f"审查记录（{len(found)} 件）", title_justify="left")
    for column in ("案件", "审查时间", "文件", "经营者", "领域", "问题", "高/中", "待复核/确认/驳回"):
        numeric = column not in ("审查时间", "文件", "经营者", "领域")
        # names and times stay on one line; a long file name folds
        table.add_column(column, justify="right" if numeric else "left", no_wrap=column != "文件", overflow="fold")
    from clause_audit.model import DOMAIN_NAMES

    for case in found:
        counts = case.by_status
        cells = (
            f"#{case.id}",
            _local(case.audited_at),
            Path(case.source).name,
            case.merchant or "—",
            DOMAIN_NAMES.get(case.domain, case.domain),
            str(case.findings),
            str(case.flagged),
            f"{counts['open']}/{counts['confirmed']}/{counts['dismissed']}",
        )
        table.add_row(*(Text(cell) for cell in cells))
    console.print(table)
    return EXIT_OK


def _show(store: Store, audit_id: int) -> int:
    case = store.case(audit_id)
    print_case(_console(), case)
    return EXIT_OK


def print_case(console: Console, case: Case) -> None:
    from rich.table import Table
    from rich.text import Text

    from clause_audit.model import DOMAIN_NAMES, SEVERITY_NAMES

    s = case.summary
    console.print(Text(f"案件 #{s.id}  {s.source}", style="bold"))
    console.print(
        Text(
            f"审查时间：{_local(s.audited_at)}  领域：{DOMAIN_NAMES.get(s.domain, s.domain)}  条款：{s.clause_count}  "
            f"规则库版本：{s.rules_version}  经营者：{s.merchant or '—'}"
        )
    )
    console.print(f"文件 SHA-256：{s.content_hash or '—'}")
    if not case.findings:
        console.print("未发现问题条款。")
        return
    table = Table(show_lines=True)
    for column in ("问题编号", "风险", "条款", "规则", "原文摘录", "复核状态", "复核人", "复核意见"):
        table.add_column(column, justify="right" if column == "问题编号" else "left", overflow="fold")
    for f in case.findings:
        reviewed = f"{f.reviewer}\n{_local(f.reviewed_at)}" if f.reviewed_at else (f.reviewer or "")
        cells = (
            str(f.id),
            SEVERITY_NAMES.get(f.severity, f.severity),
            f.clause_number or "—",
            f"{f.title}\n[{f.rule_id}]",
            f.quote,
            REVIEW_STATUS_NAMES[f.status],
            reviewed,
            f.reviewer_note,
        )
        table.add_row(*(Text(cell) for cell in cells))  # Text: a quote or note is never read as markup
    console.print(table)


def _review(store: Store, args: argparse.Namespace) -> int:
    reviewer = args.reviewer if args.reviewer is not None else _user()
    finding = store.review(args.finding_id, args.decision, note=args.note, reviewer=reviewer, override=args.override)
    who = f"（复核人：{finding.reviewer}）" if finding.reviewer else ""
    message = f"问题 {finding.id}（案件 #{finding.audit_id}）已标记为“{REVIEW_STATUS_NAMES[finding.status]}”{who}"
    _console().print(message, markup=False)
    return EXIT_OK


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _local(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M") if moment else ""
