import json
import subprocess
import sys

import pytest

from clause_audit.cli import main

UNFAIR = "健身会员卡须知\n甲方（经营者）：某某健身有限公司\n第一条 本活动最终解释权归本店所有。\n"
FAIR = "会员须知\n第一条 会员卡可在有效期内使用。\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "unfair.txt").write_text(UNFAIR, encoding="utf-8")
    (tmp_path / "fair.txt").write_text(FAIR, encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4 garbage")
    (tmp_path / "gbk.txt").write_bytes(UNFAIR.encode("gb18030"))
    return tmp_path


def test_exit_1_with_findings_and_jsonl_one_line_per_input(files, capsys):
    code = main(["audit", str(files / "unfair.txt"), str(files / "fair.txt"), "--format", "jsonl"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    assert len(out) == 2
    first, second = (json.loads(line) for line in out)
    assert first["source"].endswith("unfair.txt") and second["source"].endswith("fair.txt")
    (finding,) = first["findings"]
    clause = first["clauses"][finding["clause_index"]]
    assert clause["text"][finding["start"] : finding["end"]] == finding["quote"] == "最终解释权归本店"
    assert finding["rule_id"] == "general/final-interpretation"
    assert second["findings"] == []


def test_exit_0_when_clean(files, capsys):
    assert main(["audit", str(files / "fair.txt"), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["summary"] == {
        "clauses": 2,
        "findings": 0,
        "by_severity": {"high": 0, "medium": 0, "low": 0},
    }


def test_bad_file_in_a_batch_is_reported_and_the_rest_audited(files, capsys):
    code = main(
        [
            "audit",
            str(files / "scan.pdf"),
            str(files / "missing.docx"),
            str(files / "gbk.txt"),
            "--format",
            "jsonl",
        ]
    )
    captured = capsys.readouterr()
    lines = [json.loads(x) for x in captured.out.splitlines()]
    assert code == 2
    assert [x.get("error", {}).get("code") for x in lines] == ["corrupt_file", "not_found", None]
    assert lines[2]["findings"][0]["quote"] == "最终解释权归本店"
    assert captured.err.count("\n") == 2 and "missing.docx：找不到文件" in captured.err
    assert "Traceback" not in captured.err


def test_folder_is_walked(files, capsys):
    main(["audit", str(files), "--format", "jsonl"])
    sources = [json.loads(x)["source"] for x in capsys.readouterr().out.splitlines()]
    assert [s.rsplit("/", 1)[1] for s in sources] == ["fair.txt", "gbk.txt", "scan.pdf", "unfair.txt"]


def test_text_report_shows_quote_rule_and_suggestion(files, capsys):
    main(["audit", str(files / "unfair.txt")])
    out = capsys.readouterr().out
    assert "第一条" in out and "最终解释权归本店" in out and "[general/final-interpretation]" in out
    assert "建议：" in out and "《合同行政监督管理办法》第八条" in out
    assert "\x1b[" not in out  # no colour when not a terminal


def test_output_file(files, capsys, tmp_path):
    target = tmp_path / "out.jsonl"
    main(["audit", str(files / "unfair.txt"), "--format", "jsonl", "-o", str(target)])
    assert capsys.readouterr().out == ""
    assert json.loads(target.read_text("utf-8"))["findings"][0]["rule_id"] == "general/final-interpretation"


def test_forced_domain(files, capsys):
    main(["audit", str(files / "fair.txt"), "--format", "json", "--domain", "training"])
    assert json.loads(capsys.readouterr().out)["domain"] == {
        "code": "training",
        "confidence": 1.0,
        "forced": True,
    }


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as info:
        main(["audit", "x.txt", "--format", "xml"])
    assert info.value.code == 2
    assert "参数错误" in capsys.readouterr().err


def test_rules_list_show_and_unknown_id(capsys):
    assert main(["rules", "list"]) == 0
    assert "general/final-interpretation" in capsys.readouterr().out
    assert main(["rules", "show", "general/final-interpretation"]) == 0
    assert "第八条" in capsys.readouterr().out
    assert main(["rules", "show", "general/nope"]) == 2
    assert "没有 id 为 general/nope 的规则" in capsys.readouterr().err


def test_rules_test_passes_on_the_library(capsys):
    assert main(["rules", "test"]) == 0
    assert capsys.readouterr().out.strip().endswith("条规则）")


def test_broken_rule_directory_is_refused_with_location(tmp_path, capsys):
    (tmp_path / "bad.yaml").write_text("domain: general\nrules:\n  - id: general/x\n", encoding="utf-8")
    assert main(["rules", "test", str(tmp_path)]) == 2
    assert f"{tmp_path / 'bad.yaml'}:3: [general/x]" in capsys.readouterr().err


def test_version_is_fast_and_skips_heavy_imports():
    code = (
        "import sys, clause_audit.cli as c; c.main(['--version']);"
        "print(sorted(m for m in ('jieba','pdfplumber','docx','cn2an','opencc','re2','pydantic') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.splitlines()[0].startswith("clause-audit 0.1.0（规则库版本 ")
    assert out.splitlines()[1] == "[]"


def test_parallel_jobs_keep_input_order_and_survive_a_bad_file(files, capsys):
    paths = [str(files / n) for n in ("unfair.txt", "scan.pdf", "fair.txt", "gbk.txt")]
    assert main(["audit", *paths, "--format", "jsonl", "-j", "1"]) == 2
    serial = capsys.readouterr().out
    assert main(["audit", *paths, "--format", "jsonl", "-j", "2"]) == 2
    assert capsys.readouterr().out == serial
    assert [json.loads(x).get("error", {}).get("code") for x in serial.splitlines()] == [
        None,
        "corrupt_file",
        None,
        None,
    ]


def test_jobs_must_be_positive(capsys):
    with pytest.raises(SystemExit):
        main(["audit", "x.txt", "-j", "0"])
    assert "应为正整数" in capsys.readouterr().err


def test_output_folder_gets_one_file_per_input_named_after_it(files, tmp_path, capsys):
    out = tmp_path / "reports"
    code = main(["audit", str(files / "unfair.txt"), str(files / "fair.txt"), "--format", "html", "-o", f"{out}/"])
    assert code == 1
    assert sorted(p.name for p in out.iterdir()) == ["fair.txt.report.html", "unfair.txt.report.html"]
    assert "最终解释权归本店" in (out / "unfair.txt.report.html").read_text("utf-8")
    assert capsys.readouterr().out.splitlines() == [
        f"{files / 'unfair.txt'} → {out / 'unfair.txt.report.html'}",
        f"{files / 'fair.txt'} → {out / 'fair.txt.report.html'}",
    ]


def test_same_names_in_two_folders_do_not_overwrite_each_other(tmp_path, capsys):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        (tmp_path / sub / "c.txt").write_text(UNFAIR, encoding="utf-8")
    out = tmp_path / "out"
    main(["audit", str(tmp_path / "a"), str(tmp_path / "b"), "--format", "markdown", "-o", f"{out}/"])
    assert sorted(p.name for p in out.iterdir()) == ["c-2.txt.report.md", "c.txt.report.md"]


def test_file_formats_need_an_output_path(files, capsys):
    assert main(["audit", str(files / "unfair.txt"), "--format", "report-docx"]) == 2
    assert "请用 -o 指定输出文件或目录" in capsys.readouterr().err
    assert main(["audit", str(files / "unfair.txt"), str(files / "fair.txt"), "--format", "pdf", "-o", "x.pdf"]) == 2
    assert "多个输入文件请用 -o 指定一个目录" in capsys.readouterr().err


def test_annotated_format_must_match_the_input(files, tmp_path, capsys):
    code = main(["audit", str(files / "unfair.txt"), "--format", "docx", "-o", str(tmp_path / "x.docx")])
    assert code == 2
    assert "批注版 Word（--format docx）只能由 Word（.docx）文件生成" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_review_report_docx_for_one_input(files, tmp_path, capsys):
    import docx

    target = tmp_path / "意见书.docx"
    assert main(["audit", str(files / "unfair.txt"), "--format", "report-docx", "-o", str(target)]) == 1
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "格式条款审查意见书" in text


def test_report_carries_the_sha256_of_the_input(files, capsys):
    import hashlib

    main(["audit", str(files / "unfair.txt"), str(files / "gbk.txt"), "--format", "jsonl"])
    utf8, gbk = (json.loads(line) for line in capsys.readouterr().out.splitlines())
    assert utf8["content_hash"] == hashlib.sha256(UNFAIR.encode("utf-8")).hexdigest()
    assert gbk["content_hash"] == hashlib.sha256(UNFAIR.encode("gb18030")).hexdigest()
