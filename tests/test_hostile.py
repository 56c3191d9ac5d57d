"""Hostile and broken input (tests/hostile.py) through the CLI batch, one at a time, and the web API:
the exact error code of each, the good file among them still audited, bounded time and memory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import hostile
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.errors import INPUT_STATUS
from api.settings import MB, Settings
from clause_audit import audit
from clause_audit.errors import INPUT_ERROR_CODES, InputError
from clause_audit.model import Report

ROOT = Path(__file__).resolve().parent.parent
PER_FILE_SECONDS = 20
PEAK_RSS_BYTES = 1024 * MB
EXPECTED = {item.name: item.code for item in hostile.CORPUS}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return hostile.build_corpus(tmp_path_factory.mktemp("hostile"))


@pytest.fixture
def low_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in hostile.LOW_LIMITS.items():
        monkeypatch.setenv(name, value)


def test_every_expected_code_is_a_known_code() -> None:
    assert {code for code in EXPECTED.values() if code} <= set(INPUT_ERROR_CODES)
    assert list(EXPECTED).index("good-gym-membership.docx") not in (0, len(EXPECTED) - 1)


def _quotes_are_verbatim(report: Report) -> None:
    by_index = {c.index: c for c in report.clauses}
    for f in report.findings:
        if f.clause_index is not None:
            assert f.start is not None and f.end is not None
            assert by_index[f.clause_index].text[f.start : f.end] == f.quote


def test_cli_batch_reports_each_code_audits_the_good_file_and_stays_bounded(corpus: dict[str, Path]) -> None:
    env = {**os.environ, **hostile.LOW_LIMITS, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", _MEASURED_CLI, "audit", "--format", "jsonl", "-j", "2"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryDirectory() as tmp:
        env["PEAK_RSS_FILE"] = str(Path(tmp) / "peak")
        started = time.monotonic()
        process = subprocess.Popen([*command, *map(str, corpus.values())], stdout=out, stderr=err, cwd=ROOT, env=env)
        returncode = _wait(process, PER_FILE_SECONDS * len(corpus))
        elapsed = time.monotonic() - started
        peak = int(Path(env["PEAK_RSS_FILE"]).read_text())
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    assert returncode == 2, stderr.decode()
    lines = [json.loads(line) for line in stdout.decode().splitlines()]
    assert [Path(line["source"]).name for line in lines] == list(corpus)
    for line in lines:
        name, expected = Path(line["source"]).name, EXPECTED[Path(line["source"]).name]
        if expected is None:
            assert "error" not in line, (name, line.get("error"))
            assert line["findings"], name
        else:
            assert line.get("error", {}).get("code") == expected, (name, line.get("error"))
    good = next(line for line in lines if line["source"].endswith("good-gym-membership.docx"))
    alone = audit(hostile.GOOD_SAMPLE).to_dict()
    assert [f["rule_id"] for f in good["findings"]] == [f["rule_id"] for f in alone["findings"]]
    errors = stderr.decode()
    assert "Traceback" not in errors
    assert sum(1 for line in errors.splitlines() if line.startswith("clause-audit: ")) == sum(
        1 for code in EXPECTED.values() if code
    )
    assert elapsed < PER_FILE_SECONDS * 2, f"batch took {elapsed:.1f} s"
    assert peak < PEAK_RSS_BYTES, f"peak RSS {peak / MB:.0f} MB"


# The CLI, reporting its peak RSS and that of its worker processes. Not os.wait4 from here: Linux
# hands the rusage of a child the high-water mark of the process it was forked from (this test
# process, often past 1 GB by now), whereas VmHWM starts afresh at exec.
_MEASURED_CLI = """
import os, resource, sys
from clause_audit.cli import main
code = main(sys.argv[1:])
own = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
open(os.environ["PEAK_RSS_FILE"], "w").write(str(max(own, workers) * 1024))
sys.exit(code)
"""


def _wait(process: subprocess.Popen[bytes], timeout: float) -> int:
    try:
        return process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        pytest.fail(f"the batch did not finish in {timeout} s")


def test_control_characters_stay_in_the_text_and_quotes_stay_verbatim(corpus: dict[str, Path]) -> None:
    report = audit(corpus["control-characters.txt"])
    assert any("\x07" in c.text for c in report.clauses)
    assert {f.rule_id for f in report.findings} >= {"general/final-interpretation"}
    _quotes_are_verbatim(report)


def test_default_page_limit_refuses_before_reading_any_page(tmp_path: Path) -> None:
    path = tmp_path / "2001-blank-pages.pdf"
    hostile.blank_pages(2001)(path)
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        audit(path)
    assert info.value.code == "too_many_pages" and "2000" in info.value.message
    assert time.monotonic() - started < 5


def test_time_budget_stops_a_long_document(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "line.txt"
    hostile.enormous_line(path)
    monkeypatch.setenv("CLAUSE_AUDIT_TIMEOUT", "0.2")
    started = time.monotonic()
    with pytest.raises(InputError) as info:
        audit(path)
    assert info.value.code == "timeout" and "CLAUSE_AUDIT_TIMEOUT" in info.value.message
    assert time.monotonic() - started < 5


def test_bad_limit_variable_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from clause_audit.cli import main

    path = tmp_path / "a.txt"
    path.write_text(hostile.CONTRACT, encoding="utf-8")
    monkeypatch.setenv("CLAUSE_AUDIT_MAX_PAGES", "lots")
    assert main(["audit", str(path)]) == 2
    assert "CLAUSE_AUDIT_MAX_PAGES 应为正数" in capsys.readouterr().err


# ---------------------------------------------------------------- the web API


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings(max_upload_bytes=20 * MB))) as c:
        yield c


@pytest.mark.parametrize("item", hostile.CORPUS, ids=lambda item: item.name)
def test_api_gives_each_code_as_json(item: hostile.Hostile, corpus: dict[str, Path], client, low_limits) -> None:
    data = corpus[item.name].read_bytes()
    started = time.monotonic()
    response = client.post("/v1/audits", files={"file": (item.name, data)})
    assert time.monotonic() - started < PER_FILE_SECONDS
    if item.code is None:
        assert response.status_code == 200, response.text
        report = response.json()
        assert report["findings"]
        for f in report["findings"]:
            if f["clause_index"] is not None:
                assert report["clauses"][f["clause_index"]]["text"][f["start"] : f["end"]] == f["quote"]
        return
    assert response.status_code == INPUT_STATUS.get(item.code, 422), response.text
    body = response.json()
    assert body["error"]["code"] == item.code
    assert body["error"]["message"].startswith(INPUT_ERROR_CODES[item.code])
    for leak in ("Traceback", str(ROOT), str(corpus[item.name].parent), "site-packages"):
        assert leak not in response.text
