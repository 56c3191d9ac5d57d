"""Test helper: a tiny rule library, independent of the packaged one, for the annotated-document tests."""

from __future__ import annotations

from pathlib import Path

from clause_audit.rulebook import Rulebook, load_rulebook

GENERAL = """\
domain: general
rules:
  - id: general/t-final-interpretation
    title: 最终解释权
    category: sole_interpretation
    severity: high
    match:
      any: ['最终解释权归[^。；]{1,12}所有']
    message: 经营者单方享有最终解释权。
    legal_basis: [CAS-8, CPL-26¶2]
    suggestion: 删除最终解释权的约定。
    examples:
      unfair: ['本合同[[最终解释权归甲方所有]]。']
      fair: ['双方对本合同的解释有争议的，按通常理解解释。']
  - id: general/t-owner-decides
    title: 归甲方所有
    category: unilateral_change
    severity: low
    match:
      any: ['归甲方所有']
    message: 权利归经营者一方所有，请确认是否合理。
    legal_basis: [CC-496]
    suggestion: 写明权利归属的依据。
    examples:
      unfair: ['解释权[[归甲方所有]]。']
      fair: ['解释权归双方共有。']
  - id: general/t-no-liability
    title: 免除经营者责任
    category: exempt_personal_injury
    severity: medium
    match:
      any: ['(甲方|本公司|本店)\\s*(概不负责|不承担任何(赔偿)?责任|一概不予负责)']
    message: 免除经营者依法应当承担的责任。
    legal_basis: [CC-506]
    suggestion: 按过错承担相应责任。
    examples:
      unfair: ['一切意外，[[甲方概不负责]]。']
      fair: ['甲方应承担责任。']
  - id: general/t-no-refund
    title: 不退费
    category: restrict_termination
    severity: low
    match:
      any: ['(概不|不予)退还|不退卡、不退费']
    message: 限制消费者请求退款的权利。
    legal_basis: [PPI-9]
    suggestion: 按剩余部分退款。
    examples:
      unfair: ['所交费用[[概不退还]]。']
      fair: ['甲方应退还费用。']
"""

MISSING = """\
domain: {domain}
rules:
  - id: {domain}/t-missing-cooling-off
    title: 缺少冷静期
    category: missing_term
    severity: medium
    document:
      requires: ['冷静期']
      min_clauses: 3
    message: 合同没有约定冷静期。
    legal_basis: [CPLR-22]
    suggestion: 增加七日冷静期条款。
    examples:
      unfair: ['本合同一式两份。']
      fair: ['乙方享有七日冷静期。']
"""


def write_rulebook(folder: Path) -> Rulebook:
    """Write the tiny library into `folder` and load it: four clause rules (two of them overlap on
    最终解释权归甲方所有) and a missing-term rule for prepaid and training documents."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "general.yaml").write_text(GENERAL, encoding="utf-8")
    for domain in ("prepaid", "training"):
        (folder / f"{domain}.yaml").write_text(MISSING.format(domain=domain), encoding="utf-8")
    return load_rulebook([folder])
