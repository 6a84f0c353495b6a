"""The build as a recipe: load everything, check everything, render everything, then write."""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import content as content_mod
from .context import edition_context, editions
from .errors import ContentError
from .i18n import Catalogs
from .outputs import write_text
from .render import environment, render

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = ("html", "pdf", "epub")


@dataclass
class Progress:
    quiet: bool = False

    def step(self, label: str, func, *args):
        start = time.perf_counter()
        result = func(*args)
        if not self.quiet:
            print(f"  {label:<44} {time.perf_counter() - start:6.2f} s", flush=True)
        return result


def load(content_dir: Path, locale_dir: Path, strict: bool, progress: Progress):
    """Content and catalogs, checked together so that every problem is reported in one go."""
    problems, pack = [], None
    try:
        pack = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, strict)
        codes = pack.languages
    except ContentError as exc:
        problems += exc.problems
        codes = getattr(exc, "languages", [])
    catalogs = progress.step("compile message catalogs", Catalogs, locale_dir, codes)
    if strict:
        problems += catalogs.problems
    if problems:
        raise ContentError(problems)
    if not strict:
        drafts = pack.fallbacks + catalogs.problems
        if drafts:
            print(f"warning: draft build: {len(drafts)} missing translation(s) are shown in another "
                  "language and marked [xx]; a strict build (the default) fails on them:", file=sys.stderr)
            for problem in drafts:
                print(f"  {problem}", file=sys.stderr)
    return pack, catalogs


def check(content_dir: Path, out_dir: Path, progress: Progress, locale_dir: Path | None = None) -> list[Path]:
    """Validate the EPUBs already built into out_dir with EPUBCheck."""
    from .check import check_all
    pack = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, False)
    paths = [out_dir / ed.filename(pack.publication["name"], "epub") for ed in editions(pack)]
    progress.step(f"EPUBCheck {len(paths)} EPUB(s)", check_all, paths)
    return paths


def build(targets: set[str], content_dir: Path, out_dir: Path, progress: Progress,
          strict: bool = True, locale_dir: Path | None = None) -> list[Path]:
    out_dir = out_dir.resolve()
    pack, catalogs = load(content_dir, locale_dir or PROJECT / "locale", strict, progress)
    env = environment(PROJECT / "templates", catalogs)
    name = pack.publication["name"]
    written: list[Path] = []
    writer = None  # one WeasyPrint font configuration per run, shared by PDFs and EPUB covers

    if targets & {"html", "pdf"}:
        css = os.path.relpath(PROJECT / "styles" / "print.css", out_dir)
        pages = {}
        for ed in editions(pack):
            html = progress.step(f"render {ed.filename(name, 'html')}", render, env, "print.html",
                                 edition_context(pack, ed, "print", [css]))
            pages[ed] = (out_dir / ed.filename(name, "html"), html)
        if "pdf" in targets:
            from .pdf import PdfWriter
            writer = writer or PdfWriter()
            # Every edition is laid out before any file is replaced: a failure leaves all old PDFs.
            documents = {ed: progress.step(f"lay out {ed.filename(name, 'pdf')}", writer.layout, html, html_path)
                         for ed, (html_path, html) in pages.items()}
            for ed, document in documents.items():
                target = out_dir / ed.filename(name, "pdf")
                progress.step(f"write {target.name}", writer.write, document, target,
                              f"{pack.publication['identifier']}#{ed.key}")
                written.append(target)
                if not progress.quiet:
                    print(f"    {len(document.pages)} pages, {target.stat().st_size / 1024:.0f} KiB")
        for html_path, html in pages.values():
            write_text(html_path, html)
            written.append(html_path)

    if "epub" in targets:
        from . import epub
        from .pdf import PdfWriter
        writer = writer or PdfWriter()  # the cover image is laid out by WeasyPrint too
        css_text = "".join((PROJECT / "styles" / f).read_text(encoding="utf-8") for f in ("base.css", "epub.css"))
        books = {}
        for ed in editions(pack):
            books[ed] = progress.step(f"assemble {ed.filename(name, 'epub')}", _epub_book, env, pack, ed,
                                      css_text, writer, out_dir)
        for ed, (book, landmarks) in books.items():
            target = out_dir / ed.filename(name, "epub")
            progress.step(f"write {target.name}", epub.write, book, target, pack.publication["date"], landmarks)
            written.append(target)
    return written


def _epub_book(env, pack, edition, css_text, writer, out_dir):
    from . import epub
    from .cover import cover_png
    _ = env.globals["gettext"]
    lang = edition.lang
    ctx = edition_context(pack, edition, "epub")
    meta = ctx["meta"]
    print_css = os.path.relpath(PROJECT / "styles" / "print.css", out_dir)
    cover_html = render(env, "cover.html", edition_context(pack, edition, "print", [print_css]))
    png = cover_png(writer, cover_html, out_dir / "cover.html")

    macros = env.get_template("macros.html").module
    docs = [("cover.xhtml", _("Cover", lang), render(env, "epub/cover.html", ctx)),
            ("title.xhtml", meta["title"][lang], render(env, "epub/title.html", ctx))]
    for section in ctx["sections"]:
        title = " / ".join(str(macros.section_title(section["kind"], l)) for l in edition.langs)
        docs.append((f"{section['id']}.xhtml", title, render(env, "epub/section.html", dict(ctx, section=section))))
    docs.append(("contact.xhtml", _("For more information, please contact", lang), render(env, "epub/back.html", ctx)))
    labels = {
        "cover": _("Cover", lang),
        "contents": _("Contents", lang),
        "summary": _("This publication meets WCAG 2.1 Level AA. All of its content is text; the cover "
                     "image has a text alternative. Headings, a table of contents and landmarks support "
                     "navigation, and every passage is marked with its language.", lang),
    }
    book = epub.build_book(meta, edition, docs, css_text, png, labels, PROJECT / "styles" / "fonts")
    return book, _("Landmarks", lang)
