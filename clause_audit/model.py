"""Frozen plain values shared by every stage: documents, clauses, rules, findings, reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

DOMAINS = ("prepaid", "used_car", "training", "general")
SEVERITIES = ("high", "medium", "low")
FLAGGED_SEVERITIES = ("high", "medium")
CATEGORIES = (
    "exempt_personal_injury",
    "exempt_property_damage",
    "exempt_after_sales",
    "exempt_breach",
    "exempt_duties",
    "excessive_penalty",
    "shift_business_risk",
    "restrict_choice",
    "restrict_termination",
    "restrict_claims",
    "restrict_remedies",
    "sole_interpretation",
    "unilateral_change",
    "expiry_forfeiture",
    "prepayment_cap",
    "privacy_overreach",
    "missing_term",
)

DOMAIN_NAMES = {"prepaid": "预付式消费", "used_car": "二手车", "training": "培训", "general": "通用"}
SEVERITY_NAMES = {"high": "高", "medium": "中", "low": "低"}

Format = Literal["docx", "pdf", "text"]
ClauseKind = Literal["title", "heading", "parties", "preamble", "clause", "signature", "attachment"]


# ---------------------------------------------------------------- documents


@dataclass(frozen=True, slots=True)
class CharBox:
    """Where one PDF glyph sits: PDF user space (origin bottom-left), 1-based page."""

    page: int
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Location:
    """Where a block sits in its source file. Unused fields stay None."""

    page: int | None = None  # 1-based PDF page
    paragraph: int | None = None  # DOCX: 0-based ordinal of the w:p among body.iter(w:p); text: block ordinal
    table: int | None = None  # 0-based ordinal of the table in the body (DOCX, PDF)
    row: int | None = None
    cell: int | None = None
    line: int | None = None  # 1-based line in a text file, or the block's first line on a PDF page

    def to_dict(self) -> dict[str, int]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass(frozen=True)
class Block:
    """A paragraph-like run of text as a reader sees it.

    `text` is verbatim: DOCX run text (tracked insertions and content controls included),
    PDF lines joined into reading order, or a line of a text file. A DOCX automatic number
    (w:numPr) is not part of the text; it is kept, rendered, in `label`.
    """

    text: str
    location: Location
    label: str = ""
    style: str = ""
    # PDF only: one entry per character of `text`; None for characters the reader inserted
    boxes: tuple[CharBox | None, ...] = ()


@dataclass(frozen=True)
class Notice:
    """Something a reader noticed about the input, such as garbled extraction on one page."""

    code: str
    level: Literal["warning", "error"]
    message: str
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "level": self.level, "message": self.message}
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(frozen=True)
class Document:
    source: str
    format: Format
    blocks: tuple[Block, ...]
    notices: tuple[Notice, ...] = ()
    pages: int | None = None
    content_hash: str = ""  # sha256 of the file's bytes, hex; "" for documents built in memory


# ---------------------------------------------------------------- clauses


@dataclass(frozen=True)
class Segment:
    """A stretch of clause text taken from one block: text[start:start+length] == block.text[block_start:...]."""

    block: int
    start: int
    block_start: int
    length: int


@dataclass(frozen=True)
class Clause:
    index: int
    number: str  # the number a reader sees: 第一条, （一）, 1.1 …; "" when the clause has none
    text: str  # verbatim text without its number
    kind: ClauseKind
    location: Location
    segments: tuple[Segment, ...]
    parent: int | None = None  # index of the enclosing article or heading
    heading: bool = False

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "index": self.index,
            "number": self.number,
            "text": self.text,
            "kind": self.kind,
            "location": self.location.to_dict(),
        }
        if self.parent is not None:
            out["parent"] = self.parent
        return out


# ---------------------------------------------------------------- rules and findings


@dataclass(frozen=True)
class Example:
    text: str  # with [[markers]] removed
    span: tuple[int, int] | None  # expected finding span for unfair examples
    unfair: bool
    line: int | None = None


@dataclass(frozen=True)
class RuleInfo:
    """What a rule says about itself; the compiled match lives in rulebook.Rule."""

    id: str
    title: str
    domain: str
    category: str
    severity: str
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    examples: tuple[Example, ...] = ()
    file: str = ""
    line: int | None = None
    document_level: bool = False


@dataclass(frozen=True)
class Finding:
    rule_id: str
    title: str
    category: str
    severity: str
    clause_index: int | None
    start: int | None
    end: int | None
    quote: str
    message: str
    legal_basis: tuple[str, ...]
    suggestion: str
    clause_number: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule_id,
            "category": self.category,
            "severity": self.severity,
            "clause_index": self.clause_index,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "message": self.message,
            "legal_basis": list(self.legal_basis),
            "suggestion": self.suggestion,
            "title": self.title,
            "clause_number": self.clause_number,
        }


@dataclass(frozen=True)
class DomainGuess:
    code: str
    confidence: float
    forced: bool = False
    scores: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "confidence": round(self.confidence, 2), "forced": self.forced}


@dataclass(frozen=True)
class RuleError:
    """A rule that raised while matching: recorded, never a crashed run."""

    rule_id: str
    message: str


@dataclass(frozen=True)
class Report:
    source: str
    format: Format
    domain: DomainGuess
    rules_version: str
    clauses: tuple[Clause, ...]
    findings: tuple[Finding, ...]
    notices: tuple[Notice, ...] = ()
    rule_errors: tuple[RuleError, ...] = ()
    merchant: str = ""
    content_hash: str = ""  # sha256 of the input's bytes, hex: the same file audited twice is recognised by it

    @property
    def flagged(self) -> bool:
        return any(f.severity in FLAGGED_SEVERITIES for f in self.findings)

    def by_severity(self) -> dict[str, int]:
        counts = dict.fromkeys(SEVERITIES, 0)
        for f in self.findings:
            counts[f.severity] += 1
        return counts

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "format": self.format,
            "domain": self.domain.to_dict(),
            "rules_version": self.rules_version,
            "clauses": [c.to_dict() for c in self.clauses],
            "findings": [f.to_dict() for f in self.findings],
            "summary": {
                "clauses": len(self.clauses),
                "findings": len(self.findings),
                "by_severity": self.by_severity(),
            },
        }
        if self.merchant:
            out["merchant"] = self.merchant
        if self.content_hash:
            out["content_hash"] = self.content_hash
        if self.notices:
            out["warnings"] = [n.to_dict() for n in self.notices]
        if self.rule_errors:
            out["rule_errors"] = [{"rule_id": e.rule_id, "message": e.message} for e in self.rule_errors]
        return out


@dataclass(frozen=True)
class Failure:
    """An input that could not be audited."""

    source: str
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "error": {"code": self.code, "message": self.message},
        }
