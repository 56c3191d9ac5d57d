"""`clause-audit recheck OLD NEW`: has the merchant rectified the problems of the earlier version?

OLD is a contract file, or a stored case: `--old-case 12` (or a quoted "#12" in place of OLD).
Exit status: 0 everything rectified, 1 something still flagged, 2 usage or input error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar

from clause_audit.model import DOMAINS
from clause_audit.store_cli import add_db_option

if TYPE_CHECKING:
    from clause_audit.model import Report
    from clause_audit.recheck.comparison import Flag, Recheck, Version

T = TypeVar("T")
EXIT_RECTIFIED, EXIT_FLAGGED, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "json", "html", "docx")
_CASE_REF = re.compile(r"#(\d+)")


class _Refused(Exception):
    """An input or usage problem, already worded in Chinese."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The options of `clause-audit recheck`."""
    parser.add_argument(
        "paths", nargs="+", metavar="OLD NEW", help="修改前和修改后的合同文件（用 --old-case 时只给修改后的）"
    )
    parser.add_argument("--old-case", type=_case_number, metavar="ID", help="修改前的版本取已保存的案件（审查记录）")
    parser.add_argument("--format", choices=FORMATS, default="text", help="输出格式（默认 text）；docx 必须用 -o")
    parser.add_argument("-o", "--output", metavar="OUT", help="写入文件")
    parser.add_argument("--domain", choices=DOMAINS, help="指定领域，不自动识别")
    parser.add_argument("--rules", action="append", metavar="DIR", help="追加本地规则目录（可重复）")
    add_db_option(parser)


def run(args: argparse.Namespace) -> int:
    try:
        old_ref, new_path = _inputs(args)
        if args.format == "docx" and not args.output:
            raise _Refused("参数错误：--format docx 生成的是文件，请用 -o 指定输出文件")
        recheck = _recheck(args, old_ref, new_path)
        _write(recheck, args.format, args.output)
    except _Refused as exc:
        sys.stderr.write(f"clause-audit: {exc}\n")
        return EXIT_ERROR
    return EXIT_RECTIFIED if recheck.rectified else EXIT_FLAGGED


def _case_number(text: str) -> int:
    from clause_audit.cases_cli import case_id

    return case_id(text)


def _inputs(args: argparse.Namespace) -> tuple[int | str, str]:
    """(the stored case id or the file of the earlier version, the file of the revision)."""
    paths: list[str] = args.paths
    if args.old_case is not None:
        if len(paths) != 1:
            raise _Refused("参数错误：用 --old-case 时只需给出修改后的合同文件")
        return args.old_case, paths[0]
    if len(paths) != 2:
        raise _Refused("参数错误：请给出修改前（OLD）和修改后（NEW）两个合同文件，或用 --old-case 指定修改前的案件")
    ref = _CASE_REF.fullmatch(paths[0].strip())
    return (int(ref.group(1)) if ref else paths[0]), paths[1]


def _recheck(args: argparse.Namespace, old_ref: int | str, new_path: str) -> Recheck:
    from clause_audit.recheck.comparison import Recheck, compare
    from clause_audit.recheck.sources import flags_of_report, version_of_report

    earlier, old_version = _earlier(args, old_ref)
    new_report = _audit_file(args, new_path)
    return Recheck(old_version, version_of_report(new_report), tuple(compare(earlier, flags_of_report(new_report))))


def _earlier(args: argparse.Namespace, old_ref: int | str) -> tuple[list[Flag], Version]:
    """The earlier version's findings: from the store, or a fresh audit with the stored decisions laid on."""
    from clause_audit.recheck.sources import (
        flags_of_case,
        flags_of_report,
        version_of_case,
        version_of_report,
        with_decisions,
    )
    from clause_audit.store_cli import open_for_command, store_wanted

    if isinstance(old_ref, int):
        store = open_for_command(args.db)
        if store is None:
            raise _Refused("无法读取修改前的案件")
        with store:
            case = _stored(partial(store.case, old_ref))
        return flags_of_case(case), version_of_case(case)
    report = _audit_file(args, old_ref)
    flags = flags_of_report(report)
    if not report.content_hash or not store_wanted(args.db):
        return flags, version_of_report(report)
    store = open_for_command(args.db)
    if store is None:
        raise _Refused("无法读取审查记录，未能沿用复核结论")
    with store:
        stored = _stored(partial(store.latest_case_of, report.content_hash))
    if stored is None:
        return flags, version_of_report(report)
    return with_decisions(flags, stored), version_of_report(report, stored.id)


def _stored(read: Callable[[], T]) -> T:
    from clause_audit.store import StoreError

    try:
        return read()
    except StoreError as exc:
        raise _Refused(exc.message) from None


def _audit_file(args: argparse.Namespace, path: str) -> Report:
    from clause_audit.cli import load_rules
    from clause_audit.errors import InputError
    from clause_audit.pipeline import audit

    try:
        return audit(path, domain=args.domain, rulebook=load_rules(args.rules))
    except InputError as exc:
        raise _Refused(f"{path}：{exc.message}") from None


def _write(recheck: Recheck, fmt: str, output: str | None) -> None:
    try:
        if fmt == "docx":
            from clause_audit.recheck.docx import render_docx

            assert output is not None
            with open(output, "wb") as out:
                out.write(render_docx(recheck))
            return
        if fmt == "text" and output is None:
            from clause_audit.recheck.text import write_text

            write_text(recheck, sys.stdout, sys.stdout.isatty() and "NO_COLOR" not in os.environ)
            return
        text = _as_text(recheck, fmt)
        if output is None:
            sys.stdout.write(text)
        else:
            with open(output, "w", encoding="utf-8") as out:
                out.write(text)
    except OSError as exc:
        raise _Refused(f"无法写入 {output}：{exc.strerror or exc}") from None


def _as_text(recheck: Recheck, fmt: str) -> str:
    if fmt == "json":
        from clause_audit.recheck.json import recheck_dict

        return json.dumps(recheck_dict(recheck), ensure_ascii=False, indent=2) + "\n"
    if fmt == "html":
        from clause_audit.recheck.html import render_html

        return render_html(recheck)
    import io

    from clause_audit.recheck.text import write_text

    buffer = io.StringIO()
    write_text(recheck, buffer, False)
    return buffer.getvalue()
