"""What a bulletin counts: occurrences from fresh audits, the chosen period and domain, one contract per text."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.model import FLAGGED_SEVERITIES, Report

_SPACE = re.compile(r"\s+")


def occurrences_from_reports(reports: Iterable[Report], *, audited_at: datetime | None = None) -> list[Occurrence]:
    """Every high/medium finding of fresh audit reports as an open Occurrence, audited `audited_at` (now)."""
    when = audited_at or datetime.now().astimezone()
    out: list[Occurrence] = []
    for report in reports:
        for f in report.findings:
            if f.severity not in FLAGGED_SEVERITIES:
                continue
            text = report.clauses[f.clause_index].text if f.clause_index is not None else ""
            out.append(
                Occurrence(
                    source=report.source,
                    content_hash=report.content_hash,
                    merchant=report.merchant,
                    domain=report.domain.code,
                    audited_at=when,
                    rule_id=f.rule_id,
                    title=f.title,
                    category=f.category,
                    severity=f.severity,
                    clause_number=f.clause_number,
                    clause_text=text,
                    quote=f.quote,
                    message=f.message,
                    legal_basis=f.legal_basis,
                    suggestion=f.suggestion,
                )
            )
    return out


def local_date(moment: datetime) -> date:
    """The calendar day of a moment, in local time when it carries a time zone."""
    return (moment.astimezone() if moment.tzinfo else moment).date()


def select(
    occurrences: Iterable[Occurrence],
    *,
    domain: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> list[Occurrence]:
    """The occurrences of one domain (if given) audited within [since, until], both days included."""
    out = []
    for o in occurrences:
        day = local_date(o.audited_at)
        if domain and o.domain != domain:
            continue
        if (since and day < since) or (until and day > until):
            continue
        out.append(o)
    return out


def normal_text(text: str) -> str:
    """Text compared across file formats: NFKC, without blanks (PDF extraction adds and drops them)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Contracts:
    """Which audited files are the same contract, and which business each contract belongs to.

    A contract is its merchant plus the text of its flagged clauses: the DOCX and the PDF of one contract
    have different hashes but count once. A contract with no merchant name found is its own merchant.
    """

    contract_of: dict[str, str]  # content hash (or source when there is none) → contract key
    merchant_of: dict[str, str]  # contract key → merchant key

    def contract(self, o: Occurrence) -> str:
        return self.contract_of[file_key(o)]

    def merchant(self, o: Occurrence) -> str:
        return self.merchant_of[self.contract(o)]


def file_key(o: Occurrence) -> str:
    return o.content_hash or f"source:{o.source}"


def identify_contracts(occurrences: Iterable[Occurrence]) -> Contracts:
    by_file: dict[str, list[Occurrence]] = {}
    for o in occurrences:
        by_file.setdefault(file_key(o), []).append(o)
    contract_of: dict[str, str] = {}
    merchant_of: dict[str, str] = {}
    for key, found in by_file.items():
        lines = sorted({f"{o.rule_id}\t{normal_text(o.clause_text)}\t{normal_text(o.quote)}" for o in found})
        merchant = normal_text(found[0].merchant)
        digest = hashlib.sha256("\n".join([merchant, *lines]).encode()).hexdigest()[:16]
        contract_of[key] = digest
        merchant_of[digest] = f"name:{merchant}" if merchant else f"contract:{digest}"
    return Contracts(contract_of, merchant_of)


def distinct(occurrences: Iterable[Occurrence], contracts: Contracts) -> list[Occurrence]:
    """One occurrence per contract, rule and clause: the second file of the same contract adds nothing."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for o in occurrences:
        key = (contracts.contract(o), o.rule_id, normal_text(o.clause_text), normal_text(o.quote))
        if key not in seen:
            seen.add(key)
            out.append(o)
    return out
