"""The EPUB step: one EPUB 3 book per edition, packaged with ebooklib.

Nav and NCX, landmarks, a raster cover, subset fonts, EPUB Accessibility 1.1
metadata, lang and xml:lang on every passage, and a reproducible zip.
"""
from __future__ import annotations

import datetime as dt
import html
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from .model import Edition, Model, page_context
from .pictures import epub_files, epub_srcs, inline_charts, print_srcs
from .render import render

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FONT_FILES = ("NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic")  # headings, labels and emphasis in them;
# body text is the reader's choice
STYLES = Path(__file__).resolve().parent.parent / "styles"
FONTS_DIR = STYLES / "fonts"


class _Document(epub.EpubHtml):
    """An XHTML document whose every `lang` also gets `xml:lang`, as EPUB readers and EPUBCheck
    expect, with no empty class, and its charts drawn in: ebooklib reads a body as HTML, which
    would lower-case SVG's attribute names (viewBox), so a chart joins the page after it."""

    def __init__(self, *args, charts: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.charts = charts

    def get_content(self, default=None):
        root = etree.fromstring(super().get_content(default))
        for element in root.iter():
            if not isinstance(element.tag, str):
                continue
            if element.get("lang"):
                element.set(XML_LANG, element.get("lang"))
            if element.get("class") is not None:
                classes = element.get("class").split()
                if classes:
                    element.set("class", " ".join(classes))
                else:
                    del element.attrib["class"]
        for place in root.xpath("//*[@data-chart]"):
            place.append(etree.fromstring(self.charts[place.attrib.pop("data-chart")]))
        return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def book_fonts(brand) -> list[tuple[str, object]]:
    """The fonts a book carries, as (name in the book, brand.FontFile): Noto Sans, and the brand's
    headings family where it is one of its own font files."""
    from .brand import FontFile
    noto = [(font, FontFile("Noto Sans", FONTS_DIR / f"{font}.ttf", "bold" if font.endswith("Bold") else "normal",
                            "italic" if font.endswith("Italic") else "normal")) for font in FONT_FILES]
    own = [(f"brand-{font.path.stem}", font) for font in brand.fonts if font.family == brand.families["headings"]]
    return noto + own


def subset_fonts(text: str, cache_dir: Path, fonts: list[tuple[str, object]]) -> list[tuple[str, object, bytes]]:
    """Each of book_fonts() cut down to the characters of `text`, as WOFF2: (name in the book,
    brand.FontFile, bytes). A subset depends on the set of characters, not the text, so most edits
    find it in the cache."""
    from .cache import cached, key
    from .fonts import subset_woff2
    chars = "".join(sorted(set(text)))
    cut = []
    for name, font in fonts:
        digest = key(chars, files=(font.path,), packages=("uharfbuzz", "fonttools", "brotli"))
        cut.append((name, font, cached(cache_dir / f"{name}-{digest}.woff2", lambda: subset_woff2(font.path, chars),
                                       lambda data: data.startswith(b"wOF2"))))
    return cut


def build_book(meta: dict, edition: Edition, documents: list[tuple[str, dict, str]], css_text: str,
               cover_png: bytes, labels: dict, fonts: list[tuple[str, object, bytes]],
               images: dict[str, tuple[str, bytes]] | None = None, charts: dict[str, str] | None = None,
               paged: bool = False) -> epub.EpubBook:
    """documents: (file name, title in each language, body XHTML) in reading order: cover, title
    page, sections, back matter.
    fonts: subset_fonts() of at least the text of this book.
    images: the pictures the documents show, name -> (media type, bytes); charts: the <svg> of each
    chart they show, by picture id. paged: the documents carry print page breaks (pagemap.py).

    labels: the edition-language strings the package needs (cover alt text, accessibility
    summary, landmark names), already translated.
    """
    from .brand import licence as brand_licence
    lang = edition.lang
    book = epub.EpubBook()
    book.set_identifier(edition.identifier(meta["identifier"]))
    book.set_title(" / ".join(meta["title"][l] for l in edition.langs))
    book.set_language(lang)
    for l in edition.langs[1:]:
        book.add_metadata("DC", "language", l)
    book.add_author(meta["publisher"][lang])
    for name in ("publisher", "rights"):
        book.add_metadata("DC", name, meta[name][lang])
    book.add_metadata("DC", "date", meta["date_iso"])
    book.add_metadata("DC", "description", meta["subtitle"][lang])
    _accessibility(book, labels["summary"], paged)
    if paged:
        # The print page numbers follow the A4 PDF of this edition: the same edition, on paper. Said
        # the EPUB 3.2 way (dc:source, refined as the source of the pagination): the newer
        # pageBreakSource property is still incubating, and EPUBCheck 4.2 rejects it (OPF-027).
        book.add_metadata("DC", "source", edition.identifier(meta["identifier"]), {"id": "print-source"})
        book.add_metadata(None, "meta", "pagination", {"refines": "#print-source", "property": "source-of"})

    book.set_cover("images/cover.png", cover_png, create_page=False)
    for i, (name, (media_type, data)) in enumerate(sorted((images or {}).items())):
        book.add_item(epub.EpubItem(uid=f"picture-{i}", file_name=name, media_type=media_type, content=data))
    font_css, licences = [], {FONTS_DIR / "OFL.txt": "fonts/OFL.txt"}
    for name, font, data in fonts:
        book.add_item(epub.EpubItem(uid=name, file_name=f"fonts/{name}.woff2", media_type="font/woff2",
                                    content=data))
        font_css.append(f'@font-face {{ font-family: "{font.family}"; font-weight: {font.weight}; '
                        f'font-style: {font.style}; src: url("../fonts/{name}.woff2") format("woff2"); }}\n')
        licence = brand_licence(font.path) if font.path.parent != FONTS_DIR else None
        if licence and licence not in licences:  # the licence travels with the font, as its terms ask
            licences[licence] = f"fonts/brand-{len(licences)}-{licence.name}"
    for i, (licence, file_name) in enumerate(licences.items()):
        book.add_item(epub.EpubItem(uid="ofl" if i == 0 else f"licence-{i}", file_name=file_name,
                                    media_type="text/plain", content=licence.read_bytes()))
    css = epub.EpubItem(uid="css", file_name="style/book.css", media_type="text/css",
                        content=("".join(font_css) + css_text).encode("utf-8"))
    book.add_item(css)

    items, charts = [], charts or {}
    for file_name, titles, body in documents:
        title = " / ".join(titles.values())
        doc = _Document(title=title, file_name=file_name, lang=lang, charts=charts)
        if "data-chart=" in body:
            doc.properties.append("svg")
        doc.content = f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"
        doc.add_item(css)
        book.add_item(doc)
        items.append(doc)
    cover, *reading = items
    book.toc = [epub.Link(item.file_name, item.title, item.file_name.removesuffix(".xhtml")) for item in reading]
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav()
    nav.add_item(css)
    book.add_item(nav)
    book.spine = [cover, reading[0], "nav", *reading[1:]]
    book.guide = [{"type": "cover", "href": cover.file_name, "title": labels["cover"]},
                  {"type": "toc", "href": "nav.xhtml", "title": labels["contents"]},
                  {"type": "text", "href": reading[1].file_name, "title": reading[1].title}]
    return book


def _accessibility(book: epub.EpubBook, summary: str, paged: bool) -> None:
    """EPUB Accessibility 1.1 discovery metadata; each claim is backed by the markup and the tests.
    paged: the book carries the print edition's page numbers."""
    def meta(prop, value):
        book.add_metadata(None, "meta", value, {"property": prop})
    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")             # the cover image
    meta("schema:accessModeSufficient", "textual")   # every informative picture has alt text
    for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                    "displayTransformability", *(("printPageNumbers", "pageNavigation") if paged else ())):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", summary)
    meta("dcterms:conformsTo", CONFORMS_TO)


