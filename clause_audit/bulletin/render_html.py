"""The bulletin as one self-contained HTML page: inline CSS, the chart as a data: URI, no script, prints cleanly."""

from __future__ import annotations

import base64
from html import escape

from clause_audit.bulletin.content import Bulletin, Item, cited_text
from clause_audit.bulletin.numbering import chinese_ordinal


def render_html(bulletin: Bulletin, chart: bytes | None) -> str:
    """The bulletin page; `chart` is the PNG of chart.chart_png (None leaves the chart out)."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="generator" content="clause-audit">',
        f"<title>{escape(bulletin.title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body><main>",
        f"<h1>{escape(bulletin.title)}</h1>",
        f'<p class="period">（{escape(bulletin.period)}）</p>',
        f"<p>{escape(bulletin.intro)}</p>",
    ]
    n = 1
    parts.append(f"<h2>{chinese_ordinal(n)}、基本情况</h2>")
    parts.append(f"<p>{escape(bulletin.scope_words)}</p>")
    parts.append(
        _table(
            ["领域", "经营者（家）", "合同（份）", "问题条款（处）", "点评问题（项）"],
            [
                [r.name, str(r.merchants), str(r.contracts), str(r.clauses), str(r.items)]
                for r in (*bulletin.scope, bulletin.total)
            ],
            "scope",
        )
    )
    n += 1
    parts.append(f"<h2>{chinese_ordinal(n)}、问题分布</h2>")
    parts.append("<p>按问题类别和领域统计的问题条款数（处）如下表和下图所示。</p>")
    domains = [s.name for s in bulletin.sections]
    parts.append(
        _table(
            ["问题类别", *domains, "合计"],
            [[r.name, *map(str, r.counts), str(r.total)] for r in bulletin.stats],
            "stats",
        )
    )
    if chart:
        data = base64.b64encode(chart).decode("ascii")
        parts.append(
            '<figure class="chart">'
            f'<img src="data:image/png;base64,{data}" alt="不公平格式条款问题分布：按问题类别和领域统计的问题条款数">'
            "<figcaption>图 1　不公平格式条款问题分布</figcaption></figure>"
        )
    for section in bulletin.sections:
        n += 1
        parts.append(f'<section class="domain"><h2>{chinese_ordinal(n)}、{escape(section.name)}领域的问题条款</h2>')
        parts += [_item(k, item) for k, item in enumerate(section.items, 1)]
        parts.append("</section>")
    if bulletin.listing:
        parts.append("<h2>附：点评合同清单</h2>")
        parts.append(
            _table(
                ["序号", "经营者", "领域", "文件"],
                [[str(i), e.merchant, e.domain, "、".join(e.sources)] for i, e in enumerate(bulletin.listing, 1)],
                "listing",
            )
        )
    parts += [
        f'<p class="note"><b>说明：</b>{escape(bulletin.note)}</p>',
        f'<p class="issued">{escape(bulletin.issued)}</p>',
        "</main></body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _item(k: int, item: Item) -> str:
    number = f'<span class="num">{escape(item.clause_number)}</span>' if item.clause_number else ""
    quote = f"<mark>{escape(item.quote)}</mark>" if item.quote else ""
    citations = "".join(
        f'<li><span class="law">{escape(c.heading)}</span>'
        + (f"<blockquote>{escape(cited_text(c))}</blockquote>" if c.text else "")
        + (f'<span class="status">（{escape(c.status_words)}）</span>' if c.status != "verified" else "")
        + "</li>"
        for c in item.citations
    )
    return (
        f'<article class="item sev-{escape(item.severity)}">'
        f"<h3>（{chinese_ordinal(k)}）{escape(item.title)}</h3>"
        f'<p class="usage"><b>{escape(item.usage)}</b>（涉及：{escape("、".join(item.businesses))}）</p>'
        f'<dl><dt>条款原文</dt><dd class="clause">{number}{escape(item.before)}{quote}{escape(item.after)}</dd>'
        f"<dt>点评</dt><dd>{escape(item.message)}</dd>"
        f'<dt>法律依据</dt><dd><ul class="citations">{citations}</ul></dd>'
        f'<dt>整改建议</dt><dd class="suggestion">{escape(item.suggestion)}</dd></dl>'
        "</article>"
    )


def _table(head: list[str], rows: list[list[str]], kind: str) -> str:
    th = "".join(f'<th scope="col">{escape(h)}</th>' for h in head)
    body = []
    for row in rows:
        total = ' class="total"' if row and row[0] == "合计" else ""
        cells = "".join(f"<td{' class=n' if v.isdigit() else ''}>{escape(v)}</td>" for v in row)
        body.append(f"<tr{total}>{cells}</tr>")
    return f'<table class="{kind}"><thead><tr>{th}</tr></thead><tbody>{"".join(body)}</tbody></table>'


_CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f4f4f2;color:#1b1b1b;font-size:16px;line-height:1.85;
font-family:"FangSong","仿宋","STFangsong","Noto Serif CJK SC","Source Han Serif SC","SimSun","宋体",serif}
main{max-width:860px;margin:1.5rem auto;background:#fff;padding:2.5rem 3rem;border:1px solid #ddd}
h1{text-align:center;font-size:1.9rem;line-height:1.4;margin:.5rem 0 .2rem;
font-family:"FZXiaoBiaoSong-B05S","方正小标宋简体","SimSun","宋体","Noto Serif CJK SC",serif}
.period{text-align:center;margin:0 0 1.2rem}
h2{font-size:1.3rem;margin:1.6rem 0 .6rem;font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif}
h3{font-size:1.12rem;margin:1.2rem 0 .3rem;font-family:"KaiTi","楷体","STKaiti","Noto Serif CJK SC",serif}
p{margin:.3rem 0;text-indent:2em}
p.period,p.issued,p.usage{text-indent:0}
table{border-collapse:collapse;margin:.6rem auto 1rem;font-size:.92rem;line-height:1.5;
font-family:"SimSun","宋体","Noto Serif CJK SC",serif}
th,td{border:1px solid #555;padding:.25rem .55rem;vertical-align:top}
th{background:#eee}
td.n{text-align:center}
tr.total td{font-weight:bold}
figure.chart{margin:1rem 0;text-align:center}
figure.chart img{max-width:100%;height:auto}
figcaption{font-size:.92rem}
.item{margin:0 0 1rem;padding:0 0 .6rem;border-bottom:1px dashed #bbb}
.item dl{margin:.2rem 0}
.item dt{font-weight:bold;margin-top:.35rem}
.item dt::before{content:"【"}.item dt::after{content:"】"}
.item dd{margin:0 0 0 2em}
.clause{white-space:pre-wrap}
.clause .num{font-weight:bold;margin-right:.5em}
mark{background:none;color:#b00000;font-weight:bold;text-decoration:underline}
.citations{list-style:none;margin:0;padding:0}
.citations li{margin:.1rem 0 .4rem}
.law{font-weight:bold}
blockquote{margin:.1rem 0 0 1em;padding:0 .6rem;border-left:3px solid #999;font-size:.92rem;white-space:pre-wrap}
.status{font-size:.85rem;color:#555}
.note{margin-top:1.5rem;font-size:.95rem}
.issued{text-align:right;margin-top:1rem}
@media (max-width:700px){main{padding:1rem;margin:0;border:0}}
@media print{
@page{size:A4;margin:25mm 22mm}
body{background:#fff;font-size:12pt}
main{max-width:none;margin:0;padding:0;border:0}
h2,h3{break-after:avoid}
.item,figure.chart,tr{break-inside:avoid}
mark{color:#000}
}
"""
