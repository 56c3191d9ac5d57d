"""Rectification checks (整改复查): fingerprints, matching, statuses, carried decisions, outputs, exit codes.

The two versions are built from the bundled laundry notice: the revision renumbers and reorders the
clauses, re-spaces one, fixes one unfair clause, rewords another but keeps it unfair, and adds one.
"""

from __future__ import annotations

import json

import docx
import pytest
from docx.oxml.ns import qn
from store_db import ROOT

from clause_audit.cli import main
from clause_audit.fingerprint import canonical_clause, fingerprint, similarity
from clause_audit.recheck.comparison import SIMILARITY_THRESHOLD, Flag, compare

CN = "一二三四五六七八九十"
SAMPLE = (ROOT / "samples/prepaid/laundry-notice.txt").read_text("utf-8").splitlines()
TITLE, _GREETING, COUNT, PRICES, WASH_DAMAGE, OWN_FAULT, TICKET, CARD, _HOURS, INTERPRETATION = SAMPLE
FAIR_WASH = "衣物洗涤后出现褪色、缩水等情况的，本店按照衣物的实际价值予以赔偿。"
REWORDED_CARD = "本店充值卡一经售出概不退款，卡内余额有效期为一年，逾期作废。"
NEW_UNFAIR = "本店有权根据经营需要随时调整收费标准，无需另行通知顾客。"
FAIR_CARD = (
    "本店充值卡有效期为三年，有效期内未使用完的余额可申请延期或退还；您可随时申请退卡，本店于七日内退还卡内余额。"
)
FAIR_END = "本须知自张贴之日起执行。"


def _contract(clauses: list[str], numbering: str) -> str:
    numbers = [f"第{CN[i]}条 " if numbering == "article" else f"{i + 1}. " for i in range(len(clauses))]
    return "\n".join([TITLE, "甲方：洁净之家洗衣店", *(n + c for n, c in zip(numbers, clauses, strict=True))]) + "\n"


OLD = _contract([COUNT, PRICES, WASH_DAMAGE, OWN_FAULT, TICKET, CARD, INTERPRETATION], "article")
NEW = _contract(
    [INTERPRETATION.replace("，", "，　 "), COUNT, PRICES, FAIR_WASH, OWN_FAULT, REWORDED_CARD, TICKET, NEW_UNFAIR],
    "decimal",
)
EXPECTED = [
    ("unrectified", "prepaid/missing-refund-terms", "", "", ""),  # a document-level finding: still no refund terms
    ("unrectified", "general/final-interpretation", "第七条", "1", "本店保留最终解释权"),
    ("partial", "prepaid/no-refund", "第六条", "6", "概不退款"),
    ("partial", "prepaid/balance-expiry-forfeit", "第六条", "6", "逾期作废"),
    (
        "rectified",
        "general/property-loss-exemption",
        "第三条",
        None,
        "衣物洗涤后出现褪色、缩水、起球、变形等情况，本店概不负责",
    ),
    ("rectified", "general/no-return-after-sale", "第六条", None, "不退不换"),
    ("new", "prepaid/unilateral-price-rise", None, "8", "本店有权根据经营需要随时调整收费标准"),
]


