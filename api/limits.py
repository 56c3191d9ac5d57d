"""Request body size limit, enforced while the body streams in (pure ASGI, so nothing is spooled first).

Starlette spools a whole multipart upload to a temporary file before the endpoint runs, so a check
in the endpoint comes too late. This middleware answers 413 at once when Content-Length is over the
limit, and counts the bytes passing through `receive()` for chunked or understating clients.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import ApiError, error_body

# room for the multipart framing and the small form fields around the file itself
MULTIPART_OVERHEAD = 64 * 1024


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(413, "too_large", too_large_message(limit))


def too_large_message(limit: int) -> str:
    mb = limit / (1024 * 1024)
    return f"文件过大：上限为 {mb:g} MB"


class UploadLimit:
    """Reject request bodies over `max_bytes` (+ multipart framing) with 413 before they are stored."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_body = max_bytes + MULTIPART_OVERHEAD

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is not None and declared > self.max_body:
            await self._reject(send)
            return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body:
                    # FastAPI re-raises an HTTPException met while parsing the body; the
                    # error handlers turn it into the JSON 413
                    raise BodyTooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except BodyTooLarge:
            if started:
                raise
            await self._reject(send)

    async def _reject(self, send: Send) -> None:
        error = error_body("too_large", too_large_message(self.max_bytes))
        body = json.dumps(error, ensure_ascii=False, separators=(",", ":")).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None
