"""The print step: each edition's HTML, laid out and written by WeasyPrint, plus the press PDF and
the booklet. Anything WeasyPrint logs as a warning fails the build."""
from __future__ import annotations

import functools
import hashlib
import io
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import conformance, facing, flip, parallel, pictures, proof, typeset
from . import fit
from .errors import BuildError, ContentError, OutputError, Problem, RenderError
from .model import Edition, page_context
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

    def __init__(self, roots: list[Path], content_dir: Path | None = None):
        from weasyprint.text.fonts import FontConfiguration  # heavy import: only when PDFs are built

        from . import pdftags
        from .sandbox import ProjectFetcher
        pdftags.install()
        self.font_config = FontConfiguration()
        self.fetcher = ProjectFetcher(roots)
        self.content_dir = content_dir  # where the section files are, for errors found in the layout

    def layout(self, html: str, html_path: Path, css: str = ""):
        """Lay out `html` (its links resolved relative to html_path), with `css` after its own
        stylesheets; fails on any WeasyPrint warning and on any resource outside the allowed folders."""
        from weasyprint import CSS, HTML
        from weasyprint.urls import FatalURLFetchingError
        try:
            with _warnings_as_errors(str(html_path)):
                extra = [CSS(string=css, font_config=self.font_config)] if css else []
                document = HTML(string=html, base_url=str(html_path), url_fetcher=self.fetcher).render(
                    stylesheets=extra, font_config=self.font_config)
            fit.check_tables(document, self.content_dir)
            return document
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
# print.css, and the most pages it may have (a fact sheet is two pages by design: front and back).
FORMATS = {"brochure": ("print.html", (), None), "fact-sheet": ("fact-sheet.html", ("fact-sheet.css",), 2)}
# The stylesheets each paper layers on its format's: a fact sheet is A4 or Letter. The press PDF
# adds its bleed, and the booklet's pages are half the sheet it is printed on (A5 on A4,
# half-letter on Letter).
PAPER_SHEETS = {("brochure", "a4"): (), ("brochure", "a5"): ("a5.css",), ("brochure", "letter"): ("letter.css",),
                ("fact-sheet", "a4"): (), ("fact-sheet", "letter"): ("fact-sheet-letter.css",)}
PRESS_SHEETS = {"letter": ("paper.css", "press.css", "press-letter.css")}
BOOKLET_SHEETS = {"letter": ("a5.css", "half-letter.css", "paper.css")}


def paper_of(model, asked: str | None, progress=None) -> str:
    """The paper a run makes: the one asked for (PAPER=), if the format has it, else the manifest's."""
    if asked and (model.format, asked) not in PAPER_SHEETS:
        if progress:
            progress.note(f"{model.name}: a {model.format} is printed on "
                          f"{' or '.join(p for f, p in PAPER_SHEETS if f == model.format)}, not {asked}: "
                          f"made on {model.paper}")
        asked = None
    return asked or model.paper


def sheets(model, paper: str) -> tuple[str, ...]:
    """The stylesheets of an edition's PDF on `paper`, print.css first."""
    return ("print.css", *FORMATS[model.format][1], *PAPER_SHEETS[model.format, paper])
STYLES = Path(__file__).resolve().parent.parent / "styles"


def stylesheet_hrefs(out_dir: Path, *sheets: str) -> list[str]:
    """Links from an HTML file in out_dir to the project's stylesheets."""
    return [os.path.relpath(STYLES / sheet, out_dir) for sheet in sheets]


def edition_html(model, env, out_dir: Path, srcs, edition: Edition, page_template: str, sheets, **context) -> str:
    """One edition's print HTML, written for out_dir, with `sheets` (styles/) layered on.
    srcs(langs): each picture's address; a chart is drawn in the languages of the page it is on."""
    sheet_hrefs = stylesheet_hrefs(out_dir, *sheets)
    return render(env, page_template, {**page_context(model, edition, "print", sheet_hrefs, srcs(edition.langs), out_dir),
                                       "srcs_in": lambda lang: srcs((lang,)), **context})


def picture_srcs(model, out_dir: Path, cache_dir: Path):
    """srcs(langs) for edition_html: each picture's address from out_dir, worked out once per
    languages (a chart is drawn in the languages of the page it is on)."""
    return functools.cache(lambda langs: pictures.print_srcs(model, langs, out_dir, cache_dir))


