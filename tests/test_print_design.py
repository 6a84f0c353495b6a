"""Print design (issue 24): hyphenation discipline, read from the PDFs themselves."""
from __future__ import annotations

import json
import re
from collections import Counter

import pymupdf
import pytest

from conftest import ROOT, pdf_text, run_build, squash
from test_blocks import _trim


def hyphenated_lines(path, imposed=False):
    """(page, font, letters before the break, letters after it, run) of every line that ends in a
    hyphen the layout added (U+2010); run: how many such lines in a row, in one text block. A word
    broken at the foot of a page or column goes on in the first line at the same left edge of the
    next page; imposed: the pages are a booklet's sheets, out of reading order, where that is
    not looked for (letters after the break: None)."""
    found = []
    with pymupdf.open(path) as doc:
        pages = [[([("".join(s["text"] for s in line["spans"]), line["spans"][-1]["font"])
                    for line in block.get("lines", []) if line["spans"]], block["bbox"][0])
                  for block in page.get_text("dict")["blocks"]] for page in doc]
    for number, blocks in enumerate(pages, 1):
        for lines, left in blocks:
            run = 0
            for i, (text, font) in enumerate(lines):
                if not text.rstrip().endswith("\u2010"):
                    run = 0
                    continue
                run += 1
                before = re.findall(r"\w+", text)[-1]
                if i + 1 < len(lines):
                    following = lines[i + 1][0]
                elif imposed:
                    found.append((number, font, before, None, run))
                    continue
                else:
                    following = next((b[0][0][0] for b in (pages[number] if number < len(pages) else [])
                                       if b[0] and abs(b[1] - left) < 40), "")
                after = (re.findall(r"\w+", following) or [""])[0]
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
    found = hyphenated_lines(path, imposed=name.endswith("booklet"))
    assert [f for f in found if len(f[2]) < 3 or (f[3] is not None and len(f[3]) < 3)] == []
    assert [f for f in found if "Sans" in f[1]] == []
    limit = 3 if name == "-booklet" else 2
    assert [f for f in found if f[4] > limit] == []


# --- the proof of every PDF: blank pages, text off the page (the visual regression guard) -------

def _recorded_proofs(out):
    """The proof of every PDF the build recorded in an output folder (briefing/state.py)."""
    proofs = {}
    for record in out.glob(".*.state.json"):
        for name, entry in json.loads(record.read_text(encoding="utf-8"))["outputs"].items():
            if "proof" in entry:
                proofs[name.removesuffix(".pdf")] = entry["proof"]
    return proofs


def test_every_pdf_has_a_proof_and_preview_writes_it_beside_the_sheet(built, tmp_path):
    proofs = _recorded_proofs(built)
    assert set(proofs) == {path.stem for path in _pdfs(built)}
    for stem, data in proofs.items():
        if "booklet" not in stem:  # a booklet's proof is of its A5 pages, before imposition
            with pymupdf.open(built / f"{stem}.pdf") as doc:
                assert data["pages"] == len(doc) == len(data["blank"]), stem
        assert all(0 <= share <= 1 for share in data["blank"])
    # `make preview` on a copy of the session's build (it would add to the shared folder)
    import shutil
    copy = tmp_path / "out"
    shutil.copytree(built, copy, ignore=shutil.ignore_patterns("*.epub", "*.html", "dist"))
    result = run_build("preview", "--publication", "iom-viet-nam-fact-sheet", "--out", str(copy))
    assert result.returncode == 0, result.stderr
    written = json.loads((copy / "preview" / "iom-viet-nam-fact-sheet-en-proof.json").read_text(encoding="utf-8"))
    assert written["summary"].startswith("2 pages, no page over 35% blank")
    assert [page["page"] for page in written["blank"]] == [1, 2] and written["off_page"] == []
    assert "iom-viet-nam-fact-sheet-en.pdf" in result.stdout + result.stderr


def test_no_page_is_over_the_blank_limit_and_no_text_is_off_a_page(built, built_a5):
    """No page more than 35% empty unless a section ends on it; no character outside a page. Both
    measured by the build on every PDF (A4, press, A5 booklets, fact sheets; kept by preview) and
    on every A5 edition."""
    proofs = _recorded_proofs(built)
    a5 = _recorded_proofs(built_a5)
    assert len(a5) >= 8
    proofs.update({f"A5 {name}": data for name, data in a5.items()})
    assert {stem: data["over"] for stem, data in proofs.items() if data["over"]} == {}
    assert {stem: data["off_page"] for stem, data in proofs.items() if data["off_page"]} == {}
    # the measure is live: the columns edition has pages of every kind, full and section ends
    shares = proofs["iom-viet-nam-briefing"]["blank"]
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


# --- the type system ------------------------------------------------------------------------------

def _spans(path):
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, 1):
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        if span["text"].strip():
                            yield number, page.rect.width, span


