"""One flagged clause of one audited contract: what a bulletin counts, groups and quotes.

Both sources of a bulletin produce these: audit reports read straight from files, and the audit
store (confirmed findings, or every open one with --include-unreviewed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Occurrence:
    source: str  # the audited file's name as given
    content_hash: str  # sha256 of the file's bytes, hex
    merchant: str  # the business named in the parties block; "" when none was found
    domain: str  # the document's primary domain: prepaid, used_car, training, general
    audited_at: datetime
    rule_id: str
    title: str
    category: str
    severity: str  # high | medium (low findings never reach a bulletin)
    clause_number: str
    clause_text: str  # verbatim text of the whole clause
    quote: str  # verbatim problem span inside clause_text
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    review_status: str = "open"  # open | confirmed | dismissed
    reviewer_note: str = ""
