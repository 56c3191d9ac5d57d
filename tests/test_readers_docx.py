"""Tests for the DOCX reader and the Word numbering resolver."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph
from docxbuild import DocxBuilder

from clause_audit.errors import InputError
from clause_audit.model import Block, Location
from clause_audit.readers.docx import paragraph_text, read_docx, text_pieces
from clause_audit.readers.numbering import Numbering, format_number

W = nsdecls("w")


def read(builder: DocxBuilder, tmp_path: Path) -> tuple[Block, ...]:
    path = builder.save(tmp_path / "doc.docx")
    document = read_docx(path.read_bytes(), str(path))
    assert document.format == "docx"
    assert document.source == str(path)
    return document.blocks


def texts(blocks: tuple[Block, ...]) -> list[str]:
    return [b.text for b in blocks]


def labelled(blocks: tuple[Block, ...]) -> list[tuple[str, str]]:
    return [(b.label, b.text) for b in blocks]


def append_xml(paragraph: Paragraph, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


# ---------------------------------------------------------------- body order and locations


def test_paragraphs_tables_and_nested_tables_in_reading_order(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.heading("会员服务合同", level=0)
    b.paragraph("甲方：某某健身有限公司")
    b.paragraph("")
    b.paragraph("   ")
    table = b.table([["项目", "金额"], ["年卡", "3000元"]])
    inner = table.cell(1, 1).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "内层甲"
    inner.cell(0, 1).text = "内层乙"
    b.paragraph("以上费用一次性支付。")
    blocks = read(b, tmp_path)
    assert [(b.text, b.location, b.style) for b in blocks] == [
        ("会员服务合同", Location(paragraph=0), "Title"),
        ("甲方：某某健身有限公司", Location(paragraph=1), "Normal"),
        ("项目", Location(paragraph=4, table=0, row=0, cell=0), "Normal"),
        ("金额", Location(paragraph=5, table=0, row=0, cell=1), "Normal"),
        ("年卡", Location(paragraph=6, table=0, row=1, cell=0), "Normal"),
        ("3000元", Location(paragraph=7, table=0, row=1, cell=1), "Normal"),
        ("内层甲", Location(paragraph=8, table=1, row=0, cell=0), "Normal"),
        ("内层乙", Location(paragraph=9, table=1, row=0, cell=1), "Normal"),
        ("以上费用一次性支付。", Location(paragraph=11), "Normal"),
    ]


def test_paragraph_location_is_the_body_iter_ordinal(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.heading("第一章 总则", level=1)
    b.paragraph("")
    b.paragraph("本合同自双方签字之日起生效。", numbered=("article", 0))
    table = b.table([["甲", ""], ["", "乙"]])
    table.cell(0, 1).add_table(rows=2, cols=1).cell(1, 0).text = "嵌套单元格"
    b.paragraph("未尽事宜，双方协商解决。")
    path = b.save(tmp_path / "doc.docx")
    blocks = read_docx(path.read_bytes(), "doc.docx").blocks
    reopened = docx.Document(str(path))
    paragraphs = list(reopened.element.body.iter(qn("w:p")))
    ordinals = [0, 2, 3, 6, 9, 10]
    assert [b.location.paragraph for b in blocks] == ordinals
    assert texts(blocks) == [
        "第一章 总则",
        "本合同自双方签字之日起生效。",
        "甲",
        "嵌套单元格",
        "乙",
        "未尽事宜，双方协商解决。",
    ]
    assert [Paragraph(paragraphs[i], reopened._body).text for i in ordinals] == texts(blocks)
    assert blocks[0].style == "Heading 1"


def test_merged_cells_count_once(tmp_path: Path) -> None:
    b = DocxBuilder()
    table = b.table([["合并", "", "右"], ["纵向", "中", "右下"], ["", "下中", "末"]])
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(1, 0).merge(table.cell(2, 0))
    blocks = read(b, tmp_path)
    assert [(b.text, b.location.row, b.location.cell) for b in blocks] == [
        ("合并", 0, 0),
        ("右", 0, 1),
        ("纵向", 1, 0),
        ("中", 1, 1),
        ("右下", 1, 2),
        ("下中", 2, 1),
        ("末", 2, 2),
    ]


def test_header_and_footer_are_left_out(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.header("页眉：某某健身")
    b.footer("第 1 页")
    b.paragraph("正文内容")
    assert texts(read(b, tmp_path)) == ["正文内容"]


def test_document_without_text_has_no_blocks(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.paragraph("")
    b.paragraph("\u3000 ", numbered=("article", 0))
    b.table([["", ""]])
    assert read(b, tmp_path) == ()


# ---------------------------------------------------------------- paragraph text


def test_tracked_insertions_and_content_controls_are_text_deletions_are_not(tmp_path: Path) -> None:
    b = DocxBuilder()
    p = b.paragraph("甲方")
    append_xml(p, f'<w:ins {W} w:id="1" w:author="a"><w:r><w:t>【插入】</w:t></w:r></w:ins>')
    append_xml(p, f'<w:del {W} w:id="2" w:author="a"><w:r><w:delText>【删除】</w:delText></w:r></w:del>')
    append_xml(
        p,
        f'<w:sdt {W}><w:sdtPr><w:alias w:val="金额"/></w:sdtPr>'
        "<w:sdtContent><w:r><w:t>【控件】</w:t></w:r></w:sdtContent></w:sdt>",
    )
    append_xml(p, f'<w:hyperlink {W} w:anchor="x"><w:r><w:t>【链接】</w:t></w:r></w:hyperlink>')
    append_xml(p, f'<w:smartTag {W} w:element="x"><w:r><w:t>【标记】</w:t></w:r></w:smartTag>')
    append_xml(p, f'<w:fldSimple {W} w:instr=" DATE "><w:r><w:t>2024年1月1日</w:t></w:r></w:fldSimple>')
    append_xml(p, f'<w:moveFrom {W} w:id="3" w:author="a"><w:r><w:t>【移走】</w:t></w:r></w:moveFrom>')
    for xml in (
        '<w:r {W}><w:fldChar w:fldCharType="begin"/></w:r>',
        '<w:r {W}><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>',
        '<w:r {W}><w:fldChar w:fldCharType="separate"/></w:r>',
        "<w:r {W}><w:t>7</w:t></w:r>",
        '<w:r {W}><w:fldChar w:fldCharType="end"/></w:r>',
    ):
        append_xml(p, xml.format(W=W))
    hidden = p.add_run("【隐藏】")
    hidden.font.hidden = True
    run = p.add_run("尾")
    run.add_tab()
    run.add_text("制表")
    run.add_break()
    run.add_text("换行")
    block_sdt = parse_xml(
        f"<w:sdt {W}><w:sdtPr/><w:sdtContent><w:p><w:r><w:t>块级控件内的段落</w:t></w:r></w:p></w:sdtContent></w:sdt>"
    )
    p._p.addnext(block_sdt)
    blocks = read(b, tmp_path)
    assert texts(blocks) == [
        "甲方【插入】【控件】【链接】【标记】2024年1月1日7尾\t制表\n换行",
        "块级控件内的段落",
    ]
    assert blocks[1].location == Location(paragraph=1)


def test_text_pieces_join_to_the_paragraph_text() -> None:
    p = parse_xml(f"<w:p {W}><w:r><w:t>甲</w:t><w:tab/></w:r><w:ins><w:r><w:t>乙</w:t><w:br/></w:r></w:ins></w:p>")
    pieces = text_pieces(p)
    assert [text for _, text in pieces] == ["甲", "\t", "乙", "\n"]
    assert [el.getparent().tag for el, _ in pieces] == [qn("w:r")] * 4
    assert paragraph_text(p) == "甲\t乙\n"


def test_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    ns = (
        'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
        'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
        'xmlns:v="urn:schemas-microsoft-com:vml" '
        f"{nsdecls('w', 'wp', 'a')}"
    )
    box = "<w:txbxContent><w:p><w:r><w:t>本店保留最终解释权</w:t></w:r></w:p></w:txbxContent>"
    b = DocxBuilder()
    p = b.paragraph("告示")
    append_xml(
        p,
        f'<w:r {ns}><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:inline><a:graphic>'
        f"<a:graphicData><wps:wsp><wps:txbx>{box}</wps:txbx></wps:wsp></a:graphicData></a:graphic>"
        f"</wp:inline></w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox>"
        "</v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>",
    )
    b.paragraph("其后")
    blocks = read(b, tmp_path)
    assert [(b.text, b.location.paragraph) for b in blocks] == [
        ("告示", 0),
        ("本店保留最终解释权", 1),
        ("其后", 3),
    ]


# ---------------------------------------------------------------- automatic numbering


def test_articles_and_items_with_reset(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.paragraph("服务内容", numbered=("article", 0))
    b.paragraph("私教课", numbered=("article", 1))
    b.paragraph("团体课", numbered=("article", 1))
    b.paragraph("退款", numbered=("article", 0))
    b.paragraph("七日内全额退款", numbered=("article", 1))
    b.paragraph("", numbered=("article", 0))  # empty, yet Word shows 第三条 and counts it
    b.paragraph("争议解决", numbered=("article", 0))
    b.paragraph("无编号段落")
    blocks = read(b, tmp_path)
    assert labelled(blocks) == [
        ("第一条", "服务内容"),
        ("（一）", "私教课"),
        ("（二）", "团体课"),
        ("第二条", "退款"),
        ("（一）", "七日内全额退款"),
        ("第四条", "争议解决"),
        ("", "无编号段落"),
    ]


def test_decimal_multilevel(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.define_list("outline", [("decimal", "%1"), ("decimal", "%1.%2")])
    for text, level in (("总则", 0), ("定义", 1), ("解释", 1), ("服务", 0), ("内容", 1)):
        b.paragraph(text, numbered=("outline", level))
    b.paragraph("第一项", numbered=("decimal", 0))
    b.paragraph("第二项", numbered=("decimal", 0))
    b.restart("decimal")
    b.paragraph("重新开始", numbered=("decimal", 0))
    blocks = read(b, tmp_path)
    assert labelled(blocks) == [
        ("1", "总则"),
        ("1.1", "定义"),
        ("1.2", "解释"),
        ("2", "服务"),
        ("2.1", "内容"),
        ("1.", "第一项"),
        ("2.", "第二项"),
        ("1.", "重新开始"),
    ]


def test_style_based_numbering_follows_based_on(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.number_style("List Number", "chinese", 0)
    derived = b.document.styles.add_style("条款列表", WD_STYLE_TYPE.PARAGRAPH)
    derived.base_style = b.document.styles["List Number"]
    b.paragraph("甲方义务", style="List Number")
    b.paragraph("乙方义务", style="条款列表")
    cancelled = b.paragraph("取消编号", style="List Number")
    numpr = cancelled._p.get_or_add_pPr().get_or_add_numPr()
    numpr.get_or_add_numId().val = 0
    b.paragraph("违约责任", style="List Number")
    blocks = read(b, tmp_path)
    assert [(b.label, b.text, b.style) for b in blocks] == [
        ("一、", "甲方义务", "List Number"),
        ("二、", "乙方义务", "条款列表"),
        ("", "取消编号", "List Number"),
        ("三、", "违约责任", "List Number"),
    ]


def test_circled_and_bullet_labels(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.paragraph("甲", numbered=("circled", 0))
    b.paragraph("乙", numbered=("circled", 0))
    b.paragraph("要点", numbered=("bullet", 0))
    assert labelled(read(b, tmp_path)) == [("①", "甲"), ("②", "乙"), ("", "要点")]


def _labels(levels_xml: str, paragraphs: list[str], num_extra: str = "", styles_xml: str = "") -> list[str]:
    numbering = parse_xml(
        f'<w:numbering {W}><w:abstractNum w:abstractNumId="0">{levels_xml}</w:abstractNum>'
        f'<w:num w:numId="1"><w:abstractNumId w:val="0"/>{num_extra}</w:num></w:numbering>'
    )
    styles = parse_xml(f"<w:styles {W}>{styles_xml}</w:styles>") if styles_xml else None
    resolver = Numbering(numbering, styles)
    return [resolver.label(_para(p)) for p in paragraphs]


def _para(ppr: str) -> BaseOxmlElement:
    return parse_xml(f"<w:p {W}><w:pPr>{ppr}</w:pPr></w:p>")


def _lvl(ilvl: int, fmt: str, text: str, extra: str = "", start: int | None = 1) -> str:
    start_xml = "" if start is None else f'<w:start w:val="{start}"/>'
    return f'<w:lvl w:ilvl="{ilvl}">{start_xml}<w:numFmt w:val="{fmt}"/>{extra}<w:lvlText w:val="{text}"/></w:lvl>'


def _num(ilvl: int, num_id: int = 1) -> str:
    return f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'


def test_lvl_restart_zero_keeps_counting_across_higher_levels() -> None:
    levels = _lvl(0, "chineseCounting", "第%1章") + _lvl(1, "chineseCounting", "第%2条", '<w:lvlRestart w:val="0"/>')
    order = [_num(0), _num(1), _num(1), _num(0), _num(1)]
    assert _labels(levels, order) == ["第一章", "第一条", "第二条", "第二章", "第三条"]


def test_is_lgl_renders_every_level_in_decimal() -> None:
    levels = _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%1.%2", "<w:isLgl/>")
    assert _labels(levels, [_num(0), _num(1), _num(0), _num(1)]) == ["一、", "1.1", "二、", "2.1"]


def test_start_override_and_level_override() -> None:
    levels = _lvl(0, "decimal", "%1.") + _lvl(1, "decimal", "(%2)")
    override = (
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride>'
        '<w:lvlOverride w:ilvl="1"><w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/>'
        '<w:lvlText w:val="%2)"/></w:lvl></w:lvlOverride>'
    )
    assert _labels(levels, [_num(0), _num(1), _num(1), _num(0)], override) == ["5.", "a)", "b)", "6."]


def test_unknown_num_id_missing_level_text_and_absent_start() -> None:
    levels = _lvl(0, "decimal", "%1.", start=None) + '<w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/></w:lvl>'
    order = [_num(0, num_id=7), _num(0), _num(1), _num(0), '<w:numPr><w:numId w:val="0"/></w:numPr>']
    # ECMA-376 17.9.25: an absent w:start is 0
    assert _labels(levels, order) == ["", "0.", "", "1.", ""]


def test_style_numbering_level_from_the_level_pstyle() -> None:
    levels = _lvl(0, "chineseCounting", "第%1条", '<w:pStyle w:val="Article"/>') + _lvl(
        1, "chineseCounting", "（%2）", '<w:pStyle w:val="Item"/>'
    )
    styles = (
        '<w:style w:type="paragraph" w:styleId="Article"><w:name w:val="Article"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
        '<w:style w:type="paragraph" w:styleId="Item"><w:name w:val="Item"/>'
        '<w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>'
    )
    order = ['<w:pStyle w:val="Article"/>', '<w:pStyle w:val="Item"/>', '<w:pStyle w:val="Article"/>']
    assert _labels(levels, order, styles_xml=styles) == ["第一条", "（一）", "第二条"]


@pytest.mark.parametrize(
    ("fmt", "numbers", "expected"),
    [
        ("decimal", [1, 12], ["1", "12"]),
        (
            "chineseCounting",
            [1, 9, 10, 11, 20, 21, 100, 101, 110],
            "一 九 十 十一 二十 二十一 一百 一百零一 一百一十",
        ),
        ("chineseCountingThousand", [10, 15, 1000, 1001], "十 十五 一千 一千零一"),
        ("japaneseCounting", [3, 12], "三 十二"),
        ("chineseLegalSimplified", [1, 10, 12], "壹 壹拾 壹拾贰"),
        ("ideographTraditional", [1, 2, 10, 11], "甲 乙 癸 甲"),
        ("ideographZodiac", [1, 12], "子 亥"),
        ("ideographDigital", [105], "一〇五"),
        ("upperLetter", [1, 26, 27, 28], "A Z AA BB"),
        ("lowerLetter", [3], "c"),
        ("upperRoman", [4, 9, 14, 1999], "IV IX XIV MCMXCIX"),
        ("lowerRoman", [3], "iii"),
        ("decimalEnclosedCircle", [1, 10, 20, 21, 51], "① ⑩ ⑳ ㉑ 51"),
        ("decimalEnclosedCircleChinese", [2], "②"),
        ("decimalEnclosedParen", [1, 21], "⑴ (21)"),
        ("decimalEnclosedFullstop", [3], "⒊"),
        ("decimalFullWidth", [12], "１２"),
        ("decimalZero", [3, 12], "03 12"),
        ("ordinal", [1, 2, 3, 11, 22], "1st 2nd 3rd 11th 22nd"),
        ("bullet", [1], [""]),
        ("none", [1], [""]),
        ("somethingNew", [4], "4"),
    ],
)
def test_format_number(fmt: str, numbers: list[int], expected: str | list[str]) -> None:
    want = expected.split() if isinstance(expected, str) else expected
    assert [format_number(n, fmt) for n in numbers] == want


# ---------------------------------------------------------------- errors and speed


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _error(data: bytes) -> InputError:
    with pytest.raises(InputError) as info:
        read_docx(data, "x.docx")
    return info.value


def test_bytes_that_are_not_a_zip_are_corrupt() -> None:
    error = _error(b"%PDF-1.7 not a docx at all")
    assert (error.code, error.message) == ("corrupt_file", "文件已损坏，无法打开：不是有效的 DOCX（ZIP）文件")
    assert _error(b"").code == "corrupt_file"


def test_zip_without_document_xml_is_corrupt() -> None:
    error = _error(_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}))
    assert (error.code, error.message) == ("corrupt_file", "文件已损坏，无法打开：缺少 word/document.xml")


def test_truncated_and_malformed_docx_are_corrupt(tmp_path: Path) -> None:
    b = DocxBuilder()
    b.paragraph("正文")
    data = b.save(tmp_path / "doc.docx").read_bytes()
    assert _error(data[: len(data) // 2]).code == "corrupt_file"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/document.xml"] = b"<w:document><w:body><w:p>"
    error = _error(_zip(files))
    assert (error.code, error.message) == ("corrupt_file", "文件已损坏，无法打开：word/document.xml 中的 XML 格式错误")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def test_encrypted_office_file() -> None:
    stream_names = "EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")
    error = _error(OLE + b"\0" * 504 + stream_names)
    assert (error.code, error.message) == ("encrypted", "文件已加密：请先在 Word 中取消密码保护")
    assert _error(OLE + b"\0" * 504).code == "encrypted"


def test_legacy_doc_is_unsupported_not_encrypted() -> None:
    error = _error(OLE + b"\0" * 504 + "WordDocument".encode("utf-16-le"))
    assert (error.code, error.message) == (
        "unsupported_format",
        "不支持的文件类型：Word 97-2003（.doc）格式，请另存为 .docx",
    )


def test_two_hundred_paragraphs_read_quickly(tmp_path: Path) -> None:
    b = DocxBuilder()
    for i in range(100):
        b.paragraph(f"乙方应于每月{i + 1}日前支付服务费，逾期按日加收万分之五的违约金。", numbered=("article", 0))
        b.paragraph("甲方有权单方变更服务内容。", numbered=("article", 1))
    data = b.save(tmp_path / "doc.docx").read_bytes()
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        blocks = read_docx(data, "doc.docx").blocks
        timings.append(time.perf_counter() - start)
    assert len(blocks) == 200
    assert (blocks[-2].label, blocks[-1].label) == ("第一百条", "（一）")
    assert min(timings) < 0.1


def test_main_part_and_its_styles_and_numbering_are_found_through_the_relationships(tmp_path: Path) -> None:
    """A package that names its parts differently (some generators do) reads the same as Word's layout."""
    b = DocxBuilder()
    b.heading("会员服务协议")
    b.paragraph("本卡一经售出概不退款。", numbered=("article", 0))
    original = b.save(tmp_path / "doc.docx").read_bytes()
    with zipfile.ZipFile(io.BytesIO(original)) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    files["word/body/main.xml"] = files.pop("word/document.xml")
    rels = files.pop("word/_rels/document.xml.rels").decode()
    # targets relative to the new folder, one of them absolute
    rels = rels.replace('Target="styles.xml"', 'Target="/word/styles.xml"')
    rels = rels.replace('Target="numbering.xml"', 'Target="../numbering.xml"')
    files["word/body/_rels/main.xml.rels"] = rels.encode()
    files["_rels/.rels"] = files["_rels/.rels"].replace(b"word/document.xml", b"word/body/main.xml")
    files["[Content_Types].xml"] = files["[Content_Types].xml"].replace(b"/word/document.xml", b"/word/body/main.xml")
    moved = read_docx(_zip(files), "moved.docx")
    expected = read_docx(original, "doc.docx")
    seen = [(x.text, x.label, x.style) for x in moved.blocks]
    assert seen == [(x.text, x.label, x.style) for x in expected.blocks]
    assert seen == [("会员服务协议", "", "Heading 1"), ("本卡一经售出概不退款。", "第一条", "Normal")]


