"""EPUB editions: EPUBCheck clean, structure, semantics, cover, fonts, CSS and accessibility claims."""
from __future__ import annotations

import io
import re
import sys
import zipfile

import pytest
import yaml
from fontTools.ttLib import TTFont
from lxml import etree
from PIL import Image

from conftest import CONTENT, EDITIONS, ROOT, edition_file

sys.path.insert(0, str(ROOT))
from briefing.check import epubcheck  # noqa: E402

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops",
      "opf": "http://www.idpf.org/2007/opf"}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
TIMELINE = yaml.safe_load((CONTENT / "timeline.yaml").read_text(encoding="utf-8"))["entries"]


def read(key: str, built) -> dict[str, bytes]:
    with zipfile.ZipFile(edition_file(built, key, "epub")) as book:
        return {name: book.read(name) for name in book.namelist()}


def xhtml_docs(files: dict[str, bytes]) -> dict[str, etree._Element]:
    return {n: etree.fromstring(data) for n, data in files.items() if n.endswith(".xhtml")}


@pytest.mark.parametrize("key", list(EDITIONS))
def test_epubcheck_reports_nothing(built, key):
    problems = epubcheck(edition_file(built, key, "epub"))
    assert not problems, "EPUBCheck:\n" + "\n".join(map(str, problems))


@pytest.mark.parametrize("key", list(EDITIONS))
def test_languages_on_package_documents_and_passages(built, key):
    langs = EDITIONS[key]
    files = read(key, built)
    names = list(files)
    assert names[0] == "mimetype"
    opf = etree.fromstring(files["EPUB/content.opf"])
    assert opf.get(XML_LANG) == langs[0]
    assert [e.text for e in opf.iterfind(".//{http://purl.org/dc/elements/1.1/}language")] == list(langs)
    seen = set()
    for name, root in xhtml_docs(files).items():
        assert root.get("lang") == langs[0] and root.get(XML_LANG) == langs[0], name
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("lang"):
                assert element.get(XML_LANG) == element.get("lang"), (name, element.tag)
                # The Sources list cites each source's title in the source's own language, and
                # a name in another language is marked so in the text ([…]{lang=en}).
                if not (name == "EPUB/sources.xhtml" and element.tag.endswith("}cite")):
                    seen.add(element.get("lang"))
                    if element.get("lang") not in langs:
                        assert element.tag.endswith("}span") and not element.get("class"), (name, element.tag)
    assert set(langs) <= seen <= set(langs) | {"en"}


@pytest.mark.parametrize("key", list(EDITIONS))
def test_navigation_spine_and_landmarks(built, key):
    files = read(key, built)
    assert "EPUB/toc.ncx" in files
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    landmarks = {a.get(EPUB_TYPE): a.get("href")
                 for a in nav.iterfind(".//x:nav[@epub:type='landmarks']//x:a", NS)}
    assert landmarks == {"cover": "cover.xhtml", "toc": "nav.xhtml", "bodymatter": "mission.xhtml"}
    # For reading systems, not for the reader's eyes: the landmarks and the print page list.
    assert nav.find(".//x:nav[@epub:type='landmarks']", NS).get("hidden") is not None
    assert nav.find(".//x:nav[@epub:type='page-list']", NS).get("hidden") is not None
    links = list(nav.iterfind(".//x:nav[@epub:type='toc']//x:a", NS))
    toc = [a.get("href") for a in links]
    # Standard Ebooks' order: a short imprint at the front, the colophon at the back.
    assert toc == ["title.xhtml", "mission.xhtml", "facts.xhtml", "returns.xhtml", "timeline.xhtml", "news.xhtml",
                   "speech.xhtml", "sources.xhtml", "contact.xhtml", "colophon.xhtml"]
    # Every entry in every language of the edition, each half marked with its language.
    for link in links:
        halves = link.findall("x:span[@lang]", NS)
        assert [h.get("lang") for h in halves] == list(EDITIONS[key]), link.get("href")
        assert all(h.text and h.get(XML_LANG) == h.get("lang") for h in halves)
    head = etree.fromstring(files["EPUB/nav.xhtml"]).find(".//x:head/x:link[@rel='stylesheet']", NS)
    assert head is not None  # the nav is styled like the book
    opf = etree.fromstring(files["EPUB/content.opf"])
    manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    spine = [manifest[i.get("idref")] for i in opf.iterfind(".//opf:itemref", NS)]
    assert spine == ["cover.xhtml", "title.xhtml", "nav.xhtml", *toc[1:]]


