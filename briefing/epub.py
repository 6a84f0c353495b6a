"""The EPUB step: one EPUB 3 book per edition, packaged with ebooklib.

Nav and NCX, landmarks, a raster cover, subset fonts, EPUB Accessibility 1.1
metadata, lang and xml:lang on every passage, and a reproducible zip.
"""
from __future__ import annotations

import datetime as dt
import html
import uuid
import zipfile
from pathlib import Path

from ebooklib import epub
from lxml import etree

from .model import Edition, Model, page_context
from .pictures import epub_files, epub_srcs, print_srcs
from .render import render

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CONFORMS_TO = "EPUB Accessibility 1.1 - WCAG 2.1 Level AA"
FONT_FILES = ("NotoSans-Regular", "NotoSans-Bold", "NotoSans-Italic")  # headings, labels and emphasis in them;
# body text is the reader's choice
STYLES = Path(__file__).resolve().parent.parent / "styles"
FONTS_DIR = STYLES / "fonts"


def edition_uid(identifier: str, edition: Edition) -> str:
    """Each edition is its own book for reading systems, but its id is stable across builds."""
    if not edition.key:
        return identifier
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{identifier}#{edition.key}')}"


class _Document(epub.EpubHtml):
    """An XHTML document whose every `lang` also gets `xml:lang`, as EPUB readers and EPUBCheck expect."""

    def get_content(self, default=None):
        root = etree.fromstring(super().get_content(default))
        for element in root.iter():
            if isinstance(element.tag, str) and element.get("lang"):
                element.set(XML_LANG, element.get("lang"))
        return etree.tostring(root, encoding="utf-8", xml_declaration=True, doctype="<!DOCTYPE html>")


def subset_fonts(text: str, cache_dir: Path) -> dict[str, bytes]:
    """FONT_FILES cut down to the characters of `text`, as WOFF2. A subset depends on the set of
    characters, not the text, so most edits find it in the cache."""
    from .cache import cached, key
    from .fonts import subset_woff2
    chars = "".join(sorted(set(text)))
    fonts = {}
    for font in FONT_FILES:
        path = FONTS_DIR / f"{font}.ttf"
        name = key(chars, files=(path,), packages=("uharfbuzz", "fonttools", "brotli"))
        fonts[font] = cached(cache_dir / f"{font}-{name}.woff2", lambda: subset_woff2(path, chars),
                             lambda data: data.startswith(b"wOF2"))
    return fonts


def build_book(meta: dict, edition: Edition, documents: list[tuple[str, str, str]], css_text: str,
               cover_png: bytes, labels: dict, fonts: dict[str, bytes],
               images: dict[str, tuple[str, bytes]] | None = None) -> epub.EpubBook:
    """documents: (file name, title, body XHTML) in reading order: cover, title page, sections, back.
    fonts: subset_fonts() of at least the text of this book.
    images: the pictures the documents show, name -> (media type, bytes).

    labels: the edition-language strings the package needs (cover alt text, accessibility
    summary, landmark names), already translated.
    """
    lang = edition.lang
    book = epub.EpubBook()
    book.set_identifier(edition_uid(meta["identifier"], edition))
    book.set_title(" / ".join(meta["title"][l] for l in edition.langs))
    book.set_language(lang)
    for l in edition.langs[1:]:
        book.add_metadata("DC", "language", l)
    book.add_author(meta["publisher"][lang])
    for name in ("publisher", "rights"):
        book.add_metadata("DC", name, meta[name][lang])
    book.add_metadata("DC", "date", meta["date_iso"])
    book.add_metadata("DC", "description", meta["subtitle"][lang])
    _accessibility(book, labels["summary"])

    book.set_cover("images/cover.png", cover_png, create_page=False)
    for i, (name, (media_type, data)) in enumerate(sorted((images or {}).items())):
        book.add_item(epub.EpubItem(uid=f"picture-{i}", file_name=name, media_type=media_type, content=data))
    font_css = []
    for font in FONT_FILES:
        book.add_item(epub.EpubItem(uid=font, file_name=f"fonts/{font}.woff2", media_type="font/woff2",
                                    content=fonts[font]))
        weight = "bold" if font.endswith("Bold") else "normal"
        style = "italic" if font.endswith("Italic") else "normal"
        font_css.append(f'@font-face {{ font-family: "Noto Sans"; font-weight: {weight}; font-style: {style}; '
                        f'src: url("../fonts/{font}.woff2") format("woff2"); }}\n')
    book.add_item(epub.EpubItem(uid="ofl", file_name="fonts/OFL.txt", media_type="text/plain",
                                content=(FONTS_DIR / "OFL.txt").read_bytes()))
    css = epub.EpubItem(uid="css", file_name="style/book.css", media_type="text/css",
                        content=("".join(font_css) + css_text).encode("utf-8"))
    book.add_item(css)

    items = []
    for file_name, title, body in documents:
        doc = _Document(title=title, file_name=file_name, lang=lang)
        doc.content = f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"
        doc.add_item(css)
        book.add_item(doc)
        items.append(doc)
    cover, *reading = items
    book.toc = [epub.Link(item.file_name, item.title, item.file_name.removesuffix(".xhtml")) for item in reading]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = [cover, reading[0], "nav", *reading[1:]]
    book.guide = [{"type": "cover", "href": cover.file_name, "title": labels["cover"]},
                  {"type": "toc", "href": "nav.xhtml", "title": labels["contents"]},
                  {"type": "text", "href": reading[1].file_name, "title": reading[1].title}]
    return book


