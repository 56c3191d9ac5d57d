"""jieba words of a text, for comparing wordings (recheck, bulletin grouping); loaded only when asked for."""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from clause_audit.cache import cache_dir
from clause_audit.domains import domain_terms


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.dt.tmp_dir = str(cache_dir())
    # the domain vocabulary comes out as single tokens (会员卡, 二手车), as the similarity thresholds
    # of recheck and the bulletin were measured with
    for words in domain_terms().values():
        for word in words:
            jieba.add_word(word, freq=20000)
    jieba.initialize()
    return jieba


def words(text: str, *, search: bool = False) -> list[str]:
    """jieba tokens of `text` (no HMM), with the domain vocabulary loaded; `search` adds the shorter words
    inside long ones (jieba's search mode: 金融机构 → 金融, 机构, 金融机构)."""
    jieba = _tokenizer()
    return list(jieba.lcut_for_search(text, HMM=False) if search else jieba.lcut(text, HMM=False))
