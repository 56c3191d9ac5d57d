"""The statute table shipped with the package: article texts keyed by legal-basis IDs (CPL-26, CAS-8, …)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Literal

StatuteStatus = Literal["verified", "partially_verified", "unverified"]
STATUSES: tuple[StatuteStatus, ...] = ("verified", "partially_verified", "unverified")

# a paragraph (¶2) or item ((六), (2), （六）) suffix after the article-level ID
_SUFFIX = re.compile(r"\s*(?:¶|\(|（).*$", re.DOTALL)


@dataclass(frozen=True)
class Statute:
    """One cited article (or, for sources whose article numbers are unverified, one topic).

    `law` is the source's full Chinese name; `article` is e.g. "第二十六条", or "" when the text does not
    start with an article number; `status` says how far `text` was checked against an official text, and
    `note` is the verification tag as written in legal-basis.md (e.g. "verified: LRB").
    """

    id: str
    title: str
    law: str
    article: str
    text: str
    status: StatuteStatus
    note: str


@cache
def _table() -> dict[str, Statute]:
    raw = files("clause_audit").joinpath("data/statutes.json").read_text(encoding="utf-8")
    table: dict[str, Statute] = {}
    for key, entry in json.loads(raw).items():
        statute = Statute(**entry)
        if statute.id != key or statute.status not in STATUSES:
            raise ValueError(f"statutes.json: bad entry {key!r}")
        table[key] = statute
    return table


def load_statutes() -> dict[str, Statute]:
    """All statute entries by ID, read once from the packaged data/statutes.json (a fresh dict per call)."""
    return dict(_table())


def article_id(ref: str) -> str:
    """Reduce a citation to its article-level ID: "CAS-8(六)" → "CAS-8", "CPL-26¶2" → "CPL-26"."""
    return _SUFFIX.sub("", ref.strip())


def resolve(ref: str) -> Statute | None:
    """The statute a citation refers to (paragraph/item suffixes ignored), or None if the ID is unknown."""
    return _table().get(article_id(ref))
