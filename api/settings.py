"""Deployment settings of the web API, read from environment variables (CLAUSE_AUDIT_*)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024

ENV_API_KEY = "CLAUSE_AUDIT_API_KEY"
ENV_MAX_UPLOAD_MB = "CLAUSE_AUDIT_MAX_UPLOAD_MB"
ENV_CORS_ORIGINS = "CLAUSE_AUDIT_CORS_ORIGINS"
ENV_AUDIT_THREADS = "CLAUSE_AUDIT_AUDIT_THREADS"


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

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            max_upload_bytes=_megabytes(env.get(ENV_MAX_UPLOAD_MB, "")) or cls.max_upload_bytes,
            api_key=env.get(ENV_API_KEY) or None,
            cors_origins=tuple(o.strip() for o in env.get(ENV_CORS_ORIGINS, "").split(",") if o.strip()),
            audit_threads=_positive(ENV_AUDIT_THREADS, env.get(ENV_AUDIT_THREADS, "")) or min(4, os.cpu_count() or 1),
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
