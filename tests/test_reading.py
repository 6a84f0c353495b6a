"""The EPUBs as readers meet them: every chapter rendered in Chromium at phone size, in a light and
a night theme, with the contrast of every text measured; the print page numbers checked against
the PDF; EPUBCheck 4.2 beside 5.3."""
from __future__ import annotations

import os
import sys
import zipfile

import pytest
from lxml import etree

from conftest import EDITIONS, NAME, ROOT, edition_file, pdf_pages, squash

sys.path.insert(0, str(ROOT))
from briefing import check  # noqa: E402

SHEET = "iom-viet-nam-fact-sheet"
BOOKS = [(NAME, key) for key in EDITIONS] + [(SHEET, key) for key in EDITIONS]
NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
# Night themes as reading systems apply them: some with !important, some as a plain author style,
# which the book's own rules may outrank.
# The five themes of issue 35's review: white (the book as it is), sepia, grey and dark as plain
# author styles, and black forced.
THEMES = {
    "white": None,
    "sepia": "html { background: #f8f1e3; color: #5b4636 } * { color: inherit }",
    "grey": "html { background: #5a5a5c; color: #ffffff } * { color: inherit }",
    "dark": "html { background: #121212; color: #e0e0e0 } * { color: inherit }",
    "black": "html { background: #000 !important; color: #eee !important } * { color: inherit !important }",
}

# Every element with text of its own: its colour (fill for SVG text) over the first opaque
# background behind it, with the opacity on the way; WCAG 2's contrast ratio and large text.
CONTRAST = """() => {
  const parse = c => { const m = /rgba?\\(([^)]+)\\)/.exec(c || ""); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3]));
  const lum = c => { const [r, g, b] = c.map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const behind = el => { const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; } }
    let bg = [255, 255, 255]; for (const c of layers.reverse()) bg = over(c, bg); return bg; };
  const hidden = el => { for (let e = el; e; e = e.parentElement) { const r = e.getBoundingClientRect();
    const s = getComputedStyle(e); if (s.display === "none" || s.visibility === "hidden" || r.width <= 1 || r.height <= 1) return true; }
    return false; };
  const found = [], seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const el = walker.currentNode.parentElement;
    if (!walker.currentNode.textContent.trim() || seen.has(el)) continue;
    seen.add(el);
    if (hidden(el)) continue;
    const s = getComputedStyle(el), svg = el instanceof SVGElement;
    const fg = parse(svg ? s.fill : s.color);
    let opacity = 1; for (let e = el; e; e = e.parentElement) opacity *= parseFloat(getComputedStyle(e).opacity);
    fg[3] *= opacity;
    const bg = behind(el), text = over(fg, bg), [hi, lo] = [lum(text), lum(bg)].sort((a, b) => b - a);
    const size = parseFloat(s.fontSize) * (svg ? el.getScreenCTM().a : 1), bold = parseInt(s.fontWeight) >= 700;
    found.push({text: walker.currentNode.textContent.trim().slice(0, 50), ratio: (hi + 0.05) / (lo + 0.05),
                large: size >= 24 || (bold && size >= 18.66), size});
  }
  return found;
}"""


def unpacked(built, tmp_path_factory, publication: str, key: str):
    path = built / (f"{publication}-{key}.epub" if key else f"{publication}.epub")
    folder = tmp_path_factory.mktemp("read")
    with zipfile.ZipFile(path) as book:
        book.extractall(folder)
        spine = _spine(book)
    return folder / "EPUB", spine


def _spine(book: zipfile.ZipFile) -> list[str]:
    opf = etree.fromstring(book.read("EPUB/content.opf"))
    manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    return [manifest[i.get("idref")] for i in opf.iterfind(".//opf:itemref", NS)]


@pytest.mark.parametrize("publication,key", BOOKS)
def test_every_text_keeps_its_contrast_in_five_reader_themes(built, tmp_path_factory, browser, publication, key):
    """At phone size (360 x 740), every text element of every document in the spine reaches 4.5:1
    against what is behind it, or 3:1 when large, in each theme: the news box, the headings, the
    second language and the chart included."""
    folder, spine = unpacked(built, tmp_path_factory, publication, key)
    page = browser.new_page(viewport={"width": 360, "height": 740})
    failures, measured = [], 0
    for name in spine:
        for theme, style in THEMES.items():
            page.goto((folder / name).as_uri())
            if style:
                page.add_style_tag(content=style)
            page.evaluate("document.fonts.ready")
            for found in page.evaluate(CONTRAST):
                measured += 1
                if found["ratio"] < (3 if found["large"] else 4.5):
                    failures.append(f"{name} ({theme}): {found['ratio']:.2f}:1 at {found['size']:.0f}px: {found['text']}")
    page.close()
    assert measured > 20 * len(THEMES)
    assert not failures, "\n".join(failures)


