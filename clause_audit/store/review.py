"""Record a staff member's review decision on one finding, refusing to overwrite someone else's."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from clause_audit.reviewing import REVIEW_DECISIONS, REVIEW_STATUS_NAMES
from clause_audit.store.errors import CaseNotFound, ReviewConflict
from clause_audit.store.models import FindingRow
from clause_audit.store.times import from_stored


def record_review(
    session: Session,
    finding_id: int,
    decision: str,
    *,
    note: str,
    reviewer: str,
    now: datetime,
    expected_version: int | None = None,
    override: bool = False,
) -> FindingRow:
    """Set the decision of a finding in `session` (flushed; the caller commits).

    With `expected_version` (the version the caller saw), a finding changed since is a conflict.
    Without it, a finding someone already decided is a conflict unless `override`. A change made by
    another session between this read and the write is caught by the version column on flush.
    """
    if decision not in REVIEW_DECISIONS:
        raise ValueError(f"unknown decision: {decision}")
    row = session.get(FindingRow, finding_id)
    if row is None:
        raise CaseNotFound(f"没有编号为 {finding_id} 的问题")
    if expected_version is not None and row.version != expected_version:
        raise ReviewConflict(f"问题 {finding_id} 在您查看之后已被修改（{_decided(row)}），请重新查看后再复核")
    if expected_version is None and row.status != "open" and not override:
        raise ReviewConflict(f"问题 {finding_id} 已复核（{_decided(row)}）；如需改判，请加 --override")
    row.status = decision
    row.reviewer_note = note
    row.reviewer = reviewer
    row.reviewed_at = now
    session.flush()  # UPDATE … WHERE id = ? AND version = ?: raises StaleDataError if another writer won
    return row


def _decided(row: FindingRow) -> str:
    who = row.reviewer or "未署名"
    when = from_stored(row.reviewed_at).astimezone().strftime("%Y-%m-%d %H:%M") if row.reviewed_at else "时间不详"
    return f"{who} 于 {when} 标记为“{REVIEW_STATUS_NAMES[row.status]}”"
