"""PDF reader and extraction-quality gate, on PDFs written with reportlab at test time."""

from __future__ import annotations

import random
from pathlib import Path

import pdfbuild as pb
import pdfplumber
import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageBreak

from clause_audit.errors import InputError
from clause_audit.model import Block, Location, Notice
from clause_audit.readers.pdf import read_pdf
from clause_audit.readers.quality import assess_page, is_garbage

WRAPPED = (
    "甲方应当按照本合同约定的时间和标准向乙方提供健身服务，乙方在会员有效期内可以使用甲方场馆内的"
    "全部器械设施，并参加甲方组织的团体课程；因甲方原因导致乙方无法正常使用服务的，甲方应当顺延会员"
    "期限或者按照剩余天数的比例退还费用，并承担相应的违约责任。"
)


def read(path: Path) -> list[Block]:
    document = read_pdf(path.read_bytes(), path.name)
    for block in document.blocks:
        assert len(block.boxes) == len(block.text)
    return list(document.blocks)


def texts(path: Path) -> list[str]:
    return [block.text for block in read(path)]


def visual_lines(path: Path, page: int = 0) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return pdf.pages[page].extract_text().split("\n")


# ---------------------------------------------------------------- paragraphs


def test_paragraph_wrapped_over_three_lines_is_one_block(tmp_path: Path) -> None:
    path = pb.write_paragraphs(tmp_path / "wrapped.pdf", [WRAPPED])
    assert len(visual_lines(path)) == 3

    document = read_pdf(path.read_bytes(), "wrapped.pdf")

    assert (document.source, document.format, document.pages, document.notices) == (
        "wrapped.pdf",
        "pdf",
        1,
        (),
    )
    [block] = document.blocks
    assert block.text == WRAPPED
    assert block.location == Location(page=1, line=1)
    assert len(block.boxes) == len(WRAPPED)
    assert None not in block.boxes
    # 甲 opens the text frame: 72 pt margin plus reportlab's 6 pt frame padding; y is PDF user space.
    first = block.boxes[0]
    assert first is not None
    assert (first.page, first.x0, first.x1) == (1, 78.0, 88.5)
    assert first.y0 == pytest.approx(750.544, abs=0.001)
    assert first.y1 == pytest.approx(761.044, abs=0.001)
    # The first character of the second visual line sits one leading (16 pt) lower, at the left edge.
    second_line = visual_lines(path)[1]
    box = block.boxes[WRAPPED.index(second_line)]
    assert box is not None
    assert (box.x0, box.x1) == (78.0, 88.5)
    assert box.y1 == pytest.approx(first.y1 - 16, abs=0.001)
    assert 0 <= box.x0 < box.x1 <= pb.PAGE_WIDTH
    assert 0 <= box.y0 < box.y1 <= pb.PAGE_HEIGHT


def test_boxes_match_pdfplumber_glyphs(tmp_path: Path) -> None:
    path = pb.write_paragraphs(tmp_path / "boxes.pdf", [WRAPPED])
    [block] = read(path)
    with pdfplumber.open(path) as pdf:
        glyphs = [(c["x0"], c["y0"], c["x1"], c["y1"]) for c in pdf.pages[0].chars]
    assert [(b.x0, b.y0, b.x1, b.y1) for b in block.boxes if b is not None] == glyphs


def test_numbered_articles_are_two_blocks(tmp_path: Path) -> None:
    first = "第一条 " + WRAPPED
    second = "第二条 乙方应当遵守甲方的场馆管理制度，因乙方故意或者过失造成器械损坏的，应当照价赔偿。"
    path = pb.write_paragraphs(tmp_path / "articles.pdf", [first, second])
    assert len(visual_lines(path)) == 6  # four lines, then two

    assert [(b.text, b.location) for b in read(path)] == [
        (first, Location(page=1, line=1)),
        (second, Location(page=1, line=5)),
    ]


def test_clause_label_starts_a_block_where_nothing_else_would(tmp_path: Path) -> None:
    # Equal-length lines, same pitch, no final punctuation: only the label separates them.
    labelled = ["第一条甲方提供健身服务并保证器械安全", "第二条乙方按时支付费用并遵守场馆规定"]
    plain = ["甲方提供健身服务并保证器械安全可靠有", "效乙方按时支付费用并遵守场馆各项规定"]
    assert texts(pb.write_pages(tmp_path / "labelled.pdf", [labelled])) == labelled
    assert texts(pb.write_pages(tmp_path / "plain.pdf", [plain])) == ["".join(plain)]


