"""`audit --save`, `cases list|show|review` and their errors, through the command line."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest
from store_db import ROOT

from clause_audit.cli import main

LAUNDRY = "samples/prepaid/laundry-notice.txt"
GYM = "samples/prepaid/gym-membership.docx"


@pytest.fixture(autouse=True)
def _no_user_store(tmp_path, monkeypatch):
    """Never touch the user's own store: no CLAUSE_AUDIT_DB, a temporary per-user data folder."""
    monkeypatch.delenv("CLAUSE_AUDIT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.chdir(ROOT)  # sources are named as given: short relative paths


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_audit_save_keeps_the_jsonl_contract_and_says_what_it_stored(capsys, store_url):
    code, plain, _ = _run(capsys, "audit", LAUNDRY, GYM, "--format", "jsonl", "-j", "1")
    saved_code, saved, err = _run(
        capsys, "audit", LAUNDRY, GYM, "--format", "jsonl", "-j", "1", "--save", "--db", store_url
    )
    assert code == saved_code == 1 and saved == plain
    assert [json.loads(line)["source"] for line in saved.splitlines()] == [LAUNDRY, GYM]
    assert err.splitlines() == [f"clause-audit: {LAUNDRY}：已保存为案件 #1", f"clause-audit: {GYM}：已保存为案件 #2"]

    _run(capsys, "cases", "review", "1", "--confirm", "--note", "属实", "--reviewer", "张三", "--db", store_url)
    code, again, err = _run(capsys, "audit", LAUNDRY, "--format", "jsonl", "--save", "--db", store_url)
    assert code == 1 and again == plain.splitlines(keepends=True)[0]
    assert err == f"clause-audit: {LAUNDRY}：已审查过（案件 #1），本次结果另存为案件 #3，沿用 1 条复核结论\n"


def test_a_known_merchants_other_document_gets_a_recheck_hint(capsys, store_url):
    _run(capsys, "audit", GYM, "--save", "--db", store_url)
    pdf = "samples/prepaid/gym-membership.pdf"
    code, _, err = _run(capsys, "audit", pdf, "--save", "--db", store_url)
    assert code == 1 and err.splitlines() == [
        f"clause-audit: {pdf}：已保存为案件 #2",
        "clause-audit: 提示：星城力健健身有限公司 的合同曾审查过（案件 #1），"
        f"可用 clause-audit recheck --old-case 1 {pdf} 复查整改情况",
    ]


def test_unreadable_files_are_not_stored(capsys, store_url, tmp_path):
    missing = str(tmp_path / "不存在.docx")
    code, out, err = _run(
        capsys, "audit", missing, LAUNDRY, "--format", "jsonl", "-j", "1", "--save", "--db", store_url
    )
    assert code == 2
    assert json.loads(out.splitlines()[0])["error"]["code"] == "not_found"
    assert "已保存为案件 #1" in err and "#2" not in err
    code, out, _ = _run(capsys, "cases", "list", "--db", store_url)
    assert code == 0 and "（1 件）" in out and "laundry-notice.txt" in out


def test_cases_list_show_and_review(capsys, store_url):
    _run(capsys, "audit", LAUNDRY, GYM, "-j", "1", "--save", "--db", store_url)
    code, out, _ = _run(capsys, "cases", "list", "--db", store_url)
    assert code == 0 and "审查记录（2 件）" in out and "星城力健健身有限公司" in out and "预付式消费" in out
    code, out, _ = _run(capsys, "cases", "list", "--merchant", "力健", "--db", store_url)
    assert "（1 件）" in out and "gym-membership.docx" in out and "laundry" not in out
    code, out, _ = _run(capsys, "cases", "list", "--domain", "training", "--db", store_url)
    assert code == 0 and out.strip() == "没有符合条件的审查记录。"
    code, out, _ = _run(capsys, "cases", "list", "--since", "2000-01-01", "--until", "2000-12-31", "--db", store_url)
    assert out.strip() == "没有符合条件的审查记录。"
    code, out, _ = _run(capsys, "cases", "list", "--since", "2000-01-01", "--until", "2999-12-31", "--db", store_url)
    assert "（2 件）" in out

    code, out, _ = _run(capsys, "cases", "show", "#1", "--db", store_url)
    assert code == 0 and "案件 #1" in out and "本店保留最终解释权" in out and out.count("待复核") == 5

    code, out, _ = _run(
        capsys, "cases", "review", "5", "--dismiss", "--note", "告示已撤下", "--reviewer", "李四", "--db", store_url
    )
    assert code == 0 and out.strip() == "问题 5（案件 #1）已标记为“驳回”（复核人：李四）"
    code, out, _ = _run(capsys, "cases", "list", "--status", "dismissed", "--db", store_url)
    assert "（1 件）" in out and "laundry-notice.txt" in out
    code, out, _ = _run(capsys, "cases", "show", "1", "--db", store_url)
    assert "告示已撤下" in out and "李四" in out and out.count("待复核") == 4


def test_a_conflicting_review_fails_with_a_chinese_line(capsys, store_url):
    _run(capsys, "audit", LAUNDRY, "--save", "--db", store_url)
    _run(capsys, "cases", "review", "2", "--confirm", "--reviewer", "张三", "--db", store_url)
    code, out, err = _run(capsys, "cases", "review", "2", "--dismiss", "--reviewer", "李四", "--db", store_url)
    assert code == 2 and out == ""
    assert err.startswith("clause-audit: 问题 2 已复核（张三 于 ") and err.endswith("如需改判，请加 --override\n")
    code, out, _ = _run(
        capsys, "cases", "review", "2", "--dismiss", "--override", "--reviewer", "李四", "--db", store_url
    )
    assert code == 0 and "已标记为“驳回”" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["cases", "show", "99"], "clause-audit: 没有编号为 #99 的审查记录\n"),
        (["cases", "review", "77", "--confirm"], "clause-audit: 没有编号为 77 的问题\n"),
    ],
)
def test_unknown_ids(capsys, store_url, argv, message):
    code, out, err = _run(capsys, *argv, "--db", store_url)
    assert (code, out, err) == (2, "", message)


