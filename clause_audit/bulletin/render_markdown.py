"""The bulletin as one Markdown file; the chart is drawn as a table of text bars, so nothing sits beside the file."""

from __future__ import annotations

from clause_audit.bulletin.content import Bulletin, Item, cited_text
from clause_audit.bulletin.numbering import chinese_ordinal

BAR = "█"
BAR_WIDTH = 20  # characters of the longest bar


def render_markdown(bulletin: Bulletin) -> str:
    out = [f"# {_escape(bulletin.title)}", "", f"（{bulletin.period}）", "", _escape(bulletin.intro), ""]
    n = 1
    out += [
        f"## {chinese_ordinal(n)}、基本情况",
        "",
        bulletin.scope_words,
        "",
        *_table(
            ["领域", "经营者（家）", "合同（份）", "问题条款（处）", "点评问题（项）"],
            [
                [r.name, str(r.merchants), str(r.contracts), str(r.clauses), str(r.items)]
                for r in (*bulletin.scope, bulletin.total)
            ],
        ),
    ]
    n += 1
    domains = [s.name for s in bulletin.sections]
    out += [
        f"## {chinese_ordinal(n)}、问题分布",
        "",
        "按问题类别和领域统计的问题条款数（处）：",
        "",
        *_table(["问题类别", *domains, "合计"], [[r.name, *map(str, r.counts), str(r.total)] for r in bulletin.stats]),
        "图 1　不公平格式条款问题分布",
        "",
        *_table(["问题类别", "问题条款数"], [[r.short, _bar(r.total, bulletin)] for r in bulletin.stats]),
    ]
    for section in bulletin.sections:
        n += 1
        out += [f"## {chinese_ordinal(n)}、{section.name}领域的问题条款", ""]
        for k, item in enumerate(section.items, 1):
            out += _item(k, item)
    if bulletin.listing:
        out += ["## 附：点评合同清单", ""]
        rows = [[str(i), e.merchant, e.domain, "、".join(e.sources)] for i, e in enumerate(bulletin.listing, 1)]
        out += _table(["序号", "经营者", "领域", "文件"], rows)
    out += [f"**说明：**{_escape(bulletin.note)}", "", bulletin.issued, ""]
    return "\n".join(out)


def _item(k: int, item: Item) -> list[str]:
    number = f"{item.clause_number}　" if item.clause_number else ""
    quote = f"**<u>{_escape(item.quote)}</u>**" if item.quote else ""
    out = [
        f"### （{chinese_ordinal(k)}）{_escape(item.title)}",
        "",
        f"**{item.usage}**（涉及：{_escape('、'.join(item.businesses))}）",
        "",
        f"【条款原文】{number}{_escape(item.before)}{quote}{_escape(item.after)}".replace("\n", "  \n"),
        "",
        f"【点评】{_escape(item.message)}",
        "",
        "【法律依据】",
        "",
    ]
    for c in item.citations:
        out.append(f"- **{_escape(c.heading)}**" + ("" if c.status == "verified" else f"（{c.status_words}）"))
        if c.text:
            out += ["", *(f"  > {_escape(line)}" for line in cited_text(c).split("\n")), ""]
    out += ["", f"【整改建议】{_escape(item.suggestion)}", ""]
    return out


def _bar(value: int, bulletin: Bulletin) -> str:
    top = max((r.total for r in bulletin.stats), default=1) or 1
    return BAR * max(1, round(BAR_WIDTH * value / top)) + f" {value}"


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(_escape(v).replace("|", "\\|") for v in row) + " |" for row in rows]
    return [*lines, ""]


def _escape(text: str) -> str:
    """Markdown's own characters in contract text shown as themselves."""
    for ch in "\\`*_[]<>#":
        text = text.replace(ch, "\\" + ch)
    return text
