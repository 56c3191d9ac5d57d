"""Identity of a finding across versions of a contract: rule id + hash of the clause's canonical content.

The canonical content is the normalised clause text (normalize.py) without its number label and
without whitespace, so renumbering, reordering and re-spacing a clause keep its fingerprint, while
any change of wording gives a new one. Similar clauses are found by jieba-token Jaccard similarity.
"""

from __future__ import annotations

import hashlib
import re

from clause_audit.labels import match_label
from clause_audit.model import Finding, Report
from clause_audit.normalize import normalize

_SPACE = re.compile(r"\s+")
# punctuation and symbols carry no meaning for similarity: only words are compared
_NOT_WORD = re.compile(r"^[\W_]+$")


def canonical_clause(text: str) -> str:
    """The clause text as compared: normalised, without a leading number label, without whitespace."""
    canonical = normalize(text).text.strip()
    label = match_label(canonical)
    if label is not None:
        canonical = canonical[label.body_start :]
    return _SPACE.sub("", canonical)


def fingerprint(rule_id: str, clause_text: str) -> str:
    """sha256 (hex, first 32) of the rule id and the canonical clause content."""
    digest = hashlib.sha256(f"{rule_id}\n{canonical_clause(clause_text)}".encode())
    return digest.hexdigest()[:32]


def clause_text_of(report: Report, finding: Finding) -> str:
    """The verbatim text of the clause a finding sits in; "" for a document-level finding."""
    if finding.clause_index is None:
        return ""
    return report.clauses[finding.clause_index].text


def finding_fingerprint(report: Report, finding: Finding) -> str:
    return fingerprint(finding.rule_id, clause_text_of(report, finding))


def word_set(text: str) -> frozenset[str]:
    """The jieba words of a clause's canonical content, punctuation left out."""
    from clause_audit.tokens import words

    return frozenset(w for w in words(canonical_clause(text)) if not _NOT_WORD.match(w))


def similarity(a: str, b: str) -> float:
    """Jaccard similarity of the word sets of two clause texts (1.0 for two empty texts)."""
    wa, wb = word_set(a), word_set(b)
    if not wa and not wb:
        return 1.0
    return len(wa & wb) / len(wa | wb)
