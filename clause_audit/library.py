"""Where the rule library lives and which version it is, without loading or compiling it."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from importlib import resources
from pathlib import Path


def packaged_rules_dir() -> Path:
    """The rule library shipped in the wheel, or the repository's rules/ in a source checkout."""
    packaged = Path(str(resources.files("clause_audit"))) / "rules"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "rules"


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.y*ml") if p.suffix in (".yaml", ".yml"))


RULES_ENV = "CLAUSE_AUDIT_RULES"


def library_dirs(extra: Iterable[str | Path] = ()) -> list[Path]:
    """The packaged library, then folders from $CLAUSE_AUDIT_RULES, then `extra` (e.g. --rules)."""
    env = [Path(p) for p in os.environ.get(RULES_ENV, "").split(os.pathsep) if p]
    return [packaged_rules_dir(), *env, *(Path(p) for p in extra)]


def library_version(directories: Iterable[Path]) -> str:
    """sha256 over the rule files' names and bytes, first 12 hex: cheap enough for --version."""
    digest = hashlib.sha256()
    for directory in directories:
        for path in rule_files(directory) if directory.is_dir() else []:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
