"""The store as the commands use it: `--db`, opening with one Chinese line on failure, save announcements.

Nothing here imports SQLAlchemy at module level, so building the argument parser stays cheap.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from clause_audit.model import Report

if TYPE_CHECKING:
    from clause_audit.store import Store

DB_HELP = (
    "审查记录数据库：文件路径或 SQLAlchemy 地址（如 postgresql+psycopg://…）；"
    "默认用环境变量 CLAUSE_AUDIT_DB，否则用用户数据目录中的 audits.sqlite3"
)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="URL", help=DB_HELP)


def open_for_command(db: str | None) -> Store | None:
    """The store named by `--db` (or the default), or None after one line on standard error."""
    from clause_audit.store import StoreError, open_store

    try:
        return open_store(db)
    except StoreError as exc:
        sys.stderr.write(f"clause-audit: {exc.message}\n")
        return None


def store_wanted(db: str | None) -> bool:
    """Whether a store was named (`--db`, CLAUSE_AUDIT_DB) or the default file already exists."""
    from clause_audit.store.location import chosen_location, default_path

    return chosen_location(db) is not None or default_path().exists()


class ReportSaver:
    """Saves each audited report of `audit --save` and says on standard error what it did."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def save(self, report: Report) -> bool:
        from clause_audit.store import StoreError

        try:
            result = self.store.save(report)
        except StoreError as exc:
            sys.stderr.write(f"clause-audit: {report.source}：未能保存审查记录：{exc.message}\n")
            return False
        if result.previous_id is not None:
            carried = f"，沿用 {result.carried} 条复核结论" if result.carried else ""
            sys.stderr.write(
                f"clause-audit: {report.source}：已审查过（案件 #{result.previous_id}），"
                f"本次结果另存为案件 #{result.audit_id}{carried}\n"
            )
        else:
            sys.stderr.write(f"clause-audit: {report.source}：已保存为案件 #{result.audit_id}\n")
        if result.merchant_case_id is not None:
            sys.stderr.write(
                f"clause-audit: 提示：{report.merchant} 的合同曾审查过（案件 #{result.merchant_case_id}），"
                f"可用 clause-audit recheck --old-case {result.merchant_case_id} {report.source} 复查整改情况\n"
            )
        return True

    def close(self) -> None:
        self.store.close()
