"""The build as a recipe: load everything, check everything, render everything, then write."""
from __future__ import annotations

import functools
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import content as content_mod
from .context import edition_context, editions, source_date
from . import parallel
from .errors import BuildError, ContentError, OutputError, Problem
from .i18n import Catalogs
from .outputs import commit, sweep, temp_beside, write_text
from .render import environment, render

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = ("html", "pdf", "epub", "print", "booklet")
PAPERS = ("a4", "a5")


@dataclass
class Progress:
    quiet: bool = False

    def step(self, label: str, func, *args):
        start = time.perf_counter()
        result = func(*args)
        if not self.quiet:
            print(f"  {label:<44} {time.perf_counter() - start:6.2f} s", flush=True)
        return result


def stylesheet_hrefs(out_dir: Path, *sheets: str) -> list[str]:
    """Links from an HTML file in out_dir to the project's stylesheets."""
    return [os.path.relpath(PROJECT / "styles" / sheet, out_dir) for sheet in sheets]


def resource_roots(content_dir: Path) -> list[Path]:
    """Where rendered documents may load files from: fonts and CSS, templates, content assets."""
    return [PROJECT / "styles", PROJECT / "templates", Path(content_dir)]


def load(content_dir: Path, locale_dir: Path, strict: bool, progress: Progress):
    """Content and catalogs, checked together so that every problem is reported in one go."""
    from .glyphs import charset
    problems, pack = [], None
    available = charset(PROJECT / "styles" / "fonts")
    try:
        pack = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, strict, available)
        codes = pack.languages
    except ContentError as exc:
        problems += exc.problems
        codes = getattr(exc, "languages", [])
    catalogs = progress.step("compile message catalogs", Catalogs, locale_dir, codes)
    problems += catalogs.glyph_problems(available)
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


def check(content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    """Validate the EPUBs already built into out_dir with EPUBCheck."""
    from .check import check_all
    pack = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, False)
    paths = [out_dir / ed.filename(pack.publication["name"], "epub") for ed in editions(pack)]
    progress.step(f"EPUBCheck {len(paths)} EPUB(s)", check_all, paths)
    return paths


