"""The bundled samples: every planted unfair term flagged with its category, no fair clause flagged
high or medium, DOCX and PDF of one contract agreeing, and findings matching the reviewed golden files.

Golden files are rewritten only with `pytest --update-golden`; review the diff before committing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from clause_audit import audit
from clause_audit.labels import match_label
from clause_audit.model import FLAGGED_SEVERITIES, Report

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "tests" / "samples_src"
GOLDEN = ROOT / "tests" / "golden"
MARKER = re.compile(r"\s*⟦unfair:\s*([a-z_, ]+)⟧\s*$")


@dataclass(frozen=True)
class SourceLine:
    text: str  # the line's text without its number label and marker, whitespace removed
    planted: frozenset[str]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _source_lines(path: Path) -> list[SourceLine]:
    lines = []
    for raw in path.read_text("utf-8").splitlines():
        m = MARKER.search(raw)
        planted = frozenset(c.strip() for c in m.group(1).split(",")) if m else frozenset()
        text = MARKER.sub("", raw)
        label = match_label(text)
        body = text[label.body_start :] if label else text
        if _squash(body):
            lines.append(SourceLine(_squash(body), planted))
    return lines


def _align(lines: list[SourceLine], report: Report) -> list[int]:
    """The clause each source line landed in, walking both in reading order."""
    squashed = [_squash(c.text) for c in report.clauses]
    where = []
    pointer = 0
    for line in lines:
        found = next((i for i in range(pointer, len(squashed)) if line.text in squashed[i]), None)
        assert found is not None, f"{report.source}: text not found in any clause: {line.text}"
        where.append(found)
        pointer = found
    return where


SAMPLES = sorted(p for p in (ROOT / "samples").rglob("*") if p.suffix in (".docx", ".pdf", ".txt"))


def _source_for(sample: Path) -> Path:
    return SOURCES / sample.parent.name / (sample.stem + ".txt")


@pytest.fixture(scope="module")
def reports() -> dict[Path, Report]:
    return {sample: audit(sample) for sample in SAMPLES}


def test_samples_cover_every_domain_in_both_formats():
    names = {(p.parent.name, p.suffix) for p in SAMPLES}
    for domain in ("prepaid", "used_car", "training"):
        assert (domain, ".docx") in names and (domain, ".pdf") in names
        assert len([p for p in SAMPLES if p.parent.name == domain and p.suffix == ".pdf"]) >= 2


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_planted_terms_flagged_and_fair_clauses_not(sample, reports):
    report = reports[sample]
    lines = _source_lines(_source_for(sample))
    clause_of = _align(lines, report)
    planted_clauses = {clause_of[i] for i, line in enumerate(lines) if line.planted}
    problems = []
    for i, line in enumerate(lines):
        flagged = {
            f.category for f in report.findings if f.clause_index == clause_of[i] and f.severity in FLAGGED_SEVERITIES
        }
        if line.planted and not line.planted <= flagged:
            problems.append(f"missed {sorted(line.planted - flagged)}: {line.text}")
        if not line.planted and clause_of[i] not in planted_clauses and flagged:
            problems.append(f"false alarm {sorted(flagged)}: {line.text}")
    assert problems == []


def _key(report: Report) -> list[tuple[str, str, str]]:
    return sorted((f.rule_id, f.clause_number, f.quote) for f in report.findings)


@pytest.mark.parametrize("docx", [p for p in SAMPLES if p.suffix == ".docx"], ids=lambda p: p.stem)
def test_docx_and_pdf_of_one_contract_agree(docx, reports):
    pdf = docx.with_suffix(".pdf")
    assert _key(reports[docx]) == _key(reports[pdf])
    assert reports[docx].domain.code == reports[pdf].domain.code


def _golden(report: Report) -> list[dict[str, object]]:
    return [
        {
            "rule_id": f.rule_id,
            "category": f.category,
            "severity": f.severity,
            "clause_number": f.clause_number,
            "quote": f.quote,
        }
        for f in report.findings
    ]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_findings_match_golden_file(sample, reports, request):
    golden = GOLDEN / f"{sample.parent.name}--{sample.name}.json"
    got = {"domain": reports[sample].domain.code, "findings": _golden(reports[sample])}
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(got, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    assert golden.exists(), f"no golden file for {sample}; run pytest --update-golden and review it"
    assert json.loads(golden.read_text("utf-8")) == got


def test_quotes_are_verbatim_at_their_offsets(reports):
    for report in reports.values():
        for f in report.findings:
            if f.clause_index is None:
                continue
            assert report.clauses[f.clause_index].text[f.start : f.end] == f.quote
