"""Recheck as a short, self-contained HTML 整改复查意见 (printable; every text escaped)."""

from __future__ import annotations

from datetime import date
from html import escape

from clause_audit.recheck.comparison import STATUS_NAMES, Flag, Recheck
from clause_audit.recheck.wording import TITLE, conclusion, counts_words, review_words, rules_changed, version_words
from clause_audit.recheck.wording import where as where_words

_CSS = """
body{font-family:"Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;max-width:60em;margin:2em auto;
padding:0 1em;line-height:1.6;color:#222}
h1{text-align:center;font-size:1.6em}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #999;padding:.4em;vertical-align:top;text-align:left}th{background:#eee}
.rectified{color:#1a7f37}.unrectified{color:#c00;font-weight:bold}.partial{color:#b35900;font-weight:bold}
.new{color:#8250df;font-weight:bold}.verdict{font-weight:bold;margin:1em 0}.note{color:#666;font-size:.9em}
"""


def render_html(recheck: Recheck, *, today: date | None = None) -> str:
    rows = []
    for o in recheck.outcomes:
        flag = o.earlier or o.current
        assert flag is not None
        similarity = f"<br><span class=note>相似度 {o.similarity:.2f}</span>" if o.similarity is not None else ""
        note = o.earlier.reviewer_note if o.earlier else ""
        rows.append(
            f"<tr><td class={o.status}>{STATUS_NAMES[o.status]}{similarity}</td>"
            f"<td>{escape(flag.title)}<br><code>{escape(flag.rule_id)}</code></td>"
            f"<td>{_cell(o.earlier)}</td><td>{_cell(o.current)}</td>"
            f"<td>{escape(review_words(o.review_status, note))}</td></tr>"
        )
    table = (
        "<table><thead><tr><th>结果</th><th>规则</th><th>修改前</th><th>修改后</th><th>复核结论</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
        if rows
        else ""
    )
    merchant = recheck.new.merchant or recheck.old.merchant
    warning = (
        f"<p class=note>两次审查的规则库版本不同（{escape(recheck.old.rules_version)} → "
        f"{escape(recheck.new.rules_version)}），部分差异可能来自规则变化。</p>"
        if rules_changed(recheck)
        else ""
    )
    return (
        f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}</title>'
        f"<style>{_CSS}</style></head><body><h1>{TITLE}</h1>"
        f"<p>修改前：{escape(version_words(recheck.old))}<br>修改后：{escape(version_words(recheck.new))}"
        + (f"<br>经营者：{escape(merchant)}" if merchant else "")
        + f"<br>复查日期：{(today or date.today()).isoformat()}</p>{warning}{table}"
        f"<p>{counts_words(recheck)}</p><p class=verdict>结论：{escape(conclusion(recheck))}</p>"
        "<p class=note>本意见由 clause-audit 自动比对生成，仅供参考，须经工作人员复核确认。</p></body></html>\n"
    )


def _cell(flag: Flag | None) -> str:
    if flag is None:
        return "—"
    return f"{escape(where_words(flag))}：{escape(flag.quote)}"
