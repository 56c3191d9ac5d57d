"""End to end: the real server (uvicorn on a free loopback port) and the self-check page in headless
Chromium (Debian's `chromium`, driven by Playwright; no browser download): upload a contract, see the
problem clause highlighted with its explanation, download the annotated file.

Chromium comes from system_tools.require (installed in CI, skipped elsewhere when missing); the
playwright package from the test extra, installed here in CI if it is missing.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
import system_tools

ROOT = Path(__file__).resolve().parent.parent
DOCX = ROOT / "samples" / "prepaid" / "gym-membership.docx"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PASTED = "会员须知\n第一条 𠀀𠀁😀本活动最终解释权归本店所有。\n第二条 会员卡一经售出，概不退款。\n"


def _chromium() -> str:
    for candidate in ("/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return system_tools.require("chromium")


def _playwright():  # type: ignore[no-untyped-def]
    try:
        return importlib.import_module("playwright.sync_api")
    except ImportError:
        if os.environ.get("CI") != "true":
            pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    done = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "playwright"], capture_output=True, text=True, timeout=600
    )
    if done.returncode != 0:
        pytest.fail(f"could not install playwright: {done.stderr[-2000:]}")
    importlib.invalidate_caches()
    return importlib.import_module("playwright.sync_api")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`uvicorn api.app:create_app --factory` in its own process, as `clause-audit serve` runs it."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("server") / "uvicorn.log"
    log = log_path.open("wb")
    env = {**os.environ, "CLAUSE_AUDIT_MAX_UPLOAD_MB": "20"}
    env.pop("CLAUSE_AUDIT_API_KEY", None)
    command = [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--log-level", "warning"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = log_path.read_text(errors="replace")
                pytest.fail(f"the server did not start:\n{output[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    executable = _chromium()
    sync_api = _playwright()
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    # a phone-sized window: the page must work on a narrow screen
    context = browser.new_context(viewport={"width": 400, "height": 860}, accept_downloads=True, locale="zh-CN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    yield page
    context.close()


def _post_json(url: str, body: dict) -> dict:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def test_upload_see_highlight_and_download_annotated_docx(server, page, tmp_path):
    contract = tmp_path / "健身会员合同.docx"  # a Chinese file name, downloaded back per RFC 5987
    contract.write_bytes(DOCX.read_bytes())
    page.goto(server + "/")
    assert page.title() == "合同格式条款自查"
    page.set_input_files("#file", str(contract))
    assert "健身会员合同.docx" in page.inner_text("#file-name")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=30000)
    assert page.inner_text("#status") == "审查完成。"

    findings = page.locator("article.finding")
    assert findings.count() > 0
    marks = page.locator("#contract mark")
    assert marks.count() > 0
    first = marks.first
    first.scroll_into_view_if_needed()
    first.click()
    focused = page.locator("article.finding.focus")
    focused.wait_for(timeout=5000)
    rule = focused.get_attribute("data-rule")
    assert rule in (first.get_attribute("data-rule") or "").split()
    assert focused.locator(".message").inner_text().strip()
    assert focused.locator(".suggestion").inner_text().strip()
    # the legal texts arrive from GET v1/rules/{id}
    page.wait_for_selector("article.finding.focus .citation details summary >> text=《", timeout=10000)
    assert focused.locator(".tags").inner_text().startswith("类别：")

    with page.expect_download(timeout=30000) as info:
        page.click('#downloads button[data-format="docx"]')
    download = info.value
    assert download.suggested_filename == "健身会员合同.annotated.docx"
    saved = tmp_path / "out.docx"
    download.save_as(saved)
    with zipfile.ZipFile(saved) as annotated:
        assert "word/comments.xml" in annotated.namelist()
    assert page.problems == []
    page.screenshot(path=str(tmp_path / "page.png"), full_page=True)


def test_pasted_text_with_characters_outside_the_bmp_is_highlighted_at_the_right_place(server, page):
    expected = _post_json(server + "/v1/audits/text", {"text": PASTED, "domain": "prepaid"})
    quotes: dict[tuple[int, str], str] = {}
    for f in sorted(expected["findings"], key=lambda f: f["start"] or 0):
        if f["clause_index"] is not None:
            key = (f["clause_index"], f["rule_id"])
            quotes[key] = quotes.get(key, "") + f["quote"]
    assert quotes.get((1, "general/final-interpretation")) == "最终解释权归本店"

    page.goto(server + "/")
    page.check('input[name="mode"][value="text"]')
    page.fill("#text", PASTED)
    page.select_option("#domain", "prepaid")
    page.click("#submit")
    page.wait_for_selector("#result:not([hidden])", timeout=30000)
    for (clause, rule_id), quote in quotes.items():
        # a span shared by several findings is cut into several <mark>s: join the ones of this rule
        marked = page.eval_on_selector_all(
            f"#c{clause} mark",
            "(ms, id) => ms.filter(m => m.dataset.rule.split(' ').includes(id)).map(m => m.textContent).join('')",
            rule_id,
        )
        assert marked == quote, (clause, rule_id)
    assert "预付式消费（指定）" in page.inner_text("#meta")

    with page.expect_download(timeout=30000) as info:
        page.click('#downloads button[data-format="markdown"]')
    assert info.value.suggested_filename == "粘贴文本.txt.report.md"
    assert page.problems == []


def test_errors_are_shown_in_chinese(server, page, tmp_path):
    picture = tmp_path / "scan.docx"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    page.goto(server + "/")
    page.click("#submit")
    assert page.inner_text("#error") == "请先选择合同文件。"
    page.set_input_files("#file", str(picture))
    page.click("#submit")
    page.wait_for_selector("#error:not([hidden]) >> text=不支持的文件类型", timeout=15000)
    assert page.locator("#result").is_hidden()