XHTML = "{http://www.w3.org/1999/xhtml}"


def _finish_nav(data: bytes, titles: dict[str, dict[str, str]], pages: list[tuple[str, int]], pages_title: str) -> bytes:
    """ebooklib's nav, made for readers: each entry and the heading in every language of the
    edition, each half marked with its language; the landmarks and the list of print pages are
    hidden (they are for reading systems)."""
    root = etree.fromstring(data)
    body = root.find(f"{XHTML}body")
    if pages:
        nav = etree.SubElement(body, f"{XHTML}nav", {EPUB_TYPE: "page-list", "role": "doc-pagelist", "hidden": "hidden"})
        etree.SubElement(nav, f"{XHTML}h2").text = pages_title
        entries = etree.SubElement(nav, f"{XHTML}ol")
        for file_name, page in pages:
            etree.SubElement(etree.SubElement(entries, f"{XHTML}li"), f"{XHTML}a",
                             {"href": f"{file_name}#page-{page}"}).text = str(page)
    for nav in root.iter(f"{XHTML}nav"):
        kind = nav.get(EPUB_TYPE)
        if kind == "landmarks":
            nav.set("hidden", "hidden")
        elif kind == "toc":
            nav.set("class", "toc")
            heading = nav.find(f"{XHTML}h2")
            heading.tag = f"{XHTML}h1"
            _in_languages(heading, titles["#contents"])
            for link in nav.iter(f"{XHTML}a"):
                _in_languages(link, titles[link.get("href")])
    return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def _in_languages(element, texts: dict[str, str]) -> None:
    """element's text becomes one span per language, the first the main one."""
    element.text = None
    for i, (lang, text) in enumerate(texts.items()):
        span = etree.SubElement(element, f"{XHTML}span", {"lang": lang, XML_LANG: lang,
                                                           "class": "main" if i == 0 else "alt"})
        span.text = text
        if i < len(texts) - 1:  # for readers that show the nav unstyled; styled, each title has its line
            separator = etree.SubElement(element, f"{XHTML}span", {"class": "separator"})
            separator.text = " / "