def test_semantic_markup(built):
    docs = xhtml_docs(read("", built))
    # One entry per year, the year its heading (the content has two entries for 2007 and for 2011).
    events = docs["EPUB/timeline.xhtml"].findall(".//x:ol[@class='timeline-list']/x:li", NS)
    years = [e.find("x:h2/x:time", NS).get("datetime") for e in events]
    assert years == sorted({str(entry.get("date", entry.get("year")))[:4] for entry in TIMELINE})
    assert sum(len(e.findall("x:div", NS)) for e in events) == len(TIMELINE)
    news = docs["EPUB/news.xhtml"].find(".//x:article", NS)
    assert news is not None and news.find("x:header/x:h2", NS) is not None  # an article, its dateline in its header
    assert docs["EPUB/news.xhtml"].find(".//x:aside", NS) is None
    speech = docs["EPUB/speech.xhtml"]
    assert speech.find(".//x:blockquote", NS) is not None and speech.find(".//x:cite", NS) is not None
    for name, root in docs.items():
        if name.endswith(("nav.xhtml", "cover.xhtml")):  # generated nav; the cover is an image
            continue
        levels = [int(h.tag[-1]) for h in root.iter() if isinstance(h.tag, str) and re.fullmatch(r".*}h[1-6]", h.tag)]
        assert levels and levels[0] == 1 and levels.count(1) == 1, (name, levels)
        assert all(b - a <= 1 for a, b in zip(levels, levels[1:])), (name, levels)
        for element in root.iter():
            if isinstance(element.tag, str) and element.get(EPUB_TYPE) == "chapter":
                assert element.get("role") == "doc-chapter", name


@pytest.mark.parametrize("key", list(EDITIONS))
def test_cover_image_and_alt_text(built, key):
    files = read(key, built)
    opf = etree.fromstring(files["EPUB/content.opf"])
    (cover,) = [i for i in opf.iterfind(".//opf:item", NS) if i.get("properties") == "cover-image"]
    image = Image.open(io.BytesIO(files["EPUB/" + cover.get("href")]))
    assert max(image.size) >= 1600
    # Not a placeholder: the cover carries the design's blue and light title text.
    colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50 and max(colours)[1] == (10, 92, 158)
    for name, root in xhtml_docs(files).items():
        for img in root.iterfind(".//x:img", NS):
            assert len(img.get("alt", "").strip()) > 20, name


@pytest.mark.parametrize("key", list(EDITIONS))
def test_fonts_are_subset_and_cover_the_text(built, key):
    files = read(key, built)
    assert b"SIL OPEN FONT LICENSE" in files["EPUB/fonts/OFL.txt"]
    text = "".join("".join(root.itertext()) for root in xhtml_docs(files).values())
    needed = {ord(c) for c in text if not c.isspace()}
    for name in ("NotoSans-Regular", "NotoSans-Bold"):
        data = files[f"EPUB/fonts/{name}.woff2"]
        full = (ROOT / "styles" / "fonts" / f"{name}.ttf").stat().st_size
        assert len(data) < full / 10, name
        font = TTFont(io.BytesIO(data))
        cmap = set(font.getBestCmap())
        assert needed <= cmap, sorted(chr(c) for c in needed - cmap)
        assert {0, 13, 14} <= {n.nameID for n in font["name"].names}  # copyright and licence (OFL)
        assert "GPOS" in font and "GSUB" in font  # kerning and mark positioning survive the cut


def test_epub_css_is_for_reflowable_readers(built):
    css = read("", built)["EPUB/style/book.css"].decode("utf-8")
    assert "@page" not in css
    assert not re.search(r"font-size:\s*[\d.]+(pt|px)", css)
    body_rules = re.findall(r"(?:^|})\s*body\s*{([^}]*)}", css, re.M)
    assert body_rules and not any("font-family" in rule for rule in body_rules)


@pytest.mark.parametrize("key,marker", [("", "Ấn phẩm này"), ("vi", "Ấn phẩm này"), ("en", "This publication")])
def test_accessibility_metadata(built, key, marker):
    opf = etree.fromstring(read(key, built)["EPUB/content.opf"])
    meta = {}
    for m in opf.iterfind(".//opf:meta[@property]", NS):
        meta.setdefault(m.get("property"), []).append(m.text)
    assert set(meta["schema:accessMode"]) == {"textual", "visual"}
    assert meta["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "alternativeText"} <= set(
        meta["schema:accessibilityFeature"])
    assert meta["schema:accessibilityHazard"] == ["none"]
    assert meta["schema:accessibilitySummary"][0].startswith(marker)
    assert meta["dcterms:conformsTo"] == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]


