"""Test set-up: puts scripts/ on sys.path so tests can import the sample builders."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