def _count_pages(data: bytes, pages: list[tuple[str, int]]) -> bytes:
    """The NCX's page count and highest page, for reading systems that still read it (ebooklib
    writes 0)."""
    root = etree.fromstring(data)
    counts = {"dtb:totalPageCount": len(pages), "dtb:maxPageNumber": max((page for _, page in pages), default=0)}
    for meta in root.iter("{http://www.daisy.org/z3986/2005/ncx/}meta"):
        if meta.get("name") in counts:
            meta.set("content", str(counts[meta.get("name")]))
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def _normalise_opf(data: bytes, lang: str) -> bytes:
    root = etree.fromstring(data)
    root.set(XML_LANG, lang)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def write(book: epub.EpubBook, final: Path, stamp: dt.datetime, labels: dict, titles: dict, pages: list) -> None:
    """Write the book to `final` (a staged file), then re-pack it with repro-zipfile (fixed times
    and permissions from SOURCE_DATE_EPOCH), entries sorted with `mimetype` first and stored.
    titles: each nav entry's title in every language, by href. pages: (file, page) of each print
    page break, in order (pagemap.py)."""
    from repro_zipfile import ReproducibleZipFile
    raw = final.with_name(final.name + ".ebooklib")
    try:
        epub.write_epub(str(raw), book, {"mtime": stamp, "raise_exceptions": True, "epub2_guide": False,
                                         "epub3_pages": False, "landmark_title": labels["landmarks"]})
        with zipfile.ZipFile(raw) as src, ReproducibleZipFile(final, "w") as dst:
            for name in sorted(src.namelist(), key=lambda n: (n != "mimetype", n)):
                data = src.read(name)
                if name.endswith(".opf"):
                    data = _normalise_opf(data, book.language)
                elif name.endswith("/nav.xhtml"):
                    data = _finish_nav(data, titles, pages, labels["pages"])
                elif name.endswith(".ncx"):
                    data = _count_pages(data, pages)
                stored = name == "mimetype"  # EPUB OCF: first, uncompressed
                dst.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                             compresslevel=None if stored else 9)
    finally:
        raw.unlink(missing_ok=True)