def reference(model, env, out_dir: Path, edition: Edition, srcs=None, **context) -> tuple[str, tuple[Path, ...]]:
    """The HTML of an edition's PDF on the publication's own paper, whatever paper the run makes
    (the print pages an e-book cites, the live preview), and the stylesheets it is laid out with.
    srcs: picture addresses other than those from out_dir."""
    template = FORMATS[model.format][0]
    own = sheets(model, model.paper)
    html = edition_html(model, env, out_dir, srcs or picture_srcs(model, out_dir, out_dir / ".cache"), edition,
                        template, own, **context)
    return html, tuple(STYLES / sheet for sheet in ("base.css", *own))


@dataclass(frozen=True)
class Job:
    """One PDF to make: an edition, the stylesheets layered on its medium, the standards it claims."""
    target: Path
    edition: Edition
    sheets: tuple[str, ...]
    claim: conformance.Claim
    html_path: Path           # where its HTML is (or would be): relative links resolve from there
    identifier: str           # the publication's


def make(model, env, editions, targets: set[str], out_dir: Path, writer, progress, stage, paper: str | None = None,
         workers: int = 1) -> dict[Path, proof.Proof]:
    """The print step: the HTML of each edition, its PDF, and the press PDF and the booklet of each
    multilingual layout.

    writer: a callable giving the run's PdfWriter. stage: the run's outputs.Stage; every file is
    made into it, and the caller puts them all in place once the whole run has succeeded. Returns
    the proof of every PDF made (proof.py), for the record.
    """
    template, _, max_pages = FORMATS[model.format]
    paper = paper_of(model, paper, progress)
    base = sheets(model, paper)
    render_page = functools.partial(edition_html, model, env, out_dir, picture_srcs(model, out_dir, out_dir / ".cache"))

    name = model.name
    html_path = {ed: out_dir / ed.filename(name, "html") for ed in editions}
    pages = {ed: progress.step(f"render {html_path[ed].name}", render_page, ed, template, base)
             for ed in editions if ed.layout == "columns"}
    jobs = []
    if "pdf" in targets:
        jobs += [Job(out_dir / ed.filename(name, "pdf"), ed, base, conformance.READING, html_path[ed],
                     model.identifier)
                 for ed in editions]
    printed = [ed for ed in editions if ed in model.layout_editions]
    if "print" in targets:
        jobs += [Job(out_dir / model.variant(ed, "print"), ed,
                     (*base, *PRESS_SHEETS.get(paper, ("paper.css", "press.css"))), conformance.PRESS,
                     html_path[ed], model.identifier)
                 for ed in printed]
    if "booklet" in targets:
        if model.format == "brochure":
            jobs += [Job(out_dir / model.variant(ed, "booklet"), ed,
                         ("print.css", *BOOKLET_SHEETS.get(paper, ("a5.css", "paper.css"))),
                         conformance.BOOKLET, html_path[ed], model.identifier) for ed in printed]
        else:
            progress.note(f"{name}: a {model.format} has no booklet")
    proofs = {}
    if jobs:
        compose = functools.partial(_compose, model, template, render_page, pages, base)
        results = parallel.run(functools.partial(_make_pdf, writer(), progress, compose, max_pages, stage), jobs,
                               workers)
        errors = [r for r in results if isinstance(r, BaseException)]
        for job, result in zip(jobs, results):
            if isinstance(result, BaseException):
                continue
            tmp, summary, proofs[job.target] = result
            if (tmp, job.target) not in stage.files:  # made by a worker process
                stage.adopt(tmp, job.target)
            progress.note(f"{job.target.name}: {summary}, {tmp.stat().st_size / 1024:.0f} KiB")
        if errors:
            raise _combined(errors)
    if targets & {"html", "pdf"}:
        for ed, page in pages.items():
            stage.write_text(html_path[ed], page)
    return proofs


def lay_out(model, env, writer, edition: Edition, base_dir: Path, cache_dir: Path) -> tuple[str, object]:
    """One edition at A4, laid out as its PDF is and written nowhere: the live preview's pages
    (live.py). Returns the HTML laid out (a columns edition's; "" for facing and flip, which lay
    out a document per language) and the laid-out document. base_dir: the folder the HTML is taken
    to be in, which its links to stylesheets and pictures are relative to."""
    template = FORMATS[model.format][0]
    base = sheets(model, model.paper)
    srcs = picture_srcs(model, base_dir, cache_dir)
    pages = {edition: reference(model, env, base_dir, edition, srcs)[0]} if edition.layout == "columns" else {}
    path = base_dir / edition.filename(model.name, "html")
    job = Job(path.with_suffix(".pdf"), edition, base, conformance.READING, path, model.identifier)
    made = _compose(model, template, functools.partial(edition_html, model, env, base_dir, srcs), pages, base, writer, job)
    return pages.get(edition, ""), made.document


