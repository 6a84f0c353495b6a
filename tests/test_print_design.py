"""Print design (issue 24): hyphenation discipline, read from the PDFs themselves."""
from __future__ import annotations

import json
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


# --- the proof of every PDF: blank pages, text off the page (the visual regression guard) -------

def _proofs(built):
    return {path.name.removesuffix("-proof.json"): json.loads(path.read_text(encoding="utf-8"))
            for path in sorted((built / "preview").glob("*-proof.json"))}


def test_every_pdf_has_a_proof_beside_its_preview(built):
    proofs = _proofs(built)
    assert set(proofs) == {path.stem for path in _pdfs(built)}
    for stem, data in proofs.items():
        if "booklet" not in stem:  # a booklet's proof is of its A5 pages, before imposition
            with pymupdf.open(built / f"{stem}.pdf") as doc:
                assert data["pages"] == len(doc) == len(data["blank"]), stem
        assert all(0 <= page["blank"] <= 1 for page in data["blank"])
        assert data["summary"].startswith(f"{data['pages']} pages, ")


def test_no_page_is_over_the_blank_limit_and_no_text_is_off_a_page(built):
    """No page more than 35% empty unless a section ends on it; no character outside a page. Both
    measured by the build on every PDF (A4, press, A5 booklets, fact sheets) and kept by preview."""
    proofs = _proofs(built)
    assert {stem: data["over"] for stem, data in proofs.items() if data["over"]} == {}
    assert {stem: data["off_page"] for stem, data in proofs.items() if data["off_page"]} == {}
    # the measure is live: the columns edition has pages of every kind, full and section ends
    shares = [page["blank"] for page in proofs["iom-viet-nam-briefing"]["blank"]]
    assert min(shares) < 0.05 and max(shares) > 0.35


def test_the_proof_finds_a_half_empty_page_and_a_section_end(tmp_path):
    """A page the text runs on from that is half empty is over the limit; the same emptiness where
    a section ends is not."""
    from weasyprint import HTML

    from briefing import typeset
    lines = "".join(f"<p>Line {i}</p>" for i in range(40))
    html = ("<style>@page { size: A6; margin: 10mm } p { margin: 0; font-size: 10pt; line-height: 14pt }"
            " .gap { break-before: page } section { break-before: page }</style>"
            f"<section><p>One</p><p class='gap'>{'x ' * 5}</p>{lines}</section><section>{lines}</section>")
    pages = typeset.pages(HTML(string=html).render())
    assert pages[0].blank > 0.9 and pages[0].over and not pages[0].ends_unit
    section_end = next(p for p in pages if p.ends_unit and p.number < len(pages))
    assert section_end.blank > 0.35 and not section_end.over
