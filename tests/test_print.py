"""Print-grade PDFs: TOC numbers, running heads, outline, tags, metadata, press boxes, booklet order."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import CONTENT, EDITIONS, MARGIN_PT, NAME, ROOT, edition_file, run_build

sys.path.insert(0, str(ROOT))
from briefing.booklet import impose  # noqa: E402
from briefing.pdf import PdfWriter  # noqa: E402

MM = 72 / 25.4


def _outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level bookmarks as (title, 1-based page number)."""
    return [(item.title, reader.get_destination_page_number(item) + 1)
            for item in reader.outline if not isinstance(item, list)]


def _top_text(page) -> str:
    height = float(page.mediabox.height)
    parts = []

    def visit(text, cm, tm, font, size):
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if y > height - MARGIN_PT:
            parts.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(parts).strip()


@pytest.mark.parametrize("key", list(EDITIONS))
def test_toc_page_numbers_are_where_the_headings_are(built, key):
    reader = PdfReader(edition_file(built, key, "pdf"))
    sections = _outline(reader)[1:]  # the first bookmark is the contents page itself
    assert len(sections) == 7  # the six sections of the pack and the Sources list
    toc_page = _outline(reader)[0][1]
    toc = reader.pages[toc_page - 1].extract_text()
    for title, page in sections:
        main = title.split(" / ")[0]
        # The TOC line ends with the page number target-counter() computed.
        match = re.search(re.escape(main) + r"[^\n]*?(\d+)\s*$", toc, re.M)
        assert match, (main, toc)
        assert int(match.group(1)) == page, (main, match.group(1), page)
        assert main in reader.pages[page - 1].extract_text()


@pytest.mark.parametrize("key", list(EDITIONS))
def test_running_heads_name_the_current_section(built, key):
    reader = PdfReader(edition_file(built, key, "pdf"))
    sections = _outline(reader)[1:]
    checked = 0
    for (title, start), (_, nxt) in zip(sections, sections[1:] + [("", len(reader.pages))]):
        every = " · ".join(title.split(" / "))  # the head names it in every language of the page
        for number in range(start + 1, nxt):  # pages after the section's first, before the next
            head = _top_text(reader.pages[number - 1])
            assert head == every, (number, head, every)
            checked += 1
    assert checked >= 5
    assert _top_text(reader.pages[0]) != sections[0][0].split(" / ")[0]  # the cover has no head


@pytest.mark.parametrize("key", list(EDITIONS))
def test_metadata_outline_language_and_tags(built, key):
    langs = EDITIONS[key]
    with pikepdf.open(edition_file(built, key, "pdf")) as pdf:
        info = pdf.docinfo
        for field in ("/Title", "/Author", "/Subject", "/Keywords"):
            assert str(info.get(field, "")).strip(), field
        assert str(pdf.Root.Lang) == langs[0]
        assert pdf.Root.MarkInfo.Marked and "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    reader = PdfReader(edition_file(built, key, "pdf"))
    titles = [t for t, _ in _outline(reader)]
    if len(langs) > 1:
        assert titles[1] == "Giới thiệu về IOM / Who we are"
    assert sum(len(item) for item in reader.outline if isinstance(item, list)) >= 4  # sub-headings
    links = [a for page in reader.pages[:3] for a in page.get("/Annots", []) if a.get_object().get("/Subtype") == "/Link"]
    assert len(links) >= 5  # the TOC entries are clickable


def test_press_pdf_has_bleed_and_trim_3mm_apart(built):
    with pikepdf.open(built / f"{NAME}-print.pdf") as pdf:
        assert len(pdf.pages) > 10
        for page in pdf.pages:
            bleed, trim = [float(v) for v in page.BleedBox], [float(v) for v in page.TrimBox]
            assert [round(t - b, 2) for t, b in zip(trim[:2], bleed[:2])] == [round(3 * MM, 2)] * 2
            assert [round(b - t, 2) for t, b in zip(trim[2:], bleed[2:])] == [round(3 * MM, 2)] * 2
            assert round((trim[2] - trim[0]) / MM) == 210 and round((trim[3] - trim[1]) / MM) == 297


