"""The web API through FastAPI's TestClient: every endpoint, every error path, same reports as the CLI."""

from __future__ import annotations

import json
import re
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import unquote

import pytest
from fastapi.testclient import TestClient

import api.audits
from api.app import create_app, get_rulebook
from api.audits import choose_format, clean_filename, content_disposition
from api.schemas import Report
from api.settings import MB, Settings, SettingsError
from clause_audit.cli import main as cli_main
from clause_audit.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
DOCX = SAMPLES / "prepaid" / "gym-membership.docx"
PDF = SAMPLES / "prepaid" / "gym-membership.pdf"
TXT = SAMPLES / "prepaid" / "laundry-notice.txt"
UNFAIR = "健身会员卡须知\n甲方（经营者）：某某健身有限公司\n第一条 本活动最终解释权归本店所有。\n"
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(max_upload_bytes=2 * MB))) as c:
        yield c


def assert_error(response, status: int, code: str) -> dict:
    """The JSON error shape, a Chinese message, and nothing of the server's insides."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code
    assert CJK.search(body["error"]["message"]), body
    for leak in ("Traceback", 'File "', str(ROOT), "site-packages", "/usr/", "/tmp"):
        assert leak not in response.text
    return body["error"]


# ---------------------------------------------------------------- same report as the CLI


@pytest.mark.parametrize("sample", [DOCX, PDF, TXT], ids=lambda p: p.suffix)
def test_upload_gives_the_cli_jsonl_line(client, sample, tmp_path, monkeypatch, capsys):
    local = tmp_path / sample.name
    local.write_bytes(sample.read_bytes())
    monkeypatch.chdir(tmp_path)
    cli_main(["audit", sample.name, "--format", "jsonl", "-j", "1"])
    expected = json.loads(capsys.readouterr().out)

    response = client.post("/v1/audits", files={"file": (sample.name, sample.read_bytes(), "application/octet-stream")})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    assert response.json() == expected
    assert expected["findings"], "the sample should have findings for this test to mean anything"
    Report.model_validate(response.json())  # the documented schema describes every field sent


def test_pasted_text_gives_the_cli_jsonl_line_of_the_same_text(client, tmp_path, monkeypatch, capsys):
    (tmp_path / "notice.txt").write_text(UNFAIR, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    cli_main(["audit", "notice.txt", "--format", "jsonl", "--domain", "prepaid"])
    expected = json.loads(capsys.readouterr().out)

    response = client.post("/v1/audits/text", json={"text": UNFAIR, "domain": "prepaid", "filename": "notice.txt"})
    assert response.json() == expected
    (finding,) = [f for f in expected["findings"] if f["rule_id"] == "general/final-interpretation"]
    assert finding["quote"] == "最终解释权归本店"


def test_pasted_text_defaults_and_is_never_sniffed_as_a_file(client):
    report = client.post("/v1/audits/text", json={"text": "PK\u0003\u0004 第一条 本店保留最终解释权。"}).json()
    assert report["source"] == "粘贴文本.txt" and report["format"] == "text"
    report = client.post("/v1/audits/text", json={"text": "%PDF-1.4 第一条 本店拥有最终解释权。"}).json()
    assert report["format"] == "text" and report["findings"]


def test_offsets_are_code_points_after_a_non_bmp_character(client):
    text = "第一条 𠀀𠀁本活动最终解释权归本店所有。"
    report = client.post("/v1/audits/text", json={"text": text}).json()
    (finding,) = [f for f in report["findings"] if f["rule_id"] == "general/final-interpretation"]
    clause = report["clauses"][finding["clause_index"]]["text"]
    assert clause[finding["start"] : finding["end"]] == finding["quote"] == "最终解释权归本店"
    assert finding["start"] == clause.index("最终")  # code points: 𠀀 counts 1, not 2 as in UTF-16


def test_domain_is_forced_or_detected(client):
    forced = client.post("/v1/audits/text", json={"text": UNFAIR, "domain": "training"}).json()
    assert forced["domain"] == {"code": "training", "confidence": 1.0, "forced": True}
    auto = client.post("/v1/audits/text", json={"text": UNFAIR, "domain": "auto"}).json()
    assert auto["domain"]["forced"] is False
    upload = client.post("/v1/audits", files={"file": ("a.txt", UNFAIR.encode())}, data={"domain": "used_car"})
    assert upload.json()["domain"]["code"] == "used_car"


def test_type_is_sniffed_from_the_content_not_the_name(client):
    as_pdf = client.post("/v1/audits", files={"file": ("合同.pdf", UNFAIR.encode("gb18030"), "application/pdf")})
    assert as_pdf.status_code == 200 and as_pdf.json()["format"] == "text"
    docx_named_txt = client.post("/v1/audits", files={"file": ("contract.txt", DOCX.read_bytes(), "text/plain")})
    assert docx_named_txt.json()["format"] == "docx"
    picture = client.post("/v1/audits", files={"file": ("contract.docx", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)})
    assert_error(picture, 415, "unsupported_format")


def test_upload_name_is_reduced_to_a_file_name(client):
    report = client.post("/v1/audits", files={"file": ("../../etc/合同.txt", UNFAIR.encode())}).json()
    assert report["source"] == "合同.txt"
    assert clean_filename("C:\\Users\\张三\\合同.docx", "x") == "合同.docx"
    assert clean_filename("..", "默认") == "默认"
    assert clean_filename("合同\r\n\x00.txt", "x") == "合同.txt"


# ---------------------------------------------------------------- annotated and report downloads


def _download_name(response) -> str:
    header = response.headers["content-disposition"]
    assert header.startswith("attachment;")
    fallback = re.search(r'filename="([^"]+)"', header).group(1)
    assert fallback.isascii()
    return unquote(re.search(r"filename\*=UTF-8''(\S+)", header).group(1))


def test_annotated_docx_download_with_a_chinese_file_name(client):
    response = client.post("/v1/audits?format=docx", files={"file": ("健身 会员合同.docx", DOCX.read_bytes())})
    assert response.status_code == 200
    assert response.headers["content-type"] == api.audits.MEDIA_TYPES["docx"]
    assert response.content.startswith(b"PK")
    assert _download_name(response) == "健身 会员合同.annotated.docx"


def test_annotated_pdf_chosen_by_the_accept_header(client):
    response = client.post(
        "/v1/audits", files={"file": ("gym.pdf", PDF.read_bytes())}, headers={"Accept": "application/pdf"}
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert _download_name(response) == "gym.annotated.pdf"
    assert 'filename="gym.annotated.pdf"' in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("query", "accept", "media", "suffix"),
    [
        ("html", "", "text/html; charset=utf-8", ".txt.report.html"),
        ("markdown", "", "text/markdown; charset=utf-8", ".txt.report.md"),
        ("report-docx", "", api.audits.MEDIA_TYPES["report-docx"], ".txt.review.docx"),
        (None, "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8", "text/html; charset=utf-8", ".txt.report.html"),
        (None, "text/markdown", "text/markdown; charset=utf-8", ".txt.report.md"),
    ],
)
def test_report_formats(client, query, accept, media, suffix):
    params = {"format": query} if query else {}
    headers = {"Accept": accept} if accept else {}
    response = client.post("/v1/audits/text", json={"text": UNFAIR}, params=params, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"] == media
    assert _download_name(response) == "粘贴文本" + suffix
    if media.startswith("text/"):
        assert "最终解释权" in response.text


def test_json_stays_the_default_for_other_accept_headers(client):
    for accept in ("*/*", "image/png", "application/json", "text/html;q=0"):
        response = client.post("/v1/audits/text", json={"text": UNFAIR}, headers={"Accept": accept})
        assert response.headers["content-type"] == "application/json", accept
    assert choose_format(None, "text/markdown;q=0.5, text/html;q=0.9") == "html"
    assert choose_format("pdf", "text/html") == "pdf"


def test_annotated_file_of_another_input_type_is_a_400(client):
    body = assert_error(client.post("/v1/audits/text?format=docx", json={"text": UNFAIR}), 400, "output_error")
    assert "Word" in body["message"]
    assert_error(
        client.post("/v1/audits?format=pdf", files={"file": ("a.docx", DOCX.read_bytes())}), 400, "output_error"
    )


def test_content_disposition_fallback_is_ascii_and_the_real_name_rfc5987():
    header = content_disposition("合同 (1).annotated.docx")
    assert header == (
        'attachment; filename="clause-audit.annotated.docx"; '
        "filename*=UTF-8''%E5%90%88%E5%90%8C%20%281%29.annotated.docx"
    )
    header.encode("latin-1")  # a header value must be Latin-1
    assert (
        content_disposition("gym.report.md") == "attachment; filename=\"gym.report.md\"; filename*=UTF-8''gym.report.md"
    )


# ---------------------------------------------------------------- input errors


@pytest.mark.parametrize(
    ("content", "status", "code"),
    [
        (b"PK\x05\x06" + b"\0" * 18, 415, "unsupported_format"),  # an empty zip
        (b"\x00\x01\x02binary\x00" * 10, 415, "decode_error"),
        (b"PK\x03\x04 not really a zip", 422, "corrupt_file"),
        (b"%PDF-1.4 garbage", 422, "corrupt_file"),
        (b"", 422, "empty_document"),
        (b"   \n\n  ", 422, "empty_document"),
    ],
    ids=["zip", "binary", "broken-zip", "broken-pdf", "empty", "blank"],
)
def test_unreadable_uploads(client, content, status, code):
    assert_error(client.post("/v1/audits", files={"file": ("x.docx", content)}), status, code)


def test_request_validation_errors(client):
    body = assert_error(client.post("/v1/audits", data={"domain": "prepaid"}), 422, "validation_error")
    assert "文件" in body["message"]
    body = assert_error(
        client.post("/v1/audits", files={"file": ("a.txt", UNFAIR.encode())}, data={"domain": "cars"}),
        422,
        "validation_error",
    )
    assert "领域" in body["message"] and "used_car" in body["message"]
    assert_error(client.post("/v1/audits/text?format=exe", json={"text": UNFAIR}), 422, "validation_error")
    assert_error(client.post("/v1/audits/text", json={"text": ""}), 422, "validation_error")
    assert_error(client.post("/v1/audits/text", json={"words": UNFAIR}), 422, "validation_error")
    assert_error(client.post("/v1/audits/text", json=[UNFAIR]), 422, "validation_error")
    assert_error(client.post("/v1/audits/text", json={"text": " \n "}), 422, "empty_document")
    assert_error(client.post("/v1/audits/text", json={"text": "a\x00b"}), 422, "decode_error")
    assert_error(client.get("/v1/rules?domain=cars"), 422, "validation_error")


def test_malformed_bodies_are_400(client):
    bad_json = client.post("/v1/audits/text", content=b'{"text": ', headers={"Content-Type": "application/json"})
    assert_error(bad_json, 400, "bad_request")
    bad_multipart = client.post(
        "/v1/audits", content=b"--x\r\ngarbage", headers={"Content-Type": "multipart/form-data; boundary=x"}
    )
    assert bad_multipart.status_code in (400, 422)
    assert_error(
        bad_multipart,
        bad_multipart.status_code,
        "bad_request" if bad_multipart.status_code == 400 else "validation_error",
    )


def test_unknown_paths_and_methods(client):
    assert_error(client.get("/v1/nothing"), 404, "not_found")
    assert_error(client.delete("/v1/audits"), 405, "method_not_allowed")
    assert_error(client.get("/docs"), 404, "not_found")  # Swagger UI would load from a CDN: not served


# ---------------------------------------------------------------- size limit while streaming


@pytest.fixture(scope="module")
def small_client():
    with TestClient(create_app(Settings(max_upload_bytes=MB))) as c:
        yield c


def test_declared_oversize_upload_is_rejected_before_reading(small_client):
    big = b"a" * (2 * MB)
    body = assert_error(small_client.post("/v1/audits", files={"file": ("big.txt", big)}), 413, "too_large")
    assert "1 MB" in body["message"]
    assert_error(small_client.post("/v1/audits/text", json={"text": "条" * MB}), 413, "too_large")


def test_chunked_oversize_upload_is_cut_off_while_streaming(small_client):
    sent = []

    def chunks():
        boundary = b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\n\r\n'
        yield boundary
        for _ in range(64):  # 4 MiB if all were read
            sent.append(1)
            yield b"x" * (64 * 1024)
        yield b"\r\n--b--\r\n"

    response = small_client.post(
        "/v1/audits", content=chunks(), headers={"Content-Type": "multipart/form-data; boundary=b"}
    )
    assert "content-length" not in response.request.headers
    assert_error(response, 413, "too_large")


def test_file_just_over_the_limit_inside_the_multipart_allowance(small_client):
    assert_error(small_client.post("/v1/audits", files={"file": ("a.txt", b"a" * (MB + 10))}), 413, "too_large")
    under = UNFAIR.encode() + b"\n" * (MB - 200)
    assert small_client.post("/v1/audits", files={"file": ("a.txt", under)}).status_code == 200


def test_temporary_files_are_removed(client, tmp_path, monkeypatch):
    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    big = UNFAIR.encode() + b"\n" * (3 * MB // 2)  # 1.5 MB: Starlette spools it to disk
    assert len(big) > MB
    assert client.post("/v1/audits", files={"file": ("big.txt", big)}).status_code == 200
    assert client.post("/v1/audits", files={"file": ("big.txt", b"\x00" + big)}).status_code == 415
    assert list(spool.iterdir()) == []


# ---------------------------------------------------------------- 500 without internals


def test_internal_error_tells_nothing_of_the_server(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError(f"secret detail in {ROOT}/clause_audit/engine.py")

    monkeypatch.setattr(api.audits, "audit_document", broken)
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        response = c.post("/v1/audits/text", json={"text": UNFAIR})
        assert "secret" not in response.text
        assert_error(response, 500, "internal_error")

        def failing(*args, **kwargs):
            raise InputError("internal_error", "KeyError: /srv/secret")

        monkeypatch.setattr(api.audits, "audit_document", failing)
        response = c.post("/v1/audits/text", json={"text": UNFAIR})
        assert "secret" not in response.text
        assert_error(response, 500, "internal_error")


# ---------------------------------------------------------------- auditing off the event loop


def test_healthz_answers_while_an_audit_is_running(monkeypatch):
    started = threading.Event()
    real = api.audits.audit_document

    def slow(*args, **kwargs):
        started.set()
        end = time.monotonic() + 2.0
        n = 0
        while time.monotonic() < end:  # CPU-bound, holding the GIL between switches like a PDF parse
            n += sum(range(2000))
        return real(*args, **kwargs)

    monkeypatch.setattr(api.audits, "audit_document", slow)
    with TestClient(create_app()) as c:
        result = {}
        worker = threading.Thread(target=lambda: result.update(r=c.post("/v1/audits/text", json={"text": UNFAIR})))
        worker.start()
        assert started.wait(10)
        t0 = time.monotonic()
        health = c.get("/healthz")
        waited = time.monotonic() - t0
        assert health.status_code == 200
        assert worker.is_alive(), "the audit should still be running"
        worker.join(20)
        assert result["r"].status_code == 200
    assert waited < 0.5, f"/healthz waited {waited:.2f} s for the audit"


def test_concurrent_audits_give_the_same_reports_as_one_at_a_time(client):
    from concurrent.futures import ThreadPoolExecutor

    inputs = [DOCX, TXT, SAMPLES / "training" / "k12-tutoring.docx"]

    def post(path: Path) -> dict:
        return client.post("/v1/audits", files={"file": (path.name, path.read_bytes())}).json()

    one_at_a_time = [post(p) for p in inputs]
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(post, inputs * 2))
    assert together == one_at_a_time * 2


# ---------------------------------------------------------------- rules and health


def test_healthz(client):
    body = client.get("/healthz").json()
    assert body["status"] == "ok" and body["rules"] > 50 and len(body["rules_version"]) == 12
    assert body["max_upload_bytes"] == 2 * MB


def test_rules_list_and_filters(client):
    everything = client.get("/v1/rules").json()
    assert everything["count"] == len(everything["rules"]) == client.get("/healthz").json()["rules"]
    assert all(not r["id"].startswith("/") and "file" not in r for r in everything["rules"])
    prepaid = client.get("/v1/rules", params={"domain": "prepaid", "severity": "high"}).json()
    assert prepaid["count"] > 0
    assert {(r["domain"], r["severity"]) for r in prepaid["rules"]} == {("prepaid", "high")}


def test_rule_detail_quotes_the_law(client):
    rule = client.get("/v1/rules/general/final-interpretation").json()
    assert rule["id"] == "general/final-interpretation"
    assert rule["category_name"] == "经营者单方享有解释权或最终解释权"
    assert [c["ref"] for c in rule["citations"]] == rule["legal_basis"]
    assert any("解释" in c["text"] and c["law"].startswith("《") for c in rule["citations"])
    assert any(e["unfair"] and e["start"] is not None for e in rule["examples"])
    assert str(ROOT) not in json.dumps(rule, ensure_ascii=False)
    assert_error(client.get("/v1/rules/general/no-such-rule"), 404, "not_found")


def test_rulebook_dependency_can_be_overridden(tmp_path):
    from tinyrules import write_rulebook

    tiny = write_rulebook(tmp_path / "rules")
    app = create_app()
    app.dependency_overrides[get_rulebook] = lambda: tiny
    with TestClient(app) as c:
        report = c.post("/v1/audits/text", json={"text": "第一条 本合同最终解释权归甲方所有。"}).json()
        assert report["rules_version"] == tiny.version
        assert {f["rule_id"] for f in report["findings"]} >= {"general/t-final-interpretation"}
        assert c.get("/v1/rules").json()["count"] == len(tiny.rules)


# ---------------------------------------------------------------- authentication and CORS


def test_api_key_when_configured():
    with TestClient(create_app(Settings(api_key="s3cret-key"))) as c:
        body = assert_error(c.get("/v1/rules"), 401, "unauthorized")
        assert "API 密钥" in body["message"]
        assert c.get("/v1/rules").headers["www-authenticate"] == "Bearer"
        assert_error(c.get("/v1/rules", headers={"X-API-Key": "wrong"}), 401, "unauthorized")
        assert_error(c.post("/v1/audits/text", json={"text": UNFAIR}), 401, "unauthorized")
        assert c.get("/v1/rules", headers={"X-API-Key": "s3cret-key"}).status_code == 200
        assert c.get("/v1/rules", headers={"Authorization": "Bearer s3cret-key"}).status_code == 200
        assert c.get("/healthz").status_code == 200 and c.get("/").status_code == 200
        spec = c.get("/openapi.json").json()
        assert {"APIKeyHeader", "HTTPBearer"} <= spec["components"]["securitySchemes"].keys()


def test_no_key_needed_by_default_and_no_security_in_the_spec(client):
    assert client.get("/v1/rules").status_code == 200
    assert "securitySchemes" not in client.get("/openapi.json").json()["components"]


def test_cors_is_off_by_default(client):
    preflight = client.options(
        "/v1/audits", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}
    )
    assert "access-control-allow-origin" not in preflight.headers
    plain = client.get("/healthz", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in plain.headers


def test_cors_for_configured_origins():
    settings = Settings(cors_origins=("https://shop.example",), max_upload_bytes=MB)
    with TestClient(create_app(settings)) as c:
        ok = c.options(
            "/v1/audits", headers={"Origin": "https://shop.example", "Access-Control-Request-Method": "POST"}
        )
        assert ok.headers["access-control-allow-origin"] == "https://shop.example"
        other = c.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers
        big = c.post("/v1/audits", files={"file": ("a.txt", b"a" * 2 * MB)}, headers={"Origin": "https://shop.example"})
        assert big.status_code == 413 and big.headers["access-control-allow-origin"] == "https://shop.example"


def test_settings_from_environment():
    s = Settings.from_env(
        {
            "CLAUSE_AUDIT_MAX_UPLOAD_MB": "5",
            "CLAUSE_AUDIT_API_KEY": "k",
            "CLAUSE_AUDIT_CORS_ORIGINS": "https://a.example, https://b.example",
            "CLAUSE_AUDIT_AUDIT_THREADS": "3",
        }
    )
    assert (s.max_upload_bytes, s.api_key, s.cors_origins, s.audit_threads) == (
        5 * MB,
        "k",
        ("https://a.example", "https://b.example"),
        3,
    )
    default = Settings.from_env({})
    assert default.max_upload_bytes == 20 * MB and default.api_key is None and default.cors_origins == ()
    for bad in ({"CLAUSE_AUDIT_MAX_UPLOAD_MB": "lots"}, {"CLAUSE_AUDIT_MAX_UPLOAD_MB": "-1"}):
        with pytest.raises(SettingsError, match="CLAUSE_AUDIT_MAX_UPLOAD_MB"):
            Settings.from_env(bad)
    with pytest.raises(SettingsError):
        Settings.from_env({"CLAUSE_AUDIT_AUDIT_THREADS": "0"})


# ---------------------------------------------------------------- the page and the OpenAPI document


def test_page_is_served_in_chinese_without_outside_resources(client):
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text and "合同格式条款自查" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for asset in ("static/app.js", "static/app.css"):
        assert asset in page.text
        assert client.get("/" + asset).status_code == 200
    for text in (page.text, client.get("/static/app.js").text, client.get("/static/app.css").text):
        assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", text)
        assert "@import" not in text and "cdn" not in text.lower()


def test_openapi_describes_every_field_in_chinese(client):
    spec = client.get("/openapi.json").json()
    assert CJK.search(spec["info"]["title"]) and CJK.search(spec["info"]["description"])
    paths = set(spec["paths"])
    assert {"/v1/audits", "/v1/audits/text", "/v1/rules", "/v1/rules/{rule_id}", "/healthz"} <= paths
    missing = []
    for name, schema in spec["components"]["schemas"].items():
        for field, prop in schema.get("properties", {}).items():
            if not CJK.search(prop.get("description", "")):
                missing.append(f"{name}.{field}")
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if not CJK.search(op.get("summary", "")):
                missing.append(f"{method} {path}")
            for param in op.get("parameters", []):
                if not CJK.search(param.get("description", "")):
                    missing.append(f"{method} {path} {param['name']}")
            for status, response in op["responses"].items():
                if not CJK.search(response.get("description", "")):
                    missing.append(f"{method} {path} → {status}")
    assert missing == []
    assert "HTTPValidationError" not in spec["components"]["schemas"]  # 422 is our error shape too
