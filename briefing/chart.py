"""Charts from content data, drawn with matplotlib as SVG in the pack's fonts and colours.

Print: the text is converted to paths, so the SVG needs no font. Screens (the EPUB): the chart is
drawn at phone proportions and put into the page, its text real <text> in the book's font and the
reader's text colour, so that it follows a night theme and the reader's text size. The hash salt
and the metadata are fixed, so the same numbers give the same bytes. Drawing imports matplotlib
(about half a second), so a chart is cached under a hash of everything that makes it.
"""
from __future__ import annotations

import io
import json
import re
import textwrap
from pathlib import Path

from .cache import cached, key

FONTS = Path(__file__).resolve().parent.parent / "styles" / "fonts"
MIN_BAR = 0.015  # of the largest value: the shortest bar drawn
# Drawn at the size it is printed (inches), so that its text is 8 pt on paper.
FIGSIZE = {"column": (3.4, 2.6), "full": (6.6, 3.4), "page": (6.6, 6.0)}
PRINT_FONTS, SCREEN_FONTS = ("Regular", "Bold"), ("Regular", "Bold", "Italic")  # Noto Sans's styles each draws in


def svg(chart: dict, size: str, cache_dir: Path) -> bytes:
    """chart: plain data for one edition: type, labels and value texts already in its languages,
    values, unit (or None)."""
    name = key(json.dumps(chart, sort_keys=True, ensure_ascii=False), size,
               files=(Path(__file__), *_font_files(PRINT_FONTS)), packages=("matplotlib",))
    return cached(cache_dir / f"chart-{name}.svg", lambda: _draw(chart, size), lambda data: data.startswith(b"<?xml"))


# Screens: the bars in the brand's accent (a fill, beside its number); the text is drawn in a
# stand-in colour that becomes the reader's (currentColor), so that it follows the reader's theme.
READER = "#010203"
SCREEN_WIDTH, SCREEN_TEXT = 220, 12  # user units (pt): shown 20em wide, its text is 1.1em, more on a phone


def screen_svg(chart: dict, prefix: str, cache_dir: Path) -> bytes:
    """The chart for a screen, as an <svg> element to put into an XHTML page: ids start with
    `prefix`, so that two charts can share a page."""
    name = key(json.dumps(chart, sort_keys=True, ensure_ascii=False), prefix, "screen",
               files=(Path(__file__), *_font_files(SCREEN_FONTS)),
               packages=("matplotlib", "lxml"))
    return cached(cache_dir / f"chart-{name}-screen.svg", lambda: _for_screen(_draw_screen(chart), prefix),
                  lambda data: data.startswith(b"<svg"))


def _draw_screen(chart: dict) -> bytes:
    """Horizontal bars, one under another, each under its label: a phone's proportions, and no
    label turned or squeezed. Laid out in points on an axes that fills the figure."""
    matplotlib, plt = _pyplot(SCREEN_FONTS)
    from matplotlib.font_manager import FontProperties
    from matplotlib.patches import Rectangle
    from matplotlib.textpath import TextToPath

    size, line, bar = SCREEN_TEXT, SCREEN_TEXT * 1.3, SCREEN_TEXT * 1.2
    values = chart["values"]
    top = max(values) or 1
    labels = [[wrapped for part in label.split("\n") for wrapped in textwrap.wrap(part, 30)] for label in chart["labels"]]
    numbers = [" / ".join(texts) for texts in chart["texts"]]
    unit = [chart["unit"]] if chart["unit"] else []
    height = line * 1.5 * len(unit) + sum(line * len(lines) + bar + size for lines in labels) + 4
    style = {"svg.hashsalt": "briefing", "svg.fonttype": "none", "font.family": "Noto Sans", "font.size": size}
    with matplotlib.rc_context(style):
        fig = plt.figure(figsize=(SCREEN_WIDTH / 72, height / 72))
        try:
            ax = fig.add_axes((0, 0, 1, 1))
            ax.set_axis_off()
            ax.set_xlim(0, SCREEN_WIDTH)
            ax.set_ylim(height, 0)
            bold = FontProperties(family="Noto Sans", weight="bold", size=size)
            room = max(TextToPath().get_text_width_height_descent(n, bold, ismath=False)[0] for n in numbers) + 6
            y = 0.0
            for text in unit:  # what the numbers count, set apart from the first label
                ax.text(0, y, text, va="top", color=READER, fontstyle="italic")
                y += line * 1.5
            for lines, value, number in zip(labels, values, numbers):
                for text in lines:
                    ax.text(0, y, text, va="top", color=READER)
                    y += line
                # A small value keeps a visible bar: 112 beside 14,000 would be a hairline.
                length = (SCREEN_WIDTH - room) * max(value / top, MIN_BAR * 2) if value > 0 else 0
                ax.add_patch(Rectangle((0, y), length, bar, color=chart["colours"]["accent"], clip_on=False))
                ax.text(length + 4, y + bar / 2, number, va="center", fontweight="bold", color=READER)
                y += bar + size
            out = io.BytesIO()
            fig.savefig(out, format="svg", transparent=True,
                        metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
            return out.getvalue()
        finally:
            plt.close(fig)


def _for_screen(data: bytes, prefix: str) -> bytes:
    """matplotlib's SVG as an element of the page: no DOCTYPE, size or style sheet of its own (its
    `*` rule would reach the whole page), no metadata, ids of its own, the book's font, and the
    text in the reader's colour. Hidden from assistive technology: the figure gives its text."""
    from lxml import etree
    svg_ns = "{http://www.w3.org/2000/svg}"
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                  remove_blank_text=True))
    for attribute in ("width", "height", "version"):
        root.attrib.pop(attribute, None)
    for element in list(root.iter(f"{svg_ns}style", f"{svg_ns}metadata")):
        element.getparent().remove(element)
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        if element.get("id"):
            element.set("id", f"{prefix}-{element.get('id')}")
        style = element.get("style")
        if style:
            style = style.replace(READER, "currentColor")
            if "font-family" in style:
                style = re.sub(r"font-family:[^;]*", "font-family: 'Noto Sans', sans-serif", style)
            element.set("style", style)
    root.set("class", "chart-svg")
    root.set("aria-hidden", "true")
    return etree.tostring(root, encoding="utf-8")


