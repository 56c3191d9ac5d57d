"""A non-editable install must carry the rule library and the statute table inside the wheel."""

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_ships_rules_and_statutes_and_finds_them(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("clause_audit-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    rule_files = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))
    assert sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("clause_audit/rules/")) == rule_files
    assert "clause_audit/data/statutes.json" in names
    assert "api/static/index.html" in names and "api/app.py" in names
    assert "clause_audit/store/migrations/env.py" in names
    assert "clause_audit/store/migrations/versions/0001_initial.py" in names

    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    code = (
        "import clause_audit, clause_audit.rulebook as r;"
        "print(clause_audit.__file__); print(r.packaged_rules_dir()); print(len(r.load_rulebook().rules))"
    )
    env = {**os.environ, "PYTHONPATH": str(target)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    module, rules_dir, count = out.stdout.split()
    assert module.startswith(str(target)) and rules_dir == str(target / "clause_audit" / "rules")
    assert int(count) > 0
    # the store's migrations run from the installed package
    code = "import sys, clause_audit.store as s; st = s.open_store(sys.argv[1]); print(len(st.cases()))"
    db = str(tmp_path / "audits.sqlite3")
    out = subprocess.run(
        [sys.executable, "-c", code, db], cwd=tmp_path, env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["0"]
