"""The prefilter's literals of a rule list's anchors, kept between runs: working them out with
Python's regex parser took 0.15 s, a quarter of auditing one small contract, and the library
rarely changes. One small file per rule list, so reading it costs about a millisecond."""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

from clause_audit import __version__, prefilter
from clause_audit.cache import cache_dir, write_json_atomically
from clause_audit.prefilter import Requirements, pattern_requirements, rarest_first

_KEEP = 32  # rule lists remembered: four domains of a few library versions and local folders


@lru_cache(maxsize=1)
def _fingerprint() -> bytes:
    """The package, the analysing code and Python's regex parser: a change to any is a new key."""
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    try:
        digest.update(Path(prefilter.__file__ or "").read_bytes())
    except OSError:
        return b""
    return digest.digest()


def _folder() -> Path:
    return cache_dir() / "prefilter"


def requirement_lists(
    pattern_lists: Sequence[Sequence[str]], samples: Callable[[], Sequence[str]] = tuple
) -> list[list[Requirements | None]]:
    """`pattern_requirements` of every pattern of every list, each pattern's requirements least often
    met in `samples()` first (see `rarest_first`), from the store when it has them. The order only
    makes the prefilter faster, so the samples are not part of the key (and are only asked for on a miss)."""
    fingerprint = _fingerprint()
    key = hashlib.sha256(fingerprint + json.dumps(pattern_lists, ensure_ascii=False).encode()).hexdigest()
    path = _folder() / f"{key}.json"
    if fingerprint:
        stored = _read(path, [len(p) for p in pattern_lists])
        if stored is not None:
            return stored
    found = rarest_first([[pattern_requirements(p) for p in patterns] for patterns in pattern_lists], samples())
    if fingerprint:
        _write(path, found)
    return found


def _read(path: Path, shape: list[int]) -> list[list[Requirements | None]] | None:
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, list) or [len(row) if isinstance(row, list) else -1 for row in data] != shape:
        return None
    return [[_decode(value) for value in row] for row in data]


def _decode(value: object) -> Requirements | None:
    if not isinstance(value, list) or not value:
        return None
    return tuple(frozenset(str(s) for s in group) for group in value if isinstance(group, list)) or None


def _write(path: Path, found: list[list[Requirements | None]]) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        for old in sorted(path.parent.glob("*.json"), key=lambda p: p.stat().st_mtime)[: 1 - _KEEP]:
            old.unlink(missing_ok=True)
    except OSError:
        return
    data = [[None if r is None else [sorted(group) for group in r] for r in row] for row in found]
    write_json_atomically(path, data)
