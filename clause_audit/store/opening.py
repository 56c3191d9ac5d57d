"""Open a store from a URL: the engine, SQLite's settings for concurrent writers, the migrations."""

from __future__ import annotations

import sqlite3
from typing import Any

from alembic.util import CommandError
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError

from clause_audit.store.errors import StoreError

# a writer waits this long for another one to finish before giving up (SQLite's busy timeout)
BUSY_TIMEOUT_MS = 10_000


def create_store_engine(url: str) -> Engine:
    """An engine for `url`, with the schema brought up to date; StoreError with a Chinese message otherwise."""
    from clause_audit.store.migrate import upgrade

    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):  # ValueError: a port that is not a number
        raise StoreError(f"数据库地址格式错误：{_hide_password(url)}") from None
    shown = parsed.render_as_string(hide_password=True)
    try:
        engine = create_engine(parsed, **_engine_options(parsed.get_backend_name()))
    except NoSuchModuleError:
        raise StoreError(f"不支持的数据库类型：{parsed.drivername}（{shown}）") from None
    except ModuleNotFoundError as exc:
        hint = "，请安装 clause-audit[postgres]" if parsed.get_backend_name() == "postgresql" else ""
        raise StoreError(f"缺少数据库驱动 {exc.name}{hint}") from None
    except (ArgumentError, TypeError, ValueError) as exc:  # options in the URL the driver does not take
        raise StoreError(f"数据库地址无法使用（{shown}）：{exc}") from None
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_settings)
    try:
        upgrade(engine)
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        engine.dispose()
        raise StoreError(f"无法打开审查记录数据库 {shown}：{_reason(exc)}") from None
    except CommandError:
        engine.dispose()
        raise StoreError(f"审查记录数据库 {shown} 的结构版本不认识（可能由更新版本的 clause-audit 创建）") from None
    return engine


def _hide_password(url: str) -> str:
    scheme, sep, rest = url.partition("://")
    if not sep or "@" not in rest:
        return url
    credentials, _, host = rest.rpartition("@")
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}" if ":" in credentials else url


def _engine_options(backend: str) -> dict[str, Any]:
    if backend == "sqlite":
        return {"connect_args": {"timeout": BUSY_TIMEOUT_MS / 1000}}
    return {"pool_pre_ping": True}


def _sqlite_settings(connection: Any, _record: Any) -> None:
    # WAL lets readers go on while one staff member writes; busy_timeout makes a second writer wait
    # instead of failing at once; SQLite enforces foreign keys only when asked to.
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def _reason(exc: BaseException) -> str:
    original = getattr(exc, "orig", None) or exc
    text = str(original).splitlines()[0] if str(original) else type(original).__name__
    known = {
        "file is not a database": "文件不是数据库（或已损坏）",
        "unable to open database file": "无法打开文件（目录不存在或没有权限）",
        "attempt to write a readonly database": "数据库只读，没有写入权限",
        "database is locked": "数据库正被其他程序占用，请稍后再试",
    }
    for english, chinese in known.items():
        if english in text:
            return chinese
    if "Connection refused" in text or "could not connect" in text or "connection failed" in text:
        return "无法连接数据库服务器"
    if "password authentication failed" in text:
        return "用户名或密码错误"
    if "does not exist" in text:
        return f"数据库不存在（{text}）"
    return text
