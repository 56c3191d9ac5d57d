"""Annotated DOCX: every finding a Word comment on exactly the quoted characters, the text itself untouched."""

from __future__ import annotations

import hashlib
import io
from collections import Counter, defaultdict
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Pt
from docxbuild import DocxBuilder
from pypdf import PdfReader
from system_tools import require, soffice_to_pdf
from tinyrules import write_rulebook

from clause_audit.model import Document, Report
from clause_audit.pipeline import audit_document
from clause_audit.readers import read_document
from clause_audit.readers.docx import paragraph_text, read_docx, text_pieces
from clause_audit.render.annotate_docx import annotate_docx
from clause_audit.render.annotation import anchors
from clause_audit.render.review import SEVERITY_WORDS
from clause_audit.rulebook import Rulebook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").rglob("*.docx"))
_P = qn("w:p")


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    return write_rulebook(tmp_path_factory.mktemp("rules"))


def _annotate(path: Path, book: Rulebook) -> tuple[bytes, Document, Report, bytes]:
    original = path.read_bytes()
    document = read_document(original, str(path))
    report = audit_document(document, rulebook=book)
    return original, document, report, annotate_docx(original, document, report)


# ---------------------------------------------------------------- reading an annotated file back


def _visible(word: docx.document.Document) -> dict[BaseOxmlElement, str]:
    return {el: text for p in word.element.body.iter(_P) for el, text in text_pieces(p)}


def _anchored_texts(word: docx.document.Document) -> dict[int, str]:
    """Comment id -> the visible text between its commentRangeStart and commentRangeEnd."""
    visible = _visible(word)
    open_ids: set[int] = set()
    texts: dict[int, str] = defaultdict(str)
    for el in word.element.body.iter():
        if el.tag == qn("w:commentRangeStart"):
            open_ids.add(int(el.get(qn("w:id"))))
        elif el.tag == qn("w:commentRangeEnd"):
            open_ids.discard(int(el.get(qn("w:id"))))
        elif el in visible:
            for comment_id in open_ids:
                texts[comment_id] += visible[el]
    return dict(texts)


def _highlighted(word: docx.document.Document) -> set[tuple[int, int]]:
    """(paragraph ordinal, character offset) of every visible character in a yellow-highlighted run."""
    out = set()
    for ordinal, p in enumerate(word.element.body.iter(_P)):
        pos = 0
        for el, text in text_pieces(p):
            rpr = el.getparent().find(qn("w:rPr"))
            mark = None if rpr is None else rpr.find(qn("w:highlight"))
            if mark is not None and mark.get(qn("w:val")) == "yellow":
                out.update((ordinal, pos + i) for i in range(len(text)))
            pos += len(text)
    return out


def _paragraph_texts(data: bytes) -> list[str]:
    return [paragraph_text(p) for p in docx.Document(io.BytesIO(data)).element.body.iter(_P)]


def _check(original: bytes, document: Document, report: Report, annotated: bytes) -> docx.document.Document:
    """Everything the annotated copy must satisfy, whatever the document."""
    word = docx.Document(io.BytesIO(annotated))
    comments = {c.comment_id: c for c in word.comments}
    anchored = _anchored_texts(word)
    assert all(c.author == "clause-audit" and c.initials == "CA" for c in comments.values())

    # one comment per finding, on the quote's part in its first block, saying what the finding says
    placed = [f for f in report.findings if f.clause_index is not None]
    expected = Counter()
    highlight: set[tuple[int, int]] = set()
    for f in placed:
        parts = anchors(f, report, document)
        first = document.blocks[parts[0].block].text[parts[0].start : parts[0].end]
        if len(parts) == 1:
            assert first == f.quote
        expected[(first, f.rule_id)] += 1
        for part in parts:
            ordinal = document.blocks[part.block].location.paragraph
            highlight.update((ordinal, i) for i in range(part.start, part.end))
    found = Counter()
    for comment_id, comment in comments.items():
        if "全文审查意见" in comment.text:
            continue
        rule_id = comment.text.rsplit("规则：", 1)[1].strip()
        found[(anchored[comment_id], rule_id)] += 1
        finding = next(f for f in placed if f.rule_id == rule_id)
        assert comment.text.startswith(f"【{SEVERITY_WORDS[finding.severity]}】{finding.title}\n")
        assert f"问题：{finding.message}" in comment.text and f"建议：{finding.suggestion}" in comment.text
        assert "依据：" in comment.text
    assert found == expected

    # the highlight covers exactly the quoted characters (and whatever the original had highlighted)
    assert _highlighted(word) == highlight | _highlighted(docx.Document(io.BytesIO(original)))

    # missing terms: one comment on the title listing each of them
    missing = [f for f in report.findings if f.clause_index is None]
    notes = [c for c in comments.values() if "全文审查意见" in c.text]
    assert len(notes) == (1 if missing else 0)
    if missing:
        assert anchored[notes[0].comment_id] == document.blocks[0].text
        assert all(f.title in notes[0].text and f.rule_id in notes[0].text for f in missing)
    assert len(comments) == len(placed) + len(notes)

    # the text is the original's, as every reader sees it
    assert _paragraph_texts(annotated) == _paragraph_texts(original)
    assert read_docx(annotated, "x").blocks == read_docx(original, "x").blocks
    return word


