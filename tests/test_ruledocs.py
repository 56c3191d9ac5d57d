from pathlib import Path

from clause_audit.rulebook import load_rulebook
from clause_audit.ruledocs import render_rule_reference

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules.md"


def test_rule_reference_is_in_sync_with_the_library():
    """Regenerate with: clause-audit rules docs -o docs/rules.md"""
    assert DOCS.read_text("utf-8") == render_rule_reference(load_rulebook())


def test_every_rule_has_a_section_with_its_article_texts():
    book = load_rulebook()
    text = render_rule_reference(book)
    for rule in book.rules:
        assert f"### `{rule.id}` {rule.info.title}" in text
    assert "第八条 经营者与消费者订立合同，不得利用格式条款等方式作出加重消费者责任" in text
