"""EPUB 3 packaging with ebooklib: nav and NCX, lang on every document, reproducible zip."""
from __future__ import annotations

import datetime as dt
import html
import uuid
import zipfile
from pathlib import Path

from ebooklib import epub

from .context import Edition
from .errors import OutputError, Problem
from .outputs import atomic_path

CSS_NAME = "style/book.css"


def edition_uid(identifier: str, edition: Edition) -> str:
    """Each edition is its own book for reading systems, but its id is stable across builds."""
    if not edition.key:
        return identifier
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{identifier}#{edition.key}')}"


def _document(file_name: str, title: str, lang: str, body: str, css: epub.EpubItem) -> epub.EpubHtml:
    doc = epub.EpubHtml(title=title, file_name=file_name, lang=lang)
    doc.content = f"<html><head><title>{html.escape(title)}</title></head><body>{body}</body></html>"
    doc.add_item(css)
    return doc


def build_book(meta: dict, edition: Edition, documents: list[tuple[str, str, str]], css_text: str) -> epub.EpubBook:
    """documents: (file name, title for the TOC, body XHTML), in reading order; the first is the title page."""
    lang = edition.lang
    book = epub.EpubBook()
    book.set_identifier(edition_uid(meta["identifier"], edition))
    book.set_title(" / ".join(meta["title"][l] for l in edition.langs))
    book.set_language(lang)
    for l in edition.langs[1:]:
        book.add_metadata("DC", "language", l)
    book.add_author(meta["publisher"][lang])
    book.add_metadata("DC", "publisher", meta["publisher"][lang])
    book.add_metadata("DC", "date", meta["date_iso"])
    book.add_metadata("DC", "rights", meta["rights"][lang])
    book.add_metadata("DC", "description", meta["subtitle"][lang])

    css = epub.EpubItem(uid="css", file_name=CSS_NAME, media_type="text/css", content=css_text.encode("utf-8"))
    book.add_item(css)
    items = []
    for file_name, title, body in documents:
        item = _document(file_name, title, lang, body, css)
        book.add_item(item)
        items.append(item)
    book.toc = [epub.Link(item.file_name, item.title, item.file_name.removesuffix(".xhtml")) for item in items]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", *items]
    book.guide = [{"type": "title-page", "href": items[0].file_name, "title": items[0].title}]
    return book


def write(book: epub.EpubBook, target: Path, date_iso: str) -> None:
    """Write the book, then re-pack it: mimetype first and stored, sorted entries, fixed times."""
    stamp = dt.datetime.fromisoformat(date_iso).replace(tzinfo=dt.timezone.utc)
    with atomic_path(target) as final:
        raw = final.with_name(final.name + ".ebooklib")
        try:
            epub.write_epub(str(raw), book, {"mtime": stamp, "raise_exceptions": True})
            date_time = stamp.timetuple()[:6]
            with zipfile.ZipFile(raw) as src, zipfile.ZipFile(final, "w") as dst:
                for name in sorted(src.namelist(), key=lambda n: (n != "mimetype", n)):
                    info = zipfile.ZipInfo(name, date_time=date_time)
                    info.external_attr = 0o644 << 16
                    info.compress_type = zipfile.ZIP_STORED if name == "mimetype" else zipfile.ZIP_DEFLATED
                    dst.writestr(info, src.read(name), compresslevel=9)
        except OSError as exc:
            raise OutputError([Problem(str(target), None, None, "", f"cannot write: {exc.strerror}")]) from None
        finally:
            raw.unlink(missing_ok=True)
