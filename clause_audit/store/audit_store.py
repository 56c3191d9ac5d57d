"""The audit store as one object: save reports, list and show cases, record reviews, read occurrences."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clause_audit.model import Report
from clause_audit.store import cases, occurrences, review, saving
from clause_audit.store.errors import ReviewConflict, StoreError
from clause_audit.store.records import Case, CaseSummary, SaveResult, StoredFinding
from clause_audit.store.times import to_stored, utc_now

if TYPE_CHECKING:
    from clause_audit.bulletin.occurrence import Occurrence


class Store:
    """An open audit store. Each call runs in its own transaction; the values returned are plain data."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.url = engine.url.render_as_string(hide_password=True)
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    def session(self) -> Session:
        """A new ORM session (for tests and for callers composing their own transactions)."""
        return self._sessions()

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        try:
            with self._sessions.begin() as session:
                yield session
        except (StoreError, StaleDataError, ValueError):
            raise
        except OperationalError as exc:
            raise StoreError(f"审查记录数据库操作失败：{_first_line(exc)}") from None
        except SQLAlchemyError as exc:
            raise StoreError(f"审查记录数据库出错：{_first_line(exc)}") from None

    def save(self, report: Report, *, audited_at: datetime | None = None) -> SaveResult:
        """Save one audit report as a new case (see saving.save_report)."""
        moment = to_stored(audited_at) if audited_at is not None else utc_now()
        with self._transaction() as session:
            return saving.save_report(session, report, moment)

    def cases(
        self,
        *,
        merchant: str | None = None,
        domain: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        status: str | None = None,
    ) -> list[CaseSummary]:
        with self._transaction() as session:
            return cases.list_cases(session, merchant=merchant, domain=domain, since=since, until=until, status=status)

    def case(self, audit_id: int) -> Case:
        """One case with its findings; CaseNotFound when there is none with that id."""
        with self._transaction() as session:
            return cases.get_case(session, audit_id)

    def latest_case_of(self, content_hash: str) -> Case | None:
        """The newest saved audit of the document with this content hash, if any."""
        with self._transaction() as session:
            audit = saving.latest_audit_of(session, content_hash)
            return cases.get_case(session, audit.id) if audit is not None else None

    def review(
        self,
        finding_id: int,
        decision: str,
        *,
        note: str = "",
        reviewer: str = "",
        expected_version: int | None = None,
        override: bool = False,
    ) -> StoredFinding:
        """Confirm or dismiss a finding. ReviewConflict when it would overwrite another reviewer's decision."""
        try:
            with self._transaction() as session:
                row = review.record_review(
                    session,
                    finding_id,
                    decision,
                    note=note,
                    reviewer=reviewer,
                    now=utc_now(),
                    expected_version=expected_version,
                    override=override,
                )
                return cases.stored_finding(row)
        except StaleDataError:
            raise ReviewConflict(f"问题 {finding_id} 刚被其他人复核，本次复核未保存；请重新查看后再复核") from None

    def occurrences(
        self,
        *,
        domain: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        include_unreviewed: bool = False,
    ) -> list[Occurrence]:
        """The flagged findings a bulletin counts (see occurrences.find_occurrences)."""
        with self._transaction() as session:
            return occurrences.find_occurrences(
                session, domain=domain, since=since, until=until, include_unreviewed=include_unreviewed
            )

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _first_line(exc: SQLAlchemyError) -> str:
    original = getattr(exc, "orig", None) or exc
    return str(original).splitlines()[0] if str(original) else type(original).__name__
