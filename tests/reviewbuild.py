"""Test helper: small audited contracts for the review-report renderers, from a rule folder of their own.

The packaged rule library changes as it is written, so these tests bring the rules they need:
two overlapping findings in 第一条, a low one in 第二条 whose clause also holds markup, a quoted
term in 第三条, and a missing refund term.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from clause_audit import audit
from clause_audit.model import Finding, Report
from clause_audit.rulebook import Rulebook, load_rulebook

RULES = """\
domain: general
rules:
  - id: general/t-no-refund
    title: 概不退款
    category: restrict_termination
    severity: high
    match:
      any: ['概不退(款|还|费)']
    message: 排除消费者解除合同、请求退款的权利。
    legal_basis: [CAS-8(四)]
    suggestion: 乙方可申请退卡，甲方按剩余金额退款。
    examples:
      unfair: ['本卡[[概不退款]]。']
      fair: ['本卡可以退款。']
  - id: general/t-balance
    title: 卡内余额不退
    category: expiry_forfeiture
    severity: medium
    match:
      any: ['余额概不退']
    message: 预付余额不予退还。
    legal_basis: [CC-497(一)]
    suggestion: 卡内余额按原支付方式退还。
    examples:
      unfair: ['卡内[[余额概不退]]。']
      fair: ['卡内余额可退。']
  - id: general/t-final
    title: 最终解释权
    category: sole_interpretation
    severity: low
    match:
      any: ['最终解释权']
    message: 经营者单方享有解释权。
    legal_basis: [CPL-26¶2]
    suggestion: 删除该条款，按通常理解解释。
    examples:
      unfair: ['本店保留[[最终解释权]]。']
      fair: ['按通常理解解释。']
  - id: general/t-house-rules
    title: 以店规约束会员
    category: restrict_choice
    severity: medium
    match:
      any: ['“店规”']
    message: 以未提供给消费者的店规约束消费者。
    legal_basis: [CPL-26]
    suggestion: 将店规作为合同附件交给乙方。
    examples:
      unfair: ['遵守[[“店规”]]。']
      fair: ['遵守本合同。']
  - id: general/t-missing-refund
    title: 缺少退款方式
    category: missing_term
    severity: medium
    document:
      requires: ['退款方式|退还方式']
      min_clauses: 2
    message: 合同没有约定预付款的退还方式。
    legal_basis: [CPLR-22]
    suggestion: 增加“退款方式：原路退回”条款。
    examples:
      unfair: ['本合同一式两份。']
      fair: ['退款方式：原路退回。']
"""

CONTRACT = """\
会员卡服务协议
第一条 本卡一经售出，卡内余额概不退还。
第二条 本店保留最终解释权。<script>alert("x")</script> & "引号" 'a'
第三条 会员须遵守“店规” * _ [x](y) # | 等符号。
"""

CLEAN = "会员须知\n第一条 会员卡在有效期内使用。\n第二条 退款方式：原路退回。\n"


def rulebook(folder: Path) -> Rulebook:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "t.yaml").write_text(textwrap.dedent(RULES), encoding="utf-8")
    return load_rulebook([folder])


def contract_report(book: Rulebook, text: str = CONTRACT, name: str = "会员卡须知.txt") -> Report:
    return audit(text.encode("utf-8"), filename=name, domain="general", rulebook=book)


def finding(report: Report, rule_id: str) -> Finding:
    return next(f for f in report.findings if f.rule_id == rule_id)
