"""Chinese ordinals for bulletin headings: 一、二、… and （一）（二）…."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九; larger numbers stay Arabic."""
    if 0 < n < 10:
        return _DIGITS[n]
    if 10 <= n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")
    return str(n)
