from clause_audit.categories import CATEGORY_NAMES, category_name
from clause_audit.model import CATEGORIES


def test_every_category_of_the_design_has_a_chinese_meaning():
    assert tuple(CATEGORY_NAMES) == CATEGORIES
    assert len(CATEGORY_NAMES) == 17
    assert category_name("sole_interpretation") == "经营者单方享有解释权或最终解释权"
    assert category_name("no_such_code") == "no_such_code"
