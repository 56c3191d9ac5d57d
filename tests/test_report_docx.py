import io
from datetime import date

import docx
import pytest
import reviewbuild as rb
from docx.oxml.ns import qn

from clause_audit.model import Failure
from clause_audit.render.report_docx import RED, TITLE, render_report_docx, report_docx_bytes
from clause_audit.statutes import resolve


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return rb.rulebook(tmp_path_factory.mktemp("rules"))


@pytest.fixture(scope="module")
def report(book):
    return rb.contract_report(book)


@pytest.fixture(scope="module")
def document(report):
    return docx.Document(io.BytesIO(render_report_docx([report], today=date(2024, 5, 18))))


def _texts(document):
    return [p.text for p in document.paragraphs]


def _red_bold(paragraph):
    return [r.text for r in paragraph.runs if r.bold and r.font.color.rgb == RED]


def _original(document, number):
    """The 原文 paragraph under the heading naming clause `number`."""
    paragraphs = document.paragraphs
    head = next(i for i, p in enumerate(paragraphs) if p.style.name.startswith("Heading") and number in p.text)
    paragraph = paragraphs[head + 1]
    assert paragraph.text.startswith("原文：")
    return paragraph


def test_title_and_header_table(document, report):
    assert document.paragraphs[0].text == TITLE
    assert document.paragraphs[0].style.name == "Title"
    rows = {r.cells[0].text: r.cells[1].text for r in document.tables[0].rows}
    assert rows == {
        "文件名": "会员卡须知.txt",
        "领域": "通用（指定）",
        "审查日期": "2024年5月18日",
        "规则库版本": report.rules_version,
        "问题数": "共 5 项：高风险 1、中风险 3、低风险 1",
    }


def test_flagged_clause_has_number_quote_in_red_bold_and_suggestion(document):
    paragraph = _original(document, "第二条")
    assert paragraph.text == '原文：本店保留最终解释权。<script>alert("x")</script> & "引号" \'a\''
    assert _red_bold(paragraph) == ["最终解释权"]
    texts = _texts(document)
    assert "修改建议：删除该条款，按通常理解解释。" in texts
    assert "问题点评：经营者单方享有解释权。" in texts
    assert "问题：最终解释权（低风险）" in texts


def test_overlapping_spans_are_red_as_one_stretch(document):
    paragraph = _original(document, "第一条")
    assert "".join(_red_bold(paragraph)) == "余额概不退还"
    texts = _texts(document)
    assert "问题一：卡内余额不退（中风险）" in texts and "问题二：概不退款（高风险）" in texts


def test_legal_basis_quotes_law_article_and_text(document):
    texts = _texts(document)
    assert "《合同行政监督管理办法》第八条第（四）项（CAS-8(四)，已与官方文本核对）" in texts
    statute = resolve("CAS-8")
    assert statute is not None
    assert statute.text in texts  # line breaks inside the paragraph read back as \n
    quote = texts.index(statute.text)
    bold = [r.text for r in document.paragraphs[quote].runs if r.bold]
    assert bold == ["（四）排除或者限制消费者依法变更或者解除合同的权利；"]


def test_missing_terms_and_closing_note(document):
    texts = _texts(document)
    missing = texts.index("二、缺失的必备条款")
    assert texts[missing + 1] == "1. 缺少退款方式（中风险）"
    assert "修改建议：增加“退款方式：原路退回”条款。" in texts[missing:]
    assert any(t.startswith("说明：") and "自动审查" in t and "工作人员复核确认" in t for t in texts)


def test_page_fonts_and_headings(document):
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    assert fonts.get(qn("w:eastAsiaTheme")) is None
    for name in ("Title", "Heading 1", "Heading 2"):
        style = document.styles[name]
        assert style.font.bold
        assert style.element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"


def test_several_results_and_failures(book, report):
    clean = rb.contract_report(book, rb.CLEAN, name="clean.txt")
    data = report_docx_bytes([report, Failure("scan.pdf", "corrupt_file", "文件已损坏"), clean])
    document = docx.Document(io.BytesIO(data))
    texts = _texts(document)
    assert [t for t in texts if document.paragraphs[texts.index(t)].style.name == "Heading 1"] == [
        "一、会员卡须知.txt",
        "二、scan.pdf",
        "三、clean.txt",
    ]
    assert "无法读取：scan.pdf：文件已损坏（corrupt_file）" in texts
    assert "经审查，未发现问题条款。" in texts
    assert len(document.tables) == 2
