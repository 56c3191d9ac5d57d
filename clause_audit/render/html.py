"""Review report as one self-contained HTML page: the contract with problem spans marked, and a findings panel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from html import escape
from typing import TextIO

from clause_audit import __version__
from clause_audit.categories import category_name
from clause_audit.model import CATEGORIES, SEVERITIES, Clause, Failure, Finding, Report
from clause_audit.render.review import (
    SEVERITY_WORDS,
    cite,
    date_words,
    depth,
    document_name,
    domain_words,
    excerpt,
    pieces,
    severity_rank,
    where_words,
)

TITLE = "格式条款审查报告"


def render_html(reports: list[Report], *, today: date | None = None) -> str:
    """One HTML page for one or more reports (a section per document, a table of contents when several)."""
    return _page(list(reports), today or date.today())


def write_html(results: Iterable[Report | Failure], out: TextIO, color: bool = False) -> None:
    """Writer for the CLI: all results on one page; an unreadable input gets a short 无法读取 section."""
    out.write(_page(list(results), date.today()))


# ---------------------------------------------------------------- page


def _page(results: list[Report | Failure], today: date) -> str:
    reports = [r for r in results if isinstance(r, Report)]
    title = TITLE if len(results) != 1 else f"{TITLE}：{document_name(results[0].source)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta name="generator" content="clause-audit {escape(__version__)}">',
        f"<title>{escape(title)}</title>",
        f"<style>{_CSS}</style>",
        "</head>",
        "<body>",
        '<header class="page-head">',
        f"<h1>{TITLE}</h1>",
        f'<p class="sub">审查日期：{date_words(today)}　·　共 {len(results)} 份文件'
        f"　·　clause-audit {escape(__version__)}</p>",
        "</header>",
        _filters(reports),
        "<main>",
    ]
    if len(results) > 1:
        parts.append(_toc(results))
    for n, result in enumerate(results, 1):
        if isinstance(result, Failure):
            parts.append(_failure(n, result))
        else:
            parts.append(_document(n, result, today))
    parts += [
        '<footer class="page-foot">本报告由 clause-audit 按规则库自动生成，审查意见须经工作人员复核确认。</footer>',
        "</main>",
        f"<script>{_JS}</script>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def _filters(reports: list[Report]) -> str:
    findings = [f for r in reports for f in r.findings]
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITIES}
    order = {c: i for i, c in enumerate(CATEGORIES)}
    categories = sorted({f.category for f in findings}, key=lambda c: (order.get(c, len(order)), c))
    boxes = "".join(
        f'<label class="chk sev-{s}"><input type="checkbox" name="severity" value="{s}" checked> '
        f"{SEVERITY_WORDS[s]}（{counts[s]}）</label>"
        for s in SEVERITIES
    )
    options = "".join(f'<option value="{escape(c)}">{escape(category_name(c))}</option>' for c in categories)
    return (
        '<form class="filters" id="filters" aria-label="筛选问题" onsubmit="return false">'
        f"<fieldset><legend>风险等级</legend>{boxes}</fieldset>"
        '<label class="cat">问题类别 <select id="category-filter" name="category">'
        f'<option value="">全部类别</option>{options}</select></label>'
        f'<span class="shown">显示 <b id="filter-count">{len(findings)} / {len(findings)}</b> 项问题</span>'
        "</form>"
    )


def _toc(results: list[Report | Failure]) -> str:
    items = []
    for n, result in enumerate(results, 1):
        name = escape(document_name(result.source))
        if isinstance(result, Failure):
            items.append(f'<li><a href="#d{n}">{name}</a> <span class="error">无法读取</span></li>')
            continue
        counts = result.by_severity()
        badges = "".join(
            f'<span class="badge sev-{s}">{SEVERITY_WORDS[s]} {counts[s]}</span>' for s in SEVERITIES if counts[s]
        )
        items.append(f'<li><a href="#d{n}">{name}</a> {badges or "<span class=clean>未发现问题</span>"}</li>')
    return f'<nav class="toc" aria-label="目录"><h2>目录</h2><ol>{"".join(items)}</ol></nav>'


def _failure(n: int, failure: Failure) -> str:
    return (
        f'<section class="doc failure" id="d{n}">'
        f"<h2>{escape(document_name(failure.source))}</h2>"
        f'<p class="path">{escape(failure.source)}</p>'
        f'<p class="error">无法读取：{escape(failure.message)}（{escape(failure.code)}）</p>'
        "</section>"
    )


# ---------------------------------------------------------------- one document


def _document(n: int, report: Report, today: date) -> str:
    # numbered in the order the panel lists them: clause findings, then missing terms
    ordered = sorted(report.findings, key=lambda f: f.clause_index is None)
    items = [(f"d{n}-f{i}", f) for i, f in enumerate(ordered, 1)]
    return (
        f'<section class="doc" id="d{n}">'
        f"{_head(n, report, today)}"
        '<div class="columns">'
        f'<div class="contract"><h3>合同全文</h3>{_contract(n, report, items)}</div>'
        f"{_panel(n, report, items)}"
        "</div></section>"
    )


def _head(n: int, report: Report, today: date) -> str:
    name = document_name(report.source)
    rows = [
        ("领域", escape(domain_words(report))),
        ("审查日期", date_words(today)),
        ("规则库版本", f"<code>{escape(report.rules_version)}</code>"),
        ("条款数", str(len(report.clauses))),
    ]
    if report.merchant:
        rows.append(("经营者", escape(report.merchant)))
    meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in rows)
    counts = report.by_severity()
    summary = "".join(
        f'<li class="sev-{s}"><span class="badge sev-{s}">{SEVERITY_WORDS[s]}</span> <b>{counts[s]}</b></li>'
        for s in SEVERITIES
    )
    warnings = [
        f'<li class="{"error" if x.level == "error" else "warning"}">提取质量：{escape(x.message)}'
        + (f"（第 {x.page} 页）" if x.page else "")
        + "</li>"
        for x in report.notices
    ]
    warnings += [
        f'<li class="error">规则 <code>{escape(e.rule_id)}</code> 执行出错：{escape(e.message)}</li>'
        for e in report.rule_errors
    ]
    path = f'<p class="path">{escape(report.source)}</p>' if report.source != name else ""
    return (
        '<header class="doc-head">'
        f"<h2>{escape(name)}</h2>{path}"
        f'<dl class="meta">{meta}</dl>'
        f'<ul class="counts" aria-label="问题统计"><li>问题 <b>{len(report.findings)}</b></li>{summary}</ul>'
        + (f'<ul class="warnings">{"".join(warnings)}</ul>' if warnings else "")
        + (f'<p class="jump"><a href="#d{n}-findings">查看问题列表 ↓</a></p>' if report.findings else "")
        + "</header>"
    )


def _contract(n: int, report: Report, items: list[tuple[str, Finding]]) -> str:
    by_clause: dict[int, list[tuple[str, Finding]]] = {}
    for fid, f in items:
        if f.clause_index is not None:
            by_clause.setdefault(f.clause_index, []).append((fid, f))
    rows = []
    for clause in report.clauses:
        found = by_clause.get(clause.index, [])
        classes = ["clause", f"kind-{clause.kind}", f"depth-{min(depth(report, clause.index), 3)}"]
        if found:
            classes.append("flagged")
        number = f'<span class="num">{escape(clause.number)}</span>' if clause.number else ""
        rows.append(
            f'<div class="{" ".join(classes)}" id="d{n}-c{clause.index}">'
            f'{number}<div class="text">{_marked_clause(clause, found)}</div></div>'
        )
    return "".join(rows)


def _marked_clause(clause: Clause, findings: list[tuple[str, Finding]]) -> str:
    """Clause text with every finding's span in <mark>, cut at all span boundaries so that overlapping
    findings give a run of separate marks (never crossed tags), and the finding's number after its span."""
    spans = [(f.start, f.end, (fid, f)) for fid, f in findings if f.start is not None and f.end is not None]
    ends: dict[int, list[tuple[str, Finding]]] = {}
    for _, e, item in spans:
        ends.setdefault(min(e, len(clause.text)), []).append(item)
    out = []
    for piece in pieces(clause.text, spans):
        text = escape(clause.text[piece.start : piece.end])
        if piece.cover:
            cover = sorted(piece.cover, key=lambda item: severity_rank(item[1]))
            refs = " ".join(fid for fid, _ in cover)
            out.append(
                f'<a class="hl" href="#{cover[0][0]}"><mark class="sev-{cover[0][1].severity}" '
                f'data-f="{refs}">{text}</mark></a>'
            )
        else:
            out.append(text)
        for fid, f in ends.get(piece.end, []):
            out.append(
                f'<sup class="fn sev-{f.severity}" data-f="{fid}"><a href="#{fid}" title="{escape(f.title)}">'
                f"{_number(fid)}</a></sup>"
            )
    return "".join(out)


