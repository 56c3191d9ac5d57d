"""A bound on how far one PDF stream may inflate: pdfminer's FlateDecode has none (a 2 MB file can
hold a content stream of gigabytes). pdfminer.pdftypes calls `zlib.decompress`; it is given this
module's `zlib` stand-in, which stops at the limit and raises InputError("zip_bomb")."""

from __future__ import annotations

import zlib as _zlib
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from clause_audit.errors import InputError
from clause_audit.limits import ENV, Limits

_limit: ContextVar[int | None] = ContextVar("clause_audit_pdf_stream_limit", default=None)


class BoundedZlib:
    """The parts of the zlib module pdfminer.pdftypes uses, with a bounded `decompress`."""

    error = _zlib.error
    decompressobj = staticmethod(_zlib.decompressobj)

    @staticmethod
    def decompress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        limit = _limit.get()
        if limit is None:
            limit = Limits().max_unzipped_bytes
        inflater = _zlib.decompressobj()
        out = inflater.decompress(data, limit + 1)
        if len(out) > limit:
            detail = f"PDF 中有数据流解压后超过 {limit // (1024 * 1024)} MB（{ENV['max_unzipped_mb']}）"
            raise InputError("zip_bomb", detail)
        if not inflater.eof and not out and data:
            raise _zlib.error("incomplete or truncated stream")
        return out + inflater.flush()


def install() -> None:
    import pdfminer.pdftypes

    pdfminer.pdftypes.zlib = BoundedZlib  # type: ignore[assignment]


@contextmanager
def stream_limit(limit: int) -> Iterator[None]:
    token = _limit.set(limit)
    try:
        yield
    finally:
        _limit.reset(token)