def _accessibility(book: epub.EpubBook, summary: str) -> None:
    """EPUB Accessibility 1.1 discovery metadata; each claim is backed by the markup and the tests."""
    def meta(prop, value):
        book.add_metadata(None, "meta", value, {"property": prop})
    meta("schema:accessMode", "textual")
    meta("schema:accessMode", "visual")             # the cover image
    meta("schema:accessModeSufficient", "textual")   # every informative picture has alt text
    for feature in ("structuralNavigation", "tableOfContents", "readingOrder", "alternativeText",
                    "displayTransformability"):
        meta("schema:accessibilityFeature", feature)
    meta("schema:accessibilityHazard", "none")
    meta("schema:accessibilitySummary", summary)
    meta("dcterms:conformsTo", CONFORMS_TO)


def _normalise_opf(data: bytes, lang: str) -> bytes:
    root = etree.fromstring(data)
    root.set(XML_LANG, lang)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def write(book: epub.EpubBook, final: Path, stamp: dt.datetime, landmarks_title: str) -> None:
    """Write the book to `final` (a staged file), then re-pack it with repro-zipfile (fixed times
    and permissions from SOURCE_DATE_EPOCH), entries sorted with `mimetype` first and stored."""
    from repro_zipfile import ReproducibleZipFile
    raw = final.with_name(final.name + ".ebooklib")
    try:
        epub.write_epub(str(raw), book, {"mtime": stamp, "raise_exceptions": True, "epub2_guide": False, "epub3_pages": False,
                                         "landmark_title": landmarks_title})
        with zipfile.ZipFile(raw) as src, ReproducibleZipFile(final, "w") as dst:
            for name in sorted(src.namelist(), key=lambda n: (n != "mimetype", n)):
                data = src.read(name)
                if name.endswith(".opf"):
                    data = _normalise_opf(data, book.language)
                stored = name == "mimetype"  # EPUB OCF: first, uncompressed
                dst.writestr(name, data, compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
                             compresslevel=None if stored else 9)
    finally:
        raw.unlink(missing_ok=True)


def make(model: Model, env, editions: list[Edition], out_dir: Path, writer, progress, stage) -> list[Path]:
    """The EPUB step: one book per edition, made into the run's outputs.Stage. writer: a callable
    giving the run's PdfWriter, which draws the cover image when it is not cached."""
    from .cover import cover_png
    from .pdf import stylesheet_hrefs
    cache = out_dir / ".cache"
    css_text = "".join((STYLES / f).read_text(encoding="utf-8") for f in ("base.css", "epub.css"))
    parts = {ed: _parts(env, model, ed, epub_srcs(model, ed.langs)) for ed in model.editions if not ed.print_only}
    # The fonts are cut once per run, to the characters of every edition, so that an EPUB is the
    # same file whichever editions a run builds.
    text = css_text + "".join(body + "".join(labels.values()) for docs, labels in parts.values()
                              for _, _, body in docs)
    fonts = progress.step(f"subset {len(FONT_FILES)} fonts", subset_fonts, text, cache)
    books = {}
    for ed in [ed for ed in editions if not ed.print_only]:  # a reflowable book has no spreads
        filename = ed.filename(model.name, "epub")
        on_cover = [pic["id"] for pic in (model.meta["cover_image"], model.meta["logo"]) if pic]
        cover_html = render(env, "cover.html", page_context(model, ed, "print", stylesheet_hrefs(out_dir, "print.css"),
                                                            print_srcs(model, ed.langs, out_dir, cache, on_cover)))
        png = progress.step(f"cover of {filename}", cover_png, cover_html, out_dir / "cover.html", cache, writer,
                            tuple(image.path for image in model.images.values()))
        docs, labels = parts[ed]
        images = progress.step(f"pictures of {filename}", epub_files, model, ed.langs, cache)
        books[ed] = (build_book(model.meta, ed, docs, css_text, png, labels, fonts, images), labels["landmarks"])
    written = []
    for ed, (book, landmarks) in books.items():
        target = out_dir / ed.filename(model.name, "epub")
        progress.step(f"write {target.name}", write, book, stage.path(target), model.stamp, landmarks)
        written.append(target)
    return written


def _parts(env, model: Model, edition: Edition, srcs: dict[str, str]):
    """(documents, labels) of one edition's EPUB: its XHTML bodies in reading order, and the
    translated strings the package needs. srcs: each picture's file in the book."""
    _ = env.globals["gettext"]
    lang = edition.lang
    ctx = page_context(model, edition, "epub", srcs=srcs)
    docs = [("cover.xhtml", _("Cover", lang), render(env, "epub/cover.html", ctx)),
            ("title.xhtml", model.meta["title"][lang], render(env, "epub/title.html", ctx))]
    for section in model.sections:
        title = " / ".join(section["title"][l] for l in edition.langs)
        docs.append((f"{section['id']}.xhtml", title, render(env, "epub/section.html", dict(ctx, section=section))))
    docs.append(("sources.xhtml", " / ".join(_("Sources", l) for l in edition.langs),
                 render(env, "parts/sources.html", ctx)))
    docs.append(("contact.xhtml", _("For more information, please contact", lang), render(env, "epub/back.html", ctx)))
    labels = {
        "cover": _("Cover", lang),
        "contents": _("Contents", lang),
        "landmarks": _("Landmarks", lang),
        "summary": _("This publication meets WCAG 2.1 Level AA. Its content is text, and every picture "
                     "that carries information has a text alternative in the edition's language. Headings, "
                     "a table of contents and landmarks support navigation, and every passage is marked "
                     "with its language.", lang),
    }
    return docs, labels