@dataclass
class Composed:
    document: object              # laid out by WeasyPrint, ready to write
    summary: str = ""             # what the layout adds to the proof, for the build summary
    turn_at: int | None = None    # a flip book: the page its second half starts on


def _compose(model, template, render_page, pages, base, writer, job: Job) -> Composed:
    """Lay out one job's edition in its layout."""
    ed = job.edition

    def layout(html, css=""):
        return writer.layout(html, job.html_path, css)

    if ed.layout == "facing":
        a, b = ed.langs
        common = dict(multilingual=False, passages=True)
        sides = {"verso": dict(common, lang=a, langs=[a], outline_langs=list(ed.langs)),
                 "recto": dict(common, lang=b, langs=[b], idp=f"{b}-")}

        def part(name, **context):
            return render_page(ed, "facing.html", job.sheets, part=name, **sides.get(name, {}), **context)

        made = facing.compose(layout, part, [s["id"] for s in model.sections], str(job.target))
        return Composed(made.document, f"{made.spreads} spreads, {made.blank:.0%} of their text block blank"
                                       + (f", {made.relayouts} re-layouts" if made.relayouts else ""))
    if ed.layout == "flip":
        document = layout(render_page(ed, "flip.html", job.sheets, multilingual=False))
        start = flip.second_half(document, f"{ed.langs[1]}-")
        return Composed(document, f"halves of {start} and {len(document.pages) - start} pages", start)
    html = pages[ed] if job.sheets == base and ed in pages else render_page(ed, template, job.sheets)
    document = layout(html)
    return Composed(document)


def _make_pdf(writer: PdfWriter, progress, compose, max_pages, stage, job: Job):
    """Lay out and write one PDF into a temporary file beside its target, staged at once: (temporary
    path, summary), or the exception, so that the caller can report every failure together."""
    target, claim = job.target, job.claim
    tmp = None
    try:
        made = progress.step(f"lay out {target.name}", compose, writer, job)
        document = made.document
        order = None
        if made.turn_at is not None:  # the second half is turned and put in reverse after the layout
            order = functools.partial(flip.position, start=made.turn_at, count=len(document.pages),
                                      multiple=4 if claim is conformance.BOOKLET else 2)
        checked = proof.proof(typeset.pages(document), typeset.hyphenation(document), order)
        if max_pages and len(document.pages) > max_pages:
            return ContentError([Problem(str(target), None, None, "format",
                                         f"runs to {len(document.pages)} pages, but a fact sheet has {max_pages} "
                                         "(front and back): shorten its texts or list fewer sections")])
        tmp = stage.path(target)
        if claim is conformance.BOOKLET:
            from .booklet import impose
            sheets = progress.step(f"impose {target.name}", impose, writer, document, tmp, job.identifier,
                                   str(target), made.turn_at)
            checked.off_page = proof.off_page(tmp)
            return tmp, ", ".join(filter(None, [str(checked), made.summary, f"{'half-letter' if 'half-letter.css' in job.sheets else 'A5'}, on {sheets} sheets"])), checked
        if made.turn_at is None:
            progress.step(f"write {target.name}", writer.write_to, document, tmp, job.identifier, claim, target.name)
        else:
            source = io.BytesIO()
            progress.step(f"write {target.name}", writer.write_to, document, source, job.identifier, claim,
                          target.name)
            source.seek(0)
            flip.turn(source, tmp, made.turn_at)
        checked.off_page = proof.off_page(tmp)
        return tmp, ", ".join(filter(None, [str(checked), made.summary])), checked
    except Exception as exc:  # noqa: BLE001 - handed to the build process, which raises it
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            return OutputError([Problem(str(target), None, None, "", f"cannot write: {exc.strerror or exc}")])
        return exc
    except BaseException:  # interrupted (Ctrl-C, SIGTERM): the half-written file goes too
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise


def _combined(errors: list[BaseException]) -> BaseException:
    """One error for several failed PDFs: their problems together, under the first one's kind."""
    first = errors[0]
    if all(isinstance(e, BuildError) for e in errors):
        # Each edition finds a content problem at the same place (in its own language): say it once.
        once = {(p.file, p.line, p.column, p.field) if p.line else p: p for e in errors for p in reversed(e.problems)}
        return type(first)(list(reversed(once.values())))
    return next(e for e in errors if not isinstance(e, BuildError))
