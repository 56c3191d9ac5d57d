"""What the annotated DOCX and PDF share: where a finding sits in the source blocks, and what its note says."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from clause_audit.model import Document, Finding, Report
from clause_audit.render.review import SEVERITY_WORDS, cite, where_words

AUTHOR = "clause-audit"
INITIALS = "CA"


@dataclass(frozen=True)
class Anchor:
    """The part of a finding's quote that lies in one block: block.text[start:end]."""

    block: int
    start: int
    end: int


def anchors(finding: Finding, report: Report, document: Document) -> list[Anchor]:
    """The quoted characters of a finding, block by block in clause order; [] for a document-level finding.

    The "\\n" that joins a clause's blocks belongs to no block and is left out.
    """
    if finding.clause_index is None or finding.start is None or finding.end is None:
        return []
    clause = report.clauses[finding.clause_index]
    out = []
    for seg in clause.segments:
        start = max(finding.start, seg.start)
        end = min(finding.end, seg.start + seg.length)
        if start < end and 0 <= seg.block < len(document.blocks):
            shift = seg.block_start - seg.start
            out.append(Anchor(seg.block, start + shift, end + shift))
    return out


def legal_basis_words(refs: Sequence[str]) -> str:
    """《中华人民共和国消费者权益保护法》第二十六条第二款（CPL-26¶2）；… — the ID alone when it is not in the table."""
    parts = []
    for ref in refs:
        citation = cite(ref)
        parts.append(ref if citation.status == "unknown" else f"{citation.heading}（{ref}）")
    return "；".join(parts) or "—"


def note_lines(finding: Finding) -> list[str]:
    """A finding as the lines of a Word comment or a PDF note."""
    return [
        f"【{SEVERITY_WORDS.get(finding.severity, finding.severity)}】{finding.title}",
        f"问题：{finding.message}",
        f"依据：{legal_basis_words(finding.legal_basis)}",
        f"建议：{finding.suggestion}",
        f"规则：{finding.rule_id}",
    ]


def note_text(finding: Finding) -> str:
    return "\n".join(note_lines(finding))


def document_note_lines(findings: Sequence[Finding]) -> list[str]:
    """One note for the findings that have no place in the text: missing terms, and any quote that could
    not be located in the file (which then is quoted in the note)."""
    missing = sum(1 for f in findings if f.clause_index is None)
    head = (
        f"全文审查意见：缺少 {missing} 项必备条款"
        if missing == len(findings)
        else f"全文审查意见（{len(findings)} 项）"
    )
    lines = [head]
    for n, finding in enumerate(findings, start=1):
        first, *rest = note_lines(finding)
        lines.append(f"{n}. {first}")
        if finding.clause_index is not None:
            lines.append(f"原文（{where_words(finding)}）：「{finding.quote}」")
        lines += rest
    return lines
