"""What the store hands out: frozen plain values, never ORM rows bound to a session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class StoredFinding:
    id: int
    audit_id: int
    rule_id: str
    title: str
    category: str
    severity: str
    clause_number: str
    clause_text: str
    quote: str
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    fingerprint: str
    status: str  # open | confirmed | dismissed
    reviewer: str
    reviewer_note: str
    reviewed_at: datetime | None  # aware, UTC
    version: int  # changes with every review: pass it back as expected_version to detect a conflict


@dataclass(frozen=True)
class CaseSummary:
    id: int
    source: str
    content_hash: str
    merchant: str
    domain: str
    rules_version: str
    audited_at: datetime  # aware, UTC
    clause_count: int
    findings: int
    flagged: int  # high and medium
    by_status: dict[str, int]


@dataclass(frozen=True)
class Case:
    summary: CaseSummary
    findings: tuple[StoredFinding, ...]

    @property
    def id(self) -> int:
        return self.summary.id


@dataclass(frozen=True)
class SaveResult:
    audit_id: int
    previous_id: int | None  # the latest earlier audit of the same document (same content hash)
    carried: int  # review decisions carried over from it
    merchant_case_id: int | None  # another document of the same merchant audited before: a recheck candidate
