"""The per-user cache folder: jieba's dictionary cache, the rule files already validated, the
prefilter's literals of each pattern."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path


def cache_dir() -> Path:
    """$XDG_CACHE_HOME/clause-audit (~/.cache/clause-audit), or the temp folder when it cannot be made."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = Path(base) / "clause-audit"
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError:
        return Path(tempfile.gettempdir())
    return path


def write_json_atomically(path: Path, data: object) -> None:
    """Replace `path` with `data` as JSON so a concurrent run reads the old file or the new one; a
    cache that cannot be written is simply not used."""
    try:
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
