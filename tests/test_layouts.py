"""Facing pages in step and the tête-bêche flip book, checked on the built PDFs' text and structure."""
from __future__ import annotations

import functools
import re

import pikepdf
import pytest
from pypdf import PdfReader

from briefing import content as content_mod
from briefing import model as model_mod
from conftest import CONTENT, MARGIN_PT, NAME, pdf_pages, run_build, squash

A, B = "vi", "en"
PREFIX = 60  # characters that identify a passage's start (or end) in a page's text (2013 and 2014 share 40)


@functools.cache
def _model():
    return model_mod.build(content_mod.load(CONTENT))


def _passages() -> list[tuple[str, dict]]:
    """(section id, texts by language) of every passage, in reading order: section titles,
    paragraphs, sub-headings, timeline entries, facts, speech paragraphs."""
    found = []

    def walk(section_id, value):
        if isinstance(value, dict):
            texts = value.get("text") if isinstance(value.get("text"), dict) else None
            if texts and {A, B} <= texts.keys():
                found.append((section_id, texts))
                return
            for child in value.values():
                walk(section_id, child)
        elif isinstance(value, list):
            for child in value:
                walk(section_id, child)

    for section in _model().sections:
        found.append((section["id"], section["title"]))
        for key, value in section.items():
            if key not in ("title", "id"):
                walk(section["id"], value)
    return found


def _page_of(pages: list[str], text: str, first: int, step: int = 1, from_end: bool = False) -> int:
    """The page (0-based) from `first` on, every `step`, whose text holds the start (or the end)
    of `text`; a passage split by a page break is found by its two ends."""
    probe = squash(text)
    probe = probe[-PREFIX:] if from_end else probe[:PREFIX]
    hits = [i for i in range(first, len(pages), step) if probe in pages[i]]
    assert hits, f"not found: {text[:60]!r}"
    return hits[0]


@pytest.fixture(scope="module")
def facing_pages(built) -> list[str]:
    return pdf_pages(built / f"{NAME}-facing.pdf")


def _first_spread(pages: list[str]) -> int:
    """The first left-hand page: the one after the contents holding the first section's title."""
    contents = next(i for i, text in enumerate(pages) if squash("Mục lục") in text)
    return _page_of(pages, _model().sections[0]["title"][A], contents + 1)


