"""`clause-audit eval`: sets scored apart, bad set files refused with a clear message."""

from clause_audit.cli import main

UNFAIR = '- text: "本店保留最终解释权。"\n  label: unfair\n  category: sole_interpretation\n'
FAIR = '- text: "会员卡余额可随时申请退还。"\n  label: fair\n'


def test_each_sub_folder_is_its_own_set_and_other_yaml_is_ignored(tmp_path, capsys):
    (tmp_path / "dev").mkdir()
    (tmp_path / "holdout").mkdir()
    (tmp_path / "dev" / "general.yaml").write_text(UNFAIR + FAIR, encoding="utf-8")
    (tmp_path / "holdout" / "prepaid.yaml").write_text(FAIR, encoding="utf-8")
    (tmp_path / "floor.yaml").write_text("dev:\n  items: 2\n", encoding="utf-8")
    assert main(["eval", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert f"评测集：{tmp_path / 'dev'}" in out
    dev, holdout = out.split(f"评测集：{tmp_path / 'holdout'}")
    assert "通用（general）" in dev and "预付式消费" not in dev
    assert "预付式消费（prepaid）" in holdout


def test_misses_and_false_alarms_are_listed(tmp_path, capsys):
    (tmp_path / "general.yaml").write_text(
        FAIR.replace("fair", "unfair\n  category: restrict_termination", 1), encoding="utf-8"
    )
    assert main(["eval", str(tmp_path / "general.yaml")]) == 0
    out = capsys.readouterr().out
    assert "漏报（不公平条款未被标记为高/中风险）：1 条" in out
    assert "会员卡余额可随时申请退还。" in out


def test_a_file_not_named_after_a_domain_is_refused(tmp_path, capsys):
    (tmp_path / "floor.yaml").write_text("dev: {}\n", encoding="utf-8")
    assert main(["eval", str(tmp_path / "floor.yaml")]) == 2
    assert "文件名应为领域代码" in capsys.readouterr().err


def test_a_malformed_item_names_its_file_and_position(tmp_path, capsys):
    (tmp_path / "general.yaml").write_text(FAIR + "- just a string\n", encoding="utf-8")
    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "general.yaml: 第2项应包含 text 和 label" in err


def test_an_empty_folder_is_an_error(tmp_path, capsys):
    assert main(["eval", str(tmp_path)]) == 2
    assert "没有评测集" in capsys.readouterr().err
