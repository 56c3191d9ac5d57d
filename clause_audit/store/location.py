"""Where the store lives: `--db` (a file path or an SQLAlchemy URL), else CLAUSE_AUDIT_DB, else a per-user file."""

from __future__ import annotations

import os
from pathlib import Path

DB_ENV = "CLAUSE_AUDIT_DB"
DEFAULT_FILE = "audits.sqlite3"


def default_path() -> Path:
    """The per-user data folder's store, e.g. ~/.local/share/clause-audit/audits.sqlite3 on Linux."""
    from platformdirs import user_data_path

    return user_data_path("clause-audit", appauthor=False) / DEFAULT_FILE


def chosen_location(db: str | None) -> str | None:
    """What the user chose (`--db`, then the environment), or None for the default file."""
    return db or os.environ.get(DB_ENV) or None


def store_url(db: str | None) -> str:
    """An SQLAlchemy URL for `db`: URLs are kept as given, file paths become sqlite URLs."""
    chosen = chosen_location(db)
    if chosen is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{path}"
    if "://" in chosen:
        scheme, rest = chosen.split("://", 1)
        # the postgres extra installs psycopg 3; SQLAlchemy's default PostgreSQL driver is psycopg2
        return f"postgresql+psycopg://{rest}" if scheme in ("postgresql", "postgres") else chosen
    return f"sqlite:///{Path(chosen).expanduser().resolve()}"


def is_url_given(db: str | None) -> bool:
    return chosen_location(db) is not None
