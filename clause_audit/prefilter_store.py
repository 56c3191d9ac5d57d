"""The prefilter's literals of each anchor pattern, kept between runs: working them out with Python's
regex parser took 0.15 s, a quarter of auditing one small contract, and the library rarely changes."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from clause_audit import __version__, prefilter
from clause_audit.cache import cache_dir, write_json_atomically
from clause_audit.prefilter import Requirements, pattern_requirements

_KEEP = 20_000  # patterns remembered: the packaged library has about 600


@lru_cache(maxsize=1)
def _fingerprint() -> str:
    """The package version and the analysing code: a change there starts the store afresh."""
    digest = hashlib.sha256(__version__.encode())
    try:
        digest.update(Path(prefilter.__file__ or "").read_bytes())
    except OSError:
        return ""
    return digest.hexdigest()


def _path() -> Path:
    return cache_dir() / "prefilter-literals.json"


@lru_cache(maxsize=1)
def _stored() -> dict[str, list[list[str]] | None]:
    try:
        data = json.loads(_path().read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or not _fingerprint() or data.get("fingerprint") != _fingerprint():
        return {}
    patterns = data.get("patterns")
    return patterns if isinstance(patterns, dict) else {}


def _decode(value: object) -> Requirements | None:
    if not isinstance(value, list) or not value:
        return None
    return tuple(frozenset(str(s) for s in group) for group in value if isinstance(group, list)) or None


def requirement_lists(pattern_lists: Sequence[Sequence[str]]) -> list[list[Requirements | None]]:
    """`pattern_requirements` of every pattern, from the store where it is known there."""
    stored = _stored()
    new: dict[str, list[list[str]] | None] = {}
    out: list[list[Requirements | None]] = []
    for patterns in pattern_lists:
        row: list[Requirements | None] = []
        for pattern in patterns:
            if pattern in stored:
                row.append(_decode(stored[pattern]))
                continue
            found = pattern_requirements(pattern)
            new[pattern] = None if found is None else [sorted(group) for group in found]
            row.append(found)
        out.append(row)
    if new and _fingerprint():
        stored.update(new)
        kept = dict(list(stored.items())[-_KEEP:])
        write_json_atomically(_path(), {"fingerprint": _fingerprint(), "patterns": kept})
    return out
