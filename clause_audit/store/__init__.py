"""The audit store: saved audits (cases), their findings and review decisions, on SQLite or PostgreSQL.

Importing this package imports SQLAlchemy; the rest of clause_audit never imports it, so a command
that does not use the store starts without it.
"""

from __future__ import annotations

from clause_audit.store.audit_store import Store
from clause_audit.store.errors import CaseNotFound, ReviewConflict, StoreError
from clause_audit.store.location import store_url

__all__ = ["CaseNotFound", "ReviewConflict", "Store", "StoreError", "open_store"]


def open_store(url: str | None = None) -> Store:
    """Open (and create or migrate) the store at `url`: an SQLAlchemy URL or a file path; None means
    CLAUSE_AUDIT_DB, else the per-user default file. Raises StoreError with a Chinese message."""
    from clause_audit.store.opening import create_store_engine

    try:
        resolved = store_url(url)
    except OSError as exc:
        raise StoreError(f"无法创建审查记录数据库所在的目录：{exc}") from None
    return Store(create_store_engine(resolved))
