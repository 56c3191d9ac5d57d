"""The Chinese meaning of each rule category code (DESIGN.md, 《合同行政监督管理办法》第七、八条)."""

from __future__ import annotations

CATEGORY_NAMES: dict[str, str] = {
    "exempt_personal_injury": "免除或减轻经营者造成消费者人身伤害的责任",
    "exempt_property_damage": "免除或减轻因故意或重大过失造成财产损失的责任",
    "exempt_after_sales": "免除修理、重作、更换、退货、退款等责任",
    "exempt_breach": "免除或减轻经营者的违约责任",
    "exempt_duties": "免除通知、协助、保密等义务",
    "excessive_penalty": "违约金、赔偿金、手续费、定金超过法定或合理数额",
    "shift_business_risk": "让消费者承担经营风险（停业、搬迁、转让、涨价…）",
    "restrict_choice": "限制自主选择（指定贷款、保险、维修机构，强制搭售）",
    "restrict_termination": "排除或限制变更、解除合同、退款、退卡、转让的权利",
    "restrict_claims": "排除或限制请求违约金、损害赔偿的权利",
    "restrict_remedies": "排除或限制投诉、举报、调解、仲裁、诉讼的权利（含不合理管辖约定）",
    "sole_interpretation": "经营者单方享有解释权或最终解释权",
    "unilateral_change": "经营者单方变更合同内容、价格、服务，单方解除，“视为同意”",
    "expiry_forfeiture": "预付余额、课时过期作废，违规设置有效期",
    "prepayment_cap": "超过规定限额的预收费",
    "privacy_overreach": "过度收集、擅自使用或提供个人信息",
    "missing_term": "必备条款缺失（文档级）",
}


def category_name(code: str) -> str:
    """The Chinese meaning of a category code; an unknown code is shown as it is."""
    return CATEGORY_NAMES.get(code, code)
