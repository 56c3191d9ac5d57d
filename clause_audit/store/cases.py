"""Read saved audits as cases: a filtered list, or one case with its findings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, selectinload

from clause_audit.model import FLAGGED_SEVERITIES
from clause_audit.reviewing import REVIEW_STATUSES
from clause_audit.store.errors import CaseNotFound
from clause_audit.store.models import Audit, FindingRow, Merchant
from clause_audit.store.records import Case, CaseSummary, StoredFinding
from clause_audit.store.times import from_stored, to_stored


def list_cases(
    session: Session,
    *,
    merchant: str | None = None,
    domain: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    status: str | None = None,
) -> list[CaseSummary]:
    """Saved audits, newest first. `merchant` matches part of the name; `status` keeps the audits with at
    least one finding in that review status; `since` is inclusive and `until` exclusive."""
    query = select(Audit).options(selectinload(Audit.findings), selectinload(Audit.merchant))
    if merchant:
        query = query.join(Audit.merchant).where(func.lower(Merchant.name).contains(merchant.lower(), autoescape=True))
    if domain:
        query = query.where(Audit.domain == domain)
    if since is not None:
        query = query.where(Audit.audited_at >= to_stored(since))
    if until is not None:
        query = query.where(Audit.audited_at < to_stored(until))
    if status:
        if status not in REVIEW_STATUSES:
            raise ValueError(f"unknown review status: {status}")
        query = query.where(exists().where(FindingRow.audit_id == Audit.id, FindingRow.status == status))
    query = query.order_by(Audit.audited_at.desc(), Audit.id.desc())
    return [summarize(audit) for audit in session.scalars(query)]


def get_case(session: Session, audit_id: int) -> Case:
    audit = session.get(Audit, audit_id, options=[selectinload(Audit.findings), selectinload(Audit.merchant)])
    if audit is None:
        raise CaseNotFound(f"没有编号为 #{audit_id} 的审查记录")
    return Case(summarize(audit), tuple(stored_finding(row) for row in audit.findings))


def summarize(audit: Audit) -> CaseSummary:
    by_status = dict.fromkeys(REVIEW_STATUSES, 0)
    for row in audit.findings:
        by_status[row.status] += 1
    return CaseSummary(
        id=audit.id,
        source=audit.source,
        content_hash=audit.content_hash,
        merchant=audit.merchant.name if audit.merchant else "",
        domain=audit.domain,
        rules_version=audit.rules_version,
        audited_at=from_stored(audit.audited_at),
        clause_count=audit.clause_count,
        findings=len(audit.findings),
        flagged=sum(row.severity in FLAGGED_SEVERITIES for row in audit.findings),
        by_status=by_status,
    )


def stored_finding(row: FindingRow) -> StoredFinding:
    return StoredFinding(
        id=row.id,
        audit_id=row.audit_id,
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
        fingerprint=row.fingerprint,
        status=row.status,
        reviewer=row.reviewer,
        reviewer_note=row.reviewer_note,
        reviewed_at=from_stored(row.reviewed_at) if row.reviewed_at else None,
        version=row.version,
    )