@pytest.fixture
def versions(tmp_path, monkeypatch):
    monkeypatch.delenv("CLAUSE_AUDIT_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(OLD, "utf-8")
    new.write_text(NEW, "utf-8")
    return str(old), str(new)


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _items(out: str) -> list[tuple]:
    return [
        (
            i["status"],
            i["rule_id"],
            (i["old"] or {}).get("clause_number"),
            (i["new"] or {}).get("clause_number"),
            (i["new"] or i["old"])["quote"],
        )
        for i in json.loads(out)["items"]
    ]


# ---------------------------------------------------------------- fingerprints


def test_fingerprints_survive_renumbering_and_whitespace_but_not_rewording():
    assert canonical_clause("第三条　本店保留 最终解释权。") == "本店保留最终解释权。"
    assert canonical_clause("3. 本店保留最终解释权。") == canonical_clause("（三）本店保留\n最终解释权。")
    rule = "general/final-interpretation"
    assert fingerprint(rule, "第七条 本店保留最终解释权。") == fingerprint(rule, "1.  本店保留最终 解释权。")
    assert fingerprint(rule, "本店保留最终解释权。") != fingerprint("general/other", "本店保留最终解释权。")
    assert fingerprint(rule, "本店保留最终解释权。") != fingerprint(rule, "本店享有最终解释权。")


def test_similarity_separates_a_rewording_from_another_clause():
    assert similarity(CARD, REWORDED_CARD) == pytest.approx(0.6, abs=0.01)
    assert similarity(CARD, REWORDED_CARD) >= SIMILARITY_THRESHOLD
    assert similarity(CARD, NEW_UNFAIR) < 0.1
    assert similarity("", "") == 1.0


def _flag(rule: str, text: str) -> Flag:
    return Flag(rule, "t", "high", "", text, text[:4], fingerprint(rule, text))


def test_compare_pairs_by_fingerprint_then_by_similarity_within_one_rule():
    earlier = [_flag("a/x", CARD), _flag("a/y", WASH_DAMAGE), _flag("a/z", INTERPRETATION)]
    current = [_flag("a/z", "第九条 " + INTERPRETATION), _flag("a/x", REWORDED_CARD), _flag("a/y", NEW_UNFAIR)]
    outcomes = compare(earlier, current)
    assert [(o.status, o.rule_id) for o in outcomes] == [
        ("unrectified", "a/z"),
        ("partial", "a/x"),
        ("rectified", "a/y"),
        ("new", "a/y"),
    ]
    assert outcomes[1].similarity == pytest.approx(0.6, abs=0.01)
    # a similar clause flagged by another rule is no match
    assert [o.status for o in compare([_flag("a/x", CARD)], [_flag("a/q", REWORDED_CARD)])] == ["rectified", "new"]


# ---------------------------------------------------------------- the command


def test_recheck_reports_each_status_exactly(capsys, versions):
    code, out, err = _run(capsys, "recheck", *versions, "--format", "json")
    assert (code, err) == (1, "")
    assert _items(out) == EXPECTED
    data = json.loads(out)
    assert data["summary"] == {"unrectified": 2, "partial": 2, "rectified": 2, "new": 1}
    assert data["rectified"] is False and data["old"]["case_id"] is None
    partial = data["items"][2]
    assert partial["similarity"] == pytest.approx(0.6, abs=0.01)
    assert partial["old"]["clause_text"] == CARD and partial["new"]["clause_text"] == REWORDED_CARD
    assert data["items"][1]["old"]["fingerprint"] == data["items"][1]["new"]["fingerprint"]


def test_recheck_text_output_in_chinese(capsys, versions):
    code, out, _ = _run(capsys, "recheck", *versions)
    assert code == 1
    for words in ("整改复查意见", "未整改", "部分修改", "已整改", "新增", "[prepaid/no-refund]", "相似度 0.60"):
        assert words in out
    assert "未整改 2 处，部分修改 2 处，已整改 2 处，新增 1 处" in out
    assert "结论：仍有 5 处问题条款需要整改" in out


def test_everything_rectified_exits_0(capsys, versions, tmp_path):
    fixed = tmp_path / "fixed.txt"
    fixed.write_text(_contract([COUNT, PRICES, FAIR_WASH, OWN_FAULT, TICKET, FAIR_CARD, FAIR_END], "decimal"), "utf-8")
    code, out, _ = _run(capsys, "recheck", versions[0], str(fixed), "--format", "json")
    assert code == 0 and json.loads(out)["rectified"] is True
    assert {i["status"] for i in json.loads(out)["items"]} == {"rectified"} and len(json.loads(out)["items"]) == 6
    code, out, _ = _run(capsys, "recheck", versions[0], str(fixed))
    assert code == 0 and "结论：原有问题已全部整改，未发现新的问题条款。" in out


def test_review_decisions_carry_over_from_the_stored_old_audit(capsys, versions, store_url, tmp_path):
    old, new = versions
    _run(capsys, "audit", old, "--save", "--db", store_url)
    stored = {f["rule_id"]: n + 1 for n, f in enumerate(_stored_findings(capsys, old))}
    _run(
        capsys,
        "cases",
        "review",
        str(stored["general/final-interpretation"]),
        "--dismiss",
        "--note",
        "告示已撤",
        "--db",
        store_url,
    )
    _run(capsys, "cases", "review", str(stored["prepaid/no-refund"]), "--confirm", "--db", store_url)

    for argv in ((old, new), ("--old-case", "1", new), ("#1", new)):
        code, out, err = _run(capsys, "recheck", *argv, "--db", store_url, "--format", "json")
        data = json.loads(out)
        assert (code, err) == (1, "") and _items(out) == EXPECTED and data["old"]["case_id"] == 1
        by_rule = {i["rule_id"]: i for i in data["items"]}
        kept = by_rule["general/final-interpretation"]
        assert (kept["status"], kept["review_status"], kept["still_flagged"]) == ("unrectified", "dismissed", False)
        assert kept["old"]["reviewer_note"] == "告示已撤"
        assert kept["old"]["finding_id"] == stored["general/final-interpretation"]
        assert by_rule["prepaid/no-refund"]["review_status"] == "confirmed"
        assert by_rule["prepaid/balance-expiry-forfeit"]["review_status"] == "open"

    # only the dismissed finding is left: nothing still flagged
    only_dismissed = tmp_path / "only-dismissed.txt"
    clauses = [COUNT, PRICES, FAIR_WASH, OWN_FAULT, TICKET, FAIR_CARD, INTERPRETATION]
    only_dismissed.write_text(_contract(clauses, "decimal"), "utf-8")
    code, out, _ = _run(capsys, "recheck", "--old-case", "1", str(only_dismissed), "--db", store_url)
    assert code == 0 and "驳回：告示已撤" in out


def _stored_findings(capsys, path: str) -> list[dict]:
    main(["audit", path, "--format", "json"])
    return json.loads(capsys.readouterr().out)["findings"]


def test_html_and_docx_opinions(capsys, versions, tmp_path):
    html_path, docx_path = tmp_path / "r.html", tmp_path / "r.docx"
    assert _run(capsys, "recheck", *versions, "--format", "html", "-o", str(html_path))[0] == 1
    html = html_path.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in html
    assert html.count("<tr>") == 1 + len(EXPECTED) and "部分修改" in html and "结论：仍有 5 处" in html

    assert _run(capsys, "recheck", *versions, "--format", "docx", "-o", str(docx_path))[0] == 1
    document = docx.Document(str(docx_path))
    assert document.paragraphs[0].text == "整改复查意见"
    (table,) = document.tables
    assert [row.cells[0].text.split("（")[0] for row in table.rows] == ["结果"] + [
        {"unrectified": "未整改", "partial": "部分修改", "rectified": "已整改", "new": "新增"}[e[0]] for e in EXPECTED
    ]
    runs = [run for p in document.paragraphs for run in p.runs] + [
        run for row in table.rows for cell in row.cells for p in cell.paragraphs for run in p.runs
    ]
    assert runs and all(run._element.rPr.rFonts.get(qn("w:eastAsia")) in ("宋体", "黑体") for run in runs)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["OLD", "missing.txt"], "找不到文件"),
        (["OLD"], "请给出修改前（OLD）和修改后（NEW）两个合同文件"),
        (["--old-case", "1", "OLD", "NEW"], "用 --old-case 时只需给出修改后的合同文件"),
        (["OLD", "NEW", "--format", "docx"], "--format docx 生成的是文件，请用 -o 指定输出文件"),
        (["--old-case", "42", "NEW"], "没有编号为 #42 的审查记录"),
    ],
)
def test_bad_input_is_one_chinese_line_and_exit_2(capsys, versions, store_url, argv, message):
    old, new = versions
    argv = [{"OLD": old, "NEW": new}.get(a, a) for a in argv]
    code, out, err = _run(capsys, "recheck", *argv, "--db", store_url)
    assert (code, out) == (2, "") and len(err.splitlines()) == 1 and message in err and "Traceback" not in err