def test_every_pdf_sets_at_most_eight_type_sizes(built):
    sizes = {path.name: sorted({round(span["size"], 1) for _, _, span in _spans(path)}) for path in _pdfs(built)}
    assert {name: s for name, s in sizes.items() if len(s) > 8} == {}
    assert all(len(s) >= 5 for s in sizes.values())  # the measure reads real text


def test_the_print_stylesheets_set_sizes_only_on_the_scale():
    """Every font-size in print is a step of the scale (print.css :root), written once."""
    styles = ROOT / "styles"
    for sheet in ("print.css", "a5.css", "fact-sheet.css", "base.css", "press.css", "paper.css"):
        text = re.sub(r"/\*.*?\*/", "", (styles / sheet).read_text(encoding="utf-8"), flags=re.S)
        sizes = re.findall(r"font-size:\s*([^;}]+)", text)
        assert [s for s in sizes if not re.fullmatch(r"var\(--type-[a-z]+\)", s.strip())] == [], sheet
        steps = set(re.findall(r"--type-([a-z]+):", text))
        assert steps in (set(), {"xs", "s", "m", "base", "l", "xl", "xxl", "display"}), sheet


def test_the_second_language_is_upright(built):
    """In the bilingual edition both columns are set upright: italic is left for emphasis (and the
    salutations of a speech), so it is rare and about as rare in each language."""
    italic = {"left": 0, "right": 0}
    total = dict(italic)
    for _, width, span in _spans(built / "iom-viet-nam-briefing.pdf"):
        if "Serif" not in span["font"]:
            continue
        side = "left" if span["bbox"][0] < width / 2 - 20 else "right"
        total[side] += len(span["text"])
        italic[side] += len(span["text"]) if "Italic" in span["font"] else 0
    shares = {side: italic[side] / total[side] for side in total}
    assert all(share < 0.05 for share in shares.values()), shares
    assert total["right"] > 10_000


def test_emphasis_in_sans_is_the_shipped_italic(tmp_path):
    """Noto Sans Italic is shipped: emphasis in a caption or a label is set in it, not slanted by
    the renderer (a synthesized "Oblique")."""
    from weasyprint import HTML

    from briefing import brand
    styles = ROOT / "styles"
    html = (f'<link rel="stylesheet" href="{styles.as_uri()}/print.css"><style>{brand.default().css(tmp_path)}</style>'
            '<figure class="figure"><figcaption class="caption">Caption with <em>emphasis</em></figcaption></figure>')
    HTML(string=html, base_url=str(tmp_path)).write_pdf(tmp_path / "x.pdf")
    fonts = {span["font"] for _, _, span in _spans(tmp_path / "x.pdf")}
    assert fonts == {"Noto-Sans", "Noto-Sans-Italic"}


# --- the press PDF's crop marks ---------------------------------------------------------------------

def test_press_crop_marks_lie_outside_the_bleed_and_are_5mm_long(built):
    """Eight marks a page, each at least 5 mm long, in the extension of a trim edge, wholly outside
    the bleed, where no page background (a dark cover) can cover them."""
    mm = 72 / 25.4
    presses = sorted(built.glob("*-print.pdf"))
    assert len(presses) >= 4
    for path in presses:
        with pymupdf.open(path) as doc:
            for number, page in enumerate(doc, 1):
                trim, bleed = _trim(doc, page), _trim(doc, page, "BleedBox")
                marks = []
                for drawing in page.get_drawings():
                    for item in drawing["items"]:
                        if item[0] != "l":
                            continue
                        a, b = item[1], item[2]
                        outside = not bleed.intersects(pymupdf.Rect(a, b).normalize() + (-0.1, -0.1, 0.1, 0.1))
                        on_edge = (abs(a.x - b.x) < 0.01 and min(abs(a.x - trim.x0), abs(a.x - trim.x1)) < 0.01) or \
                                  (abs(a.y - b.y) < 0.01 and min(abs(a.y - trim.y0), abs(a.y - trim.y1)) < 0.01)
                        if outside and on_edge and abs(a - b) >= 5 * mm:
                            marks.append((a, b))
                assert len(marks) == 8, f"{path.name} p{number}: {len(marks)} crop marks"


# --- charts -------------------------------------------------------------------------------------------

