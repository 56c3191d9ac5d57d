"""Build the bundled sample contracts from their marked-up sources.

    python scripts/make_samples.py            # write samples/<domain>/<name>.docx / .pdf / .txt
    python scripts/make_samples.py --check    # ... and verify what was written

Sources are tests/samples_src/<domain>/<name>.txt: UTF-8, one paragraph per line, exactly as the contract
reads. A planted unfair term ends with two spaces and a marker such as
``⟦unfair: restrict_termination, excessive_penalty⟧``; the marker is stripped from every output.

Presentation per sample (PRESENTATION below):
- "plain": DOCX and PDF, clause numbers written as text.
- "autonumber": DOCX whose 第X条 articles use Word automatic numbering (the label is removed from the
  paragraph text and rendered by numbering.xml); the PDF shows the same label as text.
- "table": the numbered terms sit in a two-column table (number | text), one row per clause, in
  both the DOCX and the PDF.
- "text": a plain-text sample (a shop notice): copied without markers, no DOCX/PDF.

The PDF embeds WenQuanYi Micro Hei (apt package fonts-wqy-microhei), repeats the title as a running
header and writes “第 N 页 共 M 页” at the foot of every page. PDF and DOCX bytes are reproducible.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "tests" / "samples_src"
OUT = ROOT / "samples"
FONT_PATH = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
FONT_NAME = "WQYMicroHei"
AUTHOR = "clause-audit samples"
FIXED_TIME = dt.datetime(2024, 1, 1, 0, 0, 0)

PRESENTATION = {
    "gym-membership": "autonumber",
    "driving-school": "table",
    "laundry-notice": "text",
}  # every other source: "plain"

CATEGORIES = frozenset(
    {
        "exempt_personal_injury",
        "exempt_property_damage",
        "exempt_after_sales",
        "exempt_breach",
        "exempt_duties",
        "excessive_penalty",
        "shift_business_risk",
        "restrict_choice",
        "restrict_termination",
        "restrict_claims",
        "restrict_remedies",
        "sole_interpretation",
        "unilateral_change",
        "expiry_forfeiture",
        "prepayment_cap",
        "privacy_overreach",
        "missing_term",
    }
)  # the category codes of DESIGN.md

MARKER = re.compile(r"\s*⟦unfair:([^⟧]*)⟧\s*$")
_CN = "〇零一二三四五六七八九十百"
LABEL = re.compile(
    rf"^(第[{_CN}\d]+[章条]|[{_CN}]+、|[（(][{_CN}\d]+[）)]|\d{{1,2}}(?:\.\d{{1,2}})*(?:[.、]|(?=\s))|附件[{_CN}\d]*[：:]?)"
)
ARTICLE = re.compile(rf"^第([{_CN}]+)条\s*")
CHAPTER = re.compile(rf"^第[{_CN}\d]+章")
TABLE_ROW = re.compile(r"^(\d{1,2}、)(.*)$")
SENTENCE_PUNCT = re.compile(r"[，。；：、,;:（）()]")


@dataclass(frozen=True)
class Line:
    text: str  # as the contract reads, marker removed
    categories: tuple[str, ...]  # planted unfair categories, empty for a fair line
    kind: str  # title | heading | body


@dataclass(frozen=True)
class Sample:
    domain: str
    name: str
    lines: tuple[Line, ...]

    @property
    def title(self) -> str:
        return self.lines[0].text

    @property
    def presentation(self) -> str:
        return PRESENTATION.get(self.name, "plain")


def chinese_counting(n: int) -> str:
    """Word's chineseCounting format for 1–99: 一 … 十, 十一 … 十九, 二十, 二十一 …"""
    digits = "零一二三四五六七八九"
    if not 1 <= n <= 99:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def _kind(text: str, first: bool) -> str:
    if first:
        return "title"
    if CHAPTER.match(text) or text.startswith("附件"):
        return "heading"
    m = LABEL.match(text)
    if m:
        body = text[m.end() :].strip()
        if body and len(body) <= 12 and not SENTENCE_PUNCT.search(body):
            return "heading"  # a short numbered section title: 一、委托事项 / 1. 车辆基本情况
    return "body"


def parse(path: Path) -> Sample:
    raw = path.read_text(encoding="utf-8").splitlines()
    lines: list[Line] = []
    for number, original in enumerate(raw, 1):
        if not original.strip():
            continue
        categories: tuple[str, ...] = ()
        m = MARKER.search(original)
        text = original[: m.start()] if m else original
        if m:
            categories = tuple(c.strip() for c in m.group(1).split(","))
            unknown = [c for c in categories if c not in CATEGORIES]
            if unknown or not categories:
                raise SystemExit(f"{path}:{number}: unknown category {unknown or '(none)'}")
        if "⟦" in text or "⟧" in text:
            raise SystemExit(f"{path}:{number}: malformed marker")
        text = text.strip()
        lines.append(Line(text, categories, _kind(text, not lines)))
    return Sample(path.parent.name, path.stem, tuple(lines))