def test_a_main_part_that_is_not_a_word_body_is_corrupt() -> None:
    files = {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<root><body/></root>"}
    assert (_error(_zip(files)).code, _error(_zip(files)).message) == (
        "corrupt_file",
        "文件已损坏，无法打开：word/document.xml 不是 Word 文档正文",
    )


def test_table_styles_are_cut_from_styles_xml_and_nothing_else(tmp_path: Path) -> None:
    from lxml import etree

    from clause_audit.readers.docx import _without_table_styles

    b = DocxBuilder()
    b.paragraph("正文")
    with zipfile.ZipFile(b.save(tmp_path / "doc.docx")) as archive:
        xml = archive.read("word/styles.xml")

    def styles(data: bytes) -> list[tuple[str | None, str | None]]:
        root = etree.fromstring(data)
        return [(s.get(qn("w:type")), s.get(qn("w:styleId"))) for s in root.iter(qn("w:style"))]

    before, after = styles(xml), styles(_without_table_styles(xml))
    assert sum(kind == "table" for kind, _ in before) > 50  # python-docx's template
    assert after == [s for s in before if s[0] != "table"]
    assert ("paragraph", "Heading1") in after and ("numbering", "NoList") in after


def test_table_style_cutting_keeps_odd_parts_whole() -> None:
    from clause_audit.readers.docx import _without_table_styles

    head = f"<w:styles {nsdecls('w')}>".encode()
    closed = head + b'<w:style w:type="table" w:styleId="T"/><w:style w:type="paragraph" w:styleId="P"/></w:styles>'
    assert _without_table_styles(closed) == head + b'<w:style w:type="paragraph" w:styleId="P"/></w:styles>'
    unterminated = head + b'<w:style w:type="table" w:styleId="T"><w:name w:val="x"/>'
    assert _without_table_styles(unterminated) == unterminated
    other_prefix = b'<x:styles xmlns:x="u"><x:style x:type="table"/></x:styles>'
    assert _without_table_styles(other_prefix) == other_prefix
