"""DOCX → Document: body paragraphs and table cells in reading order, with Word's automatic numbers."""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.styles import BabelFish
from lxml import etree

from clause_audit.errors import InputError
from clause_audit.limits import ENV, ZIP_RATIO_FLOOR, Limits, check_time, current_limits
from clause_audit.model import Block, Document, Location
from clause_audit.readers.numbering import Numbering, child_value, first_child

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Word never writes a DTD; one in a part is a crafted file (entity expansion, external entities).
_DTD = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_XML_HEAD = 64 * 1024  # a DTD must come before the root element: the head of a part is enough
_MAX_MEMBERS = 20_000  # Word writes a few dozen parts, plus one per image
# XML elements per paragraph allowed on average (runs, properties, bookmarks…): Word writes 5–15
_ELEMENTS_PER_PARAGRAPH = 20

_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_RELATIONSHIP = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True)
_DOCUMENT, _BODY = qn("w:document"), qn("w:body")
_P, _TBL, _TR, _TC = qn("w:p"), qn("w:tbl"), qn("w:tr"), qn("w:tc")
_R, _T, _TAB, _PTAB, _BR, _CR = qn("w:r"), qn("w:t"), qn("w:tab"), qn("w:ptab"), qn("w:br"), qn("w:cr")
_NO_BREAK_HYPHEN = qn("w:noBreakHyphen")
_SDT, _SDT_CONTENT, _CUSTOM_XML = qn("w:sdt"), qn("w:sdtContent"), qn("w:customXml")
_PPR, _RPR, _VANISH, _VAL = qn("w:pPr"), qn("w:rPr"), qn("w:vanish"), qn("w:val")
_PSTYLE = qn("w:pStyle")
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


def read_docx(data: bytes, source: str, limits: Limits | None = None) -> Document:
    """Read a .docx file's body.

    Raises InputError (corrupt_file, encrypted, too_large, zip_bomb, too_complex, timeout,
    unsupported_format) and nothing else.
    """
    limits = limits or current_limits()
    parts = _open(data, limits)
    try:
        body = parts.document.find(_BODY)
        _check_complexity(body, limits)
        reader = _BodyReader(body, parts.styles, parts.numbering)
        reader.walk(body, None)
    except InputError:
        raise
    except MemoryError:
        raise InputError("too_complex", "内存不足以读取该文档") from None
    except Exception as exc:
        raise InputError("corrupt_file", "无法解析文档内容") from exc
    return Document(source=source, format="docx", blocks=tuple(reader.blocks))


def _check_complexity(body: BaseOxmlElement, limits: Limits) -> None:
    """Refuse bodies with more paragraphs and cells, or deeper nested tables, than the limits allow."""
    count = 0
    for _ in body.iter(_P, _TC):
        count += 1
    if count > limits.max_paragraphs:
        detail = f"段落和表格单元格共 {count} 个，上限为 {limits.max_paragraphs} 个（{ENV['max_paragraphs']}）"
        raise InputError("too_complex", detail)
    check_time()
    for tbl in body.iter(_TBL):
        depth = 1 + sum(1 for _ in tbl.iterancestors(_TBL))
        if depth > limits.max_table_depth:
            raise _too_deep(limits)


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
    rpr = first_child(run, _RPR)
    vanish = None if rpr is None else first_child(rpr, _VANISH)
    return vanish is not None and vanish.get(_VAL, "true") not in ("0", "false", "off")


@dataclass(frozen=True)
class _Parts:
    """The three parts the reader needs; python-docx's package load would parse every part (themes,
    fonts, settings, headers…), which was two thirds of reading a long contract."""

    document: BaseOxmlElement
    styles: BaseOxmlElement | None
    numbering: BaseOxmlElement | None


def _open(data: bytes, limits: Limits) -> _Parts:
    if data[:8] == _OLE_MAGIC:
        # a password-protected .docx is an OLE file holding an EncryptedPackage stream; a legacy
        # .doc is an OLE file too, with a WordDocument stream, and must not be called encrypted
        if "WordDocument".encode("utf-16-le") in data and "EncryptedPackage".encode("utf-16-le") not in data:
            raise InputError("unsupported_format", "Word 97-2003（.doc）格式，请另存为 .docx")
        raise InputError("encrypted", "请先在 Word 中取消密码保护")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            _check_members(members, limits)
            names = {m.filename for m in members}
            main = _main_part(archive, names)
            if main not in names:
                raise InputError("corrupt_file", f"缺少 {main}")
            _refuse_dtd(archive, members)
            # Every element takes at least 4 bytes (<p/>): a part smaller than this cannot reach
            # the paragraph or element limits, and the streaming pass would cost as much as the parse
            # itself. _check_complexity still counts after the parse (and finds deep tables).
            if archive.getinfo(main).file_size >= 4 * (limits.max_paragraphs + 1):
                try:
                    _prescan(archive, main, limits)
                except etree.XMLSyntaxError as exc:
                    raise _xml_error(exc, main) from exc
            check_time()
            related = _related_parts(archive, main, names)
            document = _parse(archive, main)
            if document.tag != _DOCUMENT or document.find(_BODY) is None:
                raise InputError("corrupt_file", f"{main} 不是 Word 文档正文")
            return _Parts(
                document,
                _parse(archive, related[RT.STYLES], _without_table_styles) if RT.STYLES in related else None,
                _parse(archive, related[RT.NUMBERING]) if RT.NUMBERING in related else None,
            )
    except InputError:
        raise
    except etree.XMLSyntaxError as exc:
        raise _xml_error(exc) from exc
    except MemoryError:
        raise InputError("too_complex", "内存不足以读取该文档") from None
    except Exception as exc:
        raise InputError("corrupt_file", "不是有效的 DOCX（ZIP）文件") from exc


