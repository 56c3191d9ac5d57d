"""The Chinese phrases every recheck output shares: counts, conclusion, where a finding sits."""

from __future__ import annotations

from clause_audit.recheck.comparison import STATUS_NAMES, STATUSES, Flag, Recheck, Version
from clause_audit.reviewing import REVIEW_STATUS_NAMES

TITLE = "整改复查意见"


def counts_words(recheck: Recheck) -> str:
    return "，".join(f"{STATUS_NAMES[s]} {recheck.count(s)} 处" for s in STATUSES)


def conclusion(recheck: Recheck) -> str:
    if not recheck.outcomes:
        return "修改前后均未发现问题条款。"
    if recheck.rectified:
        return "原有问题已全部整改，未发现新的问题条款。"
    remaining = sum(o.still_flagged for o in recheck.outcomes)
    return f"仍有 {remaining} 处问题条款需要整改（未整改、部分修改或新增，不含已驳回的问题）。"


def version_words(version: Version) -> str:
    case = f"（案件 #{version.case_id}）" if version.case_id is not None else ""
    return f"{version.source}{case}"


def where(flag: Flag | None) -> str:
    if flag is None:
        return "—"
    if not flag.clause_text:
        return "全文"
    return flag.clause_number or "未编号条款"


def review_words(status: str, note: str) -> str:
    if status == "open":
        return ""
    return REVIEW_STATUS_NAMES[status] + (f"：{note}" if note else "")


def rules_changed(recheck: Recheck) -> bool:
    return recheck.old.rules_version != recheck.new.rules_version