def test_short_line_after_sentence_end_closes_the_paragraph(tmp_path: Path) -> None:
    lines = [
        "甲方提供健身服务并保证器械设施安全可靠，乙方按时",
        "支付费用。",
        "本合同一式两份，双方各执一份，具有同等法律效力。",
    ]
    assert texts(pb.write_pages(tmp_path / "short.pdf", [lines])) == [lines[0] + lines[1], lines[2]]


def test_short_lines_of_a_form_are_separate_blocks(tmp_path: Path) -> None:
    lines = [
        "为明确双方的权利义务，根据有关法律法规的规定，甲乙双方",
        "经平等协商订立本合同",
        "甲方：星城力健健身有限公司",
        "乙方：张某某",
    ]
    assert texts(pb.write_pages(tmp_path / "form.pdf", [lines])) == [lines[0] + lines[1], lines[2], lines[3]]


def test_page_of_short_lines_takes_its_column_from_the_other_pages(tmp_path: Path) -> None:
    full = [
        "第一条甲方提供健身服务并保证器械设施安全可靠，乙方按时支付",
        "费用并遵守场馆的各项管理制度，爱护器械设施",
    ]
    fees = [
        "附件收费标准",
        "年卡费用每年人民币三千元（含团体课程及淋浴）",
        "次卡费用每次人民币五十元（不含私教课程）",
    ]
    blocks = read(pb.write_pages(tmp_path / "fees.pdf", [full, fees]))
    assert [(b.text, b.location) for b in blocks] == [
        ("".join(full), Location(page=1, line=1)),
        (fees[0], Location(page=2, line=1)),
        (fees[1], Location(page=2, line=2)),
        (fees[2], Location(page=2, line=3)),
    ]


def test_wider_gap_between_paragraphs_starts_a_block(tmp_path: Path) -> None:
    texts_in = ["本合同未尽事宜，由双方另行协商并签订补充协议", "补充协议与本合同具有同等法律效力"]
    path = pb.write_paragraphs(tmp_path / "gap.pdf", texts_in)  # spaceAfter=8 on a 16 pt leading
    assert texts(path) == texts_in


def test_latin_words_keep_their_spaces_and_join_across_lines(tmp_path: Path) -> None:
    lines = [
        "第1条 Party A shall provide the fitness services in",
        "accordance with this contract and charge 100 yuan",
    ]
    path = pb.write_pages(tmp_path / "latin.pdf", [lines])
    [block] = read(path)
    assert block.text == lines[0] + " " + lines[1]
    assert block.boxes[len(lines[0])] is None  # the space stands for the line break
    assert block.boxes.count(None) == 1


def test_letter_spaced_chinese_reads_without_spaces(tmp_path: Path) -> None:
    path = pb.write_pages(tmp_path / "spaced.pdf", [["本合同的最终解释权归甲方所有。"]], char_space=4)
    assert visual_lines(path) == ["本 合 同 的 最 终 解 释 权 归 甲 方 所 有 。"]

    [block] = read(path)
    assert block.text == "本合同的最终解释权归甲方所有。"
    assert None not in block.boxes


def test_letter_spaced_mixed_text_keeps_only_drawn_spaces(tmp_path: Path) -> None:
    path = pb.write_pages(tmp_path / "mixed.pdf", [["第1条 支付 100 元"]], char_space=4)
    [block] = read(path)
    assert block.text == "第1条 支付 100 元"
    assert None not in block.boxes


def test_paragraph_continues_across_a_page_break(tmp_path: Path) -> None:
    pages = [
        [
            "第五条私教课须自购买之日起十二个月内上完，逾期未上",
            "完的剩余课时可以申请延期一次，延期期限不超过六个",
        ],
        ["月，延期期间不另收取费用。"],
    ]
    [block] = read(pb.write_pages(tmp_path / "break.pdf", pages))
    assert block.text == "".join(pages[0] + pages[1])
    assert block.location == Location(page=1, line=1)
    pages_of_boxes = [box.page for box in block.boxes if box is not None]
    assert pages_of_boxes == [1] * len("".join(pages[0])) + [2] * len(pages[1][0])


# ---------------------------------------------------------------- headers, footers, page numbers


FOOTERS = ["{n}", "- {n} -", "第 {n} 页", "第{n}页 共3页", "Page {n} of 3", "{n}/3"]


