"""Annotated DOCX: a copy of the original with every finding as a Word comment on the quoted characters."""

from __future__ import annotations

import copy
import io
from collections.abc import Sequence

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_COLOR_INDEX
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.run import Run

from clause_audit.model import Document, Finding, Report
from clause_audit.readers.docx import text_pieces
from clause_audit.render.annotation import AUTHOR, INITIALS, anchors, document_note_lines, note_lines

_P, _R, _T, _RPR = qn("w:p"), qn("w:r"), qn("w:t"), qn("w:rPr")
_ONE_CHARACTER = frozenset(qn(tag) for tag in ("w:tab", "w:ptab", "w:br", "w:cr", "w:noBreakHyphen"))
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"

Span = tuple[BaseOxmlElement, int, int]  # a w:p and a range of its visible text


def annotate_docx(original: bytes, document: Document, report: Report) -> bytes:
    """The original DOCX with one comment per finding, anchored on (and highlighting) the quoted text.

    `document` is what readers.docx read from `original` and `report` its audit. Document-level
    findings (missing terms), and any quote that cannot be placed, share one comment on the first
    non-empty paragraph. `original` itself is left untouched.
    """
    word = docx.Document(io.BytesIO(original))
    paragraphs = list(word.element.body.iter(_P))  # the ordinals of Location.paragraph

    placed: list[tuple[Finding, list[Span]]] = []
    unplaced: list[Finding] = []
    for finding in report.findings:
        spans = _spans(finding, report, document, paragraphs)
        if spans:
            placed.append((finding, spans))
        else:
            unplaced.append(finding)

    # Split every run first: splitting next to a comment's range markers after they are placed
    # would pull the new half-run into that comment's range.
    for _, spans in placed:
        for p, start, end in spans:
            _split_at(p, start)
            _split_at(p, end)

    for finding, spans in placed:
        # a quote over two blocks: the comment on its first part, the highlight on every part
        for p, start, end in spans:
            _highlight(_runs_between(p, start, end))
        p, start, end = spans[0]
        if not _comment(word, _runs_between(p, start, end), note_lines(finding)):
            unplaced.append(finding)

    if unplaced:
        title = _title_span(document, paragraphs)
        if title is not None:
            _comment(word, _runs_between(*title), document_note_lines(unplaced))

    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def _spans(finding: Finding, report: Report, document: Document, paragraphs: list[BaseOxmlElement]) -> list[Span]:
    spans = []
    for anchor in anchors(finding, report, document):
        block = document.blocks[anchor.block]
        ordinal = block.location.paragraph
        if ordinal is None or not 0 <= ordinal < len(paragraphs):
            continue
        p = paragraphs[ordinal]
        if _text(p) != block.text:  # not the document this report was made from
            continue
        spans.append((p, anchor.start, anchor.end))
    return spans


def _title_span(document: Document, paragraphs: list[BaseOxmlElement]) -> Span | None:
    for block in document.blocks:
        ordinal = block.location.paragraph
        if ordinal is not None and 0 <= ordinal < len(paragraphs):
            p = paragraphs[ordinal]
            text = _text(p)
            if text.strip():
                return p, 0, len(text)
    return None


def _text(p: BaseOxmlElement) -> str:
    return "".join(text for _, text in text_pieces(p))


def _run_ranges(p: BaseOxmlElement) -> list[tuple[BaseOxmlElement, int, int]]:
    """Each run holding visible text of `p`, with the range of the paragraph text it holds."""
    out: list[tuple[BaseOxmlElement, int, int]] = []
    pos = 0
    for el, text in text_pieces(p):
        run = el.getparent()
        if out and out[-1][0] is run:
            out[-1] = (run, out[-1][1], pos + len(text))
        else:
            out.append((run, pos, pos + len(text)))
        pos += len(text)
    return out


def _split_at(p: BaseOxmlElement, offset: int) -> None:
    """Make `offset` of the paragraph text fall on a run boundary."""
    for run, start, end in _run_ranges(p):
        if start < offset < end and run.tag == _R:
            _split_run(run, offset - start)
            return


def _split_run(run: BaseOxmlElement, k: int) -> None:
    """Split w:r after `k` characters of its text into two runs with the same properties."""
    right = copy.deepcopy(run)
    run.addnext(right)
    pos = 0
    for left_child, right_child in zip(list(run), list(right), strict=True):
        if left_child.tag == _RPR:
            continue
        width = _width(left_child)
        if pos + width <= k:  # wholly before the cut (zero-width marks at the cut stay left)
            right.remove(right_child)
        elif pos >= k:
            run.remove(left_child)
        else:  # a w:t the cut goes through
            text = left_child.text or ""
            left_child.text, right_child.text = text[: k - pos], text[k - pos :]
            left_child.set(_XML_SPACE, "preserve")
            right_child.set(_XML_SPACE, "preserve")
        pos += width


def _width(child: BaseOxmlElement) -> int:
    """How many characters of the paragraph text a child of w:r stands for, counted as readers.docx does."""
    if child.tag == _T:
        return len(child.text or "")
    return 1 if child.tag in _ONE_CHARACTER else 0


def _runs_between(p: BaseOxmlElement, start: int, end: int) -> list[BaseOxmlElement]:
    return [run for run, s, e in _run_ranges(p) if start <= s and e <= end and s < e and run.tag == _R]


def _highlight(runs: Sequence[BaseOxmlElement]) -> None:
    for run in runs:
        Run(run, None).font.highlight_color = WD_COLOR_INDEX.YELLOW  # type: ignore[arg-type]


def _comment(word: DocxDocument, runs: Sequence[BaseOxmlElement], lines: list[str]) -> bool:
    """Anchor a comment on `runs`; False when there are none to anchor on."""
    if not runs:
        return False
    first, *rest = lines
    comment = word.add_comment([Run(r, None) for r in runs], text=first, author=AUTHOR, initials=INITIALS)  # type: ignore[arg-type]
    for line in rest:
        comment.add_paragraph(line)
    return True
