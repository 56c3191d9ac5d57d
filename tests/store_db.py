"""Store fixtures: a fresh SQLite file per test, or the database named by CLAUSE_AUDIT_TEST_DB (emptied first).

scripts/test_postgres.sh sets CLAUSE_AUDIT_TEST_DB to a throw-away PostgreSQL server's URL.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

from clause_audit import audit
from clause_audit.model import Report

ROOT = Path(__file__).resolve().parent.parent
TEST_DB_ENV = "CLAUSE_AUDIT_TEST_DB"
SAMPLES = (
    "samples/prepaid/laundry-notice.txt",
    "samples/prepaid/gym-membership.docx",
    "samples/training/driving-school.pdf",
    "samples/used_car/dealer-sale.docx",
)


def fresh_url(tmp_path: Path) -> str:
    """An empty store location: a new SQLite file, or the test server's database with its tables dropped."""
    url = os.environ.get(TEST_DB_ENV)
    if not url:
        return f"sqlite:///{tmp_path / 'audits.sqlite3'}"
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
        else:
            pytest.skip(f"{TEST_DB_ENV}: only PostgreSQL URLs are emptied by the tests")
    engine.dispose()
    return url


@cache
def sample_report(relative: str) -> Report:
    return audit(ROOT / relative, filename=relative)


@pytest.fixture
def store_url(tmp_path: Path) -> str:
    return fresh_url(tmp_path)


@pytest.fixture
def store(store_url: str):
    from clause_audit.store import open_store

    opened = open_store(store_url)
    yield opened
    opened.close()
