"""Tests for the packaged statute table and its build script."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import re
from importlib.resources import files
from pathlib import Path
from types import ModuleType

import pytest

from clause_audit.statutes import Statute, article_id, load_statutes, resolve

ROOT = Path(__file__).resolve().parent.parent
LEGAL_BASIS = ROOT.parent / "shared" / "reference" / "legal-basis.md"
needs_markdown = pytest.mark.skipif(not LEGAL_BASIS.exists(), reason="../shared/reference is absent")


def _build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_statutes", ROOT / "scripts" / "build_statutes.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cpl_26_is_verified_with_its_text() -> None:
    cpl26 = load_statutes()["CPL-26"]
    assert cpl26.id == "CPL-26"
    assert cpl26.status == "verified"
    assert cpl26.note == "verified: LRB"
    assert cpl26.law == "《中华人民共和国消费者权益保护法》"
    assert cpl26.article == "第二十六条"
    assert cpl26.title == "Standard terms: notice duty & invalidity / 格式条款"
    assert cpl26.text.startswith("第二十六条 经营者在经营活动中使用格式条款的")
    assert cpl26.text.endswith("格式条款、通知、声明、店堂告示等含有前款所列内容的，其内容无效。")
    assert len(cpl26.text.split("\n")) == 3  # three paragraphs, no blank quote lines


def test_statuses() -> None:
    statutes = load_statutes()
    assert statutes["UCTS-WARRANTY"].status == "unverified"
    assert statutes["UCTS-WARRANTY"].article == ""
    assert statutes["SUPC-EXPIRY"].status == "partially_verified"
    assert statutes["SUPC-EXPIRY"].law == "《单用途商业预付卡管理办法（试行）》"
    assert statutes["CAS-8"].status == "verified"
    assert statutes["CAS-8"].article == "第八条"
    assert {s.status for s in statutes.values()} == {"verified", "partially_verified", "unverified"}


def test_entries_without_blockquote_use_prose() -> None:
    loss = load_statutes()["SUPC-LOSS"]
    assert loss.status == "unverified"
    assert loss.title == "Loss reporting / 挂失"
    assert loss.text.startswith("- 记忆要点：发卡企业或售卡企业应向记名卡持卡人提供挂失服务。")


def test_every_entry_is_complete() -> None:
    for key, statute in load_statutes().items():
        assert statute.id == key
        assert statute.title and statute.law and statute.text and statute.note
        assert statute.note.startswith(statute.status.replace("_", " ") + ":")
        if statute.article:
            assert statute.text.startswith(statute.article)
        assert not any(line.startswith(">") or not line.strip() for line in statute.text.split("\n"))


def test_statute_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        load_statutes()["CPL-26"].text = "x"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("CAS-8(六)", "CAS-8"),
        ("CAS-8(2)", "CAS-8"),
        ("CPL-26¶2", "CPL-26"),
        ("CPLR-22¶3", "CPLR-22"),
        ("PPI-9(一)(二)", "PPI-9"),
        ("CAS-8（六）", "CAS-8"),
        ("CPL-26", "CPL-26"),
        ("OST-NONACAD-2022", "OST-NONACAD-2022"),
        ("UCTS-WARRANTY", "UCTS-WARRANTY"),
    ],
)
def test_article_id(ref: str, expected: str) -> None:
    assert article_id(ref) == expected


def test_resolve() -> None:
    statute = resolve("CAS-8(七)")
    assert isinstance(statute, Statute)
    assert statute.id == "CAS-8"
    assert resolve("CPL-26¶2") == load_statutes()["CPL-26"]
    assert resolve("XYZ-1") is None
    assert resolve("CPL-9999") is None


def test_json_is_packaged_resource() -> None:
    data = json.loads(files("clause_audit").joinpath("data/statutes.json").read_text(encoding="utf-8"))
    assert set(data) == set(load_statutes())


@needs_markdown
def test_every_id_heading_is_an_entry() -> None:
    markdown = LEGAL_BASIS.read_text(encoding="utf-8")
    ids = re.findall(r"^#### ([A-Z][A-Z0-9]*-[A-Za-z0-9-]+) — ", markdown, flags=re.MULTILINE)
    assert len(ids) == len(set(ids))
    assert len(load_statutes()) == len(ids)
    assert set(load_statutes()) == set(ids)


@needs_markdown
def test_packaged_json_is_up_to_date() -> None:
    script = _build_script()
    rebuilt = script.render(script.build(LEGAL_BASIS.read_text(encoding="utf-8")))
    packaged = files("clause_audit").joinpath("data/statutes.json").read_text(encoding="utf-8")
    assert rebuilt == packaged, "statutes.json is stale: run `python scripts/build_statutes.py`"
