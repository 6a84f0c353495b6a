"""What a laid-out document tells about its typesetting, for the build summary: how many lines end
in a hyphen WeasyPrint added, and the longest run of them in one paragraph."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Hyphenation:
    lines: int      # line ends broken inside a word
    run: int        # the most in a row, in one block

    def __str__(self) -> str:
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
