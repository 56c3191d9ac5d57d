"""DOCX → Document: body paragraphs and table cells in reading order, with Word's automatic numbers."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles import BabelFish

from clause_audit.errors import InputError
from clause_audit.model import Block, Document, Location
from clause_audit.readers.numbering import Numbering

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# an unzip bomb guard: real contracts are far below this once decompressed
_MAX_UNZIPPED = 256 * 2**20

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _T, _TAB, _PTAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_RPR, _VANISH, _VAL = qn("w:rPr"), qn("w:vanish"), qn("w:val")
_TXBX_CONTENT = qn("w:txbxContent")
_ALTERNATE, _CHOICE, _FALLBACK = f"{{{_MC}}}AlternateContent", f"{{{_MC}}}Choice", f"{{{_MC}}}Fallback"

# Inline elements whose runs a reader sees. w:del, w:moveFrom (deleted text), w:instrText (field
# codes) and drawings are absent on purpose; text boxes become blocks of their own.
_TEXT_CONTAINERS = frozenset(
    qn(tag)
    for tag in (
        "w:r",
        "w:ins",
        "w:moveTo",
        "w:hyperlink",
        "w:smartTag",
        "w:fldSimple",
        "w:customXml",
        "w:sdt",
        "w:sdtContent",
        "w:dir",
        "w:bdo",
    )
)
_BLOCK_WRAPPERS = frozenset((_SDT, _SDT_CONTENT, _CUSTOM_XML))

Cell = tuple[int, int, int]


def read_docx(data: bytes, source: str) -> Document:
    """Read a .docx file's body.

    Raises InputError (corrupt_file, encrypted, too_large, unsupported_format) and nothing else.
    """
    document = _open(data)
    try:
        reader = _BodyReader(document)
        reader.walk(document.element.body, None)
    except Exception as exc:
        raise InputError("corrupt_file", f"无法解析文档内容（{type(exc).__name__}）") from exc
    return Document(source=source, format="docx", blocks=tuple(reader.blocks))


def text_pieces(p: BaseOxmlElement) -> list[tuple[BaseOxmlElement, str]]:
    """The visible text of paragraph `p` as (w:t / w:tab / w:br … element, its text) in order.

    Joining the texts gives `paragraph_text(p)`; the element's parent w:r locates an offset in a run.
    """
    out: list[tuple[BaseOxmlElement, str]] = []
    _collect(p, out)
    return out


def paragraph_text(p: BaseOxmlElement) -> str:
    """What a reader sees of paragraph `p`, without its automatic number."""
    return "".join(text for _, text in text_pieces(p))


def _collect(el: BaseOxmlElement, out: list[tuple[BaseOxmlElement, str]]) -> None:
    for child in el:
        tag = child.tag
        if tag == _T:
            out.append((child, child.text or ""))
        elif tag in _TEXT_CONTAINERS:
            if tag != _R or not _hidden(child):
                _collect(child, out)
        elif tag in (_TAB, _PTAB):
            out.append((child, "\t"))
        elif tag in (_BR, _CR):
            out.append((child, "\n"))
        elif tag == _NO_BREAK_HYPHEN:
            out.append((child, "-"))


def _hidden(run: BaseOxmlElement) -> bool:
    rpr = run.find(_RPR)
    vanish = None if rpr is None else rpr.find(_VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in ("0", "false", "off")


def _open(data: bytes) -> DocxDocument:
    if data[:8] == _OLE_MAGIC:
        # a password-protected .docx is an OLE file holding an EncryptedPackage stream; a legacy
        # .doc is an OLE file too, with a WordDocument stream, and must not be called encrypted
        if "WordDocument".encode("utf-16-le") in data and "EncryptedPackage".encode("utf-16-le") not in data:
            raise InputError("unsupported_format", "Word 97-2003（.doc）格式，请另存为 .docx")
        raise InputError("encrypted", "请先在 Word 中取消密码保护")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except Exception as exc:
        raise InputError("corrupt_file", "不是有效的 DOCX（ZIP）文件") from exc
    if sum(m.file_size for m in members) > _MAX_UNZIPPED:
        raise InputError("too_large", "解压后超过 256 MB")
    if "word/document.xml" not in {m.filename for m in members}:
        raise InputError("corrupt_file", "缺少 word/document.xml")
    try:
        return docx.Document(io.BytesIO(data))
    except Exception as exc:
        raise InputError("corrupt_file", f"python-docx 无法打开（{type(exc).__name__}）") from exc


def _related(document: DocxDocument, reltype: str) -> BaseOxmlElement | None:
    try:
        return document.part.part_related_by(reltype).element  # type: ignore[attr-defined]
    except (KeyError, ValueError, AttributeError):
        return None


def _style_names(styles: BaseOxmlElement | None) -> tuple[dict[str, str], str]:
    """Paragraph style id -> UI name as python-docx gives it ("Heading 1"); the default style's name."""
    names: dict[str, str] = {}
    default = ""
    for style in [] if styles is None else styles.iterchildren(qn("w:style")):
        if style.get(qn("w:type"), "paragraph") != "paragraph":
            continue
        name_el = style.find(qn("w:name"))
        name = BabelFish.internal2ui(name_el.get(_VAL, "")) if name_el is not None else ""
        style_id = style.get(qn("w:styleId"))
        if style_id is not None:
            names[style_id] = name
        if style.get(qn("w:default")) in ("1", "true", "on"):
            default = name
    return names, default


