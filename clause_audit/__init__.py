"""clause-audit: find unfair standard-form terms (不公平格式条款) in Chinese consumer contracts."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"

if TYPE_CHECKING:
    from clause_audit.model import Report
    from clause_audit.rulebook import Rulebook

__all__ = ["__version__", "audit"]


def audit(
    source: str | Path | bytes,
    *,
    domain: str | None = None,
    filename: str | None = None,
    rulebook: Rulebook | None = None,
) -> Report:
    """Audit one contract (a path, or bytes with a `filename` hint) and return its Report.

    Raises errors.InputError when the input cannot be read.
    """
    from clause_audit.pipeline import audit as _audit

    return _audit(source, domain=domain, filename=filename, rulebook=rulebook)
