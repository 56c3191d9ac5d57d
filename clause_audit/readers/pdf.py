"""PDF → Document: pdfplumber characters joined into paragraphs and table cells, each with its glyph box."""

from __future__ import annotations

import contextlib
import io
import re
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from operator import itemgetter
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError
from pdfplumber.page import Page
from pdfplumber.utils.exceptions import PdfminerException

from clause_audit.errors import InputError
from clause_audit.labels import match_label
from clause_audit.limits import ENV, Limits, check_time, current_limits
from clause_audit.model import Block, CharBox, Document, Location, Notice
from clause_audit.readers import pdfstreams
from clause_audit.readers.quality import CODE as QUALITY_CODE
from clause_audit.readers.quality import assess_page, is_garbage

pdfstreams.install()

Char = dict[str, Any]
Box = CharBox | None
CellChars = tuple[int, int, list[Char]]  # row, column, the characters inside
ToUser = Callable[[float, float, float, float], tuple[float, float, float, float]]

# Share of the page height at the top and at the bottom where running headers and footers live.
BAND = 0.12
# Sentence-final punctuation; closing quotes and brackets after it are skipped when looking for it.
SENTENCE_END = frozenset("。；！？：;:!?.")
CLOSERS = "”’」』）)】》〉]\"'"
OPENERS = "“‘「『（(【《〈[\"'"
PAGE_NUMBER = re.compile(
    r"[-—–~·•\s]*\d+[-—–~·•\s]*"
    r"|第\s*[\d一二三四五六七八九十百]+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?"
    r"|共\s*\d+\s*页\s*[,，/]?\s*第\s*\d+\s*页"
    r"|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?"
    r"|\d+\s*/\s*\d+",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d+")


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return (
        0x2E80 <= o <= 0x9FFF  # radicals, CJK punctuation, kana, ideographs
        or 0xAC00 <= o <= 0xD7AF
        or 0xF900 <= o <= 0xFAFF
        or 0xFE10 <= o <= 0xFE4F  # vertical and compatibility forms
        or 0xFF00 <= o <= 0xFFEF  # full-width forms
        or 0x20000 <= o <= 0x3FFFF
    )


def _is_word(ch: str) -> bool:
    return ch.isalnum() and not _is_cjk(ch)


def _needs_space(left: str, right: str) -> bool:
    """Whether a line break (or a gap) between these two characters stands for a space."""
    return (_is_word(left) or left in ",.;:!?)%") and (_is_word(right) or right == "(")


# ---------------------------------------------------------------- lines


@dataclass(slots=True)
class _Line:
    text: str
    boxes: list[Box]
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int = 0
    lead: float = 0.0  # width of a Latin/digit token opening the line, which cannot be split

    def ends_sentence(self) -> bool:
        stripped = self.text.rstrip(CLOSERS)
        return bool(stripped) and stripped[-1] in SENTENCE_END


@dataclass(slots=True)
class _Cell:
    row: int
    col: int
    text: str
    boxes: list[Box]


@dataclass(slots=True)
class _Table:
    top: float
    cells: list[_Cell]


@dataclass(slots=True)
class _Page:
    number: int
    width: float
    height: float
    lines: list[_Line] = field(default_factory=list)
    tables: list[_Table] = field(default_factory=list)
    scanned: bool = False  # images but no text
    sideways: bool = False  # most glyphs rotated off the horizontal: not read
    failed: bool = False


def _group_lines(chars: Iterable[Char]) -> list[list[Char]]:
    """Characters into visual lines (top to bottom), each sorted left to right."""
    lines: list[list[Char]] = []
    current: list[Char] = []
    band_top = band_bottom = 0.0
    for c in sorted(chars, key=itemgetter("top")):
        top, bottom = c["top"], c["bottom"]
        if current:
            overlap = min(band_bottom, bottom) - max(band_top, top)
            if overlap > 0 and overlap >= 0.5 * min(band_bottom - band_top, bottom - top):
                current.append(c)
                band_bottom = max(band_bottom, bottom)
                continue
            lines.append(current)
        current, band_top, band_bottom = [c], top, bottom
    if current:
        lines.append(current)
    for line in lines:
        line.sort(key=itemgetter("x0"))
    return lines


def _build_line(chars: list[Char], page: int, to_user: ToUser) -> _Line | None:
    """One visual line's text. Space glyphs are kept; a gap without one becomes a space only between
    Latin words (or, as a field separator, when it is very wide), never in letter-spaced Chinese."""
    glyphs: list[Char] = []
    spaces: list[list[Char]] = []  # the space glyphs drawn before each glyph
    pending: list[Char] = []
    for c in chars:
        t = c["text"]
        last = pending[-1] if pending else glyphs[-1] if glyphs else None
        if last is not None and _same_glyph(last, c):
            continue
        if t.isspace() and t != "\u3000":
            if glyphs:
                pending.append(c)
            continue
        glyphs.append(c)
        spaces.append(pending)
        pending = []
    if not glyphs:
        return None

    size = median(g["size"] for g in glyphs)
    gaps = [b["x0"] - a["x1"] for a, b in zip(glyphs, glyphs[1:], strict=False)]
    typical = max(0.0, median(gaps)) if gaps else 0.0
    word_gap = typical + 0.2 * size
    # Form layouts ("甲方：      乙方：") leave wide gaps that stand for a field separator.
    wide_gap = max(2 * size, typical + 1.5 * size)

    text: list[str] = []
    boxes: list[Box] = []
    prev: Char | None = None
    for g, drawn in zip(glyphs, spaces, strict=True):
        t = g["text"]
        if drawn:
            for space in drawn:
                text.append(space["text"])
                boxes.extend([_box(space, page, to_user)] * len(space["text"]))
        elif prev is not None:
            gap = g["x0"] - prev["x1"]
            cjk = _is_cjk(prev["text"][-1]) or _is_cjk(t[0])
            if gap > (wide_gap if cjk else word_gap):
                text.append(" ")
                boxes.append(None)
        box = _box(g, page, to_user)
        text.append(t)
        boxes.extend([box] * len(t))
        prev = g
    return _Line(
        text="".join(text),
        boxes=boxes,
        x0=min(g["x0"] for g in glyphs),
        x1=max(g["x1"] for g in glyphs),
        top=min(g["top"] for g in glyphs),
        bottom=max(g["bottom"] for g in glyphs),
        size=size,
        page=page,
        lead=_lead_width(glyphs, spaces),
    )


def _same_glyph(a: Char, b: Char) -> bool:
    # Fake bold: the same glyph printed twice a fraction of a point apart.
    tol = 0.2 * b["size"]
    return a["text"] == b["text"] and abs(a["x0"] - b["x0"]) < tol and abs(a["top"] - b["top"]) < tol


def _lead_width(glyphs: list[Char], spaces: list[list[Char]]) -> float:
    start = 0
    while start < len(glyphs) and glyphs[start]["text"] in OPENERS:
        start += 1
    end = start
    while end < len(glyphs) and not _is_cjk(glyphs[end]["text"][0]) and (end == start or not spaces[end]):
        end += 1
    return glyphs[end - 1]["x1"] - glyphs[start]["x0"] if end > start else 0.0


def _box(c: Char, page: int, to_user: ToUser) -> CharBox:
    x0, y0, x1, y1 = to_user(c["x0"], c["y0"], c["x1"], c["y1"])
    return CharBox(page, x0, y0, x1, y1)


def _user_space(page: Page) -> ToUser:
    """Map pdfplumber's x0/y0/x1/y1 back to the page's own user space.

    pdfminer moves the MediaBox origin to (0, 0) and applies the page's /Rotate; pdfplumber adds
    its MediaBox left edge back to x only. Undo both so boxes can be written into the PDF as is.
    """
    mx0, my0, mx1, my1 = (float(v) for v in page.page_obj.mediabox)
    rotate = page.page_obj.rotate
    shift = float(page.mediabox[0])

    def point(x: float, y: float) -> tuple[float, float]:
        x -= shift
        if rotate == 90:
            return mx1 - y, x + my0
        if rotate == 180:
            return mx1 - x, my1 - y
        if rotate == 270:
            return y + mx0, my1 - x
        return x + mx0, y + my0

    if rotate not in (90, 180, 270) and mx0 == 0 and my0 == 0 and shift == 0:
        return lambda x0, y0, x1, y1: (x0, y0, x1, y1)

    def to_user(x0: float, y0: float, x1: float, y1: float) -> tuple[float, float, float, float]:
        ax, ay = point(x0, y0)
        bx, by = point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    return to_user


def _horizontal(c: Char) -> bool:
    # Watermarks and side notes are drawn rotated; their glyphs would interleave with the body lines.
    a, b, _, d, _, _ = c["matrix"]
    return a > 0 and d > 0 and abs(b) <= 0.05 * a


# ---------------------------------------------------------------- tables


@dataclass(slots=True)
class _Grid:
    """A ruled table as pdfplumber found it: its bounding box and its rows of cell boxes."""

    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom
    rows: list[list[tuple[float, float, float, float] | None]]


def _find_grids(page: Page) -> list[_Grid]:
    if not (page.rects or page.lines or page.curves):
        return []
    # A single ruled box around a notice is a frame, not a table: its text stays in the flow.
    grids = [_Grid(t.bbox, [row.cells for row in t.rows]) for t in page.find_tables() if len(t.cells) > 1]
    return sorted(grids, key=lambda g: g.bbox[1])


def _mid_y(c: Char) -> float:
    return (c["top"] + c["bottom"]) / 2


def _split_tables(grids: list[_Grid], chars: list[Char]) -> tuple[list[list[CellChars]], list[Char]]:
    """Each table's characters per cell (row, column, chars), and the characters left for the line flow."""
    if not grids:
        return [], chars
    inside: list[list[Char]] = [[] for _ in grids]
    flow: list[Char] = []
    for c in chars:
        cx, cy = (c["x0"] + c["x1"]) / 2, _mid_y(c)
        for i, grid in enumerate(grids):
            x0, top, x1, bottom = grid.bbox
            if x0 <= cx <= x1 and top <= cy <= bottom:
                inside[i].append(c)
                break
        else:
            flow.append(c)

    tables: list[list[CellChars]] = []
    for grid, tchars in zip(grids, inside, strict=True):
        tchars.sort(key=_mid_y)
        mids = [_mid_y(c) for c in tchars]
        taken = [False] * len(tchars)
        cells: list[CellChars] = []
        for r, row in enumerate(grid.rows):
            for k, bbox in enumerate(row):
                if bbox is None:
                    continue
                x0, top, x1, bottom = bbox
                mine = []
                for j in range(bisect_left(mids, top), bisect_right(mids, bottom)):
                    c = tchars[j]
                    if not taken[j] and x0 <= (c["x0"] + c["x1"]) / 2 <= x1:
                        taken[j] = True
                        mine.append(c)
                cells.append((r, k, mine))
        flow.extend(c for c, t in zip(tchars, taken, strict=True) if not t)
        tables.append(cells)
    return tables, flow


# ---------------------------------------------------------------- pages


def _extract_page(page: Page) -> _Page:
    """Pass 1: the page's lines and table cells as plain values; pdfplumber's objects are released."""
    number = page.page_number
    out = _Page(number=number, width=float(page.width), height=float(page.height))
    try:
        raw = page.chars
        grids = _find_grids(page)
        has_images = bool(page.images)
        to_user = _user_space(page)
    except (MemoryError, InputError):
        raise
    except PdfminerException as e:  # pdfplumber wraps what pdfminer raised, our own limits included
        if e.args and isinstance(e.args[0], InputError):
            raise e.args[0] from None
        out.failed = True
        return out
    except Exception:  # pdfminer raises almost anything on a damaged content stream
        out.failed = True
        return out
    finally:
        page.close()

    visible = [c for c in raw if c["text"] and not c["text"].isspace()]
    chars = [c for c in raw if c["text"] and _horizontal(c)]
    out.scanned = not visible and has_images
    out.sideways = len(visible) > 2 * sum(1 for c in chars if not c["text"].isspace())
    tables, flow = _split_tables(grids, chars)
    out.lines = [line for cs in _group_lines(flow) if (line := _build_line(cs, number, to_user)) is not None]
    for grid, cells in zip(grids, tables, strict=True):
        table = _Table(top=grid.bbox[1], cells=[])
        for r, k, cs in cells:
            text, boxes = _join_lines(
                [line for group in _group_lines(cs) if (line := _build_line(group, number, to_user))]
            )
            if text:
                table.cells.append(_Cell(r, k, text, boxes))
        if table.cells:
            out.tables.append(table)
    return out


def _join_lines(lines: list[_Line]) -> tuple[str, list[Box]]:
    text: list[str] = []
    boxes: list[Box] = []
    for line in lines:
        if text and _needs_space(text[-1][-1], line.text[0]):
            text.append(" ")
            boxes.append(None)
        text.append(line.text)
        boxes.extend(line.boxes)
    return "".join(text), boxes


def _is_page_number(text: str) -> bool:
    return PAGE_NUMBER.fullmatch(text.strip()) is not None


def _drop_running_lines(pages: list[_Page]) -> None:
    """Remove page numbers and headers/footers that repeat (digits aside) on most pages."""

    def band(page: _Page, line: _Line) -> str | None:
        if line.bottom <= page.height * BAND:
            return "top"
        if line.top >= page.height * (1 - BAND):
            return "bottom"
        return None

    def key(zone: str, line: _Line) -> tuple[str, str]:
        return zone, _DIGITS.sub("#", "".join(line.text.split()))

    tops: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    for page in pages:
        for line in page.lines:
            zone = band(page, line)
            if zone is not None:
                tops[key(zone, line)].setdefault(page.number, line.top)
    with_text = sum(1 for p in pages if p.lines)
    running = {k: median(v.values()) for k, v in tops.items() if len(v) >= 2 and 2 * len(v) > with_text}
    for page in pages:
        kept = []
        for line in page.lines:
            zone = band(page, line)
            if zone is not None:
                if _is_page_number(line.text):
                    continue
                where = running.get(key(zone, line))
                # Same text at the same height: the first page's title is not the running header.
                if where is not None and abs(line.top - where) <= max(3.0, 0.5 * line.size):
                    continue
            kept.append(line)
        page.lines = kept


# ---------------------------------------------------------------- paragraphs


@dataclass(slots=True)
class _Column:
    left: float
    right: float
    pitch: float | None  # the normal distance from one line's top to the next line's top


def _pitch(lines: list[_Line]) -> float | None:
    """The normal distance from one line's top to the next line's top."""
    pitches = sorted(b.top - a.top for a, b in zip(lines, lines[1:], strict=False) if 0 < b.top - a.top <= 3 * a.size)
    # The lower quartile: paragraph spacing makes some pitches larger, never smaller.
    return pitches[len(pitches) // 4] if len(pitches) >= 3 else None


def _dense_edge(values: list[float], em: float) -> float:
    """The first of `values` that two others come within an em of: an edge lines share."""
    for i in range(len(values) - 2):
        if abs(values[i] - values[i + 2]) <= em:
            return values[i]
    return values[0]


def _columns(pages: list[_Page]) -> dict[int, _Column]:
    """Each page's text column. Its edges come from every page of the same width, since one page
    (a signature page, a page that is mostly table) may have no full line at all."""
    by_width: dict[int, list[_Line]] = defaultdict(list)
    for page in pages:
        by_width[round(page.width)] += page.lines
    edges = {}
    for width, lines in by_width.items():
        if lines:
            em = median(line.size for line in lines)
            left = _dense_edge(sorted(line.x0 for line in lines), em)
            # Few lines may reach the right edge (a form, a page of short items), so no density test.
            right = max(line.x1 for line in lines)
            edges[width] = (left, right)
    everything = [line for page in pages for line in page.lines]
    document_pitch = _pitch(everything)
    columns = {}
    for page in pages:
        if page.lines:
            left, right = edges[round(page.width)]
            pitch = _pitch(page.lines)
            columns[page.number] = _Column(left, right, pitch if pitch is not None else document_pitch)
    return columns


def _continues(prev: _Line, prev_col: _Column, line: _Line, col: _Column) -> bool:
    """Whether `line` carries on the paragraph whose last line so far is `prev`."""
    if match_label(line.text) is not None:
        return False
    if abs(line.size - prev.size) > 0.15 * max(line.size, prev.size):
        return False
    em = prev.size
    short = prev_col.right - prev.x1
    # Flowing Chinese text fills its line to within a character or two of the edge, unless the
    # next line opens with a Latin token (a number, a URL) too wide for the space left.
    if short > max(2.5 * em, line.lead + em):
        return False
    if prev.ends_sentence():
        if short > 1.5 * em:
            return False
        if line.x0 - col.left > 1.5 * em:  # first-line indent of a new paragraph
            return False
    if line.page == prev.page:
        pitch = line.top - prev.top
        normal = col.pitch if col.pitch is not None else 1.6 * em
        if pitch > 1.3 * normal:
            return False
    elif line.page != prev.page + 1:
        return False
    return True


@dataclass
class _Paragraph:
    lines: list[_Line]
    col: _Column
    location: Location


def _blocks(pages: list[_Page]) -> Iterator[Block]:
    """Pass 2: lines into paragraphs (across page breaks too) and cells into blocks, in reading order."""
    open_para: _Paragraph | None = None
    table_ordinal = 0
    columns = _columns(pages)

    def close() -> Iterator[Block]:
        nonlocal open_para
        if open_para is not None:
            text, boxes = _join_lines(open_para.lines)
            yield Block(text=text, location=open_para.location, boxes=tuple(boxes))
            open_para = None

    for page in pages:
        items: list[tuple[float, int, _Line | _Table]] = [(t.top, 1, t) for t in page.tables]
        items += [(line.top, 0, line) for line in page.lines]
        items.sort(key=itemgetter(0, 1))
        line_no = 0
        for _, _, item in items:
            if isinstance(item, _Table):
                yield from close()
                for cell in item.cells:
                    location = Location(page=page.number, table=table_ordinal, row=cell.row, cell=cell.col)
                    yield Block(text=cell.text, location=location, boxes=tuple(cell.boxes))
                table_ordinal += 1
                continue
            line_no += 1
            col = columns[page.number]
            if open_para is not None and _continues(open_para.lines[-1], open_para.col, item, col):
                open_para.lines.append(item)
                open_para.col = col
                continue
            yield from close()
            open_para = _Paragraph([item], col, Location(page=page.number, line=line_no))
    yield from close()


# ---------------------------------------------------------------- reader


def _page_notices(page: _Page) -> list[Notice]:
    where = f"第{page.number}页"
    if page.failed:
        return [Notice(QUALITY_CODE, "error", f"{where}无法解析，该页内容未能审查", page.number)]
    notices = []
    if page.sideways:
        message = f"{where}的文字是旋转排列的，未能读取，该页内容未能审查"
        notices.append(Notice(QUALITY_CODE, "warning", message, page.number))
    if page.scanned:
        message = f"{where}没有文字层（可能是扫描页），该页内容未能审查"
        notices.append(Notice("no_text_layer", "warning", message, page.number))
    text = "\n".join([line.text for line in page.lines] + [c.text for t in page.tables for c in t.cells])
    if text:
        notices += assess_page(text, page.number)
    return notices


def _open(data: bytes) -> pdfplumber.PDF:
    """pdfplumber on the bytes (with the empty password, which opens owner-password-only files)."""
    try:
        return pdfplumber.open(io.BytesIO(data), password="")
    except PdfminerException as e:
        if e.args and isinstance(e.args[0], PDFEncryptionError):
            raise InputError("encrypted", "需要密码才能打开") from e
        raise InputError("corrupt_file", "无法解析 PDF 结构") from e
    except RecursionError as e:
        raise InputError("corrupt_file", "PDF 对象嵌套过深") from e
    except Exception as e:
        raise InputError("corrupt_file", "无法解析 PDF 结构") from e


def _page_count(pdf: pdfplumber.PDF, limits: Limits) -> None:
    """Count the page tree up to the limit before any page is parsed (too_many_pages)."""
    from pdfminer.pdfpage import PDFPage

    count = 0
    try:
        for _ in PDFPage.create_pages(pdf.doc):
            count += 1
            if count > limits.max_pages:
                detail = f"超过 {limits.max_pages} 页（{ENV['max_pages']}）"
                raise InputError("too_many_pages", detail)
    except InputError:
        raise
    except RecursionError as e:
        raise InputError("corrupt_file", "PDF 页面树嵌套过深") from e
    except Exception as e:
        raise InputError("corrupt_file", "无法解析 PDF 页面树") from e


def _read_pages(data: bytes, limits: Limits) -> list[_Page]:
    pdf = _open(data)
    try:
        _page_count(pdf, limits)
        try:
            plumber_pages = pdf.pages
        except Exception as e:
            raise InputError("corrupt_file", "无法解析 PDF 页面") from e
        pages = []
        for page in plumber_pages:
            check_time()
            pages.append(_extract_page(page))
    finally:
        # not `with pdf`: close() walks the page tree again, and on a damaged one its error would
        # replace ours
        with contextlib.suppress(Exception):
            pdf.close()
    if not pages or all(p.failed for p in pages):
        raise InputError("corrupt_file", "所有页面都无法解析")
    return pages


def read_pdf(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read a PDF's text layer into paragraph and table-cell blocks, with a glyph box per character.

    Raises InputError: corrupt_file, encrypted, no_text_layer, extraction_failed, too_many_pages, timeout.
    """
    limits = limits or current_limits()
    # A damaged cross-reference table is no obstacle: pdfminer then finds the objects by scanning.
    with pdfstreams.stream_limit(limits.max_unzipped_bytes):
        pages = _read_pages(data, limits)

    _drop_running_lines(pages)
    notices: list[Notice] = []
    readable = 0
    for page in pages:
        page_notices = _page_notices(page)
        notices += page_notices
        readable += bool(page.lines or page.tables) and not is_garbage(page_notices)

    if not any(p.lines or p.tables for p in pages):
        if any(p.sideways for p in pages):
            raise InputError("extraction_failed", "页面上的文字是旋转排列的")
        raise InputError("no_text_layer")
    if readable == 0:
        first = next(n for n in notices if n.level == "error")
        raise InputError("extraction_failed", first.message)

    blocks = tuple(_blocks(pages))
    for block in blocks:
        assert len(block.boxes) == len(block.text)
    return Document(source=source, format="pdf", blocks=blocks, notices=tuple(notices), pages=len(pages))
