"""The build as a recipe: load everything, check everything, render everything, then write."""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from . import content as content_mod
from .context import edition_context, editions, metadata, sections
from .i18n import load_catalogs
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


def build(targets: set[str], content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    out_dir = out_dir.resolve()
    pack = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir)
    catalogs = progress.step("compile message catalogs", load_catalogs, PROJECT / "locale", pack.languages)
    env = environment(PROJECT / "templates", catalogs)
    name = pack.publication["name"]
    written: list[Path] = []

    if targets & {"html", "pdf"}:
        css = os.path.relpath(PROJECT / "styles" / "print.css", out_dir)
        pages = {}
        for ed in editions(pack):
            html = progress.step(f"render {ed.filename(name, 'html')}", render, env, "print.html",
                                 edition_context(pack, ed, [css]))
            pages[ed] = (out_dir / ed.filename(name, "html"), html)
        if "pdf" in targets:
            from .pdf import PdfWriter
            writer = PdfWriter()
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
        css_text = "".join((PROJECT / "styles" / f).read_text(encoding="utf-8") for f in ("base.css", "epub.css"))
        meta, body_sections = metadata(pack), sections(pack)
        books = {}
        for ed in editions(pack):
            books[ed] = progress.step(f"assemble {ed.filename(name, 'epub')}", _epub_book, env, meta,
                                      body_sections, ed, css_text)
        for ed, book in books.items():
            target = out_dir / ed.filename(name, "epub")
            progress.step(f"write {target.name}", epub.write, book, target, meta["date_iso"])
            written.append(target)
    return written


def _epub_book(env, meta, body_sections, edition, css_text):
    from . import epub
    base = {"lang": edition.lang, "langs": list(edition.langs), "multilingual": edition.multilingual, "meta": meta}
    gettext = env.globals["gettext"]
    docs = [("title.xhtml", meta["title"][edition.lang], render(env, "epub/title.html", base))]
    macros = env.get_template("macros.html").module
    for section in body_sections:
        title = " / ".join(str(macros.section_title(section["kind"], l)) for l in edition.langs)
        docs.append((f"{section['id']}.xhtml", title, render(env, "epub/section.html", dict(base, section=section))))
    docs.append(("contact.xhtml", gettext("For more information, please contact", edition.lang),
                 render(env, "epub/back.html", base)))
    return epub.build_book(meta, edition, docs, css_text)