def load_samples() -> list[Sample]:
    return [parse(p) for p in sorted(SRC.glob("**/*.txt"))]


# ---------------------------------------------------------------------------------------- DOCX


def _normalise_zip(path: Path) -> None:
    """Rewrite a DOCX with fixed member timestamps so regenerating gives identical bytes."""
    with zipfile.ZipFile(path) as z:
        members = [(info.filename, z.read(info)) for info in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def write_docx(sample: Sample, path: Path) -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt, RGBColor
    from docxbuild import DocxBuilder

    b = DocxBuilder()
    article_count = 0
    pending_rows: list[list[str]] = []

    def flush_table() -> None:
        if not pending_rows:
            return
        table = b.table(pending_rows)
        table.autofit = False
        widths = (Mm(18), Mm(142))  # number | text, 160 mm between the 25 mm margins
        for column, width in zip(table.columns, widths, strict=True):
            column.width = width  # w:gridCol, which LibreOffice follows
        for row in table.rows:
            for cell, width in zip(row.cells, widths, strict=True):
                cell.width = width  # w:tcW, which Word follows
        pending_rows.clear()

    for line in sample.lines:
        text = line.text
        if sample.presentation == "table" and line.kind == "body":
            m = TABLE_ROW.match(text)
            if m:
                pending_rows.append([m.group(1), m.group(2).strip()])
                continue
        flush_table()
        if line.kind == "title":
            paragraph = b.paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(text)
            run.bold = True
            run.font.size = Pt(16)
            continue
        if line.kind == "heading" and CHAPTER.match(text):
            paragraph = b.heading(text, level=1)  # a real Heading 1, as many Word contracts use
            for run in paragraph.runs:
                run.bold = True
                run.font.size = Pt(12)
                run.font.color.rgb = RGBColor(0, 0, 0)
            continue
        if sample.presentation == "autonumber" and (m := ARTICLE.match(text)):
            article_count += 1
            if m.group(1) != chinese_counting(article_count):
                raise SystemExit(
                    f"{sample.name}: article {m.group(0).strip()} is not"
                    f" 第{chinese_counting(article_count)}条; automatic numbering would render another label"
                )
            b.paragraph(text[m.end() :], numbered=("article", 0))
            continue
        paragraph = b.paragraph()
        run = paragraph.add_run(text)
        if line.kind == "heading":
            run.bold = True
    flush_table()

    props = b.document.core_properties
    props.title = sample.title
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.comments = "clause-audit sample contract, built by scripts/make_samples.py"
    b.save(path)
    _normalise_zip(path)


# ----------------------------------------------------------------------------------------- PDF


def _register_font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not FONT_PATH.exists():
        print(
            f"error: CJK font {FONT_PATH} not found; install it with: apt-get install fonts-wqy-microhei",
            file=sys.stderr,
        )
        raise SystemExit(2)
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(FONT_PATH), subfontIndex=0))


def write_pdf(sample: Sample, path: Path) -> None:
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    rl_config.invariant = 1
    _register_font()
    body = ParagraphStyle("body", fontName=FONT_NAME, fontSize=10.5, leading=18, wordWrap="CJK")
    heading = ParagraphStyle("heading", parent=body, fontSize=11.5, spaceBefore=6, spaceAfter=2)
    title = ParagraphStyle("title", parent=body, fontSize=16, leading=24, alignment=TA_CENTER, spaceAfter=10)
    cell = ParagraphStyle("cell", parent=body, leading=16)
    width, height = A4
    margin = 22 * mm
    running_title = sample.title

    class PagedCanvas(Canvas):
        """Defers page output so every page can carry the total page count."""

        def __init__(self, *args: object, **kwargs: object) -> None:
            kwargs.setdefault("initialFontName", FONT_NAME)  # pages start in the CJK font
            kwargs.setdefault("initialFontSize", 10.5)
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, object]] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, 1):
                self.__dict__.update(state)
                self.setFont(FONT_NAME, 8)
                self.setFillColor(colors.grey)
                self.drawString(margin, height - 14 * mm, running_title)
                self.line(margin, height - 15.5 * mm, width - margin, height - 15.5 * mm)
                self.drawCentredString(width / 2, 12 * mm, f"第 {number} 页 共 {total} 页")
                super().showPage()
            super().save()

    story: list[object] = []
    rows: list[list[Paragraph]] = []

    def flush_table() -> None:
        if not rows:
            return
        table = Table(rows, colWidths=[16 * mm, width - 2 * margin - 16 * mm])
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 3),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                ]
            )
        )
        story.extend([Spacer(1, 4), table, Spacer(1, 6)])
        rows.clear()

    for line in sample.lines:
        text = escape(line.text)
        if sample.presentation == "table" and line.kind == "body":
            m = TABLE_ROW.match(line.text)
            if m:
                rows.append([Paragraph(escape(m.group(1)), cell), Paragraph(escape(m.group(2).strip()), cell)])
                continue
        flush_table()
        style = {"title": title, "heading": heading}.get(line.kind, body)
        story.append(Paragraph(text, style))
    flush_table()

    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=24 * mm,
        bottomMargin=22 * mm,
        title=sample.title,
        author=AUTHOR,
        subject="clause-audit sample contract",
        creator="clause-audit scripts/make_samples.py",
    )
    doc.build(story, canvasmaker=PagedCanvas)


