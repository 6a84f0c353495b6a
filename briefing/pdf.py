"""The print step: each edition's HTML, laid out and written by WeasyPrint, plus the press PDF and
the booklet. Anything WeasyPrint logs as a warning fails the build."""
from __future__ import annotations

import functools
import hashlib
import logging
import os
from contextlib import contextmanager
from pathlib import Path

from . import conformance, parallel, pictures
from .errors import BuildError, ContentError, OutputError, Problem, RenderError
from .model import page_context
from .outputs import commit, temp_beside, write_text
from .render import render


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        # The one notice we tolerate: without libharfbuzz-subset0 WeasyPrint subsets with
        # fontTools, which is slower but correct. The Makefile installs the library where it can.
        if not record.getMessage().startswith("Using fontTools instead of HarfBuzz-Subset"):
            self.records.append(record)


@contextmanager
def _warnings_as_errors(source: str):
    """WeasyPrint only *logs* bad CSS or missing resources; collect them and fail instead."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if collector.records:
        raise RenderError([Problem(source, None, None, "weasyprint", r.getMessage()) for r in collector.records])


class PdfWriter:
    """One writer per build: parsed fonts are shared across editions.

    roots: the folders resources may come from (see sandbox.ProjectFetcher).
    """

    def __init__(self, roots: list[Path]):
        from weasyprint.text.fonts import FontConfiguration  # heavy import: only when PDFs are built

        from . import pdftags
        from .sandbox import ProjectFetcher
        pdftags.install()
        self.font_config = FontConfiguration()
        self.fetcher = ProjectFetcher(roots)

    def layout(self, html: str, html_path: Path):
        """Lay out `html` (its links resolved relative to html_path); fails on any WeasyPrint warning
        and on any resource outside the allowed folders."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError
        try:
            with _warnings_as_errors(str(html_path)):
                return HTML(string=html, base_url=str(html_path), url_fetcher=self.fetcher).render(
                    font_config=self.font_config)
        except FatalURLFetchingError as exc:
            raise RenderError([Problem(str(html_path), None, None, "resource", str(exc))]) from None

    @staticmethod
    def write_to(document, target, identifier: str, claim: conformance.Claim = conformance.READING,
                 edition: str = "") -> None:
        """Write a laid-out document to a path or file object, meeting the standards of `claim`.
        identifier: the publication's; edition: the file within it (seeds the PDF's /ID)."""
        # A stable /ID makes two builds of the same commit byte-identical.
        seed = f"{identifier}#{edition}"
        pdf_id = hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32].encode("ascii")
        finisher = conformance.finisher(claim, identifier) if claim.variant else None
        with _warnings_as_errors(str(getattr(target, "name", "PDF"))):
            document.write_pdf(target, pdf_identifier=pdf_id, custom_metadata=True, finisher=finisher,
                               **claim.options)


# The print design of each publication format: its page template, the stylesheets layered on
# print.css, and the most pages it may have. Only the brochure takes another paper size (the fact
# sheet is two A4 pages by design: front and back).
FORMATS = {"brochure": ("print.html", (), None), "fact-sheet": ("fact-sheet.html", ("fact-sheet.css",), 2)}
STYLES = Path(__file__).resolve().parent.parent / "styles"


def stylesheet_hrefs(out_dir: Path, *sheets: str) -> list[str]:
    """Links from an HTML file in out_dir to the project's stylesheets."""
    return [os.path.relpath(STYLES / sheet, out_dir) for sheet in sheets]


def make(model, env, editions, targets: set[str], out_dir: Path, writer, progress, paper: str = "a4",
         workers: int = 1) -> list[Path]:
    """The print step: the HTML of each edition, its PDF, the press PDF and the booklet.

    writer: a callable giving the run's PdfWriter. Every PDF is made into a temporary file first;
    they replace the old ones together, and only if all succeeded.
    """
    template, format_css, max_pages = FORMATS[model.format]
    paper_css = (f"{paper}.css",) if paper != "a4" and model.format == "brochure" else ()
    base = ("print.css", *format_css, *paper_css)

    srcs = {ed: pictures.print_srcs(model, ed.langs, out_dir, out_dir / ".cache") for ed in editions}

    def html(edition, *extra, sheets=base):
        return render(env, template, page_context(model, edition, "print", stylesheet_hrefs(out_dir, *sheets, *extra),
                                                  srcs[edition]))

    name = model.name
    pages = {ed: (out_dir / ed.filename(name, "html"), progress.step(f"render {ed.filename(name, 'html')}", html, ed))
             for ed in editions}
    # (output, edition, HTML, the standards it claims): the press PDF and the booklet are the first
    # edition (every language) with a page setup layered on the edition's stylesheets.
    jobs = []
    if "pdf" in targets:
        jobs += [(ed.filename(name, "pdf"), ed, pages[ed][1], conformance.READING) for ed in editions]
    if "print" in targets:
        jobs.append((f"{name}-print.pdf", editions[0], html(editions[0], "press.css"), conformance.PRESS))
    if "booklet" in targets:
        if model.format == "brochure":
            jobs.append((f"{name}-booklet.pdf", editions[0], html(editions[0], sheets=("print.css", "a5.css")),
                         conformance.BOOKLET))
        else:
            progress.note(f"{name}: a {model.format} has no booklet")
    written = []
    if jobs:
        specs = [(out_dir / filename, page, pages[ed][0], model.identifier, claim, max_pages)
                 for filename, ed, page, claim in jobs]
        results = parallel.run(functools.partial(_make_pdf, writer(), progress), specs, workers)
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
            progress.note(f"{target.name}: {summary}, {target.stat().st_size / 1024:.0f} KiB")
    if targets & {"html", "pdf"}:
        for html_path, page in pages.values():
            write_text(html_path, page)
            written.append(html_path)
    return written


def _make_pdf(writer: PdfWriter, progress, spec):
    """Lay out and write one PDF into a temporary file beside its target: (temporary path,
    summary), or the exception, so that the caller can report every failure together."""
    target, html, html_path, identifier, claim, max_pages = spec
    tmp = None
    try:
        document = progress.step(f"lay out {target.name}", writer.layout, html, html_path)
        if max_pages and len(document.pages) > max_pages:
            return ContentError([Problem(str(target), None, None, "format",
                                         f"runs to {len(document.pages)} pages, but a fact sheet has {max_pages} "
                                         "(front and back): shorten its texts or list fewer sections")])
        tmp = temp_beside(target)
        if claim is conformance.BOOKLET:
            from .booklet import impose
            sheets = progress.step(f"impose {target.name}", impose, writer, document, tmp, identifier,
                                   str(target))
            return tmp, f"{len(document.pages)} A5 pages on {sheets} sheets"
        progress.step(f"write {target.name}", writer.write_to, document, tmp, identifier, claim, target.name)
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
