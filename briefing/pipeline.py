"""The build as a recipe: load and check one publication, build its model once, then let each
medium (briefing/pdf.py, briefing/epub.py) render and write its outputs from that model."""
from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from . import content as content_mod
from . import model as model_mod
from .errors import ContentError, OutputError, Problem
from .i18n import Catalogs
from .outputs import sweep, writable
from .render import environment, render

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = ("html", "pdf", "epub", "print", "booklet")
PRINT_TARGETS = {"html", "pdf", "print", "booklet"}
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

    def note(self, text: str) -> None:
        if not self.quiet:
            print(f"    {text}", flush=True)


def resource_roots(content_dir: Path) -> list[Path]:
    """Where rendered documents may load files from: fonts and CSS, templates, content assets."""
    return [PROJECT / "styles", PROJECT / "templates", Path(content_dir)]


def load(content_dir: Path, locale_dir: Path, strict: bool, progress: Progress, cache_dir: Path | None = None):
    """The publication and the catalogs, checked together so that every problem is reported in one go."""
    from .glyphs import charset
    problems, pub = [], None
    available = charset(PROJECT / "styles" / "fonts", cache_dir)
    try:
        pub = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, strict, available)
        codes = pub.languages
    except ContentError as exc:
        problems += exc.problems
        codes = getattr(exc, "languages", [])
    catalogs = progress.step("compile message catalogs", Catalogs, locale_dir, codes)
    problems += catalogs.glyph_problems(available)
    if strict:
        problems += catalogs.problems
    if problems:
        raise ContentError(problems)
    for problem in pub.warnings:
        print(f"warning: {problem}", file=sys.stderr)
    if not strict:
        drafts = pub.fallbacks + catalogs.problems
        if drafts:
            print(f"warning: draft build: {len(drafts)} missing translation(s) are shown in another "
                  "language and marked [xx]; a strict build (the default) fails on them:", file=sys.stderr)
            for problem in drafts:
                print(f"  {problem}", file=sys.stderr)
    return pub, catalogs


def outputs(model: model_mod.Model, out_dir: Path, kinds=("pdf", "epub", "print", "booklet")) -> list[Path]:
    """The files a full build of `model` makes, of the given kinds, in a fixed order."""
    files = [out_dir / ed.filename(model.name, "pdf") for ed in model.editions if "pdf" in kinds]
    files += [out_dir / ed.filename(model.name, "epub") for ed in model.editions
              if "epub" in kinds and not ed.print_only]
    for variant in ("print", "booklet"):
        if variant in kinds and (variant == "print" or model.format == "brochure"):
            files += [out_dir / model.variant(ed, variant) for ed in model.layout_editions]
    return files


def _model(content_dir: Path, progress: Progress, locale_dir: Path | None = None, strict: bool = True,
           cache_dir: Path | None = None):
    pub, catalogs = load(content_dir, locale_dir or PROJECT / "locale", strict, progress, cache_dir)
    return progress.step("build the model", model_mod.build, pub), catalogs


def check(content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    """Validate what is already built into out_dir: the EPUBs with EPUBCheck, the PDFs with veraPDF."""
    from .check import check_all
    model, _ = _model(content_dir, progress, strict=False)
    epubs, pdfs = outputs(model, out_dir, ("epub",)), outputs(model, out_dir, ("pdf", "print", "booklet"))
    progress.step(f"EPUBCheck {len(epubs)} EPUB(s), veraPDF {len(pdfs)} PDF(s)", check_all, epubs, pdfs,
                  progress.note)
    return epubs + pdfs


def preview(content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    """PNG pages and a contact sheet for every PDF of the publication, into out_dir/preview/."""
    from .preview import preview as render_preview
    model, _ = _model(content_dir, progress, strict=False)
    pdfs = [pdf for pdf in outputs(model, out_dir, ("pdf", "print", "booklet")) if pdf.exists()]
    if not pdfs:
        raise OutputError([Problem(str(out_dir), None, None, "", f"no PDF of {model.name} built yet: run `make pdf` first")])
    booklets = {out_dir / model.variant(ed, "booklet") for ed in model.layout_editions}
    for pdf in pdfs:
        # A brochure is seen as spreads; an imposed booklet's sheets and a fact sheet's two sides are not.
        spreads = model.format == "brochure" and pdf not in booklets
        count = progress.step(f"preview {pdf.name}", render_preview, pdf, out_dir / "preview", spreads)
        progress.note(f"{count} pages")
    return [out_dir / "preview" / f"{pdf.stem}-sheet.png" for pdf in pdfs]


def pack(content_dir: Path, out_dir: Path, dist_dir: Path, progress: Progress,
         locale_dir: Path | None = None) -> list[Path]:
    """dist/<name>.zip: every edition (PDF and EPUB, press PDF and booklet), SHA256SUMS, README."""
    from .pack import make_pack
    model, catalogs = _model(content_dir, progress, locale_dir)
    files = outputs(model, out_dir)
    env = environment(PROJECT / "templates", catalogs)
    context = model_mod.page_context(model, model.editions[0], "print")
    readme = render(env, "pack-readme.txt", dict(context, files=[f.name for f in files]))
    target = dist_dir / f"{model.name}.zip"
    progress.step(f"pack {target}", make_pack, files, readme, target)
    return [target]


def build(targets: set[str], content_dir: Path, out_dir: Path, progress: Progress,
          strict: bool = True, locale_dir: Path | None = None, paper: str = "a4",
          only: set[str] | None = None, workers: int = 1) -> list[Path]:
    """Load, model, then each medium. only: edition keys to build ("main" is the edition with
    every language); None builds all. workers: how many PDFs may be made at once."""
    out_dir = out_dir.resolve()
    model, catalogs = _model(content_dir, progress, locale_dir, strict, out_dir / ".cache")
    writable(out_dir)
    chosen = _selected(model, only)
    env = environment(PROJECT / "templates", catalogs, out_dir / ".cache" / "templates")
    sweep(out_dir, model.name)

    @functools.cache
    def pdf_writer():
        """One WeasyPrint font configuration per run, shared by PDFs and EPUB covers; created (and
        WeasyPrint imported) only when something is laid out."""
        from .pdf import PdfWriter
        return PdfWriter(resource_roots(content_dir), content_dir)

    written: list[Path] = []
    if targets & PRINT_TARGETS:
        from . import pdf
        written += pdf.make(model, env, chosen, targets, out_dir, pdf_writer, progress, paper, workers)
    if "epub" in targets:
        from . import epub
        written += epub.make(model, env, chosen, out_dir, pdf_writer, progress)
    return written


def _selected(model: model_mod.Model, only: set[str] | None) -> list[model_mod.Edition]:
    chosen = [ed for ed in model.editions if only is None or (ed.key or "main") in only]
    if not chosen:
        keys = ", ".join(ed.key or "main" for ed in model.editions)
        raise ContentError([Problem("--edition", None, None, "", f"no such edition; {model.name} has: {keys}")])
    return chosen
