import io
import re
from dataclasses import replace
from datetime import date
from html import escape
from html.parser import HTMLParser

import pytest
import reviewbuild as rb

from clause_audit.categories import CATEGORY_NAMES
from clause_audit.model import Failure, Notice, RuleError
from clause_audit.render.html import render_html, write_html
from clause_audit.statutes import resolve

VOID = {"meta", "br", "input", "hr", "img", "link", "wbr"}


class Page(HTMLParser):
    """Collects the tag structure of a page: errors for crossed or unclosed tags, text inside each <mark>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.marks: list[tuple[dict[str, str | None], str]] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if tag == "script":
            self.scripts += 1
        if tag == "mark":
            if "mark" in self.stack:
                self.errors.append("mark inside mark")
            self.marks.append((attributes, ""))
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes <{self.stack[-1] if self.stack else None}>")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "mark":
            attributes, text = self.marks[-1]
            self.marks[-1] = (attributes, text + data)


def parse(page: str) -> Page:
    parser = Page()
    parser.feed(page)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return rb.rulebook(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def report(book):
    return rb.contract_report(book)


@pytest.fixture(scope="module")
def page(report):
    return render_html([report], today=date(2024, 5, 18))


def test_mark_wraps_exactly_the_quote(page, report):
    final = rb.finding(report, "general/t-final")
    assert final.quote == "最终解释权"
    # in the contract, linked to the finding's entry, and in the entry's own quote of the clause
    assert re.search(r'<a class="hl" href="#d1-f3"><mark class="sev-low" data-f="d1-f3">最终解释权</mark></a>', page)
    assert '<blockquote class="quote">本店保留<mark class="sev-low">最终解释权</mark>。&lt;script&gt;' in page
    panel_marks = [text for attrs, text in parse(page).marks if "data-f" not in attrs]
    assert panel_marks == [f.quote for f in report.findings if f.clause_index is not None]


def test_entry_shows_clause_severity_title_message_suggestion_and_rule(page, report):
    entry = re.search(r'<article class="finding sev-low" id="d1-f3".*?</article>', page, re.DOTALL)
    assert entry is not None
    text = entry.group(0)
    assert '<a class="where" href="#d1-c2">第二条</a>' in text
    assert "低风险" in text and "最终解释权" in text
    assert "<dt>问题点评</dt><dd>经营者单方享有解释权。</dd>" in text
    assert '<dd class="suggestion">删除该条款，按通常理解解释。</dd>' in text
    assert "<code>general/t-final</code>" in text
    assert CATEGORY_NAMES["sole_interpretation"] in text
    assert 'data-category="sole_interpretation"' in text


def test_cited_article_text_law_and_status_appear(page):
    statute = resolve("CAS-8")
    assert statute is not None
    assert "《合同行政监督管理办法》第八条第（四）项" in page
    assert "已与官方文本核对" in page
    for line in statute.text.split("\n"):
        assert escape(line) in page
    # the item cited is picked out of the article
    assert '<strong class="cited">（四）排除或者限制消费者依法变更或者解除合同的权利；</strong>' in page
    assert "《中华人民共和国消费者权益保护法》第二十六条第二款" in page


def test_document_text_is_escaped(page):
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;引号&quot; &#x27;a&#x27;" in page
    assert "alert(" not in page.replace("alert(&quot;", "")
    assert parse(page).scripts == 1  # the page's own filter script, nothing from the document


def test_overlapping_findings_give_well_formed_html(page, report):
    balance = rb.finding(report, "general/t-balance")
    refund = rb.finding(report, "general/t-no-refund")
    assert balance.clause_index == refund.clause_index and refund.start < balance.end
    parsed = parse(page)  # balanced, properly nested, no mark inside a mark
    clause_marks = [(attrs["data-f"], attrs["class"], text) for attrs, text in parsed.marks if "data-f" in attrs]
    assert clause_marks[:3] == [
        ("d1-f1", "sev-medium", "余额"),
        ("d1-f2 d1-f1", "sev-high", "概不退"),  # both findings: the more severe one colours it
        ("d1-f2", "sev-high", "还"),
    ]
    assert "".join(text for _, _, text in clause_marks[:3]) == "余额概不退还"
    assert len(parsed.ids) == len(set(parsed.ids))


def test_page_is_self_contained(page):
    assert '<meta charset="utf-8">' in page
    assert "http://" not in page and "https://" not in page
    assert "//" not in re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL).replace("<!DOCTYPE", "")
    tags = parse(page).tags
    assert not [t for t, a in tags if t in ("link", "img", "iframe") or (t == "script" and "src" in a)]
    assert '"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif' in page
    assert "@media print" in page and "@media (max-width:" in page


def test_filter_controls_exist(page):
    tags = parse(page).tags
    boxes = [a["value"] for t, a in tags if t == "input" and a.get("name") == "severity"]
    assert boxes == ["high", "medium", "low"]
    assert ("select", {"id": "category-filter", "name": "category"}) in tags
    options = [a["value"] for t, a in tags if t == "option"]
    # in the order of DESIGN.md's category table
    assert options == ["", "restrict_choice", "restrict_termination", "sole_interpretation", "expiry_forfeiture",
                       "missing_term"]  # fmt: skip
    assert f'<option value="restrict_choice">{CATEGORY_NAMES["restrict_choice"]}</option>' in page
    findings = [a for t, a in tags if t == "article"]
    assert [a["data-severity"] for a in findings] == ["medium", "high", "low", "medium", "medium"]


def test_header_lists_domain_date_version_counts(page, report):
    assert "<h2>会员卡须知.txt</h2>" in page
    assert "<dt>领域</dt><dd>通用（指定）</dd>" in page
    assert "<dt>审查日期</dt><dd>2024年5月18日</dd>" in page
    assert f"<code>{report.rules_version}</code>" in page
    assert '<span class="badge sev-high">高风险</span> <b>1</b>' in page
    assert '<span class="badge sev-medium">中风险</span> <b>3</b>' in page


def test_extraction_warnings_and_rule_errors_are_shown(report):
    noisy = replace(
        report,
        notices=(Notice("garbled", "warning", "第 2 页文字提取不完整 <cid>", page=2),),
        rule_errors=(RuleError("general/t-bad", "ValueError: boom"),),
    )
    page = render_html([noisy])
    assert '<li class="warning">提取质量：第 2 页文字提取不完整 &lt;cid&gt;（第 2 页）</li>' in page
    assert "规则 <code>general/t-bad</code> 执行出错：ValueError: boom" in page


def test_missing_terms_have_their_own_section(page):
    head = page.index("缺失的必备条款（1）")
    entry = page.index('id="d1-f5"')
    assert head < entry
    assert '<span class="where">全文</span> <span class="title">缺少退款方式</span>' in page


def test_several_documents_get_a_contents_list_and_failures_a_line(book, report):
    clean = rb.contract_report(book, rb.CLEAN, name="clean.txt")
    out = io.StringIO()
    write_html([report, Failure("scan.pdf", "corrupt_file", "文件已损坏"), clean], out, False)
    page = out.getvalue()
    parsed = parse(page)
    assert len(parsed.ids) == len(set(parsed.ids))
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.DOTALL)
    assert toc is not None
    assert re.findall(r'<a href="#(d\d)">', toc.group(0)) == ["d1", "d2", "d3"]
    assert '<p class="error">无法读取：文件已损坏（corrupt_file）</p>' in page
    assert 'id="d3-findings"' in page and "未发现问题条款。" in page
