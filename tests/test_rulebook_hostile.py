"""Hostile rule files: unsafe YAML, alias bombs, huge files and patterns that are not linear-time
are refused at load (and by `rules lint`) with the file and line; nothing is executed or expanded."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from test_rulebook import GOOD

from clause_audit.cli import main
from clause_audit.errors import RuleLoadError
from clause_audit.rulebook import MAX_RULE_FILE_BYTES, load_rulebook

PATTERN = "'(概不|一律不)(退款|退费)'"


def _problems(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "r.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RuleLoadError) as info:
        load_rulebook([tmp_path])
    return info.value.problems


def test_python_object_tags_are_not_constructed(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "!!python/object/apply:os.system ['touch pwned']\n")
    assert len(problems) == 1 and "r.yaml:1: YAML 语法错误" in problems[0]
    assert not (tmp_path / "pwned").exists()


def test_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    started = time.monotonic()
    problems = _problems(tmp_path, "\n".join(lines) + "\n")
    assert time.monotonic() - started < 5
    assert len(problems) == 1 and "别名" in problems[0] and "r.yaml" in problems[0]


def test_deep_nesting_is_refused(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(problems) == 1 and "r.yaml" in problems[0]


def test_oversized_rule_file_is_refused_unread(tmp_path: Path) -> None:
    problems = _problems(tmp_path, "# " + "x" * MAX_RULE_FILE_BYTES + "\n")
    assert problems == [f"{tmp_path / 'r.yaml'}: 规则文件过大（超过 {MAX_RULE_FILE_BYTES} 字节）"]


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("'(?<=概不)退款'", "RE2 不支持的语法"),
        ("'(退款)\\1'", "RE2 不支持的语法"),
        ("'退款{1001}'", "RE2 不支持的语法"),
        ("'(退款'", "RE2 不支持的语法"),
        ("'" + "退" * 2001 + "'", "正则表达式过长"),
    ],
)
def test_unsafe_pattern_names_file_line_and_rule(tmp_path: Path, pattern: str, message: str) -> None:
    text = GOOD.replace(PATTERN, pattern)
    problems = _problems(tmp_path, text)
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'r.yaml'}:7: [prepaid/test-no-refund]") and message in problems[0]


def test_rules_lint_names_file_and_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "r.yaml").write_text(GOOD.replace(PATTERN, "'(?=概不)退款'"), encoding="utf-8")
    assert main(["rules", "lint", str(tmp_path)]) != 0
    captured = capsys.readouterr()
    assert f"{tmp_path / 'r.yaml'}:7: [prepaid/test-no-refund]" in captured.out + captured.err


def test_backtracking_bombs_run_in_linear_time() -> None:
    """Patterns that take seconds in Python's re on a 28-character input stay linear in RE2."""
    from clause_audit.matchers import check_pattern, compile_match
    from clause_audit.parties import DEFAULT_PARTIES
    from clause_audit.ruleschema import MatchSpec

    patterns = ["(a+)+$", "(?:[一-鿿]+，?)+不予退还"]
    for pattern in patterns:
        check_pattern(pattern)
    matcher = compile_match(MatchSpec.model_validate({"any": patterns}))
    text = "a" * 100_000 + "b" + "概" * 100_000
    started = time.monotonic()
    assert matcher.find(text, (0, len(text)), [], DEFAULT_PARTIES) is None
    assert time.monotonic() - started < 1