def _number(fid: str) -> str:
    """The finding's ordinal within its document: d2-f5 → 5."""
    return fid.rsplit("-f", 1)[1]


def _panel(n: int, report: Report, items: list[tuple[str, Finding]]) -> str:
    in_clauses = [(fid, f) for fid, f in items if f.clause_index is not None]
    missing = [(fid, f) for fid, f in items if f.clause_index is None]
    parts = [f'<aside class="panel" id="d{n}-findings" aria-label="问题列表">']
    parts.append(f"<h3>问题条款（{len(in_clauses)}）</h3>")
    if not report.findings:
        parts.append('<p class="clean">未发现问题条款。</p>')
    elif not in_clauses:
        parts.append('<p class="clean">条款中未发现问题。</p>')
    parts += [_entry(n, report, f, fid) for fid, f in in_clauses]
    if missing:
        parts.append(f'<h3 class="missing-head">缺失的必备条款（{len(missing)}）</h3>')
        parts += [_entry(n, report, f, fid) for fid, f in missing]
    parts.append("</aside>")
    return "".join(parts)


def _entry(n: int, report: Report, finding: Finding, fid: str) -> str:
    sev = finding.severity
    number = _number(fid)
    if finding.clause_index is None:
        where = '<span class="where">全文</span>'
        quote = ""
    else:
        where = f'<a class="where" href="#d{n}-c{finding.clause_index}">{escape(where_words(finding, report))}</a>'
        text = report.clauses[finding.clause_index].text
        assert finding.start is not None and finding.end is not None
        before, marked, after = excerpt(text, finding.start, finding.end)
        quote = (
            f'<blockquote class="quote">{escape(before)}<mark class="sev-{sev}">{escape(marked)}</mark>'
            f"{escape(after)}</blockquote>"
        )
    citations = "".join(_citation(ref) for ref in finding.legal_basis)
    return (
        f'<article class="finding sev-{sev}" id="{fid}" data-severity="{sev}" '
        f'data-category="{escape(finding.category)}">'
        f'<h4><span class="no">{number}</span> <span class="badge sev-{sev}">{SEVERITY_WORDS.get(sev, sev)}</span> '
        f'{where} <span class="title">{escape(finding.title)}</span></h4>'
        f"{quote}"
        '<dl class="body">'
        f"<dt>问题点评</dt><dd>{escape(finding.message)}</dd>"
        f'<dt>法律依据</dt><dd><ul class="citations">{citations}</ul></dd>'
        f'<dt>修改建议</dt><dd class="suggestion">{escape(finding.suggestion)}</dd>'
        "</dl>"
        f'<p class="tags">类别：{escape(category_name(finding.category))}'
        f"　·　规则：<code>{escape(finding.rule_id)}</code></p>"
        "</article>"
    )


