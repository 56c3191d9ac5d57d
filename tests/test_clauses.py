import pytest

from clause_audit.clauses import display_number, split_clauses
from clause_audit.labels import match_label
from clause_audit.model import Block, Document, Location
from clause_audit.parties import find_parties


def _doc(*lines: str) -> Document:
    blocks = tuple(Block(line, Location(paragraph=i)) for i, line in enumerate(lines))
    return Document("t.txt", "text", blocks)


CONTRACT = _doc(
    "健身会员服务合同",
    "甲方（经营者）：星城力健健身有限公司",
    "地址：某市某路1号",
    "乙方（会员）：张某某",
    "为明确双方权利义务，经协商一致，订立本合同。",
    "第一章 会员卡",
    "第一条 会员卡种类",
    "（一）年卡：有效期十二个月。",
    "（二）次卡：共三十次。",
    "第二条 乙方应遵守场馆规定。",
    "如有疑问可咨询前台。",
    "第二章 其他",
    "第三条 本合同一式两份。",
    "甲方（盖章）：                乙方（签字）：",
    "日期：2024年1月1日",
    "附件一：价目表",
    "年卡 3000元",
)


def test_kinds_numbers_and_parents():
    clauses = split_clauses(CONTRACT)
    got = [(c.kind, c.number, c.text, c.parent) for c in clauses]
    assert got == [
        ("title", "", "健身会员服务合同", None),
        ("parties", "", "甲方（经营者）：星城力健健身有限公司", None),
        ("parties", "", "地址：某市某路1号", None),
        ("parties", "", "乙方（会员）：张某某", None),
        ("preamble", "", "为明确双方权利义务，经协商一致，订立本合同。", None),
        ("heading", "第一章", "会员卡", None),
        ("clause", "第一条", "会员卡种类", 5),
        ("clause", "（一）", "年卡：有效期十二个月。", 6),
        ("clause", "（二）", "次卡：共三十次。", 6),
        ("clause", "第二条", "乙方应遵守场馆规定。\n如有疑问可咨询前台。", 5),
        ("heading", "第二章", "其他", None),
        ("clause", "第三条", "本合同一式两份。", 10),
        ("signature", "", "甲方（盖章）：                乙方（签字）：", None),
        ("signature", "", "日期：2024年1月1日", None),
        ("attachment", "附件一", "价目表", None),
        ("attachment", "", "年卡 3000元", None),
    ]
    assert display_number(clauses, 8) == "第一条（二）"


def test_no_text_is_lost_between_clauses():
    clauses = split_clauses(CONTRACT)
    for clause in clauses:
        for seg in clause.segments:
            block = CONTRACT.blocks[seg.block]
            assert (
                clause.text[seg.start : seg.start + seg.length]
                == block.text[seg.block_start : seg.block_start + seg.length]
            )
    covered = {seg.block for c in clauses for seg in c.segments}
    assert covered == set(range(len(CONTRACT.blocks)))


def test_unnumbered_notice_gives_one_clause_per_line():
    clauses = split_clauses(_doc("洗衣店告示", "衣物洗涤后七日内未取，本店不负保管责任。", "本店保留最终解释权。"))
    assert [(c.kind, c.text) for c in clauses] == [
        ("title", "洗衣店告示"),
        ("clause", "衣物洗涤后七日内未取，本店不负保管责任。"),
        ("clause", "本店保留最终解释权。"),
    ]


def test_single_pasted_clause():
    (clause,) = split_clauses(_doc("本卡一经售出，概不退款。"))
    assert (clause.kind, clause.number, clause.text) == ("clause", "", "本卡一经售出，概不退款。")


def test_word_numbering_label_comes_from_the_block():
    doc = Document("t.docx", "docx", (Block("本卡不记名。", Location(paragraph=0), label="第一条"),))
    (clause,) = split_clauses(doc)
    assert (clause.number, clause.text, clause.segments[0].block_start) == ("第一条", "本卡不记名。", 0)


def test_number_cell_and_text_cell_of_a_table_row_make_one_clause():
    doc = Document(
        "t.docx",
        "docx",
        (
            Block("1", Location(paragraph=0, table=0, row=0, cell=0)),
            Block("学员报名后概不退费。", Location(paragraph=1, table=0, row=0, cell=1)),
            Block("2、", Location(paragraph=2, table=0, row=1, cell=0)),
            Block("教练由驾校安排。", Location(paragraph=3, table=0, row=1, cell=1)),
        ),
    )
    clauses = split_clauses(doc)
    assert [(c.number, c.text) for c in clauses] == [
        ("1", "学员报名后概不退费。"),
        ("2、", "教练由驾校安排。"),
    ]


def test_labels():
    assert match_label("第十二条　退费").text == "第十二条"
    assert match_label("3.5万元以内") is None
    assert match_label("1.2 课时") is not None and match_label("1.2 课时").style == "decimal-2"


def test_parties_resolve_roles_and_merchant_name():
    parties = find_parties(split_clauses(CONTRACT))
    assert parties.merchant_name == "星城力健健身有限公司"
    assert parties.merchant_terms[0] == "甲方" and parties.consumer_terms[0] == "乙方"


def test_parties_when_the_business_is_yifang():
    clauses = split_clauses(
        _doc(
            "二手车买卖合同",
            "甲方（买方）：李某某",
            "乙方（卖方）：诚信二手车经销有限公司",
            "第一条 车辆信息",
        )
    )
    parties = find_parties(clauses)
    assert parties.merchant_terms[0] == "乙方" and parties.consumer_terms[0] == "甲方"
    assert parties.merchant_name == "诚信二手车经销有限公司"


