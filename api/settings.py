"""Deployment settings of the web API, read from environment variables (CLAUSE_AUDIT_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from clause_audit.limits import Limits, LimitsError

MB = 1024 * 1024

ENV_API_KEY = "CLAUSE_AUDIT_API_KEY"
ENV_MAX_UPLOAD_MB = "CLAUSE_AUDIT_MAX_UPLOAD_MB"
ENV_CORS_ORIGINS = "CLAUSE_AUDIT_CORS_ORIGINS"
ENV_AUDIT_THREADS = "CLAUSE_AUDIT_AUDIT_THREADS"
ENV_AUDIT_QUEUE = "CLAUSE_AUDIT_AUDIT_QUEUE"
ENV_REQUEST_TIMEOUT = "CLAUSE_AUDIT_REQUEST_TIMEOUT"


class SettingsError(ValueError):
    """An environment variable with a value the server cannot use."""


@dataclass(frozen=True)
class Settings:
    """What an operator may change. The defaults suit a self-check server on the loopback interface."""

    max_upload_bytes: int = 20 * MB
    api_key: str | None = None  # None: no authentication
    cors_origins: tuple[str, ...] = ()  # empty: CORS off
    audit_threads: int = 2  # audits running at once in each server process; the rest wait their turn
    rules_dirs: tuple[Path, ...] | None = None  # None: the packaged library plus $CLAUSE_AUDIT_RULES
    audit_queue: int = 8  # audits that may wait for a thread; beyond them a request gets 503 at once
    audit_timeout_s: float = 120.0  # queue wait plus audit of one request; then 503 (waiting) or 504

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        try:
            Limits.from_env(env)  # the document limits are read per audit; a bad one stops the start
        except LimitsError as exc:
            raise SettingsError(str(exc)) from None
        return cls(
            max_upload_bytes=_megabytes(env.get(ENV_MAX_UPLOAD_MB, "")) or cls.max_upload_bytes,
            api_key=env.get(ENV_API_KEY) or None,
            cors_origins=tuple(o.strip() for o in env.get(ENV_CORS_ORIGINS, "").split(",") if o.strip()),
            audit_threads=_positive(ENV_AUDIT_THREADS, env.get(ENV_AUDIT_THREADS, "")) or min(4, os.cpu_count() or 1),
            audit_queue=_count(ENV_AUDIT_QUEUE, env.get(ENV_AUDIT_QUEUE, ""), cls.audit_queue),
            audit_timeout_s=_seconds(ENV_REQUEST_TIMEOUT, env.get(ENV_REQUEST_TIMEOUT, "")) or cls.audit_timeout_s,
        )


def _megabytes(text: str) -> int:
    if not text.strip():
        return 0
    try:
        value = float(text)
    except ValueError:
        raise SettingsError(f"{ENV_MAX_UPLOAD_MB} 应为正数（单位 MB）：{text}") from None
    if not 0 < value <= 1024:
        raise SettingsError(f"{ENV_MAX_UPLOAD_MB} 应在 0 到 1024 之间：{text}")
    return int(value * MB)


def _positive(name: str, text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdigit() or int(text) < 1:
        raise SettingsError(f"{name} 应为正整数：{text}")
    return int(text)


def _count(name: str, text: str, default: int) -> int:
    if not text.strip():
        return default
    if not text.strip().isdigit():
        raise SettingsError(f"{name} 应为非负整数：{text}")
    return int(text)


def _seconds(name: str, text: str) -> float:
    if not text.strip():
        return 0.0
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise SettingsError(f"{name} 应为正数（单位：秒）：{text}")
    return value
