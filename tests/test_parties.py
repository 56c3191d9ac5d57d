"""Party words: lenders, card issuers and clinics on the business side, borrowers on the consumer side."""

import pytest
import re2

from clause_audit.clauses import split_clauses
from clause_audit.matchers import _expand
from clause_audit.model import Block, Document, Location
from clause_audit.parties import CONSUMER_WORDS, DEFAULT_PARTIES, MERCHANT_WORDS, find_parties

LENDER_AND_CLINIC_WORDS = ("贷款人", "出借人", "贷款方", "放款方", "资金方", "发卡行", "本院")


def _doc(*lines: str) -> Document:
    return Document("t.txt", "text", tuple(Block(line, Location(paragraph=i)) for i, line in enumerate(lines)))


def _side(word: str, parties=DEFAULT_PARTIES) -> tuple[bool, bool]:
    """(does {merchant} read `word`, does {consumer} read it) in a clause that starts with it."""
    text = f"{word}有权调整还款计划。"
    merchant = re2.compile(_expand("^{merchant}有权", parties)).search(text) is not None
    consumer = re2.compile(_expand("^{consumer}有权", parties)).search(text) is not None
    return merchant, consumer


@pytest.mark.parametrize("word", LENDER_AND_CLINIC_WORDS)
def test_lenders_card_issuers_and_clinics_are_the_business(word):
    assert word in MERCHANT_WORDS and word not in CONSUMER_WORDS
    assert _side(word) == (True, False)


def test_the_borrower_is_the_consumer():
    assert "借款人" in CONSUMER_WORDS and "借款人" not in MERCHANT_WORDS
    assert _side("借款人") == (False, True)


def test_the_words_hold_whichever_letter_the_business_has():
    parties = find_parties(
        split_clauses(
            _doc("汽车消费贷款合同", "甲方（借款人）：张某某", "乙方（贷款人）：某某银行某某支行", "第一条 贷款金额")
        )
    )
    assert parties.merchant_terms[0] == "乙方" and parties.consumer_terms[0] == "甲方"
    assert _side("贷款人", parties) == (True, False) and _side("借款人", parties) == (False, True)


@pytest.mark.parametrize(
    ("lines", "business", "name"),
    [
        (("甲方（贷款人）：某某银行某某支行", "乙方（借款人）：张某某"), "甲方", "某某银行某某支行"),
        (("甲方（借款人）：张某某", "乙方（出借人）：某某银行某某支行"), "乙方", "某某银行某某支行"),
        (("借款人（甲方）：李某", "资金方（乙方）：某某融资服务部"), "乙方", "某某融资服务部"),
    ],
)
def test_a_lender_or_borrower_role_note_decides_the_letters(lines, business, name):
    parties = find_parties(split_clauses(_doc("借款合同", *lines, "第一条 借款金额")))
    assert parties.merchant_terms[0] == business and parties.merchant_name == name


def test_bank_self_name_is_not_a_party_word():
    # 本行 is also the start of 本行程 / 本行业; rules that mean a bank name 本行 themselves
    assert "本行" not in MERCHANT_WORDS