def _citation(ref: str) -> str:
    c = cite(ref)
    lines = "\n".join(f'<strong class="cited">{escape(t)}</strong>' if hit else escape(t) for t, hit in c.lines())
    text = f"<blockquote>{lines}</blockquote>" if c.text else ""
    return (
        f'<li class="citation"><div class="cite-head"><strong>{escape(c.heading)}</strong> '
        f'<span class="status status-{c.status}">{escape(c.status_words)}</span> '
        f"<code>{escape(c.ref)}</code></div>{text}</li>"
    )


# ---------------------------------------------------------------- style and script (inline: the page works offline)

_CSS = """
:root{--high:#c62828;--high-bg:#ffd9d6;--medium:#a15c00;--medium-bg:#ffecb3;--low:#1f5fa8;--low-bg:#dcebfb;
--line:#d9dce1;--muted:#5f6670}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#f3f4f6;color:#1d2127;font-size:15px;line-height:1.75;
font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif}
h1,h2,h3,h4{line-height:1.4}
code{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:.85em;background:#eef0f3;padding:0 .3em;
border-radius:3px;overflow-wrap:anywhere}
.page-head{padding:1rem 1.25rem .25rem;max-width:1400px;margin:0 auto}
.page-head h1{margin:0;font-size:1.6rem}
.sub,.path{color:var(--muted);margin:.2rem 0;overflow-wrap:anywhere}
.filters{position:sticky;top:0;z-index:5;background:#fff;border-bottom:1px solid var(--line);
box-shadow:0 1px 3px rgba(0,0,0,.06);padding:.4rem 1.25rem;display:flex;flex-wrap:wrap;align-items:center;
gap:.3rem 1.2rem}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;align-items:center;gap:.2rem .8rem}
.filters legend{float:left;margin-right:.4rem;font-weight:bold;padding:0}
.filters label{white-space:nowrap;cursor:pointer}
.filters .cat{font-weight:bold}
.filters select{font:inherit;font-weight:normal;max-width:min(26rem,80vw);padding:.1rem .2rem}
.filters .shown{color:var(--muted)}
main{max-width:1400px;margin:0 auto;padding:1rem}
.toc,.doc{background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem;margin-bottom:1.25rem}
.toc h2{margin:0 0 .4rem;font-size:1.15rem}
.toc li{margin:.2rem 0}
.toc .badge{margin-left:.3rem}
.doc-head h2{margin:0;font-size:1.35rem;overflow-wrap:anywhere}
.meta{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:0 1rem;margin:.6rem 0}
.meta dt{color:var(--muted)}
.meta dd{margin:0;overflow-wrap:anywhere}
.counts{list-style:none;padding:0;margin:.4rem 0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem}
.warnings{margin:.5rem 0;padding:.5rem .8rem .5rem 1.8rem;background:#fff8e1;border:1px solid #f0d58c;border-radius:6px}
.warnings .error,.error{color:var(--high)}
.jump{margin:.3rem 0 0}
.columns{display:grid;grid-template-columns:minmax(0,1.05fr) minmax(0,1fr);gap:1.5rem;align-items:start;
margin-top:1rem;border-top:1px solid var(--line);padding-top:.5rem}
.columns h3{font-size:1.1rem;margin:.6rem 0}
.panel{position:sticky;top:3.2rem;max-height:calc(100vh - 3.7rem);overflow:auto;padding-right:.3rem}
.clause{display:flex;gap:.6rem;margin:.15rem 0;padding:.15rem .4rem;border-left:3px solid transparent;
border-radius:2px}
.clause .num{flex:none;min-width:4.2em;font-weight:bold;color:#3d4450}
.clause .text{flex:1;min-width:0;white-space:pre-wrap;overflow-wrap:anywhere}
.clause.depth-1{margin-left:1em}.clause.depth-2{margin-left:2em}.clause.depth-3{margin-left:3em}
.clause.kind-title{justify-content:center;font-size:1.2rem;font-weight:bold;text-align:center}
.clause.kind-heading{font-weight:bold;margin-top:.6rem}
.clause.kind-parties,.clause.kind-preamble,.clause.kind-signature{color:#3d4450}
.clause.flagged{border-left-color:#b9bec7;background:#fafbfc}
.clause:target{outline:2px solid #6b7480}
mark{color:inherit;padding:0 1px;border-radius:2px;border-bottom:2px solid}
mark.sev-high{background:var(--high-bg);border-bottom:2px solid var(--high)}
mark.sev-medium{background:var(--medium-bg);border-bottom:2px dashed var(--medium)}
mark.sev-low{background:var(--low-bg);border-bottom:2px dotted var(--low)}
a.hl{color:inherit;text-decoration:none}
sup.fn{font-size:.7em;line-height:0;margin:0 1px}
sup.fn a{text-decoration:none;font-weight:bold}
sup.fn.sev-high a{color:var(--high)}
sup.fn.sev-medium a{color:var(--medium)}
sup.fn.sev-low a{color:var(--low)}
.badge{display:inline-block;padding:0 .45em;border-radius:3px;color:#fff;font-size:.82em;font-weight:bold;
line-height:1.6;white-space:nowrap}
.badge.sev-high{background:var(--high)}.badge.sev-medium{background:var(--medium)}.badge.sev-low{background:var(--low)}
.finding{border:1px solid var(--line);border-left:5px solid var(--low);border-radius:6px;padding:.5rem .8rem;
margin:.7rem 0;background:#fff}
.finding.sev-high{border-left-color:var(--high)}.finding.sev-medium{border-left-color:var(--medium)}
.finding:target{box-shadow:0 0 0 2px #6b7480}
.finding h4{margin:0 0 .3rem;font-size:1rem;display:flex;flex-wrap:wrap;align-items:baseline;gap:.2rem .5rem}
.finding .no{color:var(--muted);font-weight:normal}
.finding .where{font-weight:bold}
.quote{margin:.3rem 0;padding:.3rem .6rem;background:#f6f7f9;border-left:3px solid #b9bec7;white-space:pre-wrap;
overflow-wrap:anywhere}
.finding dl.body{margin:.3rem 0}
.finding dt{font-weight:bold;margin-top:.35rem}
.finding dd{margin:0 0 0 .2rem;overflow-wrap:anywhere}
.finding .suggestion{background:#edf7ee;border-left:3px solid #5b9a61;padding:.2rem .6rem}
.citations{list-style:none;margin:0;padding:0}
.citation{margin:.2rem 0 .5rem}
.cite-head{display:flex;flex-wrap:wrap;align-items:baseline;gap:0 .5rem}
.citation blockquote{margin:.15rem 0 0;padding:.15rem .6rem;border-left:3px solid #9aa9bb;color:#333a44;
font-size:.93em;white-space:pre-wrap;overflow-wrap:anywhere}
.citation .cited{font-weight:bold;color:#111;background:#eef3f9}
.status{font-size:.82em}
.status-verified{color:#2e7d32}.status-partially_verified{color:var(--medium)}
.status-unverified,.status-unknown{color:var(--high)}
.tags{color:var(--muted);font-size:.85em;margin:.3rem 0 0}
.clean{color:#2e7d32}
.page-foot{color:var(--muted);font-size:.85em;text-align:center;padding:1rem}
@media screen{.filtered-out{display:none}
mark[data-now=high]{background:var(--high-bg);border-bottom:2px solid var(--high)}
mark[data-now=medium]{background:var(--medium-bg);border-bottom:2px dashed var(--medium)}
mark[data-now=low]{background:var(--low-bg);border-bottom:2px dotted var(--low)}
mark.off{background:none;border-bottom-color:transparent}
sup.fn.off{display:none}}
@media (max-width:900px){
.columns{display:flex;flex-direction:column;gap:.5rem}
.panel{position:static;max-height:none;overflow:visible;padding-right:0}
.contract{width:100%}.panel{width:100%}
}
@media (max-width:520px){
body{font-size:14.5px}
.filters{position:static}
.panel{top:0}
main{padding:.5rem}
.page-head{padding:.75rem .75rem 0}
.filters{padding:.35rem .75rem}
.toc,.doc{padding:.75rem;border-radius:6px}
.clause{display:block}
.clause .num{display:inline;min-width:0;margin-right:.5em}
.clause .text{display:inline}
.clause.depth-1,.clause.depth-2,.clause.depth-3{margin-left:.6em}
.finding{padding:.45rem .55rem}
}
@media print{
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
@page{size:A4;margin:16mm 14mm}
body{background:#fff;font-size:10.5pt}
.filters,.jump,script{display:none!important}
main{max-width:none;padding:0}
.toc,.doc{border:0;padding:0;margin:0 0 1rem}
.doc+.doc{break-before:page}
.columns{display:block;border:0}
.panel{position:static;max-height:none;overflow:visible;break-before:page}
.finding,.citation,.clause{break-inside:avoid}
a{color:inherit;text-decoration:none}
mark{border-bottom-width:2px}
}
"""