def _numbered_pages(count: int):
    html = ("<style>@page { size: A5; margin: 20mm } p { font-size: 60pt; margin: 0 }</style>"
            + "".join(f'<p style="break-before: page">{n}</p>' for n in range(1, count + 1)))
    writer = PdfWriter([ROOT / 'styles'])
    return writer, writer.layout(f'<html lang="en"><head><title>t</title></head><body>{html}</body></html>',
                                 Path("/tmp/pages.html"))


def _halves(path: Path) -> list[tuple[str, str]]:
    """The text on the left and right half of each sheet side, as placed (PDFium applies the
    imposition's transforms; '-' is a blank half)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(path))
    sides = []
    try:
        for page in pdf:
            width, height = page.get_size()
            text = page.get_textpage()
            left = text.get_text_bounded(0, 0, width / 2, height).strip()
            right = text.get_text_bounded(width / 2, 0, width, height).strip()
            sides.append((left or "-", right or "-"))
    finally:
        pdf.close()
    return sides


def _saddle_order(count: int) -> list[tuple[str, str]]:
    """The expected order, by the textbook rule; blanks ('-') go before the last page."""
    total = -(-count // 4) * 4
    logical = [str(n) for n in range(1, count)] + ["-"] * (total - count) + [str(count)]
    sides = []
    for i in range(total // 2):
        outer, inner = logical[total - 1 - i], logical[i]
        sides.append((outer, inner) if i % 2 == 0 else (inner, outer))
    return sides


@pytest.mark.parametrize("count,sheets", [(8, 2), (12, 3), (13, 4)])
def test_booklet_imposition(tmp_path, count, sheets):
    writer, document = _numbered_pages(count)
    target = tmp_path / "booklet.pdf"
    assert impose(writer, document, target, "test") == sheets
    reader = PdfReader(target)
    assert len(reader.pages) == 2 * sheets
    for page in reader.pages:
        width, height = float(page.mediabox.width) / MM, float(page.mediabox.height) / MM
        assert round(width) in (296, 297) and round(height) == 210  # landscape A4, two A5 pages
    assert _halves(target) == _saddle_order(count)
    again = tmp_path / "again.pdf"
    impose(writer, document, again, "test")
    assert again.read_bytes() == target.read_bytes()  # no random /ID or timestamps from PyMuPDF


def test_the_longest_word_stays_inside_the_page(tmp_path):
    """A word of the longest length a text may have (richtext.MAX_WORD; a pasted hash or a stuck key
    beyond it is a content error) stays inside the page, all of it printed, even where it is wider
    than its line."""
    import shutil

    import pymupdf

    from briefing.richtext import MAX_WORD

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    news = content / "news.yaml"
    news.write_text(news.read_text(encoding="utf-8").replace("Placing high importance", "Placing " + "x" * MAX_WORD, 1),
                    encoding="utf-8")
    (content / "translations.lock").unlink()  # an original is edited: without the lock, its translation is current
    result = run_build("pdf", "--edition", "en", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    flags = pymupdf.TEXTFLAGS_RAWDICT & ~pymupdf.TEXT_MEDIABOX_CLIP
    with pymupdf.open(tmp_path / "out" / f"{NAME}-en.pdf") as doc:
        chars = [(page.rect, char) for page in doc for block in page.get_text("rawdict", flags=flags)["blocks"]
                 for line in block.get("lines", []) for span in line["spans"] for char in span["chars"]]
    assert sum(char["c"] == "x" for _, char in chars) >= MAX_WORD
    assert all(rect.contains(pymupdf.Rect(char["bbox"])) for rect, char in chars if char["c"] == "x")
