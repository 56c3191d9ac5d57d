"""Which domain a document belongs to, from its vocabulary (domain words weighted per domain)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import yaml

from clause_audit.model import DOMAINS, DomainGuess

# Below this weighted count per 1,000 characters a text says too little to leave `general`.
_MIN_DENSITY = 4.0
# The title, parties and first terms say what a contract is about; the rest of a long contract gives
# the same answer.
_SAMPLE_CHARS = 6000


@lru_cache(maxsize=1)
def domain_terms() -> dict[str, dict[str, float]]:
    """domain -> {word: weight} from data/domain_terms.yaml."""
    text = resources.files("clause_audit").joinpath("data/domain_terms.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return {domain: {w: float(x) for w, x in words.items()} for domain, words in data.items()}


@lru_cache(maxsize=1)
def _vocabulary() -> re.Pattern[str]:
    """Every domain word in one alternation, longest first, so a scan takes 会员卡 rather than 会员."""
    words = sorted({w for ws in domain_terms().values() for w in ws}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def detect_domain(text: str, forced: str | None = None) -> DomainGuess:
    """The primary domain of a document's text, with a confidence in [0, 1]."""
    if forced is not None:
        if forced not in DOMAINS:
            raise ValueError(f"unknown domain: {forced}")
        return DomainGuess(forced, 1.0, forced=True)
    terms = domain_terms()
    scores = dict.fromkeys(terms, 0.0)
    sample = text[:_SAMPLE_CHARS]
    for found in _vocabulary().finditer(sample):
        word = found.group()
        for domain, words in terms.items():
            weight = words.get(word)
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
