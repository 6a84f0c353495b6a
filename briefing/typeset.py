"""What a laid-out document tells about its typesetting, for the build summary: how many lines end
in a hyphen WeasyPrint added, and the longest run of them in one paragraph."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hyphenation:
    lines: int      # line ends broken inside a word
    run: int        # the most in a row, in one block

    def __str__(self) -> str:
        if not self.lines:
            return "no hyphenated line ends"
        return f"{self.lines} hyphenated line ends (at most {self.run} in a row)"


def _lines(box, parent=None):
    """(block, line box) of every line, in reading order."""
    from weasyprint.formatting_structure.boxes import LineBox
    if isinstance(box, LineBox):
        yield parent, box
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, box)


def _last_text(line) -> str:
    from weasyprint.formatting_structure.boxes import TextBox
    stack, last = [line], ""
    while stack:  # depth first, left to right: the last text box is the line's end
        box = stack.pop()
        if isinstance(box, TextBox):
            last = box.text
        stack.extend(reversed(getattr(box, "children", ())))
    return last


def hyphenation(document) -> Hyphenation:
    lines = run = longest = 0
    previous = None
    for page in document.pages:
        for block, line in _lines(page._page_box):
            text = _last_text(line)
            hyphen = line.style["hyphenate_character"]
            if text.endswith(hyphen) and not text.endswith(f" {hyphen}"):
                lines += 1
                run = run + 1 if block is previous else 1
                longest = max(longest, run)
            else:
                run = 0
            previous = block
    return Hyphenation(lines, longest)


# A page may be at most this much empty, unless a section (or the cover, title page or contents)
# ends on it: a designer's limit for a page the text runs on from (issue 24).
BLANK_LIMIT = 0.35
UNITS = {"section", "nav"}  # the elements a page of their own may end


@dataclass(frozen=True)
class Page:
    number: int          # 1-based, in the document it was measured in
    blank: float         # share of the text block below the lowest ink
    ends_unit: bool      # a section, the cover, title page or contents ends here

    @property
    def over(self) -> bool:
        return self.blank > BLANK_LIMIT and not self.ends_unit


def _ink_bottom(box) -> float:
    """The lowest edge of anything drawn in the flow under `box`: a line of text, a picture, a box
    with a background or a border. Padding and margins are not ink."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox
    lowest = 0.0
    stack = [box]
    while stack:
        box = stack.pop()
        style = getattr(box, "style", None)
        if isinstance(box, (LineBox, ReplacedBox)):
            lowest = max(lowest, box.position_y + box.margin_height() - box.margin_top - box.margin_bottom)
            if isinstance(box, LineBox):
                continue
        elif style is not None and hasattr(box, "border_box_y") and (
                style["background_color"].alpha or any(style[f"border_{s}_width"] for s in ("top", "bottom"))):
            lowest = max(lowest, box.border_box_y() + box.border_height())
        stack.extend(getattr(box, "children", ()))
    return lowest


def _units(box, page: int, last: dict, on_page: list):
    """Note the units on a page, in order, and the last page of each (pages may come from several
    flows, as in the facing edition: a unit is followed by its own fragments, not by page numbers)."""
    element = getattr(box, "element", None)
    if element is not None and element.tag in UNITS and "::" not in (box.element_tag or ""):
        if id(element) not in on_page:
            on_page.append(id(element))
        last[id(element)] = page
    for child in getattr(box, "children", ()):
        _units(child, page, last, on_page)


def pages(document) -> list[Page]:
    """Each page's blank share, and whether a unit ends on it (the pages of one flow, in order)."""
    from weasyprint.formatting_structure.boxes import FootnoteAreaBox, MarginBox
    last: dict[int, int] = {}
    on_page: list[list[int]] = [[] for _ in document.pages]
    for number, page in enumerate(document.pages):
        _units(page._page_box, number, last, on_page[number])
    result = []
    for number, page in enumerate(document.pages):
        box = page._page_box
        top, bottom = box.content_box_y(), box.content_box_y() + box.height
        flow = [child for child in box.children if not isinstance(child, (MarginBox, FootnoteAreaBox))]
        for child in box.children:
            if isinstance(child, FootnoteAreaBox) and child.children:
                bottom = min(bottom, child.border_box_y())
        ink = max((_ink_bottom(child) for child in flow), default=top)
        blank = min(1.0, max(0.0, (bottom - max(ink, top)) / (bottom - top))) if bottom > top else 0.0
        units = on_page[number]
        ends = not units or last[units[-1]] == number
        result.append(Page(number + 1, blank, ends))
    return result