@pytest.mark.parametrize("footer", FOOTERS)
def test_running_header_footer_and_page_numbers_are_dropped(tmp_path: Path, footer: str) -> None:
    def decorate(canvas: Canvas, n: int) -> None:
        canvas.setFont(pb.FONT, 9)
        canvas.drawString(pb.MARGIN, pb.PAGE_HEIGHT - 40, "健身会员服务合同")
        canvas.drawRightString(pb.PAGE_WIDTH - pb.MARGIN, pb.PAGE_HEIGHT - 40, f"合同编号XC-2024-00{n}")
        canvas.drawCentredString(pb.PAGE_WIDTH / 2, 30, footer.format(n=n))

    title = ParagraphStyle("title", parent=pb.BODY, fontSize=16, leading=24, alignment=TA_CENTER)
    articles = [
        "第一条 会员卡仅限本人使用。",
        "第二条 会员卡有效期为一年。",
        "第三条 本合同自签字之日起生效。",
    ]
    story = [pb.paragraph("健身会员服务合同", title), pb.paragraph(articles[0]), PageBreak()]
    story += [pb.paragraph(articles[1]), PageBreak(), pb.paragraph(articles[2])]
    path = pb.write_story(tmp_path / "running.pdf", story, decorate)
    with pdfplumber.open(path) as pdf:
        assert footer.format(n=2) in pdf.pages[1].extract_text()

    blocks = read(path)
    assert [b.text for b in blocks] == ["健身会员服务合同", *articles]
    assert [b.location for b in blocks] == [
        Location(page=1, line=1),
        Location(page=1, line=2),
        Location(page=2, line=1),
        Location(page=3, line=1),
    ]


def test_single_page_keeps_band_text_that_is_not_a_page_number(tmp_path: Path) -> None:
    def decorate(canvas: Canvas, n: int) -> None:
        canvas.setFont(pb.FONT, 9)
        canvas.drawString(pb.MARGIN, 30, "本店保留最终解释权")
        canvas.drawCentredString(pb.PAGE_WIDTH / 2, 15, "1")

    path = pb.write_story(tmp_path / "one.pdf", [pb.paragraph("会员须知：会员卡不记名、不挂失。")], decorate)
    assert texts(path) == ["会员须知：会员卡不记名、不挂失。", "本店保留最终解释权"]


# ---------------------------------------------------------------- tables


def test_ruled_table_gives_one_block_per_cell(tmp_path: Path) -> None:
    rows = [
        ["项目", "价格", "说明"],
        ["年卡", "3000元", "不限次数，有效期自开卡之日起十二个月，逾期未使用的次数可以申请延期一次"],
        ["次卡", "", "共20次"],
    ]
    story = [
        pb.paragraph("第三条 收费标准如下："),
        pb.grid_table(rows, col_widths=[80, 80, 200]),
        pb.paragraph("第四条 其他未尽事宜由双方协商解决。"),
    ]
    path = pb.write_story(tmp_path / "table.pdf", story)
    assert len(visual_lines(path)) == 7  # the long cell wraps over three lines

    blocks = read(path)
    assert [(b.text, b.location) for b in blocks] == [
        ("第三条 收费标准如下：", Location(page=1, line=1)),
        ("项目", Location(page=1, table=0, row=0, cell=0)),
        ("价格", Location(page=1, table=0, row=0, cell=1)),
        ("说明", Location(page=1, table=0, row=0, cell=2)),
        ("年卡", Location(page=1, table=0, row=1, cell=0)),
        ("3000元", Location(page=1, table=0, row=1, cell=1)),
        (rows[1][2], Location(page=1, table=0, row=1, cell=2)),
        ("次卡", Location(page=1, table=0, row=2, cell=0)),
        ("共20次", Location(page=1, table=0, row=2, cell=2)),
        ("第四条 其他未尽事宜由双方协商解决。", Location(page=1, line=2)),
    ]
    assert None not in blocks[6].boxes


def test_tables_are_numbered_through_the_document(tmp_path: Path) -> None:
    story = [
        pb.grid_table([["甲", "乙"]]),
        PageBreak(),
        pb.paragraph("附件："),
        pb.grid_table([["丙", "丁"]]),
    ]
    blocks = read(pb.write_story(tmp_path / "tables.pdf", story))
    assert [(b.text, b.location) for b in blocks] == [
        ("甲", Location(page=1, table=0, row=0, cell=0)),
        ("乙", Location(page=1, table=0, row=0, cell=1)),
        ("附件：", Location(page=2, line=1)),
        ("丙", Location(page=2, table=1, row=0, cell=0)),
        ("丁", Location(page=2, table=1, row=0, cell=1)),
    ]