def _children(el: BaseOxmlElement, tag: str) -> Iterator[BaseOxmlElement]:
    """Children of `el` with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in _BLOCK_WRAPPERS:
            yield from _children(child, tag)


def _text_boxes(p: BaseOxmlElement) -> Iterator[BaseOxmlElement]:
    """Text boxes anchored in `p` itself, skipping the VML fallback copy Word writes of each."""
    for box in p.iter(_TXBX_CONTENT):
        parent = box.getparent()
        while parent is not None and parent is not p and parent.tag not in (_P, _FALLBACK):
            parent = parent.getparent()
        if parent is p:
            yield box


class _BodyReader:
    def __init__(self, document: DocxDocument) -> None:
        body = document.element.body
        self._paragraphs = {p: i for i, p in enumerate(body.iter(_P))}
        self._tables = {t: i for i, t in enumerate(body.iter(_TBL))}
        styles = _related(document, RT.STYLES)
        self._style_names, self._default_style = _style_names(styles)
        self._numbering = Numbering(_related(document, RT.NUMBERING), styles)
        self.blocks: list[Block] = []

    def walk(self, container: BaseOxmlElement, cell: Cell | None) -> None:
        for child in container:
            tag = child.tag
            if tag == _P:
                self._paragraph(child, cell)
            elif tag == _TBL:
                self._table(child)
            elif tag in _BLOCK_WRAPPERS:
                self.walk(child, cell)
            elif tag == _ALTERNATE:
                choice = child.find(_CHOICE)
                if choice is not None:
                    self.walk(choice, cell)

    def _paragraph(self, p: BaseOxmlElement, cell: Cell | None) -> None:
        label = self._numbering.label(p)  # counted even when the paragraph is empty, as Word does
        text = paragraph_text(p)
        if text.strip():
            table, row, col = cell if cell is not None else (None, None, None)
            location = Location(paragraph=self._paragraphs[p], table=table, row=row, cell=col)
            self.blocks.append(Block(text=text, location=location, label=label, style=self._style(p)))
        for box in _text_boxes(p):
            self.walk(box, cell)

    def _style(self, p: BaseOxmlElement) -> str:
        ppr = p.pPr
        style_id = None if ppr is None else ppr.style
        if style_id is None or style_id not in self._style_names:
            return self._default_style
        return self._style_names[style_id]

    def _table(self, tbl: BaseOxmlElement) -> None:
        index = self._tables[tbl]
        for r, tr in enumerate(_children(tbl, _TR)):
            for c, tc in enumerate(_children(tr, _TC)):
                self.walk(tc, (index, r, c))