# --------------------------------------------------------------------------------------- check

_SPACE = re.compile(r"\s+")
_FOOTER = re.compile(r"^第\s*\d+\s*页\s*共\s*\d+\s*页$")


def _squash(text: str) -> str:
    return _SPACE.sub("", text)


def check_pdf(sample: Sample, path: Path) -> list[str]:
    import pdfplumber

    problems: list[str] = []
    parts: list[str] = []
    with pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
        for number, page in enumerate(pdf.pages, 1):
            lines = (page.extract_text() or "").splitlines()
            if not lines or lines[0].strip() != sample.title:
                problems.append(f"page {number}: running header missing")
            else:
                lines = lines[1:]
            if not lines or _squash(lines[-1]) != f"第{number}页共{pages}页":
                problems.append(f"page {number}: footer missing")
            else:
                lines = lines[:-1]
            parts.extend(lines)
    text = _squash("".join(parts))
    position = 0
    for line in sample.lines:
        found = text.find(_squash(line.text), position)
        if found < 0:
            problems.append(f"text not found in order: {line.text[:30]}…")
        else:
            position = found + len(_squash(line.text))
    if position != len(text):
        problems.append(f"extra text after the last line: {text[position:][:40]!r}")
    return problems


def check_docx(sample: Sample, path: Path) -> list[str]:
    """Rebuild the reading text (numbering labels included) and compare it line by line."""
    import docx
    from docx.oxml.ns import qn

    document = docx.Document(str(path))
    seen: list[str] = []
    article = 0
    for block in document.element.body.iterchildren():
        if block.tag == qn("w:p"):
            text = "".join(t.text or "" for t in block.iter(qn("w:t")))
            if block.find(f"{qn('w:pPr')}/{qn('w:numPr')}") is not None:
                article += 1
                text = f"第{chinese_counting(article)}条 {text}"
            if text:
                seen.append(text)
        elif block.tag == qn("w:tbl"):
            for row in block.iter(qn("w:tr")):
                cells = ["".join(t.text or "" for t in tc.iter(qn("w:t"))) for tc in row.iter(qn("w:tc"))]
                seen.append("".join(cells))
    expected = [line.text for line in sample.lines]
    problems = []
    for i, (got, want) in enumerate(zip(seen, expected, strict=False)):
        if got != want:
            at = next(
                (k for k, (a, b) in enumerate(zip(got, want, strict=False)) if a != b),
                min(len(got), len(want)),
            )
            problems.append(f"docx block {i} differs at character {at}: {got[at:][:20]!r} != {want[at:][:20]!r}")
    if len(seen) != len(expected):
        problems.append(f"docx has {len(seen)} text blocks, source has {len(expected)} lines")
    props = document.core_properties
    if props.title != sample.title or props.author != AUTHOR:
        problems.append("core properties title/author not set")
    return problems


# ----------------------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the written files afterwards")
    args = parser.parse_args(argv)

    samples = load_samples()
    if not samples:
        print(f"error: no sources under {SRC}", file=sys.stderr)
        return 2
    if any(s.presentation != "text" for s in samples):
        _register_font()  # fail early, before any output is written
    failures = 0
    for sample in samples:
        folder = OUT / sample.domain
        folder.mkdir(parents=True, exist_ok=True)
        planted = sum(1 for line in sample.lines if line.categories)
        if sample.presentation == "text":
            target = folder / f"{sample.name}.txt"
            target.write_text("".join(line.text + "\n" for line in sample.lines), encoding="utf-8")
            print(f"{target.relative_to(ROOT)}  ({len(sample.lines)} lines, {planted} planted)")
            continue
        docx_path, pdf_path = folder / f"{sample.name}.docx", folder / f"{sample.name}.pdf"
        write_docx(sample, docx_path)
        write_pdf(sample, pdf_path)
        print(f"{docx_path.relative_to(ROOT)}, {pdf_path.name}  ({len(sample.lines)} lines, {planted} planted)")
        if args.check:
            problems = check_docx(sample, docx_path) + check_pdf(sample, pdf_path)
            for problem in problems:
                print(f"  {sample.name}: {problem}", file=sys.stderr)
            failures += bool(problems)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