# ---------------------------------------------------------------- coordinates


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_boxes_are_in_user_space_on_rotated_and_offset_pages(tmp_path: Path, rotation: int) -> None:
    # Text drawn at (300, 400) turned against the page's /Rotate, so that it reads upright on screen.
    canvas = Canvas(str(tmp_path / "rotated.pdf"), pagesize=pb.A4)
    canvas.setPageRotation(rotation)
    canvas.translate(300, 400)
    canvas.rotate(rotation)
    canvas.setFont(pb.FONT, 12)
    canvas.drawString(0, 0, "本合同自签字之日起生效。")
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(str(tmp_path / "rotated.pdf")))
    writer.pages[0].mediabox = RectangleObject([-50, -100, 700, 900])
    writer.write(str(tmp_path / "offset.pdf"))

    [block] = read(tmp_path / "offset.pdf")
    assert block.text == "本合同自签字之日起生效。"
    first = block.boxes[0]
    assert first is not None
    # The glyph's advance runs from the drawing point along the text direction, 12 pt long.
    along = {
        0: (first.x0, first.x1),
        90: (first.y0, first.y1),
        180: (first.x1, first.x0),
        270: (first.y1, first.y0),
    }
    start, end = along[rotation]
    origin = 300.0 if rotation in (0, 180) else 400.0
    assert start == pytest.approx(origin, abs=0.01)
    assert abs(end - start) == pytest.approx(12.0, abs=0.01)


# ---------------------------------------------------------------- errors and notices


def test_pdf_without_text_has_no_text_layer(tmp_path: Path) -> None:
    path = pb.write_shapes_only(tmp_path / "scan.pdf", pages=2)
    with pytest.raises(InputError) as caught:
        read_pdf(path.read_bytes(), "scan.pdf")
    assert caught.value.code == "no_text_layer"


def test_scanned_page_among_text_pages_gets_a_notice(tmp_path: Path) -> None:
    text = pb.write_paragraphs(tmp_path / "text.pdf", ["本合同自双方签字之日起生效。"])
    scan = pb.write_shapes_only(tmp_path / "scan.pdf")
    path = pb.concat(tmp_path / "both.pdf", text, scan)

    document = read_pdf(path.read_bytes(), "both.pdf")
    assert document.pages == 2
    assert [b.text for b in document.blocks] == ["本合同自双方签字之日起生效。"]
    assert document.notices == (
        Notice("no_text_layer", "warning", "第2页没有文字层（可能是扫描页），该页内容未能审查", 2),
    )


