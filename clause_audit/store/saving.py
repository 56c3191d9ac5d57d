"""Save one audit report: an audit row, its findings with fingerprints, earlier review decisions carried over."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from clause_audit.fingerprint import clause_text_of, finding_fingerprint
from clause_audit.model import Report
from clause_audit.store.models import Audit, FindingRow, Merchant
from clause_audit.store.records import SaveResult


def save_report(session: Session, report: Report, audited_at: datetime) -> SaveResult:
    """Add `report` as a new audit. When the same document (content hash) was saved before, the review
    decisions of its latest audit are copied onto the findings with the same fingerprint."""
    merchant = merchant_named(session, report.merchant) if report.merchant else None
    previous = latest_audit_of(session, report.content_hash) if report.content_hash else None
    decisions = _decisions(previous)
    audit = Audit(
        source=report.source,
        content_hash=report.content_hash,
        merchant=merchant,
        domain=report.domain.code,
        rules_version=report.rules_version,
        clause_count=len(report.clauses),
        audited_at=audited_at,
    )
    carried = 0
    for finding in report.findings:
        fingerprint = finding_fingerprint(report, finding)
        row = FindingRow(
            rule_id=finding.rule_id,
            title=finding.title,
            category=finding.category,
            severity=finding.severity,
            clause_number=finding.clause_number,
            clause_text=clause_text_of(report, finding),
            quote=finding.quote,
            message=finding.message,
            legal_basis=list(finding.legal_basis),
            suggestion=finding.suggestion,
            fingerprint=fingerprint,
            status="open",
            reviewer="",
            reviewer_note="",
        )
        earlier = decisions[fingerprint].pop(0) if decisions[fingerprint] else None
        if earlier is not None:
            row.status, row.reviewer = earlier.status, earlier.reviewer
            row.reviewer_note, row.reviewed_at = earlier.reviewer_note, earlier.reviewed_at
            carried += 1
        audit.findings.append(row)
    session.add(audit)
    session.flush()
    other = None if previous is not None or merchant is None else _other_document_of(session, merchant, audit)
    return SaveResult(audit.id, previous.id if previous else None, carried, other)


def latest_audit_of(session: Session, content_hash: str) -> Audit | None:
    query = (
        select(Audit)
        .where(Audit.content_hash == content_hash)
        .order_by(Audit.audited_at.desc(), Audit.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()


def merchant_named(session: Session, name: str) -> Merchant:
    """The merchant row of `name`, created if new (two writers creating it at once both end with one row)."""
    found = session.scalars(select(Merchant).where(Merchant.name == name)).first()
    if found is not None:
        return found
    try:
        with session.begin_nested():
            merchant = Merchant(name=name)
            session.add(merchant)
        return merchant
    except IntegrityError:
        return session.scalars(select(Merchant).where(Merchant.name == name)).one()


def _decisions(previous: Audit | None) -> defaultdict[str, list[FindingRow]]:
    by_fingerprint: defaultdict[str, list[FindingRow]] = defaultdict(list)
    for row in previous.findings if previous is not None else ():
        if row.status != "open":
            by_fingerprint[row.fingerprint].append(row)
    return by_fingerprint


def _other_document_of(session: Session, merchant: Merchant, audit: Audit) -> int | None:
    query = (
        select(Audit.id)
        .where(Audit.merchant_id == merchant.id, Audit.content_hash != audit.content_hash, Audit.id != audit.id)
        .order_by(Audit.audited_at.desc(), Audit.id.desc())
        .limit(1)
    )
    return session.scalars(query).first()