def preview(content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    """PNG pages and a contact sheet for every PDF already in out_dir, into out_dir/preview/."""
    from .preview import preview as render_preview
    pdfs = sorted(out_dir.glob("*.pdf"))
    if not pdfs:
        raise OutputError([Problem(str(out_dir), None, None, "", "no PDF built yet: run `make pdf` first")])
    for pdf in pdfs:
        count = progress.step(f"preview {pdf.name}", render_preview, pdf, out_dir / "preview")
        if not progress.quiet:
            print(f"    {count} pages")
    return [out_dir / "preview" / f"{pdf.stem}-sheet.png" for pdf in pdfs]


def pack(content_dir: Path, out_dir: Path, dist_dir: Path, progress: Progress,
         locale_dir: Path | None = None) -> list[Path]:
    """dist/<name>.zip: every edition (PDF and EPUB, press PDF and booklet), SHA256SUMS, README."""
    from .pack import make_pack
    pack_, catalogs = load(content_dir, locale_dir or PROJECT / "locale", True, progress)
    name = pack_.publication["name"]
    files = [out_dir / ed.filename(name, ext) for ext in ("pdf", "epub") for ed in editions(pack_)]
    files += [out_dir / f"{name}-print.pdf", out_dir / f"{name}-booklet.pdf"]
    env = environment(PROJECT / "templates", catalogs)
    ed = editions(pack_)[0]
    readme = render(env, "pack-readme.txt", dict(edition_context(pack_, ed, "print"), files=[f.name for f in files]))
    target = dist_dir / f"{name}.zip"
    source_date(pack_)
    progress.step(f"pack {target}", make_pack, files, readme, target)
    return [target]


def build(targets: set[str], content_dir: Path, out_dir: Path, progress: Progress,
          strict: bool = True, locale_dir: Path | None = None, paper: str = "a4",
          only: set[str] | None = None, workers: int = 1) -> list[Path]:
    """only: edition keys to build ("main" is the edition with every language); None builds all.
    workers: how many PDFs may be made at once, each in its own process."""
    out_dir = out_dir.resolve()
    pack, catalogs = load(content_dir, locale_dir or PROJECT / "locale", strict, progress)
    stamp = source_date(pack)
    env = environment(PROJECT / "templates", catalogs)
    name = pack.publication["name"]
    sweep(out_dir, name)
    written: list[Path] = []

    @functools.cache
    def pdf_writer():
        """One WeasyPrint font configuration per run, shared by PDFs and EPUB covers; created (and
        WeasyPrint imported) only when something is laid out."""
        from .pdf import PdfWriter
        return PdfWriter(resource_roots(content_dir))

    if targets & {"html", "pdf", "print", "booklet"}:
        paper_css = () if paper == "a4" else (f"{paper}.css",)
        all_editions = _selected(pack, only)
        pages = {}  # the HTML of each edition as published, which is also written to out_dir
        for ed in all_editions:
            html = progress.step(f"render {ed.filename(name, 'html')}", render, env, "print.html",
                                 edition_context(pack, ed, "print", stylesheet_hrefs(out_dir, "print.css", *paper_css)))
            pages[ed] = (out_dir / ed.filename(name, "html"), html)

        # (output, edition, stylesheets): the press PDF and the booklet are the first edition
        # (every language) with a page setup layered on print.css.
        jobs = []
        if "pdf" in targets:
            jobs += [(ed.filename(name, "pdf"), ed, None) for ed in all_editions]
        if "print" in targets:
            jobs.append((f"{name}-print.pdf", all_editions[0],
                         stylesheet_hrefs(out_dir, "print.css", *paper_css, "press.css")))
        if "booklet" in targets:
            jobs.append((f"{name}-booklet.pdf", all_editions[0], stylesheet_hrefs(out_dir, "print.css", "a5.css")))
        if jobs:
            writer = pdf_writer()
            specs = []
            for filename, ed, sheets in jobs:
                html_path, html = pages[ed]
                if sheets is not None:
                    html = render(env, "print.html", edition_context(pack, ed, "print", sheets))
                specs.append((out_dir / filename, html, html_path, f"{pack.publication['identifier']}#{filename}"))
            # Every PDF is made into a temporary file first; they replace the old ones together, and
            # only if all succeeded.
            results = parallel.run(functools.partial(_make_pdf, writer, progress), specs, workers)
            errors = [r for r in results if isinstance(r, BaseException)]
            made = [r for r in results if not isinstance(r, BaseException)]
            if errors:
                for tmp, _ in made:
                    tmp.unlink(missing_ok=True)
                raise _combined(errors)
            for (target, *_), (tmp, summary) in zip(specs, made):
                try:
                    commit(tmp, target)
                except OSError as exc:
                    raise OutputError([Problem(str(target), None, None, "", f"cannot write: {exc.strerror}")]) from None
                written.append(target)
                if not progress.quiet:
                    print(f"    {target.name}: {summary}, {target.stat().st_size / 1024:.0f} KiB")
        if targets & {"html", "pdf"}:
            for html_path, html in pages.values():
                write_text(html_path, html)
                written.append(html_path)

    if "epub" in targets:
        from . import epub
        from .cover import cover_png
        css_text = "".join((PROJECT / "styles" / f).read_text(encoding="utf-8") for f in ("base.css", "epub.css"))
        fonts_dir = PROJECT / "styles" / "fonts"
        parts = {ed: _epub_parts(env, pack, ed) for ed in editions(pack)}
        # The fonts are cut once per run, to the characters of every edition, so that an EPUB is the
        # same file whichever editions a run builds.
        text = css_text + "".join(body + "".join(labels.values()) for docs, labels, _ in parts.values()
                                  for _, _, body in docs)
        fonts = progress.step(f"subset {len(epub.FONT_FILES)} fonts", epub.subset_fonts, fonts_dir, text,
                              out_dir / ".cache")
        books = {}
        for ed in _selected(pack, only):
            filename = ed.filename(name, "epub")
            cover_html = render(env, "cover.html",
                                edition_context(pack, ed, "print", stylesheet_hrefs(out_dir, "print.css")))
            png = progress.step(f"cover of {filename}", cover_png, cover_html, out_dir / "cover.html",
                                out_dir / ".cache", pdf_writer)
            docs, labels, meta = parts[ed]
            books[ed] = (epub.build_book(meta, ed, docs, css_text, png, labels, fonts, fonts_dir), labels["landmarks"])
        for ed, (book, landmarks) in books.items():
            target = out_dir / ed.filename(name, "epub")
            progress.step(f"write {target.name}", epub.write, book, target, stamp, landmarks)
            written.append(target)
    return written


def _selected(pack, only: set[str] | None):
    chosen = [ed for ed in editions(pack) if only is None or (ed.key or "main") in only]
    if not chosen:
        keys = ", ".join(ed.key or "main" for ed in editions(pack))
        raise ContentError([Problem("--edition", None, None, "", f"no such edition; this pack has: {keys}")])
    return chosen


def _make_pdf(writer, progress: Progress, spec):
    """Lay out and write one PDF into a temporary file beside its target: (temporary path,
    summary), or the exception, so that the caller can report every failure together."""
    target, html, html_path, identifier = spec
    tmp = None
    try:
        document = progress.step(f"lay out {target.name}", writer.layout, html, html_path)
        tmp = temp_beside(target)
        if target.name.endswith("-booklet.pdf"):
            from .booklet import impose
            sheets = progress.step(f"impose {target.name}", impose, writer, document, tmp, identifier,
                                   str(target))
            return tmp, f"{len(document.pages)} A5 pages on {sheets} sheets"
        progress.step(f"write {target.name}", writer.write_to, document, tmp, identifier)
        return tmp, f"{len(document.pages)} pages"
    except Exception as exc:  # noqa: BLE001 - handed to the build process, which raises it
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            return OutputError([Problem(str(target), None, None, "", f"cannot write: {exc.strerror or exc}")])
        return exc


def _combined(errors: list[BaseException]) -> BaseException:
    """One error for several failed PDFs: their problems together, under the first one's kind."""
    first = errors[0]
    if all(isinstance(e, BuildError) for e in errors):
        return type(first)([p for e in errors for p in e.problems])
    return next(e for e in errors if not isinstance(e, BuildError))


def _epub_parts(env, pack, edition):
    """(documents, labels, metadata) of one edition's EPUB: its XHTML bodies in reading order and
    the translated strings the package needs."""
    _ = env.globals["gettext"]
    lang = edition.lang
    ctx = edition_context(pack, edition, "epub")
    meta = ctx["meta"]

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
        "landmarks": _("Landmarks", lang),
        "summary": _("This publication meets WCAG 2.1 Level AA. All of its content is text; the cover "
                     "image has a text alternative. Headings, a table of contents and landmarks support "
                     "navigation, and every passage is marked with its language.", lang),
    }
    return docs, labels, meta