_MAIN_DOCUMENT = "word/document.xml"


def _main_part(archive: zipfile.ZipFile, names: set[str]) -> str:
    """The main document part named in the package relationships (word/document.xml as Word writes it)."""
    if "_rels/.rels" not in names:
        return _MAIN_DOCUMENT
    targets = _relationships(archive, "_rels/.rels", "")
    return targets.get(RT.OFFICE_DOCUMENT, _MAIN_DOCUMENT)


def _related_parts(archive: zipfile.ZipFile, part: str, names: set[str]) -> dict[str, str]:
    """Relationship type -> part name for the parts `part` refers to inside the package."""
    folder, _, file = part.rpartition("/")
    rels = f"{folder}/_rels/{file}.rels" if folder else f"_rels/{file}.rels"
    if rels not in names:
        return {}
    return {t: name for t, name in _relationships(archive, rels, folder).items() if name in names}


def _relationships(archive: zipfile.ZipFile, rels: str, folder: str) -> dict[str, str]:
    try:
        root = etree.fromstring(archive.read(rels), _SAFE_XML)
    except etree.XMLSyntaxError as exc:
        raise _xml_error(exc, rels) from exc
    targets: dict[str, str] = {}
    for rel in root.iterchildren(_RELATIONSHIP):
        kind, target = rel.get("Type"), rel.get("Target")
        if not kind or not target or rel.get("TargetMode") == "External" or kind in targets:
            continue
        path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        targets[kind] = posixpath.normpath(path)
    return targets


def _parse(archive: zipfile.ZipFile, name: str, trim: Callable[[bytes], bytes] = lambda xml: xml) -> BaseOxmlElement:
    # python-docx's parser, so elements get its classes (pPr.style …) as in a python-docx load
    try:
        return parse_xml(trim(archive.read(name)))
    except etree.XMLSyntaxError as exc:
        raise _xml_error(exc, name) from exc


# A table style's start tag, as Word and python-docx write it (prefix w:); the reader needs paragraph
# and numbering styles only.
_TABLE_STYLE = re.compile(rb'<w:style\b[^>]*?\bw:type="table"[^>]*?(/?)>')
_STYLE_END = b"</w:style>"


def _without_table_styles(xml: bytes) -> bytes:
    """styles.xml without its table styles. python-docx's template, and so every document made from
    it, carries 100 of them: 90% of the part, and parsing it took longer than the document itself.
    w:style elements do not nest, so each cut removes one whole element; anything unexpected keeps
    the part as it is."""
    pieces: list[bytes] = []
    last = 0
    for m in _TABLE_STYLE.finditer(xml):
        if m.start() < last:
            continue
        pieces.append(xml[last : m.start()])
        if m.group(1):  # <w:style … />
            last = m.end()
            continue
        end = xml.find(_STYLE_END, m.end())
        if end < 0:
            return xml
        last = end + len(_STYLE_END)
    if not pieces:
        return xml
    pieces.append(xml[last:])
    return b"".join(pieces)


def _xml_error(exc: etree.XMLSyntaxError, part: str = "") -> InputError:
    # libxml2 refuses trees deeper than 256 and text nodes over 10 MB (huge_tree is off)
    if any(word in str(exc).lower() for word in ("depth", "huge", "too large")):
        return InputError("too_complex", "XML 嵌套过深或单个文字节点过大")
    return InputError("corrupt_file", f"{part} 中的 XML 格式错误" if part else "文档中的 XML 格式错误")