def test_the_page_and_its_backgrounds_take_the_readers_colours(built):
    """No colour for the whole page and no background: a night theme changes the text colour and
    the page's, and a box of another colour would keep its own (test_reading.py measures it all)."""
    css = read("", built)["EPUB/style/book.css"].decode("utf-8")
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S))
    assert len(rules) > 40
    for selector, body in rules:
        assert not re.search(r"(?<![-\w])background(-color)?\s*:", body), selector
        if selector.strip() in ("html", "body", ":root"):
            assert not re.search(r"(?<![-\w])color", body), selector


@pytest.mark.parametrize("key,foreign", [
    ("vi", ("Contents", "Landmarks", "Key facts", "Timeline", "Opening remarks", "Publisher", "Cover")),
    ("en", ("Mục lục", "Điểm mốc", "Số liệu chính", "Các mốc hoạt động", "Phát biểu khai mạc", "Bìa")),
])
def test_single_language_epub_has_no_label_of_the_other_language(built, key, foreign):
    files = read(key, built)
    text = "\n".join(data.decode("utf-8") for name, data in files.items() if name.endswith((".xhtml", ".ncx", ".opf")))
    found = [label for label in foreign if re.search(rf"(?<!\w){re.escape(label)}(?!\w)", text)]
    assert not found, found


@pytest.mark.parametrize("key", list(EDITIONS))
def test_front_and_back_matter_say_what_a_reader_needs(built, key):
    """The title page is a short imprint; the colophon is at the back and shows this edition's own
    identifier and no internal file name; the contact lines are apart; the English key facts carry
    their numbers; a translation mark links to the note that explains it; no empty class."""
    files = read(key, built)
    docs = xhtml_docs(files)
    opf = etree.fromstring(files["EPUB/content.opf"])
    own = opf.find(".//{http://purl.org/dc/elements/1.1/}identifier").text
    others = {etree.fromstring(read(k, built)["EPUB/content.opf"]).find(".//{http://purl.org/dc/elements/1.1/}identifier").text
              for k in EDITIONS} - {own}
    assert len(others) == 2
    assert docs["EPUB/title.xhtml"].find(".//x:dl", NS) is None
    colophon = "".join(docs["EPUB/colophon.xhtml"].itertext())
    assert own in colophon and not any(other in colophon for other in others)
    for name, root in docs.items():
        text = "".join(root.itertext())
        assert not re.search(r"\w\.(yaml|yml|py|json)\b", text), name
        assert not re.search(r"</?[a-z]+>", text), name  # markup shown as text (escaped by a template)
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("class") is not None:
                assert element.get("class") == " ".join(element.get("class").split()) != "", (name, element.tag)
    publisher = docs["EPUB/contact.xhtml"].find(".//x:p[@class='back-publisher']", NS)
    spans = publisher.findall("x:span", NS)
    assert len(spans) == len(EDITIONS[key]) and all(s.getnext() is not None and s.getnext().tag.endswith("}br")
                                                    for s in spans[:-1])
    for fact in docs["EPUB/facts.xhtml"].iterfind(".//x:li[@class='fact']", NS):
        assert len(fact.findall("x:p/x:span[@class='fact-value']", NS)) == len(EDITIONS[key])
    marks = [a for root in docs.values() for a in root.iterfind(".//x:sup[@class='ours-mark']/x:a", NS)]
    assert marks
    for mark in marks:
        target, anchor = mark.get("href").split("#")
        assert docs[f"EPUB/{target}"].find(f".//*[@id='{anchor}']", NS) is not None and mark.get("aria-label")


def test_modified_is_the_contents_last_commit(built):
    """dcterms:modified moves with the content (its last commit), not with the publication date."""
    import datetime as dt
    import os
    import subprocess
    if "SOURCE_DATE_EPOCH" in os.environ:
        pytest.skip("SOURCE_DATE_EPOCH is set, and it wins")
    log = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=CONTENT, capture_output=True, text=True)
    if log.returncode != 0 or not log.stdout.strip():
        pytest.skip("the content is not in a Git work tree")
    when = dt.datetime.fromtimestamp(int(log.stdout), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    opf = read("", built)["EPUB/content.opf"].decode("utf-8")
    assert f'<meta property="dcterms:modified">{when}</meta>' in opf