def test_parties_written_role_first():
    clauses = split_clauses(
        _doc("二手车居间合同", "委托人（甲方）：王某某", "居间方（乙方）：好车汇二手车经纪有限公司", "第一条 服务内容")
    )
    parties = find_parties(clauses)
    assert parties.merchant_terms[0] == "乙方" and parties.merchant_name == "好车汇二手车经纪有限公司"


@pytest.mark.parametrize(
    "text",
    [
        "甲方未按期向乙方支付第二期工程款的，乙方有权停工。",
        "乙方对水电隐蔽工程提供两年保修，验收后的开裂与乙方无关。",
        "甲方应于签约当日向乙方预付工程款的30%。",
        "乙方（装修公司）可自行选用替代材料。",
        "甲方（业主）验收后发现的问题，乙方不再负责。",
        "保修期内乙方仅负责免费维修。",
        "工程竣工后甲方发现质量问题须在七日内提出。",
        "工期延誤的，甲方（業主）同意不向乙方（施工單位）追討違約金。",
        "协议期内甲方不得销户，乙方（运营商）负责上门装机。",
        "施工中乙方可自行选用同等档次的替代材料。",
        "因工人调配原因导致工期延误的，乙方不承担逾期责任。",
        "仓库搬迁的，搬运费用由甲方承担，乙方（仓储方）提前通知。",
        "乙方（商家）发货后，甲方应在七日内验收。",
        "乙方（代驾方）按里程收费。",
        "因档期冲突未能按约定日期拍摄的，乙方（影楼）另行安排日期。",
    ],
)
def test_without_a_parties_block_the_clauses_can_show_yifang_is_the_business(text):
    parties = find_parties(split_clauses(_doc(text)))
    assert parties.merchant_terms[0] == "乙方" and parties.consumer_terms[0] == "甲方"


@pytest.mark.parametrize(
    "text",
    [
        "乙方应按约定向甲方支付会员费，甲方负责提供健身服务。",
        "甲方逾期交车的，应向乙方支付违约金。",
        "乙方有权随时解除合同。",
        "甲方应退还乙方已付的学费。",
        "乙方因个人原因退课的，甲方（健身工作室）按原价核算已上课时。",
        "房源超订的，甲方（民宿）可改排同档次房源，乙方（房客）不得以此主张违约。",
    ],
)
def test_without_a_parties_block_jiafang_stays_the_business_unless_shown_otherwise(text):
    parties = find_parties(split_clauses(_doc(text)))
    assert parties.merchant_terms[0] == "甲方" and parties.consumer_terms[0] == "乙方"


def test_a_parties_block_outranks_the_wording_of_the_clauses():
    clauses = split_clauses(
        _doc(
            "甲方（经营者）：星城装饰有限公司",
            "乙方（业主）：李某某",
            "第一条 乙方应向甲方支付工程款。",
            "第二条 甲方负责施工。",
        )
    )
    assert find_parties(clauses).merchant_terms[0] == "甲方"
    lone = split_clauses(_doc("乙方（经营者）：星城装饰有限公司", "第一条 乙方应向甲方收取工程款。"))
    assert find_parties(lone).merchant_terms[0] == "乙方"


def test_decimal_items_are_cited_by_their_own_number():
    clauses = split_clauses(
        _doc(
            "1. 车辆基本情况",
            "1.4 出险记录以查询结果为准。",
            "（1）附件一为车况确认单。",
            "2. 价款",
            "2.2 定金为车价的20%。",
        )
    )
    cited = {c.text: display_number(clauses, c.index) for c in clauses}
    assert cited["出险记录以查询结果为准。"] == "1.4"
    assert cited["附件一为车况确认单。"] == "1.4（1）"
    assert cited["定金为车价的20%。"] == "2.2"
    assert cited["价款"] == "2"


def test_a_line_broken_mid_sentence_joins_the_clause_it_breaks_off():
    # a hard-wrapped notice with no numbering: the break inside 概不退款 must not split the clause
    clauses = split_clauses(_doc("会员须知", "本店会员卡一经售出，概不退", "款，敬请谅解。", "营业时间九点至晚九点"))
    joined = "本店会员卡一经售出，概不退\n款，敬请谅解。"
    assert [c.text for c in clauses] == ["会员须知", joined, "营业时间九点至晚九点"]
    assert [s.block for s in clauses[1].segments] == [1, 2]


def test_short_lines_and_finished_sentences_stay_clauses_of_their_own():
    clauses = split_clauses(_doc("会员卡不记名", "余额可随时查询", "本卡限本人使用。", "遗失不补办"))
    assert [c.text for c in clauses] == ["会员卡不记名", "余额可随时查询", "本卡限本人使用。", "遗失不补办"]


def test_a_wrapped_line_is_audited_as_one_clause(tmp_path):
    from clause_audit.pipeline import audit

    path = tmp_path / "notice.txt"
    path.write_text("本店储值卡充值后只能到店消费，卡内余额概不退\n款，也不能兑换现金。\n", encoding="utf-8")
    report = audit(path, domain="prepaid")
    assert len(report.clauses) == 1
    quotes = [f.quote for f in report.findings if f.rule_id == "prepaid/no-refund"]
    assert quotes == ["概不退\n款"]