def test_facing_spreads_show_the_same_passages_on_both_sides(facing_pages):
    pages, first = facing_pages, _first_spread(facing_pages)
    assert first % 2 == 1, "the first spread starts on a left-hand (even-numbered) page"
    starts, left = [], first
    for section_id, texts in _passages():  # in reading order: each is looked for from the one before
        left = _page_of(pages, texts[A], left, 2)
        right = _page_of(pages, texts[B], left + 1, 2)
        assert right == left + 1, f"{section_id}: {texts[B][:50]!r} is on page {right + 1}, its translation on {left + 1}"
        starts.append((left - first) // 2)
    assert starts == sorted(starts)  # in reading order
    assert len(set(starts)) > 5      # over many spreads


def test_facing_passage_is_never_cut_from_its_translation(facing_pages):
    """A passage may run over to the next spread only if the next passage starts after it ends,
    in both languages: no spread shows the start of passage k+1 beside a part of passage k."""
    pages, first = facing_pages, _first_spread(facing_pages)
    spans, spread = [], 0
    for _, texts in _passages():  # in reading order: each is looked for from the one before
        start = spread
        spread = [((_page_of(pages, texts[lang], first + 2 * start + side, 2, from_end) - first) // 2)
                  for side, lang in enumerate((A, B)) for from_end in (False, True)]
        assert spread[0] == spread[2]
        spans.append((spread[0], max(spread[1], spread[3])))
        spread = spread[0]
    for (start, end), (next_start, _) in zip(spans, spans[1:]):
        assert next_start >= end, "a passage starts on a spread where its predecessor is still running"


def test_facing_contents_give_each_language_its_page_of_the_spread(facing_pages, built):
    """Each section's title in each language has its own line and page number: the left-hand page
    for the first language, the one opposite for the second, so a spread reads as a spread and not
    as a range of pages."""
    pages = facing_pages
    toc_page = next(i for i, text in enumerate(pages) if squash("Mục lục") in text)
    pages = [""] * (toc_page + 1) + pages[toc_page + 1:]
    text = PdfReader(built / f"{NAME}-facing.pdf").pages[toc_page].extract_text()
    assert "–" not in text
    numbers = [int(n) for n in re.findall(r"\.\s*(\d+)\s*$", text, re.M)]
    sections = _model().sections
    assert len(numbers) == 2 * len(sections) + 2  # and the sources, on one page for both
    for section, left, right in zip(sections, numbers[::2], numbers[1::2]):
        assert right == left + 1 and left % 2 == 0
        assert squash(section["title"][A]) in pages[left - 1]
        assert squash(section["title"][B]) in pages[right - 1]
    assert numbers[-1] == numbers[-2]


def test_facing_sections_share_spreads_and_the_back_cover_is_a_left_hand_page(built):
    """A short section shares a spread with the next one; the facing edition is at most 1.3 times
    the columns edition; its back cover is a left-hand page, after a blank one if need be."""
    with pikepdf.open(built / f"{NAME}-facing.pdf") as facing, pikepdf.open(built / f"{NAME}.pdf") as columns:
        assert len(facing.pages) % 2 == 0
        assert len(facing.pages) <= 1.3 * len(columns.pages)
    pages = pdf_pages(built / f"{NAME}-facing.pdf")
    shared = [i for i, text in enumerate(pages)
              if sum(squash(s["title"][A]) in text for s in _model().sections) > 1]
    assert shared, "no spread holds two sections"
    assert squash(_model().meta["contact"]["email"]) in pages[-1]


def test_facing_running_heads_and_folios_are_each_pages_own(built, facing_pages):
    reader = PdfReader(built / f"{NAME}-facing.pdf")
    first = _first_spread(facing_pages)
    titles = {lang: {squash(s["title"][lang]) for s in _model().sections} for lang in (A, B)}
    for index in range(first, first + 6):
        page = reader.pages[index]
        height, margin = float(page.mediabox.height), []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: margin.append(
            text) if not MARGIN_PT < cm[1] * tm[4] + cm[3] * tm[5] + cm[5] < height - MARGIN_PT else None)
        text = squash("".join(margin))
        assert text.endswith(str(index + 1)), f"page {index + 1} shows folio {text[-3:]!r}"
        head = text[:-len(str(index + 1))]
        lang = A if index % 2 == first % 2 else B
        assert head in titles[lang], f"page {index + 1}: running head {head!r} is not a {lang} section title"


def test_facing_outline_names_each_section_once_in_both_languages(built):
    with pikepdf.open(built / f"{NAME}-facing.pdf") as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
    expected = [f"{s['title'][A]} / {s['title'][B]}" for s in _model().sections]
    assert [t for t in titles if t in expected] == expected


def test_flip_book_second_half_is_turned_and_reversed(built):
    path = built / f"{NAME}-flip.pdf"
    pages = pdf_pages(path)
    meta = _model().meta
    with pikepdf.open(path) as pdf:
        rotation = [int(page.get("/Rotate", 0)) for page in pdf.pages]
    turned = rotation.index(180)
    assert set(rotation[:turned]) == {0} and set(rotation[turned:]) == {180}
    assert len(pages) % 2 == 0
    # Covers and title pages: the first language from the front, the second from the back.
    assert squash(meta["title"][A]) in pages[0] and squash(meta["title"][A]) in pages[1]
    assert squash(meta["title"][B]) in pages[-1] and squash(meta["title"][B]) in pages[-2]
    assert squash(meta["title"][B]) not in "".join(pages[:turned])
    # Each half holds every passage in its language; the second half in reverse page order.
    sections = _model().sections
    front = [_page_of(pages[:turned], s["title"][A], 0) for s in sections]
    back = [_page_of(pages, s["title"][B], turned) for s in sections]
    assert front == sorted(front) and back == sorted(back, reverse=True)
    # Turning moved no page object: the structure tree still points at pages of the book.
    with pikepdf.open(path) as pdf:
        objects = {page.objgen for page in pdf.pages}
        elements = [pdf.Root.StructTreeRoot]
        marked = 0
        while elements:
            element = elements.pop()
            if "/Pg" in element:
                assert element.Pg.objgen in objects
                marked += 1
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            elements += [kid for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        assert marked > 100
    for _, texts in _passages():
        assert _page_of(pages[:turned], texts[A], 0) < turned
        assert _page_of(pages, texts[B], turned) >= turned


def test_flip_book_outline_has_one_tree_per_half_in_its_language(built):
    with pikepdf.open(built / f"{NAME}-flip.pdf") as pdf, pdf.open_outline() as outline:
        halves = [(item.title, [child.title for child in item.children]) for item in outline.root]
    meta, sections = _model().meta, _model().sections
    assert [title for title, _ in halves] == [meta["title"][A], meta["title"][B]]
    for (_, children), lang in zip(halves, (A, B)):
        assert [s["title"][lang] for s in sections] == [c for c in children if c in {s["title"][lang] for s in sections}]


def test_flip_folios_restart_in_each_half(built):
    reader = PdfReader(built / f"{NAME}-flip.pdf")
    with pikepdf.open(built / f"{NAME}-flip.pdf") as pdf:
        turned = [int(page.get("/Rotate", 0)) for page in pdf.pages].index(180)

    def folio(index):
        page = reader.pages[index]
        height, margin = float(page.mediabox.height), []
        page.extract_text(visitor_text=lambda text, cm, tm, *_: margin.append(
            text) if cm[1] * tm[4] + cm[3] * tm[5] + cm[5] < MARGIN_PT else None)
        return squash("".join(margin))

    assert folio(3) == "4"
    # The second half's fourth page is the fourth from the end of the book.
    assert folio(len(reader.pages) - 4) == "4"
    assert turned >= 4


def test_turn_keeps_page_objects_and_pads_where_the_halves_meet(tmp_path):
    """flip.turn on a 3 + 4 page PDF, padded for a booklet: 2 upright, 1 blank, the first half's last
    page, then 4 turned and reversed: the two halves' last pages face each other."""
    from briefing import flip
    source = tmp_path / "source.pdf"
    with pikepdf.new() as pdf:
        for width in range(100, 107):
            pdf.add_blank_page(page_size=(width, 200))
        pdf.save(source)
    assert flip.turn(source, tmp_path / "turned.pdf", 3, multiple=4) == (3, 4)
    with pikepdf.open(tmp_path / "turned.pdf") as pdf:
        widths = [int(page.MediaBox[2]) for page in pdf.pages]
        assert widths == [100, 101, 106, 102, 106, 105, 104, 103]  # the blank has the size of a neighbour
        assert [int(page.get("/Rotate", 0)) for page in pdf.pages] == [0, 0, 0, 0, 180, 180, 180, 180]
        assert "/Contents" not in pdf.pages[2]
    # where each page of the layout ends up, for the proof's page numbers
    assert [flip.position(i, 3, 7, 4) for i in range(7)] == [0, 1, 3, 7, 6, 5, 4]


def test_booklets_of_every_layout_are_imposed(built):
    for layout in ("", "-facing", "-flip"):
        with pikepdf.open(built / f"{NAME}{layout}-booklet.pdf") as pdf:
            assert len(pdf.pages) % 2 == 0 and len(pdf.pages) >= 8
            assert all(835 < float(page.MediaBox[2]) < 845 for page in pdf.pages)  # landscape A4 sheets


def test_layouts_need_two_languages_and_a_brochure(tmp_path):
    sheet = tmp_path / "sheet"
    import shutil
    shutil.copytree(CONTENT.parent / "iom-viet-nam-fact-sheet", sheet)
    manifest = sheet / "publication.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("\nlanguages:", "\nlayouts: [columns, flip]\npair: [vi, fr]\nlanguages:", 1),
                        encoding="utf-8")
    result = run_build("pdf", "--content", str(sheet), "--out", str(tmp_path / "out"))
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "publication.yaml" in result.stderr and "layouts" in result.stderr and "flip need a brochure" in result.stderr
    assert "'fr' is not one of the publication's languages" in result.stderr


def test_facing_passage_taller_than_a_page_runs_on_in_step(tmp_path):
    """A paragraph of two pages in Vietnamese and most of a page in English starts on one spread and
    runs on; the next passage starts in both languages on the spread where the longer one ends."""
    import yaml
    folder = tmp_path / "long"
    assert run_build("new", str(folder), "--languages", "vi,en").returncode == 0
    manifest = folder / "publication.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("layouts: [columns]", "layouts: [facing]"),
                        encoding="utf-8")
    prose = yaml.safe_load((folder / "prose.yaml").read_text(encoding="utf-8"))
    long = {"vi": " ".join(["Một đoạn văn rất dài để thử việc ngắt trang qua nhiều trang liền nhau."] * 90
                           + ["Đây là câu cuối cùng của đoạn văn dài này."]),
            "en": " ".join(["A very long paragraph that tests a passage running over pages."] * 40
                           + ["This is the closing sentence of that long paragraph."])}
    after = {"vi": "Đoạn ngay sau đoạn dài.", "en": "The paragraph right after the long one."}
    prose["paragraphs"][1:1] = [long, after]
    (folder / "prose.yaml").write_text(yaml.safe_dump(prose, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build("pdf", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    pages = pdf_pages(tmp_path / "out" / "long.pdf")
    first = _page_of(pages, "Giới thiệu", next(i for i, t in enumerate(pages) if squash("Mục lục") in t) + 1)

    def spread(text, lang, from_end=False):
        return (_page_of(pages, text, first + (lang == "en"), 2, from_end) - first) // 2

    start = {lang: spread(long[lang], lang) for lang in ("vi", "en")}
    end = {lang: spread(long[lang], lang, from_end=True) for lang in ("vi", "en")}
    assert start["vi"] == start["en"]
    assert end["vi"] > start["vi"]  # it does run on
    assert spread(after["vi"], "vi") == spread(after["en"], "en") == max(end.values())


def test_flip_halves_meet_at_two_facing_contact_pages(built):
    """The middle of a flip book: each half's last page, in colour, with its contact and the name
    of the other language to turn to; the two face each other (a left-hand page, then the right-hand
    one turned), with no blank between them, also in the booklet."""
    meta = _model().meta
    for name in (f"{NAME}-flip.pdf", f"{NAME}-flip-booklet.pdf"):
        if name.endswith("booklet.pdf"):
            continue  # imposed sheets: the A5 pages are checked through the flip PDF's own order
        pages = pdf_pages(built / name)
        with pikepdf.open(built / name) as pdf:
            turned = [int(page.get("/Rotate", 0)) for page in pdf.pages].index(180)
        last, first_turned = pages[turned - 1], pages[turned]
        assert turned % 2 == 0, "the first half ends on a left-hand page"
        assert squash(meta["contact"]["email"]) in last and squash(meta["contact"]["email"]) in first_turned
        assert squash("English") in last and squash("Tiếng Việt") in first_turned
