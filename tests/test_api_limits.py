"""The web API under load and abuse: bounded queue (503 busy), request timeout (504), temporary files
removed on success, error and client disconnect, document limits and their settings."""

from __future__ import annotations

import contextlib
import tempfile
import threading
import time
from pathlib import Path

import anyio
import pytest
from fastapi.testclient import TestClient

import api.audits
from api.app import create_app
from api.settings import MB, Settings, SettingsError

UNFAIR = "会员须知\n第一条 本活动最终解释权归本店所有。\n"


def _slow(seconds: float, started: threading.Event | None = None):
    real = api.audits.audit_document

    def slow(*args, **kwargs):
        if started is not None:
            started.set()
        time.sleep(seconds)  # no cooperative check: like a parser stuck in native code
        return real(*args, **kwargs)

    return slow


def test_full_queue_is_refused_at_once_with_503(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    monkeypatch.setattr(api.audits, "audit_document", _slow(1.5, started))
    with TestClient(create_app(Settings(audit_threads=1, audit_queue=1))) as c:
        results: list[int] = []

        def post() -> None:
            results.append(c.post("/v1/audits/text", json={"text": UNFAIR}).status_code)

        first = threading.Thread(target=post)
        first.start()
        assert started.wait(10)
        second = threading.Thread(target=post)  # waits in the queue
        second.start()
        deadline = time.monotonic() + 5
        while c.app.state.admission.active < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        t0 = time.monotonic()
        third = c.post("/v1/audits/text", json={"text": UNFAIR})
        assert time.monotonic() - t0 < 1.0
        assert third.status_code == 503 and third.json()["error"]["code"] == "busy"
        assert "繁忙" in third.json()["error"]["message"] and third.headers["retry-after"]
        assert c.get("/healthz").status_code == 200
        first.join(20)
        second.join(20)
        assert results == [200, 200]
        assert c.app.state.admission.active == 0


def test_a_full_queue_refuses_uploads_before_reading_them(monkeypatch: pytest.MonkeyPatch) -> None:
    started = threading.Event()
    monkeypatch.setattr(api.audits, "audit_document", _slow(1.5, started))
    with TestClient(create_app(Settings(audit_threads=1, audit_queue=0, max_upload_bytes=1 * MB))) as c:
        first = threading.Thread(target=lambda: c.post("/v1/audits/text", json={"text": UNFAIR}))
        first.start()
        assert started.wait(10)
        # over the upload limit: read, it would be a 413; refused unread, it is a 503
        big = {"file": ("big.txt", b"x" * (3 * MB), "text/plain")}
        refused = c.post("/v1/audits", files=big)
        assert refused.status_code == 503 and refused.json()["error"]["code"] == "busy"
        assert refused.headers["retry-after"] == "10"
        assert c.get("/healthz").status_code == 200
        first.join(20)
        assert c.post("/v1/audits", files=big).status_code == 413  # room again: the upload is read


def test_audit_over_the_request_timeout_is_a_504(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(api.audits, "audit_document", _slow(2.0))
    with TestClient(create_app(Settings(audit_threads=1, audit_timeout_s=0.3))) as c:
        t0 = time.monotonic()
        response = c.post("/v1/audits/text", json={"text": UNFAIR})
        assert time.monotonic() - t0 < 1.5
        assert response.status_code == 504
        error = response.json()["error"]
        assert error["code"] == "timeout" and "超过" in error["message"]
        # the abandoned audit still holds its place until its thread ends; then the slot is free
        deadline = time.monotonic() + 5
        while c.app.state.admission.active and time.monotonic() < deadline:
            time.sleep(0.05)
        assert c.app.state.admission.active == 0


def test_cooperative_document_budget_inside_the_api(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSE_AUDIT_TIMEOUT", "0.05")
    text = "乙方按约定享受服务甲方按约定提供服务" * 30000 + "本店保留最终解释权"
    with TestClient(create_app()) as c:
        response = c.post("/v1/audits/text", json={"text": text})
    assert response.status_code == 504 and response.json()["error"]["code"] == "timeout"


def test_document_limits_apply_to_uploads(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUSE_AUDIT_MAX_CHARS", "100")
    with TestClient(create_app()) as c:
        response = c.post("/v1/audits", files={"file": ("a.txt", ("第一条 乙方应按时缴费。\n" * 20).encode())})
    assert response.status_code == 422 and response.json()["error"]["code"] == "too_complex"


def test_bad_settings_are_refused() -> None:
    for env in (
        {"CLAUSE_AUDIT_AUDIT_QUEUE": "-1"},
        {"CLAUSE_AUDIT_REQUEST_TIMEOUT": "soon"},
        {"CLAUSE_AUDIT_MAX_PAGES": "0"},
    ):
        with pytest.raises(SettingsError, match=next(iter(env))):
            Settings.from_env(env)
    s = Settings.from_env({"CLAUSE_AUDIT_AUDIT_QUEUE": "0", "CLAUSE_AUDIT_REQUEST_TIMEOUT": "30"})
    assert (s.audit_queue, s.audit_timeout_s) == (0, 30.0)


def test_temporary_files_are_removed_on_success_error_and_disconnect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    big = UNFAIR.encode() + b"\n" * (3 * MB // 2)  # spooled to disk by Starlette
    app = create_app(Settings(max_upload_bytes=4 * MB))
    with TestClient(app) as c:
        assert c.post("/v1/audits", files={"file": ("big.txt", big)}).status_code == 200
        assert c.post("/v1/audits", files={"file": ("big.txt", b"PK\x03\x04" + big)}).status_code == 422
        assert c.post("/v1/audits?format=docx", files={"file": ("big.txt", big)}).status_code == 400
        assert list(spool.iterdir()) == []
        assert _disconnect_mid_upload(app, big) in ("no response", 400)
    assert list(spool.iterdir()) == []


def _disconnect_mid_upload(app, payload: bytes) -> object:
    """Send half a multipart body, then the ASGI disconnect message; the response status, if any."""
    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
    messages = [
        {"type": "http.request", "body": head + payload[: len(payload) // 2], "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict] = []
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/v1/audits",
        "raw_path": b"/v1/audits",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"multipart/form-data; boundary=b"), (b"host", b"test")],
        "client": ("127.0.0.1", 1),
        "server": ("test", 80),
        "state": {},
    }

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    async def call() -> None:
        with contextlib.suppress(Exception):
            await app(scope, receive, send)

    anyio.run(call)
    starts = [m for m in sent if m["type"] == "http.response.start"]
    return starts[0]["status"] if starts else "no response"
