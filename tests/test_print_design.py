"""Print design (issue 24): hyphenation discipline, read from the PDFs themselves."""
from __future__ import annotations

import re

import pymupdf
import pytest


def hyphenated_lines(path):
    """(page, font, letters before the break, letters after it, run) of every line that ends in a
    hyphen the layout added (U+2010); run: how many such lines in a row, in one text block."""
    found = []
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, 1):
            for block in page.get_text("dict")["blocks"]:
                lines = [("".join(s["text"] for s in line["spans"]), line["spans"][-1]["font"])
                         for line in block.get("lines", []) if line["spans"]]
                run = 0
                for i, (text, font) in enumerate(lines):
                    if not text.rstrip().endswith("\u2010"):
                        run = 0
                        continue
                    run += 1
                    before = re.findall(r"\w+", text)[-1]
                    after = re.findall(r"\w+", lines[i + 1][0])[0] if i + 1 < len(lines) else ""
                    found.append((number, font, before, after, run))
    return found


def _pdfs(built):
    return sorted(built.glob("*.pdf"))


def test_every_pdf_is_read(built):
    assert len(_pdfs(built)) >= 15
    assert any(hyphenated_lines(path) for path in _pdfs(built))  # the English is hyphenated at all


@pytest.mark.parametrize("name", ["", "-en", "-facing", "-print", "-booklet", "-flip-booklet"])
def test_hyphenation_is_disciplined(built, name):
    """3 letters or more on each side of a break; never in a title, heading, label, caption or
    running head (all set in Noto Sans); at most 2 hyphenated lines in a row, 3 in the half-width
    columns of the A5 booklet (WeasyPrint has no hyphenate-limit-lines: see styles/print.css)."""
    path = next(p for p in _pdfs(built) if p.stem.endswith(f"briefing{name}"))
    found = hyphenated_lines(path)
    assert [f for f in found if len(f[2]) < 3 or len(f[3]) < 3] == []
    assert [f for f in found if "Sans" in f[1]] == []
    limit = 3 if name == "-booklet" else 2
    assert [f for f in found if f[4] > limit] == []
