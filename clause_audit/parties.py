"""Who is the business and who is the consumer: from the parties block, for rules and reports.

Rules say `{merchant}` and `{consumer}` instead of 甲方/乙方, because a contract may put either
side first: a used-car dealer is 甲方 in one contract and 乙方 in the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from clause_audit.model import Clause
from clause_audit.normalize import to_simplified

MERCHANT_WORDS = (
    "本店", "本公司", "本机构", "本中心", "本俱乐部", "本会所", "本馆", "本校", "本驾校", "本平台", "商家",
    "经营者", "卖方", "出卖人", "销售方", "服务方", "培训机构", "培训方", "机构", "门店", "公司", "居间方",
    "经纪方", "居间人", "经纪机构", "平台", "本平台", "驾校", "学校", "培训学校", "本站", "俱乐部", "会所",
    "本方", "我方", "我店", "我司", "本司", "本商场", "商场", "本酒店", "本餐厅", "本场馆", "主办方",
    "店家", "商户", "店长", "老板", "本社", "旅行社", "本旅行社", "物业公司", "物业服务企业", "物业服务中心",
    "物业服务人", "本停车场", "本酒楼", "本商城", "本网站", "本工作室", "出租人", "出租方", "承运人", "运营方",
    "平台方", "我们", "本园", "园方", "本车行", "车行", "本中介", "中介方", "本市场", "酒店", "本会",
    "贷款人", "出借人", "贷款方", "放款方", "资金方", "发卡行", "本院",
)  # fmt: skip
CONSUMER_WORDS = (
    "消费者", "会员", "学员", "顾客", "客户", "买方", "买受人", "购买方", "委托人", "家长", "持卡人", "用户",
    "您", "学生", "游客", "旅客", "乘客", "业主", "住户", "承租人", "租户", "买家", "客人", "住客", "车主",
    "寄件人", "托运人", "你", "旅游者", "租客", "雇主", "订餐人", "求美者", "受术者", "宾客", "投保人",
    "新人", "患者", "认购人", "借款人",
)  # fmt: skip

_PARTY_LETTERS = ("甲方", "乙方", "丙方")
_ROLE_LINE = re.compile(r"^[ \t\u3000]*(甲方|乙方|丙方)([^：:\n]{0,14})[：:][ \t\u3000]*(.*)$")
# 委托人（甲方）：… — the role first, the party letter in brackets
_ROLE_FIRST_LINE = re.compile(
    r"^[ \t\u3000]*([^：:（(\n]{1,10})[（(](甲方|乙方|丙方)[）)][ \t\u3000]*[：:][ \t\u3000]*(.*)$"
)
_BUSINESS_NAME = re.compile(r"公司|店|中心|学校|驾校|俱乐部|会所|工作室|机构|学院|馆|商行|车行|门市部|经营部")
_MERCHANT_HINT = re.compile(
    r"经营者|卖方|出卖人|销售方|服务方|培训机构|机构|居间|经纪|商家|发卡|贷款人|贷款方|出借人|放款方|资金方"
)
_CONSUMER_HINT = re.compile(r"消费者|会员|学员|买方|买受人|购买方|委托人|家长|顾客|客户|持卡人|监护人|借款人")


@dataclass(frozen=True)
class Parties:
    merchant_terms: tuple[str, ...]
    consumer_terms: tuple[str, ...]
    merchant_name: str = ""


DEFAULT_PARTIES = Parties(merchant_terms=("甲方", *MERCHANT_WORDS), consumer_terms=("乙方", *CONSUMER_WORDS))


def find_parties(clauses: tuple[Clause, ...]) -> Parties:
    """Resolve 甲方/乙方 to business and consumer; defaults to 甲方 = business when the text is silent."""
    merchant_letter, consumer_letter, name = "", "", ""
    for clause in clauses:
        if clause.kind not in ("parties", "preamble", "title"):
            continue
        for line in clause.text.splitlines():
            m = _ROLE_LINE.match(line)
            if m is not None:
                letter, note, value = m.group(1), m.group(2), m.group(3).strip()
            elif (m := _ROLE_FIRST_LINE.match(line)) is not None:
                letter, note, value = m.group(2), m.group(1), m.group(3).strip()
            else:
                continue
            if _MERCHANT_HINT.search(note) or (not _CONSUMER_HINT.search(note) and _BUSINESS_NAME.search(value)):
                if not merchant_letter:
                    merchant_letter, name = letter, _clean_name(value)
            elif (_CONSUMER_HINT.search(note) or value) and not consumer_letter:
                consumer_letter = letter
    if not merchant_letter and not consumer_letter:
        merchant_letter = _business_letter_from_body(clauses)
    if not merchant_letter:
        merchant_letter = "甲方" if consumer_letter != "甲方" else "乙方"
    if not consumer_letter:
        consumer_letter = next(x for x in _PARTY_LETTERS if x != merchant_letter)
    return Parties(
        merchant_terms=(merchant_letter, *MERCHANT_WORDS),
        consumer_terms=(consumer_letter, *CONSUMER_WORDS),
        merchant_name=name,
    )


def _business_letter_from_body(clauses: tuple[Clause, ...]) -> str:
    """乙方 when the clauses themselves say 乙方 is the business (who is paid, who builds, who repairs).

    Only for text with no parties block: a lone clause or an excerpt. 甲方 stays the business unless
    the evidence for 乙方 outweighs the evidence for 甲方.
    """
    text = to_simplified("\n".join(c.text for c in clauses))
    yifang = sum(len(p.findall(text)) for p in _SAYS_YIFANG_IS_BUSINESS)
    jiafang = sum(len(p.findall(text)) for p in _SAYS_JIAFANG_IS_BUSINESS)
    return "乙方" if yifang > jiafang else ""


_GAP = "[^，,。；;！!\n]{0,8}?"
_PAID_FOR = "(?:服务费|费用|价款|全款|尾款|首付|定金|订金|学费|租金|房款|工程款|装修款|货款|押金|保证金|车款|会费|总价)"
_SERVICE = "(?:施工|安装|保修|质保|维修|配送|送货|服务|培训|教学|课程|装修|设计)"
_BUSINESS_NOTE = (
    "(?:公司|店|中心|机构|卖方|出卖人|服务方|施工方|施工单位|承包方|经营者|出租方|承运人|物业|学校|驾校|平台"
    "|运营商|工作室|车行|会所|俱乐部|馆|院|民宿|酒店|宾馆|仓储方|保管方|保管人|存储方|托管方|受托方|受托人|代驾方"
    "|维修方|承修方|安装方|销售方|供货方|供应商|商家|影楼|摄影|影城|影院|诊所|门诊|乐园|幼儿园|旅行社|超市|商场|商行)"
)
_CUSTOMER_NOTE = (
    "(?:业主|买方|买受人|委托人|发包方|消费者|学员|家长|会员|承租方|承租人|租户|客户|顾客|用户|游客"
    "|房客|住客|乘客|旅客|车主|雇主)"
)


def _business_evidence(business: str, customer: str) -> tuple[re.Pattern[str], ...]:
    """Wordings that show `business` sells and `customer` pays; refunds go to the customer."""
    patterns = (
        rf"{customer}(?:应|须|需|应当)?{_GAP}(?:向{business})?(?:支付|交纳|缴纳|付清|预付|预交|结清){_GAP}{_PAID_FOR}",
        rf"向{business}(?:支付|交纳|缴纳|付清|预付|结清){_GAP}{_PAID_FOR}",
        rf"{business}(?:有权)?(?:另行)?收取",
        rf"(?:退还|返还|退回|退给){customer}",
        rf"{business}(?:[仅只应须将可]|应当)?(?:负责|提供|进行|组织|完成|安排|承接|承揽){_GAP}{_SERVICE}",
        rf"{customer}{_GAP}(?:验收|发现{_GAP}(?:质量问题|故障|瑕疵|缺陷))",
        rf"{business}(?:对|就){_GAP}{_GAP}提供{_GAP}{_SERVICE}",
        rf"{business}[（(][^）)\n]{{0,12}}?{_BUSINESS_NOTE}[^）)\n]{{0,4}}[）)]",
        rf"{customer}[（(]{_CUSTOMER_NOTE}[）)]",
        rf"{business}(?:可|有权|可以)?自行(?:选用|采购|更换|变更|调整|安排){_GAP}(?:材料|替代品|品牌|配件|工人|施工)",
        rf"(?:工期|交付|竣工)(?:延误|延期|逾期|顺延)的?[，,]?{_GAP}{business}(?:不承担|承担|应当?|须)",
    )
    return tuple(re.compile(p) for p in patterns)


_SAYS_YIFANG_IS_BUSINESS = _business_evidence("乙方", "甲方")
_SAYS_JIAFANG_IS_BUSINESS = _business_evidence("甲方", "乙方")


def _clean_name(value: str) -> str:
    """The business name written after 甲方（经营者）：, without trailing blanks or underscores."""
    return re.split(r"[ \t\u3000_（(]{2,}|[ \t\u3000]*（盖章）", value)[0].strip(" _\u3000")