def test_bad_databases_give_one_line_and_exit_2(capsys, tmp_path):
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"this is not a database at all" * 100)
    # psycopg comes with the postgres extra only; without it the missing driver is named
    has_driver = importlib.util.find_spec("psycopg") is not None
    unreachable = "无法连接数据库服务器" if has_driver else "缺少数据库驱动 psycopg，请安装 clause-audit[postgres]"
    cases = [
        ("nosuchdb://x/y", "不支持的数据库类型"),
        ("postgresql+psycopg://u:secret@127.0.0.1:1/none", unreachable),
        ("postgresql://u:secret@127.0.0.1:1/none", unreachable),
        ("postgresql+psycopg://u:secret@host:port/db", "数据库地址格式错误"),
        (str(garbage), "文件不是数据库（或已损坏）"),
        (str(tmp_path / "no" / "such" / "dir" / "a.sqlite3"), "无法打开文件"),
    ]
    for url, words in cases:
        code, out, err = _run(capsys, "cases", "list", "--db", url)
        assert code == 2 and out == "" and len(err.splitlines()) == 1, (url, err)
        assert words in err and "Traceback" not in err and "secret" not in err
    code, out, err = _run(capsys, "audit", LAUNDRY, "--save", "--db", str(garbage))
    assert code == 2 and out == "" and "文件不是数据库" in err


def test_db_without_save_is_a_usage_error(capsys, store_url):
    code, out, err = _run(capsys, "audit", LAUNDRY, "--db", store_url)
    assert (code, out) == (2, "") and err == "clause-audit: 参数错误：--db 须与 --save 一起使用\n"


def test_the_default_store_is_in_the_user_data_folder(capsys, tmp_path):
    code, _, err = _run(capsys, "audit", LAUNDRY, "--save")
    assert code == 1 and "已保存为案件 #1" in err
    assert (tmp_path / "xdg" / "clause-audit" / "audits.sqlite3").is_file()
    code, out, _ = _run(capsys, "cases", "list")
    assert "（1 件）" in out


def test_the_environment_names_the_store(capsys, tmp_path, monkeypatch):
    target = tmp_path / "env.sqlite3"
    monkeypatch.setenv("CLAUSE_AUDIT_DB", str(target))
    _run(capsys, "audit", LAUNDRY, "--save")
    assert target.is_file() and not (tmp_path / "xdg").exists()


def test_commands_without_the_store_do_not_import_sqlalchemy():
    code = (
        "import sys; from clause_audit.cli import main; main(['--version']);"
        "print(sorted(m for m in ('sqlalchemy', 'alembic', 'clause_audit.store') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.splitlines()[-1] == "[]"
