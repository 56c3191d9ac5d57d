"""The statistics bar chart as PNG bytes: problem clauses by category, stacked by domain, Chinese labels.

matplotlib is imported here only, when a bulletin is built. The CJK font is the Noto Sans CJK SC file that
the mplfonts wheel ships, loaded by path (mplfonts' own set-up may download fonts, so it is never called).
"""

from __future__ import annotations

import io
import os
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from clause_audit.bulletin.content import Bulletin
from clause_audit.model import DOMAIN_NAMES

FONT_FILE = "NotoSansCJKsc-Regular.otf"
COLORS = {"prepaid": "#c0504d", "used_car": "#4f81bd", "training": "#9bbb59", "general": "#8064a2"}
CHART_TITLE = "不公平格式条款问题分布"


def font_path() -> Path | None:
    """The Noto Sans CJK SC font inside the installed mplfonts package, without importing mplfonts."""
    spec = find_spec("mplfonts")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        candidate = Path(folder) / "fonts" / FONT_FILE
        if candidate.is_file():
            return candidate
    return None


@cache
def _font() -> Any:
    from matplotlib import font_manager

    path = font_path()
    if path is None:
        return font_manager.FontProperties()  # no CJK glyphs, but still a chart
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path))


def chart_png(bulletin: Bulletin, *, dpi: int = 150) -> bytes:
    """A horizontal stacked bar chart of problem clauses per category and domain, as PNG bytes."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = _font()
    rows = list(reversed(bulletin.stats))  # largest on top
    height = max(2.2, 0.42 * len(rows) + 1.4)
    figure = Figure(figsize=(7.2, height), dpi=dpi)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    labels = [r.short for r in rows]
    left = [0] * len(rows)
    for k, domain in enumerate(bulletin.domains):
        values = [r.counts[k] for r in rows]
        axes.barh(
            labels,
            values,
            left=left,
            color=COLORS.get(domain, "#7f7f7f"),
            label=DOMAIN_NAMES.get(domain, domain),
            height=0.62,
        )
        left = [a + b for a, b in zip(left, values, strict=True)]
    for y, total in enumerate(left):
        axes.text(total + 0.08, y, str(total), va="center", fontproperties=font, fontsize=9)
    axes.set_yticks(range(len(labels)), labels, fontproperties=font, fontsize=10)
    axes.set_xlabel("问题条款数（处）", fontproperties=font, fontsize=10)
    axes.set_title(CHART_TITLE, fontproperties=font, fontsize=12)
    axes.set_xlim(0, max(left or [1]) * 1.12 + 0.5)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.spines[["top", "right"]].set_visible(False)
    if bulletin.domains:
        axes.legend(prop=font, loc="lower right", frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    # metadata set explicitly: nothing about the inputs or the machine goes into the file
    figure.savefig(out, format="png", metadata={"Title": CHART_TITLE, "Software": "clause-audit"})
    return out.getvalue()
