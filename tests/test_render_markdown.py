import io
from datetime import date

import pytest
import reviewbuild as rb
from markdown_it import MarkdownIt

from clause_audit.model import Failure
from clause_audit.render.markdown import escape_markdown, render_markdown, write_markdown
from clause_audit.statutes import resolve


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return rb.rulebook(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def report(book):
    return rb.contract_report(book)


@pytest.fixture(scope="module")
def text(report):
    return render_markdown([report], today=date(2024, 5, 18))


@pytest.fixture(scope="module")
def html(text):
    return MarkdownIt("commonmark").render(text)


def test_quote_is_bold_inside_the_clause(text, html):
    assert "> 本店保留**最终解释权**。" in text
    assert "**第二条**　本店保留**最终解释权**。" in text
    assert "<strong>最终解释权</strong>" in html


def test_overlapping_spans_are_bolded_as_one_run(text, html):
    assert "**第一条**　本卡一经售出，卡内**余额概不退还**。" in text
    assert "<strong>余额概不退还</strong>" in html


def test_quote_next_to_cjk_punctuation_still_renders_bold(text, html):
    # ** before “ after a letter would not open emphasis in CommonMark
    assert "<strong>“店规”</strong>" in text
    assert "<strong>“店规”</strong>" in html


def test_legal_basis_quotes_the_article_text(text):
    statute = resolve("CPL-26")
    assert statute is not None
    first, second, third = statute.text.split("\n")
    assert "- 《中华人民共和国消费者权益保护法》第二十六条第二款（CPL-26¶2，已与官方文本核对）" in text
    assert f"  > {escape_markdown(first)}\\\n  > **{escape_markdown(second)}**\\\n  > {escape_markdown(third)}" in text


def test_finding_has_message_suggestion_and_rule(text):
    assert "#### 3. 第二条 · 低风险 · 最终解释权" in text
    assert "**问题点评**：经营者单方享有解释权。" in text
    assert "**修改建议**：删除该条款，按通常理解解释。" in text
    assert "规则：`general/t-final`" in text


def test_header_table(text, report):
    assert "| 领域 | 通用（指定） |" in text
    assert "| 审查日期 | 2024年5月18日 |" in text
    assert f"| 规则库版本 | `{report.rules_version}` |" in text
    assert "| 问题数 | 共 5 项：高风险 1、中风险 3、低风险 1 |" in text


def test_document_text_is_escaped(text, html):
    assert '\\<script\\>alert("x")\\</script\\> \\& "引号"' in text
    assert "<script>" not in html
    assert "&lt;script&gt;alert" in html
    assert "遵守<strong>“店规”</strong> \\* \\_ \\[x\\](y) \\# \\| 等符号" in text
    assert "<em>" not in html and "<a href" not in html


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("# 标题", "\\# 标题"),
        ("- 一项", "\\- 一项"),
        ("1. 一项", "1\\. 一项"),
        ("> 引用", "\\> 引用"),
        ("a*b_c`d", "a\\*b\\_c\\`d"),
    ],
)
def test_escape_markdown(raw, shown):
    assert escape_markdown(raw) == shown
    rendered = MarkdownIt("commonmark").render(escape_markdown(raw))
    assert rendered.startswith("<p>") and raw.replace(">", "&gt;") in rendered


def test_missing_terms_section_and_failures(book, report):
    out = io.StringIO()
    write_markdown([report, Failure("scan.pdf", "corrupt_file", "文件已损坏")], out, False)
    text = out.getvalue()
    assert "## 目录" in text and "1. [会员卡须知.txt](#doc-1)" in text
    missing = text.index("### 缺失的必备条款（1）")
    assert text.index("#### 5. 全文 · 中风险 · 缺少退款方式") > missing
    assert "无法读取：文件已损坏（corrupt\\_file）" in text
