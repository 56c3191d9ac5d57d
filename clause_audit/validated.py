"""Rule files that have already passed validation, so a run can skip checking and compiling every pattern.

Checking each pattern (RE2 syntax, canonical characters, empty matches) and compiling it was two
thirds of loading the library: a third of a second on every run. A file whose exact bytes passed
before, under the same checking code, cannot fail now, so its patterns are compiled only when a
clause first needs them. `rules lint` and `rules test` never use this list.
"""

from __future__ import annotations

import hashlib
import json
import os
from functools import lru_cache
from pathlib import Path

from clause_audit import __version__
from clause_audit.cache import cache_dir, write_json_atomically

_KEEP = 256  # digests remembered; a handful of library versions and local folders


@lru_cache(maxsize=1)
def _checker_fingerprint() -> bytes:
    """The package version and the source of the code that validates rules: a change there revalidates."""
    from clause_audit import matchers, rulebook, ruleschema

    digest = hashlib.sha256(__version__.encode())
    for module in (matchers, rulebook, ruleschema):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:  # sources not readable (a frozen build): trust nothing
            digest.update(os.urandom(16))
    return digest.digest()


def digest(raw: bytes) -> str:
    """What identifies a rule file's validation: its bytes under this checking code."""
    return hashlib.sha256(_checker_fingerprint() + raw).hexdigest()


def _path() -> Path:
    return cache_dir() / "validated-rule-files.json"


def known() -> set[str]:
    try:
        data = json.loads(_path().read_text("utf-8"))
    except (OSError, ValueError):
        return set()
    return {d for d in data if isinstance(d, str)} if isinstance(data, list) else set()


def remember(digests: list[str]) -> None:
    """Add `digests` to the list; a cache that cannot be written is simply not used."""
    path = _path()
    try:
        data = json.loads(path.read_text("utf-8"))
        previous = [d for d in data if isinstance(d, str)] if isinstance(data, list) else []
    except (OSError, ValueError):
        previous = []
    merged = [d for d in previous if d not in digests] + digests
    if merged[-_KEEP:] == previous:
        return
    write_json_atomically(path, merged[-_KEEP:])