# ---------------------------------------------------------------- samples


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_samples(path: Path, book: Rulebook) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    original, document, report, annotated = _annotate(path, book)
    _check(original, document, report, annotated)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest
    assert original == path.read_bytes()
    # the annotated copy audits the same
    again = audit_document(read_document(annotated, str(path)), rulebook=book)
    assert [f.to_dict() for f in again.findings] == [f.to_dict() for f in report.findings]


def test_auto_numbered_sample_lands_on_its_words(book: Rulebook) -> None:
    # gym-membership numbers its articles with w:numPr: 第二十五条 is not in the text
    original, document, report, annotated = _annotate(ROOT / "samples/prepaid/gym-membership.docx", book)
    word = _check(original, document, report, annotated)
    anchored = sorted(_anchored_texts(word).values())
    assert "最终解释权归甲方所有" in anchored and "归甲方所有" in anchored  # two overlapping findings
    assert {f.rule_id for f in report.findings} >= {"general/t-final-interpretation", "general/t-owner-decides"}
    assert any(b.label for b in document.blocks)


def test_table_sample_lands_in_its_cells(book: Rulebook) -> None:
    original, document, report, annotated = _annotate(ROOT / "samples/training/driving-school.docx", book)
    _check(original, document, report, annotated)
    in_cells = [
        f
        for f in report.findings
        if f.clause_index is not None
        and document.blocks[anchors(f, report, document)[0].block].location.cell is not None
    ]
    assert len(in_cells) >= 3


# ---------------------------------------------------------------- built documents


def _build(tmp_path: Path, fill: Callable[[DocxBuilder], None]) -> Path:
    b = DocxBuilder()
    b.heading("会员服务合同", level=0)
    fill(b)
    b.paragraph("乙方应遵守门店规定。", numbered=("article", 0))
    b.paragraph("本合同一式两份，双方各执一份。", numbered=("article", 0))
    return b.save(tmp_path / "built.docx")


def _formats(data: bytes) -> list[list[tuple[str, bool | None, bool | None, object]]]:
    """Every visible character with its run's bold, italic and size."""
    word = docx.Document(io.BytesIO(data))
    out = []
    for p in word.element.body.iter(_P):
        chars = []
        for el, text in text_pieces(p):
            font = docx.text.run.Run(el.getparent(), None).font
            chars += [(ch, font.bold, font.italic, font.size) for ch in text]
        out.append(chars)
    return out


def test_runs_split_mid_run_keep_their_formatting(tmp_path: Path, book: Rulebook) -> None:
    def fill(b: DocxBuilder) -> None:
        p = b.paragraph(numbered=("article", 0))
        p.add_run("本合同的最终").bold = True
        r = p.add_run("解释权归甲方所有，")
        r.italic, r.font.size = True, Pt(14)
        p.add_run("违者必究。")

    path = _build(tmp_path, fill)
    original, document, report, annotated = _annotate(path, book)
    word = _check(original, document, report, annotated)
    assert sorted(_anchored_texts(word).values()) == ["会员服务合同", "归甲方所有", "最终解释权归甲方所有"]
    assert _formats(annotated) == _formats(original)
    runs = [r.text for r in word.paragraphs[1].runs]
    assert runs[:4] == ["本合同的", "最终", "解释权", "归甲方所有"]


def test_quote_in_hyperlink_and_tracked_insertion(tmp_path: Path, book: Rulebook) -> None:
    def fill(b: DocxBuilder) -> None:
        p = b.paragraph(numbered=("article", 0))
        p.add_run("本合同的最终")
        p._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="x"><w:r><w:t>解释权</w:t></w:r></w:hyperlink>'))
        p._p.append(
            parse_xml(
                f'<w:ins {nsdecls("w")} w:id="90" w:author="店方" w:date="2024-01-01T00:00:00Z">'
                "<w:r><w:t>归甲方所有，</w:t></w:r></w:ins>"
            )
        )
        p.add_run("特此说明。")

    path = _build(tmp_path, fill)
    original, document, report, annotated = _annotate(path, book)
    word = _check(original, document, report, annotated)
    assert "最终解释权归甲方所有" in _anchored_texts(word).values()