def make(model: Model, env, editions: list[Edition], out_dir: Path, writer, progress, stage) -> list[Path]:
    """The EPUB step: one book per edition, made into the run's outputs.Stage. writer: a callable
    giving the run's PdfWriter, which lays out the print edition whose page numbers the book
    carries, and draws the cover image (each when it is not cached)."""
    from . import pagemap
    from .cover import cover_png
    from .pdf import stylesheet_hrefs
    cache = out_dir / ".cache"
    css_text = model.brand.resolve("".join((STYLES / f).read_text(encoding="utf-8") for f in ("base.css", "epub.css")))
    charts = {ed: inline_charts(model, ed.langs, cache) for ed in model.editions if not ed.print_only}
    parts = {ed: _parts(env, model, ed, epub_srcs(model, ed.langs)) for ed in charts}
    # The fonts are cut once per run, to the characters of every edition, so that an EPUB is the
    # same file whichever editions a run builds.
    text = css_text + "".join(body + "".join(label for label in labels.values() if isinstance(label, str))
                              + "".join(charts[ed].values()) for ed, (docs, labels) in parts.items() for _, _, body in docs)
    carried = book_fonts(model.brand)
    fonts = progress.step(f"subset {len(carried)} fonts", subset_fonts, text, cache, carried)
    books = {}
    for ed in [ed for ed in editions if not ed.print_only]:  # a reflowable book has no spreads
        filename = ed.filename(model.name, "epub")
        on_cover = [pic["id"] for pic in (model.meta["cover_image"], model.meta["logo"]) if pic]
        cover_html = render(env, "cover.html", dict(page_context(model, ed, "print", stylesheet_hrefs(out_dir, "print.css"),
                                                                 print_srcs(model, ed.langs, out_dir, cache, on_cover),
                                                                 out_dir),
                                                    ebook=True))
        png = progress.step(f"cover of {filename}", cover_png, cover_html, out_dir / "cover.html", cache, writer,
                            tuple(image.path for image in model.images.values()) + model.brand.files)
        starts = progress.step(f"print pages of {filename}", pagemap.starts, model, env, ed, out_dir, writer)
        docs, labels = parts[ed]
        docs, pages = pagemap.mark(docs, starts)
        images = progress.step(f"pictures of {filename}", epub_files, model, ed.langs, cache)
        titles = {name: texts for name, texts, _ in docs[1:]}
        titles["#contents"] = labels["contents_all"]
        book = build_book(model.meta, ed, docs, css_text, png, labels, fonts, images, charts[ed], bool(pages))
        books[ed] = (book, labels, titles, pages)
    written = []
    for ed, (book, labels, titles, pages) in books.items():
        target = out_dir / ed.filename(model.name, "epub")
        progress.step(f"write {target.name}", write, book, stage.path(target), model.stamp, labels, titles, pages)
        written.append(target)
    return written


def _parts(env, model: Model, edition: Edition, srcs: dict[str, str]):
    """(documents, labels) of one edition's EPUB: (file, title in each language, XHTML body) in
    reading order, and the translated strings the package needs. srcs: each picture's file in the
    book. Passages keep their marks (data-passage) until pagemap.mark has read them."""
    _ = env.globals["gettext"]
    lang, langs = edition.lang, edition.langs

    def every(message):
        return {l: _(message, l) for l in langs}

    ctx = dict(page_context(model, edition, "epub", srcs=srcs), passages=True)
    docs = [("cover.xhtml", {lang: _("Cover", lang)}, render(env, "epub/cover.html", ctx)),
            ("title.xhtml", {l: model.meta["title"][l] for l in langs}, render(env, "epub/title.html", ctx))]
    for section in model.sections:
        docs.append((f"{section['id']}.xhtml", {l: section["title"][l] for l in langs},
                     render(env, "epub/section.html", dict(ctx, section=section))))
    docs.append(("sources.xhtml", every("Sources"), render(env, "parts/sources.html", ctx)))
    docs.append(("contact.xhtml", every("For more information, please contact"), render(env, "epub/back.html", ctx)))
    docs.append(("colophon.xhtml", every("Colophon"), render(env, "epub/colophon.html", ctx)))
    labels = {
        "cover": _("Cover", lang),
        "contents": _("Contents", lang),
        "contents_all": every("Contents"),
        "landmarks": _("Landmarks", lang),
        "pages": _("Pages", lang),
        "summary": _("This publication meets WCAG 2.1 Level AA. Its content is text, and every picture "
                     "that carries information has a text alternative in every language of the edition. "
                     "Headings, a table of contents, landmarks and the page numbers of the printed edition "
                     "support navigation, and every passage is marked with its language.", lang),
    }
    return docs, labels
