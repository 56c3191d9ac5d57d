"""Admission of audits: a few run at once in worker threads, a few more wait, the rest get 503 at once;
an audit that overruns the request timeout gets 504, and its thread stops at its next checkpoint."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import ApiError, error_response
from clause_audit.limits import current_limits, time_budget

BUSY_MESSAGE = "服务器繁忙：正在审查的文件过多，请稍后重试"
RETRY_AFTER = "10"  # seconds


class Admission:
    """`run(job, *args)` in a worker thread, at most `threads` at a time and `queue` more waiting."""

    def __init__(self, threads: int, queue: int, timeout: float) -> None:
        self.limiter = anyio.CapacityLimiter(threads)
        self.capacity = threads + queue
        self.timeout = timeout
        self._lock = threading.Lock()
        self._active = 0  # admitted and not finished: waiting, running, or given up on but still running

    @property
    def active(self) -> int:
        return self._active

    @property
    def full(self) -> bool:
        return self._active >= self.capacity

    async def run(self, job: Callable[..., Any], *args: Any) -> Any:
        with self._lock:
            if self._active >= self.capacity:
                raise ApiError(503, "busy", BUSY_MESSAGE, {"Retry-After": RETRY_AFTER})
            self._active += 1
        deadline = time.monotonic() + self.timeout
        state = {"started": False, "abandoned": False}

        def work() -> Any:
            with self._lock:
                if state["abandoned"]:
                    return None
                state["started"] = True
            try:
                # the document's own budget, cut to what is left of the request's
                with time_budget(max(0.0, min(deadline - time.monotonic(), current_limits().timeout_s))):
                    return job(*args)
            finally:
                with self._lock:
                    self._active -= 1

        try:
            with anyio.fail_after(self.timeout):
                return await anyio.to_thread.run_sync(work, limiter=self.limiter, abandon_on_cancel=True)
        except TimeoutError:
            if self._abandon(state):
                raise ApiError(
                    503,
                    "busy",
                    f"服务器繁忙：排队超过 {self.timeout:g} 秒仍未开始审查，请稍后重试",
                    {"Retry-After": "10"},
                ) from None
            raise ApiError(504, "timeout", f"审查超过 {self.timeout:g} 秒仍未完成，已停止；请拆分文件后重试") from None
        except BaseException:  # the client went away: a job not yet started never starts
            self._abandon(state)
            raise

    def _abandon(self, state: dict[str, bool]) -> bool:
        """Give up on a job; True when it had not started (and now never will)."""
        with self._lock:
            if state["started"]:
                return False
            if not state["abandoned"]:
                state["abandoned"] = True
                self._active -= 1
            return True


class BusyGate:
    """Refuse an audit request with 503 before its body is read when the queue is already full.

    The endpoints' admission check comes after the upload has been received and parsed; under a
    storm of retries that parsing alone starves the admitted audits of CPU. This is only the early
    check: Admission.run still decides.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST" and _is_audit(scope["path"]):
            admission: Admission | None = getattr(scope["app"].state, "admission", None)
            if admission is not None and admission.full:
                refusal = error_response(503, "busy", BUSY_MESSAGE, {"Retry-After": RETRY_AFTER})
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _is_audit(path: str) -> bool:
    return path.rstrip("/").endswith(("/v1/audits", "/v1/audits/text"))