def test_quote_over_two_paragraphs_comments_first_and_highlights_both(tmp_path: Path, book: Rulebook) -> None:
    def fill(b: DocxBuilder) -> None:
        b.paragraph("会员在店内发生的意外，甲方", numbered=("article", 0))
        b.paragraph("概不负责。")  # no number: it carries on the article above

    path = _build(tmp_path, fill)
    original, document, report, annotated = _annotate(path, book)
    [finding] = [f for f in report.findings if f.rule_id == "general/t-no-liability"]
    assert finding.quote == "甲方\n概不负责"
    word = _check(original, document, report, annotated)
    assert "甲方" in _anchored_texts(word).values()
    texts = _paragraph_texts(annotated)
    lit = _highlighted(word)
    first, second = texts.index("会员在店内发生的意外，甲方"), texts.index("概不负责。")
    assert {i for p, i in lit if p == first} == {11, 12}
    assert {i for p, i in lit if p == second} == {0, 1, 2, 3}


def test_existing_comments_are_kept(tmp_path: Path, book: Rulebook) -> None:
    def fill(b: DocxBuilder) -> None:
        p = b.paragraph("本合同最终解释权归甲方所有。", numbered=("article", 0))
        b.document.add_comment(p.runs, text="店方内部备注", author="店长", initials="DZ")

    path = _build(tmp_path, fill)
    original, document, report, annotated = _annotate(path, book)
    word = docx.Document(io.BytesIO(annotated))
    comments = list(word.comments)
    assert [c.author for c in comments].count("店长") == 1
    assert len({c.comment_id for c in comments}) == len(comments) == 4  # note + two findings + the old one
    anchored = _anchored_texts(word)
    assert anchored[next(c.comment_id for c in comments if c.author == "店长")] == "本合同最终解释权归甲方所有。"


def test_no_findings_gives_the_same_text_and_no_comments(tmp_path: Path, book: Rulebook) -> None:
    b = DocxBuilder()
    b.heading("借用协议", level=0)
    b.paragraph("乙方应按时归还物品。", numbered=("article", 0))
    path = b.save(tmp_path / "clean.docx")
    original, document, report, annotated = _annotate(path, book)
    assert report.findings == ()
    _check(original, document, report, annotated)
    assert list(docx.Document(io.BytesIO(annotated)).comments) == []


def test_report_of_another_file_puts_nothing_on_the_wrong_words(book: Rulebook) -> None:
    # blocks that do not match the file's paragraphs: the findings go into the note, not onto other text
    _, gym, report, _ = _annotate(ROOT / "samples/prepaid/gym-membership.docx", book)
    other = (ROOT / "samples/training/driving-school.docx").read_bytes()
    annotated = annotate_docx(other, gym, report)
    [note] = list(docx.Document(io.BytesIO(annotated)).comments)
    assert "全文审查意见" in note.text and "原文（第二十五条）：「最终解释权归甲方所有」" in note.text
    assert _paragraph_texts(annotated) == _paragraph_texts(other)


# ---------------------------------------------------------------- a real client


def test_libreoffice_opens_annotated_docx(tmp_path: Path, book: Rulebook) -> None:
    soffice = require("soffice")

    def fill(b: DocxBuilder) -> None:
        p = b.paragraph(numbered=("article", 0))
        p.add_run("本合同的最终").bold = True
        p._p.append(parse_xml(f'<w:hyperlink {nsdecls("w")} w:anchor="x"><w:r><w:t>解释权</w:t></w:r></w:hyperlink>'))
        p.add_run("归甲方所有，违者必究。")

    built = _build(tmp_path, fill)
    for path in (ROOT / "samples/prepaid/gym-membership.docx", ROOT / "samples/training/driving-school.docx", built):
        _, _, report, annotated = _annotate(path, book)
        target = tmp_path / f"annotated-{path.name}"
        target.write_bytes(annotated)
        pdf = soffice_to_pdf(soffice, target, tmp_path / "lo", profile=tmp_path / "lo_profile", notes=True)
        reader = PdfReader(pdf)
        text = "".join("".join(page.extract_text().split()) for page in reader.pages)
        notes = [
            str(a.get_object().get("/Contents", ""))
            for page in reader.pages
            for a in page.get("/Annots") or []
            if a.get_object().get("/Subtype") == "/Text"
        ]
        assert len(notes) == len(list(docx.Document(io.BytesIO(annotated)).comments))
        for f in report.findings:
            if f.clause_index is not None:
                assert "".join(f.quote.split()) in text
                assert any(f.rule_id in note for note in notes)
