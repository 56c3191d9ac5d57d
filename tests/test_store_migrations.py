"""Schema migrations: they build the schema from an empty database, and their head matches the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect

from clause_audit.store import open_store
from clause_audit.store.migrate import head_revision
from clause_audit.store.models import Base


def test_migrations_create_the_schema_from_empty(store_url):
    engine = create_engine(store_url)
    assert not set(inspect(engine).get_table_names()) & {"audits", "findings", "merchants"}
    open_store(store_url).close()
    assert {"alembic_version", "audits", "findings", "merchants"} <= set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision() == "0001"
    columns = {c["name"] for c in inspect(engine).get_columns("findings")}
    assert {"rule_id", "fingerprint", "status", "reviewer_note", "reviewed_at", "version"} <= columns
    engine.dispose()


def test_the_migration_head_matches_the_models(store_url):
    open_store(store_url).close()
    engine = create_engine(store_url)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    engine.dispose()
    assert differences == []


def test_opening_a_migrated_store_again_changes_nothing(store_url):
    with open_store(store_url) as first:
        assert first.cases() == []
    with open_store(store_url) as again:
        assert again.cases() == []


def test_a_store_from_a_newer_version_is_refused_with_a_chinese_message(tmp_path):
    import pytest

    from clause_audit.store import StoreError

    url = f"sqlite:///{tmp_path / 'newer.sqlite3'}"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        connection.exec_driver_sql("INSERT INTO alembic_version VALUES ('9999')")
    engine.dispose()
    with pytest.raises(StoreError, match="结构版本不认识（可能由更新版本的 clause-audit 创建）"):
        open_store(url)