def _check_members(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Zip-bomb guards from the central directory. The declared sizes bind: zipfile stops reading a
    member at its declared size, and a member whose data runs longer fails its CRC check."""
    if len(members) > _MAX_MEMBERS:
        raise InputError("too_complex", f"ZIP 中有 {len(members)} 个文件，上限为 {_MAX_MEMBERS} 个")
    for m in members:
        if m.file_size > ZIP_RATIO_FLOOR and m.file_size > limits.max_zip_ratio * max(m.compress_size, 1):
            ratio = m.file_size / max(m.compress_size, 1)
            detail = (
                f"{m.filename} 解压后 {m.file_size / (1024 * 1024):.0f} MB，压缩比 {ratio:.0f}:1，"
                f"上限为 {limits.max_zip_ratio:g}:1（{ENV['max_zip_ratio']}）"
            )
            raise InputError("zip_bomb", detail)
    total = sum(m.file_size for m in members)
    if total > limits.max_unzipped_bytes:
        detail = (
            f"解压后 {total / (1024 * 1024):.0f} MB，上限为 {limits.max_unzipped_mb:g} MB（{ENV['max_unzipped_mb']}）"
        )
        raise InputError("too_large", detail)


def _too_deep(limits: Limits) -> InputError:
    return InputError("too_complex", f"表格嵌套超过 {limits.max_table_depth} 层（{ENV['max_table_depth']}）")


def _prescan(archive: zipfile.ZipFile, main: str, limits: Limits) -> None:
    """Count the main part's elements, paragraphs, cells and table depth while streaming it, clearing
    as it goes, so a body too big or too deep is refused before python-docx builds the whole tree
    (about five times the XML's size in memory)."""
    max_elements = _ELEMENTS_PER_PARAGRAPH * limits.max_paragraphs
    elements = blocks = depth = 0
    with archive.open(main) as part:
        events = etree.iterparse(part, events=("start", "end"), resolve_entities=False, no_network=True)
        for event, el in events:
            tag = el.tag
            if event == "start":
                elements += 1
                if tag == _TBL:
                    depth += 1
                    if depth > limits.max_table_depth:
                        raise _too_deep(limits)
                elif tag in (_P, _TC):
                    blocks += 1
                if elements > max_elements or blocks > limits.max_paragraphs:
                    detail = (
                        f"段落和表格单元格超过 {limits.max_paragraphs} 个，或 XML 元素超过 {max_elements} 个"
                        f"（{ENV['max_paragraphs']}）"
                    )
                    raise InputError("too_complex", detail)
                if elements % 100_000 == 0:
                    check_time()
            else:
                if tag == _TBL:
                    depth -= 1
                if tag in (_P, _TBL):
                    el.clear(keep_tail=True)


def _refuse_dtd(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    for m in members:
        if m.filename.endswith((".xml", ".rels")):
            with archive.open(m) as part:
                if _DTD.search(part.read(_XML_HEAD)):
                    raise InputError(
                        "corrupt_file", f"{m.filename} 含有 DTD 或实体声明（Word 不会生成，可能是恶意构造的文件）"
                    )


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


def _text_boxes(body: BaseOxmlElement) -> dict[BaseOxmlElement, list[BaseOxmlElement]]:
    """Paragraph -> the text boxes anchored in it, skipping the VML fallback copy Word writes of each.

    One pass over the body: looking for boxes under each paragraph was a tenth of reading a long contract."""
    boxes: dict[BaseOxmlElement, list[BaseOxmlElement]] = {}
    for box in body.iter(_TXBX_CONTENT):
        parent = box.getparent()
        while parent is not None and parent.tag not in (_P, _FALLBACK):
            parent = parent.getparent()
        if parent is not None and parent.tag == _P:
            boxes.setdefault(parent, []).append(box)
    return boxes


class _BodyReader:
    def __init__(
        self, body: BaseOxmlElement, styles: BaseOxmlElement | None, numbering: BaseOxmlElement | None
    ) -> None:
        self._paragraphs = {p: i for i, p in enumerate(body.iter(_P))}
        self._tables = {t: i for i, t in enumerate(body.iter(_TBL))}
        self._style_names, self._default_style = _style_names(styles)
        self._numbering = Numbering(numbering, styles)
        self._boxes = _text_boxes(body)
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
        check_time()
        ppr = first_child(p, _PPR)
        style_id = child_value(ppr, _PSTYLE)
        label = self._numbering.label_of(ppr, style_id)  # counted even when the paragraph is empty, as Word does
        text = paragraph_text(p)
        if text.strip():
            table, row, col = cell if cell is not None else (None, None, None)
            location = Location(paragraph=self._paragraphs[p], table=table, row=row, cell=col)
            self.blocks.append(Block(text=text, location=location, label=label, style=self._style(style_id)))
        for box in self._boxes.get(p, ()):
            self.walk(box, cell)

    def _style(self, style_id: str | None) -> str:
        if style_id is None or style_id not in self._style_names:
            return self._default_style
        return self._style_names[style_id]

    def _table(self, tbl: BaseOxmlElement) -> None:
        index = self._tables[tbl]
        for r, tr in enumerate(_children(tbl, _TR)):
            for c, tc in enumerate(_children(tr, _TC)):
                self.walk(tc, (index, r, c))
