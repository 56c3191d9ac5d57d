"""The two sides of a recheck as Flag lists: from an audit report, or from a stored case."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

from clause_audit.fingerprint import clause_text_of, finding_fingerprint
from clause_audit.model import FLAGGED_SEVERITIES, Report
from clause_audit.recheck.comparison import Flag, Version

if TYPE_CHECKING:
    from clause_audit.store.records import Case


def flags_of_report(report: Report) -> list[Flag]:
    """The high and medium findings of a report (low ones are advice, not problems to rectify)."""
    return [
        Flag(
            rule_id=f.rule_id,
            title=f.title,
            severity=f.severity,
            clause_number=f.clause_number,
            clause_text=clause_text_of(report, f),
            quote=f.quote,
            fingerprint=finding_fingerprint(report, f),
            suggestion=f.suggestion,
        )
        for f in report.findings
        if f.severity in FLAGGED_SEVERITIES
    ]


def flags_of_case(case: Case) -> list[Flag]:
    """The high and medium findings of a stored case, with their review decisions."""
    return [
        Flag(
            rule_id=f.rule_id,
            title=f.title,
            severity=f.severity,
            clause_number=f.clause_number,
            clause_text=f.clause_text,
            quote=f.quote,
            fingerprint=f.fingerprint,
            suggestion=f.suggestion,
            finding_id=f.id,
            review_status=f.status,
            reviewer=f.reviewer,
            reviewer_note=f.reviewer_note,
        )
        for f in case.findings
        if f.severity in FLAGGED_SEVERITIES
    ]


def with_decisions(flags: list[Flag], case: Case) -> list[Flag]:
    """`flags` (a fresh audit of a document) with the review decisions of its stored case, by fingerprint."""
    stored: defaultdict[str, list[Flag]] = defaultdict(list)
    for flag in flags_of_case(case):
        stored[flag.fingerprint].append(flag)
    out = []
    for flag in flags:
        match = stored[flag.fingerprint].pop(0) if stored[flag.fingerprint] else None
        if match is None:
            out.append(flag)
            continue
        decided = {
            "review_status": match.review_status,
            "reviewer": match.reviewer,
            "reviewer_note": match.reviewer_note,
        }
        out.append(replace(flag, finding_id=match.finding_id, **decided))
    return out


def version_of_report(report: Report, case_id: int | None = None) -> Version:
    return Version(report.source, report.content_hash, report.rules_version, report.merchant, case_id)


def version_of_case(case: Case) -> Version:
    s = case.summary
    return Version(s.source, s.content_hash, s.rules_version, s.merchant, s.id)