@pytest.mark.parametrize("data", [b"", random.Random(0).randbytes(4096), b"%PDF-1.7\n" + bytes(range(256)) * 8])
def test_not_a_pdf_is_corrupt(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        read_pdf(data, "broken.pdf")
    assert caught.value.code == "corrupt_file"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = pb.write_paragraphs(tmp_path / "whole.pdf", [WRAPPED]).read_bytes()
    with pytest.raises(InputError) as caught:
        read_pdf(data[: len(data) // 2], "half.pdf")
    assert caught.value.code == "corrupt_file"


def test_pdf_with_user_password_is_encrypted(tmp_path: Path) -> None:
    plain = pb.write_paragraphs(tmp_path / "plain.pdf", [WRAPPED])
    locked = pb.encrypt(plain, tmp_path / "locked.pdf", user_password="secret")
    with pytest.raises(InputError) as caught:
        read_pdf(locked.read_bytes(), "locked.pdf")
    assert caught.value.code == "encrypted"


def test_pdf_with_only_an_owner_password_opens(tmp_path: Path) -> None:
    plain = pb.write_paragraphs(tmp_path / "plain.pdf", [WRAPPED])
    restricted = pb.encrypt(plain, tmp_path / "restricted.pdf", user_password="", owner_password="owner")
    assert b"/Encrypt" in restricted.read_bytes()
    assert texts(restricted) == [WRAPPED]


def test_text_that_is_not_chinese_fails_extraction(tmp_path: Path) -> None:
    lines = ["This membership agreement is made between the club and the member named below.", "x" * 3]
    path = pb.write_pages(tmp_path / "english.pdf", [lines])
    with pytest.raises(InputError) as caught:
        read_pdf(path.read_bytes(), "english.pdf")
    assert caught.value.code == "extraction_failed"
    assert caught.value.message == (
        "提取出的文字是乱码，无法审查：第1页的文字大多不是中文（中文仅占0%），可能是字体编码无法识别"
    )


def test_garbled_page_among_good_ones_is_reported_not_fatal(tmp_path: Path) -> None:
    english = "This membership agreement is made between the club and the member named below."
    path = pb.write_pages(tmp_path / "two.pdf", [["本合同自双方签字之日起生效。"], [english]])
    document = read_pdf(path.read_bytes(), "two.pdf")
    assert [b.text for b in document.blocks] == ["本合同自双方签字之日起生效。", english]
    assert document.notices == (
        Notice("extraction_quality", "error", "第2页的文字大多不是中文（中文仅占0%），可能是字体编码无法识别", 2),
    )


def test_glyphs_drawn_rotated_stay_out_of_the_text(tmp_path: Path) -> None:
    canvas = Canvas(str(tmp_path / "watermark.pdf"), pagesize=pb.A4)
    canvas.setFont(pb.FONT, 12)
    canvas.drawString(pb.MARGIN, 700, "本合同自双方签字之日起生效。")
    canvas.saveState()
    canvas.translate(200, 690)
    canvas.rotate(45)
    canvas.setFont(pb.FONT, 40)
    canvas.drawString(0, 0, "样本")
    canvas.restoreState()
    canvas.save()
    assert texts(tmp_path / "watermark.pdf") == ["本合同自双方签字之日起生效。"]


# ---------------------------------------------------------------- quality gate


CHINESE = "第一条 甲方应当按照本合同约定向乙方提供服务，乙方应当按时支付费用。" * 2


def test_clean_chinese_page_has_no_notices() -> None:
    assert assess_page(CHINESE, 1) == []


def test_a_few_cid_glyphs_are_a_warning() -> None:
    notices = assess_page(CHINESE + "(cid:12)(cid:345)", 3)
    assert notices == [
        Notice("extraction_quality", "warning", "第3页有2处无法识别的字形（cid），该页文字可能不完整", 3)
    ]
    assert not is_garbage(notices)


def test_mostly_cid_glyphs_are_an_error() -> None:
    notices = assess_page("(cid:1)(cid:2)(cid:3)(cid:4)(cid:5) 合同", 7)
    assert notices == [Notice("extraction_quality", "error", "第7页有5处无法识别的字形（cid），该页文字可能不完整", 7)]
    assert is_garbage(notices)


def test_replacement_characters_are_counted() -> None:
    assert assess_page(CHINESE + "\ufffd\ufffd\ufffd", 2) == [
        Notice("extraction_quality", "warning", "第2页有3处无法解码的字符（�），该页文字可能不完整", 2)
    ]
    assert assess_page("\ufffd" * 10 + "合同", 2)[0].level == "error"


def test_private_use_glyphs_are_counted() -> None:
    assert assess_page(CHINESE + "\ue001\uf8ff", None) == [
        Notice(
            "extraction_quality",
            "warning",
            "文档中有2个没有Unicode映射的字形（私用区字符），文档文字可能有误",
        )
    ]


def test_latin_only_page_is_garbage() -> None:
    notices = assess_page("The member agrees that the club may change the opening hours at any time. " * 2, 4)
    assert notices == [
        Notice("extraction_quality", "error", "第4页的文字大多不是中文（中文仅占0%），可能是字体编码无法识别", 4)
    ]


def test_mojibake_latin1_page_is_garbage() -> None:
    # GBK bytes of 合同 decoded as Latin-1: the classic wrong-encoding glyph map.
    mojibake = "本合同".encode("gbk").decode("latin-1") + " "
    assert is_garbage(assess_page(mojibake * 12, 1))


def test_mostly_latin_page_with_some_chinese_is_a_warning() -> None:
    text = "The member agrees to pay the fee in full before the first class 会员同意 " * 2  # 8 CJK among 26 words
    assert assess_page(text, 5) == [
        Notice(
            "extraction_quality",
            "warning",
            "第5页的文字大多不是中文（中文仅占24%），可能是字体编码无法识别",
            5,
        )
    ]


def test_short_latin_text_is_not_judged() -> None:
    assert assess_page("Tel: 0731-8888 Fax: 0731-8889", 1) == []
