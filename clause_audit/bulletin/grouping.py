"""Near-duplicate clauses from different merchants as one bulletin item: same rule, similar jieba token sets."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from clause_audit.bulletin.anonymize import Redactor
from clause_audit.bulletin.collect import Contracts
from clause_audit.bulletin.occurrence import Occurrence
from clause_audit.parties import CONSUMER_WORDS, MERCHANT_WORDS

# Jaccard similarity of the problem sentences' token sets at or above which two clauses under one rule are
# "similar". Measured on the constructed pairs in tests/test_bulletin_grouping.py: paraphrases score 0.32–1.00,
# different clauses under the same rule 0.00–0.20; 0.26 is the middle of that gap.
THRESHOLD = 0.26

_PARTY_WORDS = frozenset({"甲方", "乙方", "丙方", "双方", "一方", *MERCHANT_WORDS, *CONSUMER_WORDS})
_NUMERALS = re.compile(r"^[0-9零〇一二三四五六七八九十百千万两壹贰叁肆伍陆柒捌玖拾佰仟.%％]+$")
_SENTENCE_END = "。；;！!？?\n"


def problem_sentence(clause_text: str, quote: str) -> str:
    """The sentence(s) of a clause that hold its problem quote; the whole clause when the quote is not in it.

    Long articles share a problem sentence and differ in the rest, so the rest is left out of the comparison."""
    start = clause_text.find(quote) if quote else -1
    if start < 0:
        return clause_text
    end = start + len(quote)
    begin = max(clause_text.rfind(ch, 0, start) for ch in _SENTENCE_END) + 1
    stops = [i for ch in _SENTENCE_END if (i := clause_text.find(ch, end)) >= 0]
    return clause_text[begin : min(stops) + 1 if stops else len(clause_text)]


def tokens(text: str, redactor: Redactor | None = None) -> frozenset[str]:
    """The content words of a text: jieba tokens (search mode) without punctuation, numbers, party words or
    merchant names."""
    from clause_audit.tokens import words

    text = unicodedata.normalize("NFKC", text)
    if redactor is not None:
        cut = redactor.redactions(text)
        for r in reversed(cut):
            text = text[: r.start] + " " + text[r.end :]
    out = set()
    for token in words(text, search=True):
        token = token.strip()
        if not token or _NUMERALS.match(token) or token in _PARTY_WORDS:
            continue
        if not any(unicodedata.category(ch)[0] in "LN" for ch in token):
            continue  # punctuation and symbols
        out.add(token)
    return frozenset(out)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


@dataclass(frozen=True)
class Group:
    """One bulletin item before rendering: occurrences of one rule in one domain with similar wording."""

    domain: str
    rule_id: str
    members: tuple[Occurrence, ...]
    representative: Occurrence
    merchants: tuple[str, ...]  # merchant keys, in first-seen order
    contracts: tuple[str, ...]  # contract keys, in first-seen order


def group_occurrences(
    occurrences: Sequence[Occurrence],
    contracts: Contracts,
    *,
    redactor: Redactor | None = None,
    threshold: float = THRESHOLD,
) -> list[Group]:
    """Single-link clusters of similar clauses within each (domain, rule), most merchants first."""
    by_rule: dict[tuple[str, str], list[Occurrence]] = {}
    for o in occurrences:
        by_rule.setdefault((o.domain, o.rule_id), []).append(o)
    groups: list[Group] = []
    cache: dict[str, frozenset[str]] = {}
    for (domain, rule_id), found in by_rule.items():
        texts = [problem_sentence(o.clause_text, o.quote) for o in found]
        sets = [cache[t] if t in cache else cache.setdefault(t, tokens(t, redactor)) for t in texts]
        for cluster in _clusters(sets, threshold):
            members = [found[i] for i in cluster]
            best = max(cluster, key=lambda i: (sum(jaccard(sets[i], sets[j]) for j in cluster if j != i), -i))
            groups.append(
                Group(
                    domain=domain,
                    rule_id=rule_id,
                    members=tuple(members),
                    representative=found[best],
                    merchants=_unique(contracts.merchant(o) for o in members),
                    contracts=_unique(contracts.contract(o) for o in members),
                )
            )
    severity = {"high": 0, "medium": 1}
    groups.sort(
        key=lambda g: (
            -len(g.merchants),
            -len(g.contracts),
            severity.get(g.representative.severity, 2),
            g.rule_id,
        )
    )
    return groups


def _clusters(sets: Sequence[frozenset[str]], threshold: float) -> list[list[int]]:
    """Connected components of the graph "similarity ≥ threshold" (union-find), each in input order."""
    parent = list(range(len(sets)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i in range(len(sets)):
        for j in range(i + 1, len(sets)):
            if root(i) != root(j) and jaccard(sets[i], sets[j]) >= threshold:
                parent[root(j)] = root(i)
    out: dict[int, list[int]] = {}
    for i in range(len(sets)):
        out.setdefault(root(i), []).append(i)
    return list(out.values())


def _unique(keys: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(keys))
