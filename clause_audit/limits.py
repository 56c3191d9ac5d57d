"""Limits on what one input may cost (size, pages, complexity, time), read from CLAUSE_AUDIT_* variables.

The defaults are far above any real contract (a 1,000-page PDF, a 50,000-paragraph DOCX, tables
nested a dozen deep); beyond them an input is refused with its own error code instead of being
allowed to exhaust the machine. The time budget is cooperative: the readers and the engine call
`check_time()` between pages, paragraphs and clauses, and it raises InputError("timeout").
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, fields

from clause_audit.errors import InputError

MB = 1024 * 1024

# field name → environment variable
ENV = {
    "max_file_mb": "CLAUSE_AUDIT_MAX_FILE_MB",
    "max_pages": "CLAUSE_AUDIT_MAX_PAGES",
    "max_unzipped_mb": "CLAUSE_AUDIT_MAX_UNZIPPED_MB",
    "max_zip_ratio": "CLAUSE_AUDIT_MAX_ZIP_RATIO",
    "max_paragraphs": "CLAUSE_AUDIT_MAX_PARAGRAPHS",
    "max_table_depth": "CLAUSE_AUDIT_MAX_TABLE_DEPTH",
    "max_chars": "CLAUSE_AUDIT_MAX_CHARS",
    "timeout_s": "CLAUSE_AUDIT_TIMEOUT",
}

# A member this small is never called a bomb, whatever its ratio (an empty styles part compresses well).
ZIP_RATIO_FLOOR = 4 * MB


class LimitsError(ValueError):
    """A CLAUSE_AUDIT_* limit variable with a value that is not a positive number."""


@dataclass(frozen=True)
class Limits:
    """What one input document may cost before it is refused."""

    max_file_mb: float = 50  # the file itself (too_large)
    max_pages: int = 2000  # PDF pages (too_many_pages)
    max_unzipped_mb: float = 256  # a DOCX's members, or one PDF stream, once decompressed
    max_zip_ratio: float = 200  # a DOCX member's decompressed / compressed size (zip_bomb)
    max_paragraphs: int = 200_000  # DOCX paragraphs plus table cells (too_complex)
    max_table_depth: int = 32  # tables inside tables (too_complex)
    max_chars: int = 10_000_000  # characters of text in one document (too_complex)
    timeout_s: float = 300  # wall time of one document: read, audit and render (timeout)

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * MB)

    @property
    def max_unzipped_bytes(self) -> int:
        return int(self.max_unzipped_mb * MB)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Limits:
        """The defaults, overridden by the CLAUSE_AUDIT_* variables that are set; LimitsError for a bad value."""
        env = os.environ if environ is None else environ
        values: dict[str, float | int] = {}
        for f in fields(cls):
            raw = env.get(ENV[f.name], "").strip()
            if not raw:
                continue
            try:
                value = float(raw)
            except ValueError:
                value = 0.0
            if not value > 0 or value == float("inf"):
                raise LimitsError(f"环境变量 {ENV[f.name]} 应为正数：{raw}")
            values[f.name] = int(value) if f.type in ("int", int) else value
        return cls(**values)  # type: ignore[arg-type]


def current_limits() -> Limits:
    """The limits in force: the environment as it is now (cheap enough to read per document)."""
    return Limits.from_env()


# ---------------------------------------------------------------- the time budget


@dataclass(frozen=True)
class Deadline:
    seconds: float
    end: float

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise InputError("timeout", f"处理超过 {self.seconds:g} 秒，已停止（可用 {ENV['timeout_s']} 调整）")


_deadline: ContextVar[Deadline | None] = ContextVar("clause_audit_deadline", default=None)


@contextmanager
def time_budget(seconds: float | None = None) -> Iterator[Deadline]:
    """Run the enclosed work under a wall-time budget (default: the configured timeout_s).

    A budget already running (an outer audit) is kept if it ends sooner.
    """
    if seconds is None:
        seconds = current_limits().timeout_s
    outer = _deadline.get()
    mine = Deadline(seconds, time.monotonic() + seconds)
    chosen = outer if outer is not None and outer.end <= mine.end else mine
    token = _deadline.set(chosen)
    try:
        yield chosen
    finally:
        _deadline.reset(token)


def check_time() -> None:
    """Raise InputError("timeout") when the running budget is spent; nothing without a budget."""
    deadline = _deadline.get()
    if deadline is not None:
        deadline.check()