_JS = """
(function () {
  var form = document.getElementById('filters');
  if (!form) return;
  var boxes = form.querySelectorAll('input[name="severity"]');
  var select = document.getElementById('category-filter');
  var shown = document.getElementById('filter-count');
  function apply() {
    var sev = {}, on = {}, n = 0, total = 0;
    boxes.forEach(function (b) { sev[b.value] = b.checked; });
    var cat = select.value;
    document.querySelectorAll('article.finding').forEach(function (f) {
      total++;
      var ok = sev[f.getAttribute('data-severity')] && (cat === '' || f.getAttribute('data-category') === cat);
      f.classList.toggle('filtered-out', !ok);
      if (ok) { on[f.id] = true; n++; }
    });
    document.querySelectorAll('[data-f]').forEach(function (m) {
      // a span shared by several findings takes the colour and link of the first one still shown
      var first = m.getAttribute('data-f').split(' ').filter(function (id) { return on[id]; })[0];
      m.classList.toggle('off', !first);
      if (m.tagName !== 'MARK') return;
      if (first) {
        m.setAttribute('data-now', document.getElementById(first).getAttribute('data-severity'));
        m.parentNode.setAttribute('href', '#' + first);
      } else {
        m.removeAttribute('data-now');
      }
    });
    shown.textContent = n + ' / ' + total;
  }
  form.addEventListener('change', apply);
})();
"""
