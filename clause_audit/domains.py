"""Which domain a document belongs to, from its vocabulary (jieba tokens weighted per domain)."""

from __future__ import annotations

import logging
import os
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from clause_audit.model import DOMAINS, DomainGuess

# Below this weighted count per 1,000 characters a text says too little to leave `general`.
_MIN_DENSITY = 4.0
# The title, parties and first terms say what a contract is about; tokenising a whole long contract
# with jieba cost 40% of a DOCX audit (benchmarks/), for the same answer.
_SAMPLE_CHARS = 6000


@lru_cache(maxsize=1)
def _terms() -> dict[str, dict[str, float]]:
    text = resources.files("clause_audit").joinpath("data/domain_terms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {domain: {w: float(x) for w, x in words.items()} for domain, words in data.items()}


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(_cache_dir())
    for words in _terms().values():
        for word in words:
            jieba.add_word(word, freq=20000)
    jieba.initialize()
    return jieba


def words(text: str, *, search: bool = False) -> list[str]:
    """jieba tokens of `text` (no HMM), with the domain vocabulary loaded; `search` adds the shorter words
    inside long ones (jieba's search mode: 金融机构 → 金融, 机构, 金融机构)."""
    jieba = _tokenizer()
    return list(jieba.lcut_for_search(text, HMM=False) if search else jieba.lcut(text, HMM=False))


def _cache_dir() -> Path:
    """A per-user cache folder, so jieba's 9 MB dictionary cache is built once, not per run."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "clause-audit"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        import tempfile

        return Path(tempfile.gettempdir())
    return path


def detect_domain(text: str, forced: str | None = None) -> DomainGuess:
    """The primary domain of a document's text, with a confidence in [0, 1]."""
    if forced is not None:
        if forced not in DOMAINS:
            raise ValueError(f"unknown domain: {forced}")
        return DomainGuess(forced, 1.0, forced=True)
    terms = _terms()
    scores = dict.fromkeys(terms, 0.0)
    sample = text[:_SAMPLE_CHARS]
    for token in _tokenizer().lcut(sample, HMM=False):
        for domain, words in terms.items():
            weight = words.get(token)
            if weight:
                scores[domain] += weight
    total = sum(scores.values())
    best = max(scores, key=lambda d: scores[d])
    density = 1000 * scores[best] / max(len(sample), 200)
    if total == 0 or density < _MIN_DENSITY:
        return DomainGuess("general", round(1 - min(density / _MIN_DENSITY, 1) * 0.5, 2), scores=scores)
    share = scores[best] / total
    strength = min(density / (4 * _MIN_DENSITY), 1.0)
    return DomainGuess(best, round(share * (0.5 + 0.5 * strength), 2), scores=scores)
