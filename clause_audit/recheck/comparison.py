"""Compare the findings of an earlier version of a contract with those of its revision (整改复查).

Each earlier finding is 未整改 (the same fingerprint is still flagged), 部分修改 (its clause was
changed but a similar clause is still flagged by the same rule) or 已整改 (neither); findings of
the revision that match no earlier one are 新增. Pure: findings in, outcomes out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from clause_audit.fingerprint import similarity

# Two versions of one clause flagged by the same rule count as "the same clause, reworded" from this
# jieba-word Jaccard similarity on. Measured on the bundled samples: hand-made rewordings that keep a
# clause unfair score 0.37–0.58 (heavy rewording, e.g. 一经售出不退不换 → 售出后概不退换) and 0.9 for a
# small edit; different clauses flagged by one rule, across all samples, score at most 0.39 (two
# injury waivers of two schools), most below 0.25. Pairing happens only among the leftovers of one
# rule in two versions of one contract, and a wrong call only moves a finding between 部分修改 and
# 已整改 + 新增 — it is still flagged either way — so the threshold favours catching rewordings.
SIMILARITY_THRESHOLD = 0.35

STATUSES = ("unrectified", "partial", "rectified", "new")
STATUS_NAMES = {"rectified": "已整改", "unrectified": "未整改", "partial": "部分修改", "new": "新增"}


@dataclass(frozen=True)
class Flag:
    """One high/medium finding of one version, with what a recheck needs of it."""

    rule_id: str
    title: str
    severity: str
    clause_number: str
    clause_text: str
    quote: str
    fingerprint: str
    suggestion: str = ""
    finding_id: int | None = None  # the stored finding, when the version comes from the store
    review_status: str = "open"
    reviewer: str = ""
    reviewer_note: str = ""


@dataclass(frozen=True)
class Outcome:
    status: str  # one of STATUSES
    earlier: Flag | None  # None for 新增
    current: Flag | None  # None for 已整改
    similarity: float | None = None  # for 部分修改: word similarity of the two clauses

    @property
    def rule_id(self) -> str:
        flag = self.earlier or self.current
        assert flag is not None
        return flag.rule_id

    @property
    def review_status(self) -> str:
        """The earlier review decision carries over to a finding that is still there."""
        return self.earlier.review_status if self.earlier is not None else "open"

    @property
    def still_flagged(self) -> bool:
        """Still a problem: present in the revision and not dismissed by a reviewer."""
        return self.status != "rectified" and self.review_status != "dismissed"


@dataclass(frozen=True)
class Version:
    source: str
    content_hash: str
    rules_version: str
    merchant: str = ""
    case_id: int | None = None


@dataclass(frozen=True)
class Recheck:
    old: Version
    new: Version
    outcomes: tuple[Outcome, ...] = field(default=())

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def rectified(self) -> bool:
        """Every earlier problem gone and no new one (dismissed findings do not count)."""
        return not any(o.still_flagged for o in self.outcomes)


def compare(earlier: list[Flag], current: list[Flag], *, threshold: float = SIMILARITY_THRESHOLD) -> list[Outcome]:
    """Match `earlier` findings to `current` ones: by fingerprint first, then by clause similarity
    within one rule (best pairs first); the rest are 已整改 and 新增."""
    paired: dict[int, Outcome] = {}
    free = list(range(len(current)))
    for i, old in enumerate(earlier):
        j = next((j for j in free if current[j].fingerprint == old.fingerprint), None)
        if j is not None:
            paired[i] = Outcome("unrectified", old, current[j])
            free.remove(j)
    candidates = sorted(
        (
            (-score, i, j)
            for i, old in enumerate(earlier)
            if i not in paired
            for j in free
            if current[j].rule_id == old.rule_id
            and (score := similarity(old.clause_text, current[j].clause_text)) >= threshold
        ),
    )
    taken: set[int] = set()
    for negative, i, j in candidates:
        if i in paired or j in taken:
            continue
        paired[i] = Outcome("partial", earlier[i], current[j], round(-negative, 2))
        taken.add(j)
    outcomes = [paired.get(i, Outcome("rectified", old, None)) for i, old in enumerate(earlier)]
    matched = {id(o.current) for o in outcomes if o.current is not None}
    outcomes.extend(Outcome("new", None, flag) for flag in current if id(flag) not in matched)
    order = {status: n for n, status in enumerate(STATUSES)}
    return sorted(outcomes, key=lambda o: order[o.status])
