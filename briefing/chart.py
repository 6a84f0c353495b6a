"""Charts from content data, drawn with matplotlib as SVG in the pack's fonts and colours.

The text is converted to paths, so the SVG needs no font; the hash salt and the metadata are
fixed, so the same numbers give the same bytes. Drawing imports matplotlib (about half a second),
so a chart is cached under a hash of everything that makes it.
"""
from __future__ import annotations

import io
import json
import textwrap
from pathlib import Path

from .cache import cached, key

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
BLUE, GREY, INK, RULE = "#0a5c9e", "#56616d", "#1d2733", "#b9c6d3"
MIN_BAR = 0.015  # of the largest value: the shortest bar drawn
# Drawn at the size it is printed (inches), so that its text is 8 pt on paper.
FIGSIZE = {"column": (3.4, 2.6), "full": (6.6, 3.4), "page": (6.6, 6.0)}


def svg(chart: dict, size: str, cache_dir: Path) -> bytes:
    """chart: plain data for one edition: type, labels and value texts already in its languages,
    values, unit (or None)."""
    name = key(json.dumps(chart, sort_keys=True, ensure_ascii=False), size,
               files=(Path(__file__), FONTS / "NotoSans-Regular.ttf", FONTS / "NotoSans-Bold.ttf"),
               packages=("matplotlib",))
    return cached(cache_dir / f"chart-{name}.svg", lambda: _draw(chart, size), lambda data: data.startswith(b"<?xml"))


def _without_doctype(data: bytes) -> bytes:
    """matplotlib writes the SVG 1.1 DOCTYPE, which EPUBCheck 4.2 rejects (OPF-073, HTM-003) and
    the picture gate refuses in an image; the document is the same without it."""
    from lxml import etree
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _draw(chart: dict, size: str) -> bytes:
    import matplotlib
    matplotlib.use("svg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    for font in ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"):
        font_manager.fontManager.addfont(str(FONTS / font))
    style = {"svg.hashsalt": "briefing", "svg.fonttype": "path", "font.family": "Noto Sans", "font.size": 8,  # print.css --type-s
             "text.color": INK, "axes.edgecolor": RULE, "axes.labelcolor": GREY, "xtick.color": INK,
             "ytick.color": GREY, "axes.spines.top": False, "axes.spines.right": False,
             "axes.spines.left": False}
    with matplotlib.rc_context(style):
        fig, ax = plt.subplots(figsize=FIGSIZE[size])
        try:
            positions = range(len(chart["values"]))
            top = max(chart["values"]) or 1
            if chart["type"] == "bar":
                # A small value keeps a visible bar (its number stands on it): 112 beside 14,000
                # would be a hairline. The axis still starts at zero.
                drawn = [max(v, top * MIN_BAR) if v > 0 else v for v in chart["values"]]
                ax.bar(positions, drawn, width=0.6, color=BLUE)
            else:
                drawn = chart["values"]
                ax.plot(positions, drawn, color=BLUE, linewidth=2, marker="o", markersize=4)
            for x, (value, texts) in enumerate(zip(drawn, chart["texts"])):
                # The number in each language's format, the first on top, the others under it in grey.
                for line, text in enumerate(texts):
                    ax.annotate(text, (x, value), xytext=(0, 3 + 10 * (len(texts) - 1 - line)),
                                textcoords="offset points", ha="center", va="bottom",
                                fontweight="bold" if line == 0 else "normal", color=BLUE if line == 0 else GREY)
            wrap = 24 if size == "column" else 30  # characters per line under a bar
            ax.set_xticks(list(positions), ["\n".join(textwrap.fill(line, wrap) for line in label.split("\n"))
                                            for label in chart["labels"]])
            ax.tick_params(axis="x", length=0, pad=4)
            ax.set_yticks([])
            ax.set_ylim(0, top * 1.25)
            if chart["unit"]:
                ax.set_title(chart["unit"], loc="left", color=GREY, fontsize=8)
            fig.tight_layout(pad=0.3)
            out = io.BytesIO()
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
            return _without_doctype(out.getvalue())
        finally:
            plt.close(fig)
