"""Document → numbered clauses, with the parties block, preamble, signature and 附件 recognised.

Every character of the document lands in exactly one clause: recognising a block's kind is
for display and for finding the parties, never a reason to skip its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from clause_audit.labels import HEADING_STYLES, Label, match_label
from clause_audit.model import Block, Clause, ClauseKind, Document, Segment

_TITLE_WORDS = re.compile(r"合同|协议|须知|告示|章程|规则|条款|声明|约定书|确认书|告知书|说明")
_PARTY_LINE = re.compile(
    r"^[ \t\u3000]*(?:甲方|乙方|丙方|卖方|买方|出卖人|买受人|出租人|承租人|经营者|消费者|会员|学员|委托人|受托人"
    r"|居间人|居间方|经纪方|经纪机构|培训机构|服务方|服务机构|家长|监护人|销售方|购买方|机构名称)[^：:\n]{0,14}[：:]"
)
_PARTY_DETAIL = re.compile(
    r"^[ \t\u3000]*(?:地址|住所|通讯地址|联系地址|电话|联系电话|手机|身份证|证件|法定代表人|负责人|统一社会信用代码"
    r"|营业执照|邮箱|电子邮箱|传真|开户|账号|经办人|联系人|办学许可证)"
)
_SIGNATURE = re.compile(r"盖章|签字|签名|签章|（以下无正文）|\(以下无正文\)|签订日期|签约日期|签署日期")
_SHORT_HEADING_MAX = 16
_BARE_NUMBER = re.compile(r"^[ \t\u3000]*\d{1,3}[ \t\u3000]*$")
_CHAPTER_NUMBER = re.compile(r"第.+(?:章|节|部分)$")


@dataclass
class _Draft:
    number: str
    style: str
    kind: ClauseKind
    heading: bool
    parent: int | None
    first_block: int
    parts: list[tuple[int, int, str]] = field(default_factory=list)  # (block, block_start, text)

    def add(self, block: int, block_start: int, text: str) -> None:
        self.parts.append((block, block_start, text))


def split_clauses(document: Document) -> tuple[Clause, ...]:
    """Split a document into clauses in reading order."""
    blocks = document.blocks
    labels = _labels(blocks)
    has_numbering = any(label is not None for label in labels)
    drafts: list[_Draft] = []
    stack: list[tuple[str, int]] = []  # (label style, draft index) of the open numbering levels
    region = "front"  # front → body → signature → attachment
    pending_label: Label | None = None

    pending_block = -1

    def keep_pending_cell() -> None:
        # a number cell whose text never came (the next block has its own number, or none follows):
        # the cell's own text is a clause of its own, so no character is lost
        text = blocks[pending_block].text.rstrip()
        drafts.append(_Draft("", "", "clause", False, stack[-1][1] if stack else None, pending_block))
        drafts[-1].add(pending_block, 0, text)

    for b, block in enumerate(blocks):
        label = labels[b]
        if pending_label is not None and label is None:
            label, pending_label = Label(pending_label.text, pending_label.style, 0), None
        elif pending_label is not None:
            keep_pending_cell()
            pending_label = None
        if label is not None and label.body_start >= len(block.text.rstrip()) and _is_table_cell(block):
            pending_label, pending_block = label, b  # a number cell: the text sits in the next cell of the row
            continue
        body_start = label.body_start if label else 0
        body = block.text[body_start:].rstrip()

        if label is not None and label.style == "attachment":
            region = "attachment"
        elif (
            (region == "body" or (region == "front" and not has_numbering))
            and label is None
            and drafts
            and _SIGNATURE.search(body)
        ):
            region = "signature"

        if label is not None and region != "attachment" and region != "signature":
            region = "body"
            heading = label.style in HEADING_STYLES or _is_short_heading(label, body, block)
            parent = _place(stack, label.style, len(drafts))
            kind: ClauseKind = "heading" if heading else "clause"
            drafts.append(_Draft(label.text, label.style, kind, heading, parent, b))
            drafts[-1].add(b, body_start, body)
            continue

        kind = _unlabelled_kind(region, block, body, b, drafts, has_numbering, label)
        last = drafts[-1] if drafts else None
        if (
            kind == "clause"
            and last is not None
            and last.kind == "clause"
            and (has_numbering or _continues_broken_line(last, body))
            and label is None
            and not _is_heading_style(block)
        ):
            last.add(b, body_start, body)  # an unnumbered paragraph continues its article
            continue
        number = label.text.rstrip("：:") if label is not None else ""
        parent = stack[-1][1] if (stack and region == "body") else None
        drafts.append(_Draft(number, "", kind, kind in ("title", "heading"), parent, b))
        drafts[-1].add(b, body_start, body)

    if pending_label is not None:
        keep_pending_cell()
    return tuple(_finish(i, d, blocks) for i, d in enumerate(drafts))


def _labels(blocks: tuple[Block, ...]) -> list[Label | None]:
    out: list[Label | None] = []
    for block in blocks:
        if block.label:
            styled = match_label(block.label + " x")
            out.append(Label(block.label, styled.style if styled else "auto", 0))
        elif _is_table_cell(block) and (number := _number_cell(block.text)) is not None:
            out.append(number)  # a 序号 column: the clause text sits in the next cell
        else:
            out.append(match_label(block.text))
    return out


# Which open levels a heading or article stays inside; other styles nest in order of appearance.
_OUTER = {
    "chapter": ("part",),
    "part": (),
    "section": ("chapter", "part"),
    "article": ("chapter", "part", "section"),
}


def _number_cell(text: str) -> Label | None:
    """A table cell holding only a clause number (1, 1、, 第一条 …)."""
    token = text.strip()
    if _BARE_NUMBER.match(token):
        return Label(token, "digit", len(text))
    label = match_label(token + " 文")
    if label is not None and label.body_start >= len(token):
        return Label(label.text, label.style, len(text))
    return None


def _place(stack: list[tuple[str, int]], style: str, index: int) -> int | None:
    """Put a new numbered clause in the nesting implied by the order styles first appear."""
    if style in _OUTER:
        while stack and stack[-1][0] not in _OUTER[style]:
            stack.pop()
    else:
        styles = [s for s, _ in stack]
        if style in styles:
            del stack[styles.index(style) :]
    parent = stack[-1][1] if stack else None
    stack.append((style, index))
    return parent


def _unlabelled_kind(
    region: str,
    block: Block,
    body: str,
    b: int,
    drafts: list[_Draft],
    has_numbering: bool,
    label: Label | None,
) -> ClauseKind:
    if region == "attachment":
        return "attachment"
    if region == "signature":
        return "signature"
    if region == "front":
        if not drafts and _looks_like_title(block, body):
            return "title"
        if _PARTY_LINE.match(body) or (_PARTY_DETAIL.match(body) and drafts and drafts[-1].kind == "parties"):
            return "parties"
        return "preamble" if has_numbering else "clause"
    if _is_heading_style(block) and len(body) <= _SHORT_HEADING_MAX * 2:
        return "heading"
    return "clause"


# what a line ends with when its sentence is complete
_SENTENCE_CLOSE = frozenset('。；！？!?;：:）)」』”"…')
_HARD_WRAP_MIN = 12  # a line this long that stops mid-sentence was wrapped, not written short


def _continues_broken_line(last: _Draft, body: str) -> bool:
    """A line that carries on the sentence the previous line broke off (a hard-wrapped .txt, text
    pasted from a PDF: 概不退 / 款，敬请谅解): the previous line stops without closing punctuation, and
    this one starts with punctuation or follows a line too long to be a short notice line."""
    previous = last.parts[-1][2].rstrip() if last.parts else ""
    if not previous or not body or previous[-1] in _SENTENCE_CLOSE:
        return False
    return body[0] in "，、。；,;" or len(previous) >= _HARD_WRAP_MIN


def _looks_like_title(block: Block, body: str) -> bool:
    if block.style.lower().startswith(("title", "heading")):
        return True
    return len(body) <= 40 and bool(_TITLE_WORDS.search(body)) and not re.search(r"[。；，]", body)


def _is_heading_style(block: Block) -> bool:
    return block.style.lower().startswith(("heading", "title"))


def _is_short_heading(label: Label, body: str, block: Block) -> bool:
    """一、会员权益 is a heading; 一、乙方应按时缴费。 is a term."""
    if _is_heading_style(block):
        return True
    if label.style not in ("cn-ordinal", "decimal-2", "digit") or not body:
        return False
    return len(body) <= _SHORT_HEADING_MAX and not re.search(r"[。；，,;：:]", body)


def _is_table_cell(block: Block) -> bool:
    return block.location.cell is not None


def _finish(index: int, draft: _Draft, blocks: tuple[Block, ...]) -> Clause:
    texts: list[str] = []
    segments: list[Segment] = []
    pos = 0
    for block, block_start, text in draft.parts:
        if not text:
            continue
        if texts:
            texts.append("\n")
            pos += 1
        segments.append(Segment(block=block, start=pos, block_start=block_start, length=len(text)))
        texts.append(text)
        pos += len(text)
    return Clause(
        index=index,
        number=draft.number,
        text="".join(texts),
        kind=draft.kind,
        location=blocks[draft.first_block].location,
        segments=tuple(segments),
        parent=draft.parent,
        heading=draft.heading,
    )


def display_number(clauses: tuple[Clause, ...], index: int) -> str:
    """The number a reader would cite: 第五条（二）for item （二） of article 第五条, but 1.4 (not 11.4)
    for item 1.4 under heading 1., whose number already carries its parent's."""
    parts: list[str] = []
    current: int | None = index
    while current is not None:
        clause = clauses[current]
        number = clause.number.rstrip("、.．")
        carried = bool(parts) and parts[-1].startswith(number + ".")
        if number and not _CHAPTER_NUMBER.match(clause.number) and not carried:
            parts.append(number)
        current = clause.parent
    return "".join(reversed(parts))