def test_a_chart_gives_its_numbers_in_every_language_a_visible_small_bar_and_a_source_line(built, tmp_path):
    from lxml import etree

    from briefing import brand, chart, pictures
    from briefing.i18n import Formatter
    formats = {code: Formatter(code) for code in ("vi", "en")}
    spec = {"type": "bar", "values": [{"label": "1990", "value": 14000}, {"label": "2015", "value": 112}]}
    data = pictures.chart_for(pictures.context({"chart": spec}, formats)["chart"], ["vi", "en"])
    assert data["texts"] == [["14.000", "14,000"], ["112"]]
    svg = etree.fromstring(chart._draw(dict(data, colours=brand.default().colours), "full"))
    heights = []
    for path in svg.iter("{http://www.w3.org/2000/svg}path"):
        if "#0a5c9e" in (path.get("style") or "") and path.get("d", "").count("L") == 3:
            ys = [float(n) for n in re.findall(r"[-\d.]+", path.get("d"))[1::2]]
            heights.append(max(ys) - min(ys))
    assert len(heights) == 2 and min(heights) >= chart.MIN_BAR * max(heights) * 0.99
    text = squash(pdf_text(built / "iom-viet-nam-briefing.pdf"))
    assert squash("Nguồn: Trang web của IOM Việt Nam; Wikipedia tiếng Việt") in text
    assert squash("Source: IOM Viet Nam website; Vietnamese Wikipedia") in text


def test_the_fact_sheets_two_columns_are_balanced(built):
    """The English sheet sets "Who we are" in two columns: they end at most a line apart."""
    with pymupdf.open(built / "iom-viet-nam-fact-sheet-en.pdf") as doc:
        page = doc[0]
        lines = [(line["bbox"], line["spans"][0]["size"], "".join(s["text"] for s in line["spans"]))
                 for block in page.get_text("dict")["blocks"] for line in block.get("lines", [])]
        middle = page.rect.width / 2
    top = next(box[3] for box, _, text in lines if text.strip() == "Who we are")
    below = sorted(box[1] for box, size, text in lines if box[1] > top and size >= 13)  # the next heading
    text = [(box, size) for box, size, _ in lines if top < box[1] < (below[0] if below else 1e9) and 9 < size < 13]
    left = max(box[3] for box, _ in text if box[0] < middle)
    right = max(box[3] for box, _ in text if box[0] > middle)
    line_height = text[0][1] * 1.45
    assert abs(left - right) <= line_height * 1.1, (left, right)


def test_a_timeline_year_is_drawn_once_beside_the_first_line_of_its_entry(built):
    """Entries break across pages; each year is drawn once, level with a line of text on its page
    (its entry's first line), never alone at a page foot and never again on the next page."""
    for name in ("iom-viet-nam-briefing.pdf", "iom-viet-nam-briefing-en.pdf", "iom-viet-nam-briefing-facing.pdf"):
        years = []
        with pymupdf.open(built / name) as doc:
            for page in doc:
                lines = [(line["spans"][0], line["bbox"]) for block in page.get_text("dict")["blocks"]
                         for line in block.get("lines", []) if line["spans"]]
                text_tops = [bbox[1] for span, bbox in lines if "Serif" in span["font"]]
                for span, bbox in lines:
                    if re.fullmatch(r"(19|20)\d\d", span["text"].strip()) and "Sans-Bold" in span["font"] \
                            and span["size"] < 12:
                        years.append(span["text"].strip())
                        assert any(abs(top - bbox[1]) < 4 for top in text_tops), \
                            f"{name}: {span['text']} stands alone on page {page.number + 1}"
        copies = 2 if "facing" in name else 1  # a facing spread shows each entry in both languages
        assert Counter(years) == Counter({year: n * copies for year, n in _timeline_years().items()}), name


def _timeline_years() -> Counter:
    import yaml
    data = yaml.safe_load((ROOT / "content" / "iom-viet-nam-briefing" / "timeline.yaml").read_text(encoding="utf-8"))
    return Counter(str(entry["year"]) for entry in data["entries"] if "year" in entry)


def test_no_word_is_broken_without_a_hyphen(built):
    """A word is broken at a line end only by hyphenation: never cut without a hyphen, as
    WeasyPrint 70 did ("presen|ce", "worldwid|e" in the fact labels) when the last word of a text
    was wrapped in a span of its own to keep it unhyphenated. Found by its halves: a line that ends
    in letters, a next line that starts in lower case, and together a word of the content that
    neither half is."""
    words = set()
    for path in (ROOT / "content").rglob("*.yaml"):
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{6,}", path.read_text(encoding="utf-8"))}
    cut = []
    for path in _pdfs(built):
        with pymupdf.open(path) as doc:
            for page in doc:
                for block in page.get_text("dict")["blocks"]:
                    lines = ["".join(s["text"] for s in line["spans"]).strip() for line in block.get("lines", [])]
                    for line, following in zip(lines, lines[1:]):
                        head = re.search(r"([A-Za-z]+)$", line)
                        tail = re.match(r"([a-z]+)", following)
                        if head and tail and (head[1] + tail[1]).lower() in words \
                                and not {head[1].lower(), tail[1]} <= words | {"a", "an"}:
                            cut.append(f"{path.name} p{page.number + 1}: {head[1]}|{tail[1]}")
    assert cut == []