def _without_doctype(data: bytes) -> bytes:
    """matplotlib writes the SVG 1.1 DOCTYPE, which EPUBCheck 4.2 rejects (OPF-073, HTM-003) and
    the picture gate refuses in an image; the document is the same without it."""
    from lxml import etree
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


def _font_files(styles) -> list[Path]:
    return [FONTS / f"NotoSans-{style}.ttf" for style in styles]


def _pyplot(styles):
    """matplotlib and its pyplot, drawing SVG, with the pack's Noto Sans in `styles` known to it."""
    import matplotlib
    matplotlib.use("svg")
    from matplotlib import font_manager
    from matplotlib import pyplot
    for path in _font_files(styles):
        font_manager.fontManager.addfont(str(path))
    return matplotlib, pyplot


def _draw(chart: dict, size: str) -> bytes:
    matplotlib, plt = _pyplot(PRINT_FONTS)
    colours = chart["colours"]  # the brand's (brand.COLOURS)
    accent, quiet, ink, rule = colours["accent"], colours["quiet"], colours["text"], colours["rule"]
    style = {"svg.hashsalt": "briefing", "svg.fonttype": "path", "font.family": "Noto Sans", "font.size": 8,  # print.css --type-s
             "text.color": ink, "axes.edgecolor": rule, "axes.labelcolor": quiet, "xtick.color": ink,
             "ytick.color": quiet, "axes.spines.top": False, "axes.spines.right": False,
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
                ax.bar(positions, drawn, width=0.6, color=accent)
            else:
                drawn = chart["values"]
                ax.plot(positions, drawn, color=accent, linewidth=2, marker="o", markersize=4)
            for x, (value, texts) in enumerate(zip(drawn, chart["texts"])):
                # The number in each language's format, the first on top, the others under it in grey.
                for line, text in enumerate(texts):
                    ax.annotate(text, (x, value), xytext=(0, 3 + 10 * (len(texts) - 1 - line)),
                                textcoords="offset points", ha="center", va="bottom",
                                fontweight="bold" if line == 0 else "normal", color=accent if line == 0 else quiet)
            wrap = 24 if size == "column" else 30  # characters per line under a bar
            ax.set_xticks(list(positions), ["\n".join(textwrap.fill(line, wrap) for line in label.split("\n"))
                                            for label in chart["labels"]])
            ax.tick_params(axis="x", length=0, pad=4)
            ax.set_yticks([])
            ax.set_ylim(0, top * 1.25)
            if chart["unit"]:
                ax.set_title(chart["unit"], loc="left", color=quiet, fontsize=8)
            fig.tight_layout(pad=0.3)
            out = io.BytesIO()
            fig.savefig(out, format="svg", metadata={"Date": None, "Creator": None, "Format": None, "Type": None})
            return _without_doctype(out.getvalue())
        finally:
            plt.close(fig)