def test_the_chart_reads_on_a_phone(built, tmp_path_factory, browser):
    """The chart is drawn into the page: its labels are real text, at least as large as the body
    text on a phone (360 px), and they grow with the reader's text size where the screen has room
    (a tablet, 768 px, at 200%)."""
    folder, _ = unpacked(built, tmp_path_factory, NAME, "")
    measure = """() => ({body: parseFloat(getComputedStyle(document.body).fontSize),
      labels: [...document.querySelectorAll('svg text')].map(t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a),
      words: [...document.querySelectorAll('svg text')].map(t => t.textContent).join(' ')})"""
    seen = {}
    for width, scale in ((360, 1), (768, 1), (768, 2)):
        page = browser.new_page(viewport={"width": width, "height": 1024})
        page.goto((folder / "returns.xhtml").as_uri())
        page.add_style_tag(content=f"html {{ font-size: {scale * 100}% }}")
        page.evaluate("document.fonts.ready")
        seen[width, scale] = page.evaluate(measure)
        page.close()
    phone = seen[360, 1]
    assert "1990 · Iraq" in phone["words"] and "14.000 / 14,000" in phone["words"]
    assert min(phone["labels"]) >= phone["body"], phone
    assert min(seen[768, 2]["labels"]) > 1.8 * min(seen[768, 1]["labels"])


@pytest.mark.parametrize("key", list(EDITIONS))
def test_print_page_numbers_match_the_pdf(built, key):
    """Every paragraph whose opening words are on one page only of the A4 PDF of the same edition
    follows, in the EPUB, the page-break marker of that page."""
    pages = pdf_pages(edition_file(built, key, "pdf"))
    with zipfile.ZipFile(edition_file(built, key, "epub")) as book:
        spine = _spine(book)
        docs = [etree.fromstring(book.read(f"EPUB/{name}")) for name in spine]
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    marker, markers, checked, wrong = None, [], [], []
    for doc in docs:
        for element in doc.iter():
            if not isinstance(element.tag, str):
                continue
            if element.get(EPUB_TYPE) == "pagebreak":
                assert element.get("role") == "doc-pagebreak" and element.get("id") == f"page-{element.get('aria-label')}"
                marker = int(element.get("aria-label"))
                markers.append(marker)
            elif element.tag == f"{{{NS['x']}}}p" and marker is not None:
                words = "".join(element.itertext()).split()
                if len(words) < 5:
                    continue
                opening = squash(" ".join(words[:5]))
                where = [number for number, text in enumerate(pages, 1) if opening in text]
                if len(where) == 1:
                    checked.append(opening)
                    if where[0] != marker:
                        wrong.append(f"{' '.join(words[:5])}: marker {marker}, PDF page {where[0]}")
    assert len(checked) >= 12, checked
    assert not wrong, "\n".join(wrong)
    # The page list: hidden, one entry per marker, and the package says where the numbers come from.
    (page_list,) = nav.iterfind(".//x:nav[@epub:type='page-list']", NS)
    assert page_list.get("hidden") is not None
    listed = [int(a.get("href").split("#page-")[1]) for a in page_list.iterfind(".//x:a", NS)]
    assert listed == markers and len(listed) >= len(pages) // 2
    source = opf.find(".//dc:source", NS)
    features = {m.text for m in opf.iterfind(".//opf:meta[@property='schema:accessibilityFeature']", NS)}
    assert source is not None and {"printPageNumbers", "pageNavigation"} <= features
    assert opf.find(f".//opf:meta[@refines='#{source.get('id')}'][@property='source-of']", NS).text == "pagination"


@pytest.fixture(scope="session")
def legacy_epubcheck():
    if not check.LEGACY_EPUBCHECK.exists():
        if os.environ.get("ACE_REQUIRED"):
            pytest.fail("ACE_REQUIRED is set but Debian's epubcheck (EPUBCheck 4.2) is missing: run `make tools`")
        pytest.skip("Debian's epubcheck (EPUBCheck 4.2) is missing: run `make tools`")
    return check.legacy_epubcheck


def test_epubcheck_4_2_runs_beside_5_3(built, legacy_epubcheck, tmp_path):
    """check.epubcheck, which every EPUB test calls, runs 4.2 as well: a property 5.3 accepts and
    4.2 rejects is reported."""
    source = edition_file(built, "en", "epub")
    changed = tmp_path / source.name
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(changed, "w") as out:
        for item in book.infolist():
            data = book.read(item)
            if item.filename.endswith(".opf"):
                data = data.replace(b"</metadata>", b'<meta property="pageBreakSource">x</meta></metadata>')
            out.writestr(item, data)
    problems = check.epubcheck(changed)
    assert [p.field for p in problems] == ["EPUBCheck 4.2 ERROR OPF-027"], problems
    assert legacy_epubcheck(source) == []
