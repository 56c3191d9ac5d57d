"""Accuracy on a labelled set of clauses: precision, recall and F1 per domain, category agreement, misses."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from clause_audit.model import DOMAINS, FLAGGED_SEVERITIES, Block, Document, Location
from clause_audit.pipeline import audit_document
from clause_audit.rulebook import Rulebook


@dataclass(frozen=True)
class LabelledClause:
    text: str
    domain: str
    unfair: bool
    category: str | None
    file: str
    index: int


@dataclass(frozen=True)
class Outcome:
    item: LabelledClause
    flagged: bool
    categories: tuple[str, ...]  # categories of the high/medium findings

    @property
    def category_agrees(self) -> bool:
        return self.item.category in self.categories


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0
    category_hits: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def category_accuracy(self) -> float:
        return self.category_hits / self.tp if self.tp else 1.0

    @property
    def total(self) -> int:
        return self.tp + self.fp + self.fn + self.tn


@dataclass
class Evaluation:
    outcomes: list[Outcome] = field(default_factory=list)

    def score(self, domain: str | None = None) -> Score:
        score = Score()
        for o in self.outcomes:
            if domain is not None and o.item.domain != domain:
                continue
            if o.item.unfair and o.flagged:
                score.tp += 1
                score.category_hits += o.category_agrees
            elif o.item.unfair:
                score.fn += 1
            elif o.flagged:
                score.fp += 1
            else:
                score.tn += 1
        return score

    @property
    def domains(self) -> list[str]:
        return sorted({o.item.domain for o in self.outcomes})

    @property
    def misses(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.item.unfair and not o.flagged]

    @property
    def false_alarms(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.item.unfair and o.flagged]


def labelled_sets(path: Path) -> list[Path]:
    """The evaluation sets under `path`: the file or folder itself when it holds labelled files of its
    own, else each sub-folder that does (eval/ → eval/dev, eval/holdout), so sets are scored apart."""
    if path.is_file() or _labelled_files(path, recursive=False):
        return [path]
    return [sub for sub in sorted(path.iterdir()) if sub.is_dir() and _labelled_files(sub, recursive=True)]


def _labelled_files(folder: Path, *, recursive: bool) -> list[Path]:
    found = folder.rglob("*.yaml") if recursive else folder.glob("*.yaml")
    return sorted(f for f in found if f.stem in DOMAINS)


def load_labelled(path: Path) -> list[LabelledClause]:
    """Every <domain>.yaml under `path` (or the file itself); the file name is the domain (prepaid.yaml …)."""
    if path.is_dir():
        files = _labelled_files(path, recursive=True)
    elif path.stem in DOMAINS:
        files = [path]
    else:
        raise ValueError(f"{path}: 文件名应为领域代码（{'、'.join(DOMAINS)}）加 .yaml")
    items = []
    for file in files:
        domain = file.stem
        data = yaml.safe_load(file.read_text("utf-8")) or []
        if not isinstance(data, list):
            raise ValueError(f"{file}: 应为条款列表")
        for i, entry in enumerate(data):
            if not isinstance(entry, dict) or not isinstance(entry.get("text"), str):
                raise ValueError(f"{file}: 第{i + 1}项应包含 text 和 label")
            label = entry.get("label")
            if label not in ("unfair", "fair"):
                raise ValueError(f"{file}: 第{i + 1}项的 label 应为 unfair 或 fair：{label}")
            items.append(LabelledClause(entry["text"], domain, label == "unfair", entry.get("category"), str(file), i))
    return items


def evaluate(items: list[LabelledClause], rulebook: Rulebook) -> Evaluation:
    """Audit each clause alone, with its file's domain forced."""
    evaluation = Evaluation()
    for item in items:
        document = Document(item.file, "text", (Block(item.text, Location(paragraph=0)),))
        report = audit_document(document, domain=item.domain, rulebook=rulebook)
        categories = tuple(f.category for f in report.findings if f.severity in FLAGGED_SEVERITIES)
        evaluation.outcomes.append(Outcome(item, bool(categories), categories))
    return evaluation
