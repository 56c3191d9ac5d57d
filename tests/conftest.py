"""Test set-up: puts scripts/ on sys.path so tests can import the sample builders."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

pytest_plugins = ["store_db"]  # the audit store fixtures (store_url, store)


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden", action="store_true", help="rewrite tests/golden/*.json from the current findings"
    )
