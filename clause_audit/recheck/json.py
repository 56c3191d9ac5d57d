"""Recheck as a JSON object (what `recheck --format json` prints)."""

from __future__ import annotations

from typing import Any

from clause_audit.recheck.comparison import STATUS_NAMES, STATUSES, Flag, Recheck, Version

SCHEMA_VERSION = 1


def recheck_dict(recheck: Recheck) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "recheck",
        "old": _version(recheck.old),
        "new": _version(recheck.new),
        "items": [
            {
                "status": o.status,
                "status_name": STATUS_NAMES[o.status],
                "rule_id": o.rule_id,
                "review_status": o.review_status,
                "still_flagged": o.still_flagged,
                "similarity": o.similarity,
                "old": _flag(o.earlier),
                "new": _flag(o.current),
            }
            for o in recheck.outcomes
        ],
        "summary": {status: recheck.count(status) for status in STATUSES},
        "rectified": recheck.rectified,
    }


def _version(version: Version) -> dict[str, Any]:
    return {
        "source": version.source,
        "case_id": version.case_id,
        "content_hash": version.content_hash,
        "rules_version": version.rules_version,
        "merchant": version.merchant,
    }


def _flag(flag: Flag | None) -> dict[str, Any] | None:
    if flag is None:
        return None
    return {
        "title": flag.title,
        "severity": flag.severity,
        "clause_number": flag.clause_number,
        "clause_text": flag.clause_text,
        "quote": flag.quote,
        "fingerprint": flag.fingerprint,
        "finding_id": flag.finding_id,
        "review_status": flag.review_status,
        "reviewer": flag.reviewer,
        "reviewer_note": flag.reviewer_note,
    }
