"""`clause-audit serve`: checks before uvicorn starts (API key on public interfaces, settings, rules)."""

from __future__ import annotations

import argparse

import pytest

from clause_audit import serve


@pytest.fixture
def started(monkeypatch):
    """Records uvicorn.run's arguments instead of serving."""
    import uvicorn

    calls: list[tuple[tuple, dict]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: calls.append((a, k)))
    monkeypatch.delenv("CLAUSE_AUDIT_API_KEY", raising=False)
    monkeypatch.delenv("CLAUSE_AUDIT_MAX_UPLOAD_MB", raising=False)
    monkeypatch.setenv("CLAUSE_AUDIT_RULES", "")  # restored after the test, whatever --rules sets
    return calls


def _args(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    serve.configure(parser)
    return parser.parse_args(list(argv))


def test_defaults_serve_the_app_factory_on_loopback(started):
    assert serve.run(_args()) == 0
    ((target,), options) = started[0]
    assert target == "api.app:create_app"
    assert options["factory"] is True
    assert (options["host"], options["port"], options["workers"]) == ("127.0.0.1", 8000, 1)


def test_public_interface_needs_an_api_key(started, capsys):
    assert serve.run(_args("--host", "0.0.0.0")) == 2
    assert "CLAUSE_AUDIT_API_KEY" in capsys.readouterr().err
    assert started == []


def test_public_interface_with_a_key_or_explicitly_without(started, monkeypatch):
    assert serve.run(_args("--host", "0.0.0.0", "--no-api-key", "--workers", "2", "--port", "9000")) == 0
    monkeypatch.setenv("CLAUSE_AUDIT_API_KEY", "a-long-random-key")
    assert serve.run(_args("--host", "::")) == 0
    assert [(k["host"], k["port"], k["workers"]) for _, k in started] == [("0.0.0.0", 9000, 2), ("::", 8000, 1)]


def test_bad_settings_stop_the_start(started, monkeypatch, capsys):
    monkeypatch.setenv("CLAUSE_AUDIT_MAX_UPLOAD_MB", "many")
    assert serve.run(_args()) == 2
    assert "CLAUSE_AUDIT_MAX_UPLOAD_MB" in capsys.readouterr().err
    assert started == []


def test_rules_folders_reach_the_workers_through_the_environment(started, tmp_path, monkeypatch):
    import os

    import tinyrules

    tinyrules.write_rulebook(tmp_path / "rules")
    assert serve.run(_args("--rules", str(tmp_path / "rules"))) == 0
    assert os.environ["CLAUSE_AUDIT_RULES"] == str(tmp_path / "rules")


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("127.8.0.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_is_loopback(host, loopback):
    assert serve.is_loopback(host) is loopback


def test_bad_options():
    with pytest.raises(SystemExit):
        _args("--port", "70000")
    with pytest.raises(SystemExit):
        _args("--workers", "0")


def test_cli_subcommand_when_wired(started):
    from clause_audit import cli

    if "serve" not in cli.build_parser().format_help():
        pytest.skip("`clause-audit serve` is not wired into cli.py yet")
    assert cli.main(["serve", "--port", "8123"]) == 0
    assert started[0][1]["port"] == 8123
