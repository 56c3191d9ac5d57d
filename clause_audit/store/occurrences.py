"""The flagged findings a bulletin counts, read from the store as Occurrence values."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.model import FLAGGED_SEVERITIES
from clause_audit.store.models import Audit, FindingRow
from clause_audit.store.times import from_stored, to_stored


def find_occurrences(
    session: Session,
    *,
    domain: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    include_unreviewed: bool = False,
) -> list[Occurrence]:
    """High and medium findings of the audits in the period (since inclusive, until exclusive): confirmed
    ones, and open ones too with `include_unreviewed`; dismissed never. A document (content hash)
    saved more than once in the period counts with its latest audit only."""
    audits = select(Audit.id, Audit.content_hash, Audit.audited_at)
    if domain:
        audits = audits.where(Audit.domain == domain)
    if since is not None:
        audits = audits.where(Audit.audited_at >= to_stored(since))
    if until is not None:
        audits = audits.where(Audit.audited_at < to_stored(until))
    latest: dict[str, tuple[datetime, int]] = {}
    for audit_id, content_hash, audited_at in session.execute(audits):
        key = content_hash or f"#{audit_id}"  # a report built in memory has no hash: each is its own document
        if key not in latest or (audited_at, audit_id) > latest[key]:
            latest[key] = (audited_at, audit_id)
    ids = sorted(audit_id for _, audit_id in latest.values())
    statuses = ("confirmed", "open") if include_unreviewed else ("confirmed",)
    found: list[tuple[FindingRow, Audit]] = []
    for chunk in (ids[i : i + 500] for i in range(0, len(ids), 500)):
        query = (
            select(FindingRow, Audit)
            .join(FindingRow.audit)
            .where(
                FindingRow.audit_id.in_(chunk),
                FindingRow.severity.in_(FLAGGED_SEVERITIES),
                FindingRow.status.in_(statuses),
            )
        )
        found.extend((row, audit) for row, audit in session.execute(query))
    found.sort(key=lambda pair: (pair[1].audited_at, pair[1].id, pair[0].id))
    return [_occurrence(row, audit) for row, audit in found]


def _occurrence(row: FindingRow, audit: Audit) -> Occurrence:
    return Occurrence(
        source=audit.source,
        content_hash=audit.content_hash,
        merchant=audit.merchant.name if audit.merchant else "",
        domain=audit.domain,
        audited_at=from_stored(audit.audited_at),
        rule_id=row.rule_id,
        title=row.title,
        category=row.category,
        severity=row.severity,
        clause_number=row.clause_number,
        clause_text=row.clause_text,
        quote=row.quote,
        message=row.message,
        legal_basis=tuple(row.legal_basis),
        suggestion=row.suggestion,
        review_status=row.status,
        reviewer_note=row.reviewer_note,
    )
