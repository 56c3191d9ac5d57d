"""Segmentation as a property: whatever the blocks, each character lands in at most one clause,
verbatim, and only whitespace and the clause numbers themselves are left out."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from clause_audit.clauses import split_clauses
from clause_audit.model import Block, Document, Location

_PIECES = st.sampled_from(
    [
        "第一条", "第二十条 ", "一、", "（一）", "(2)", "1.", "1.1 ", "①", "附件一", "第一章 总则", "甲方：",
        "乙方（会员）：", "地址：", "签字", "（以下无正文）", "会员须知", "本卡一经售出，概不退款。",
        "最终解释权归本店所有", "。", "；", " ", "\u3000", "\t", "12", "x", "ABC",
    ]
)  # fmt: skip
_BLOCK = st.tuples(
    st.lists(_PIECES, min_size=1, max_size=6).map("".join),
    st.sampled_from(["", "Heading 1", "Title"]),
    st.booleans(),  # a table cell
    st.sampled_from(["", "", "第三条", "（二）"]),  # an automatic Word number
)


@settings(max_examples=200)
@given(st.lists(_BLOCK, min_size=1, max_size=12))
def test_no_text_lost_or_duplicated_between_clauses(specs):
    blocks = tuple(
        Block(
            text=text,
            location=Location(
                paragraph=i, table=0 if cell else None, row=i if cell else None, cell=0 if cell else None
            ),
            label=label,
            style=style,
        )
        for i, (text, style, cell, label) in enumerate(specs)
    )
    clauses = split_clauses(Document(source="p", format="docx", blocks=blocks))
    covered: dict[int, set[int]] = {i: set() for i in range(len(blocks))}
    for clause in clauses:
        for seg in clause.segments:
            piece = clause.text[seg.start : seg.start + seg.length]
            assert piece == blocks[seg.block].text[seg.block_start : seg.block_start + seg.length]
            span = set(range(seg.block_start, seg.block_start + seg.length))
            assert not covered[seg.block] & span, "a character in two clauses"
            covered[seg.block] |= span
    numbers = "".join(c.number for c in clauses)
    for b, block in enumerate(blocks):
        first = min(covered[b], default=len(block.text))
        for i, ch in enumerate(block.text):
            if i in covered[b] or ch.isspace():
                continue
            # only a clause number before the body may be left out, and it is kept as the number
            assert i < first, (block.text, i)
        prefix = "".join(block.text[:first].split())
        if prefix:
            assert prefix.rstrip("：:、.．") in numbers or prefix in numbers, (specs, block.text, numbers)
