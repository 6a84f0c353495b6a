"""The build as a recipe: load and check one publication, build its model once, then let each
medium (briefing/pdf.py, briefing/epub.py) render and write its outputs from that model."""
from __future__ import annotations

import functools
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import ContentError, OutputError, Problem
from .outputs import Stage, sweep, writable
from .schema import PAPERS
from .state import State

PROJECT = Path(__file__).resolve().parent.parent
TARGETS = ("html", "pdf", "epub", "print", "booklet")
PRINT_TARGETS = {"html", "pdf", "print", "booklet"}


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
    from . import brand as brand_mod
    from . import content as content_mod
    from .glyphs import charset
    from .i18n import Catalogs
    problems, pub = [], None
    available = charset(PROJECT / "styles" / "fonts", cache_dir)
    brand, problems = brand_mod.load(Path(content_dir))
    if brand is not None and brand.fonts:  # every character must also be in the brand's fonts
        available = available & brand_mod.charset(brand)
    try:
        pub = progress.step(f"load and validate {content_dir}", content_mod.load, content_dir, strict, available,
                            brand)
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
        if pub.stale:
            print(f"warning: draft build: {len(pub.stale)} translation(s) whose original changed since they were "
                  "made are shown marked [stale]; a strict build (the default) fails on them:", file=sys.stderr)
            for problem in pub.stale:
                print(f"  {problem}", file=sys.stderr)
    return pub, catalogs


def outputs(model, out_dir: Path, kinds=("pdf", "epub", "print", "booklet")) -> list[Path]:
    """The files a full build of `model` makes, of the given kinds, in a fixed order."""
    order = ("pdf", "epub", "print", "booklet")
    return [out_dir / name for kind in order if kind in kinds for name in expected(model, kind).values()]


def _model(content_dir: Path, progress: Progress, locale_dir: Path | None = None, strict: bool = True,
           cache_dir: Path | None = None, record_translations: bool = False):
    """(model, catalogs). The model is a draft when a build that is not strict filled in a
    missing translation, in the content or in the catalogs."""
    from . import model as model_mod
    pub, catalogs = load(content_dir, locale_dir or PROJECT / "locale", strict, progress, cache_dir)
    model = progress.step("build the model", model_mod.build, pub)
    if record_translations:
        _record_translations(pub)
    return replace(model, draft=not strict and bool(pub.fallbacks or pub.stale or catalogs.problems)), catalogs


def _record_translations(pub) -> bool:
    """Note every translation the lock does not know yet as made from its original as it is now
    (translation/lock.py), so that a later change of that original is seen. A folder that cannot
    be written is told, and the build goes on: nothing printed depends on it."""
    from .translation import lock
    try:
        return lock.record(pub.root, pub.texts, pub.lock, {})
    except OSError as exc:
        print(f"warning: {pub.root / lock.LOCK}: cannot record the new translations: {exc.strerror or exc}; "
              "a change of their originals will not be seen until it can", file=sys.stderr)
        return False


def check(content_dir: Path, out_dir: Path, progress: Progress) -> list[Path]:
    """Validate what is already built into out_dir: the EPUBs with EPUBCheck, the PDFs with veraPDF."""
    from .check import check_all
    model, _ = _model(content_dir, progress, strict=False)
    epubs, pdfs = outputs(model, out_dir, ("epub",)), outputs(model, out_dir, ("pdf", "print", "booklet"))
    progress.step(f"EPUBCheck {len(epubs)} EPUB(s), veraPDF {len(pdfs)} PDF(s)", check_all, epubs, pdfs,
                  progress.note)
    return epubs + pdfs


def preview(content_dir: Path, out_dir: Path, progress: Progress, locale_dir: Path | None = None,
            force: bool = False, record: State | None = None) -> list[Path]:
    """PNG pages and a contact sheet for every PDF of the publication, into out_dir/preview/;
    nothing is done when no PDF changed since the last preview."""
    from . import proof
    from .preview import preview as render_preview
    out_dir = out_dir.resolve()
    record = record or State(out_dir, content_dir, locale_dir or PROJECT / "locale")
    known = [pdf for pdf in record.made(("pdf", "print", "booklet")) if pdf.exists()]
    if known and not force and record.after_fresh("preview", record.after_key("preview", known)):
        progress.note(f"previews of {Path(content_dir).name} are up to date")
        return []
    model, _ = _model(content_dir, progress, locale_dir, strict=False)
    pdfs = [pdf for pdf in outputs(model, out_dir, ("pdf", "print", "booklet")) if pdf.exists()]
    if not pdfs:
        raise OutputError([Problem(str(out_dir), None, None, "", f"no PDF of {model.name} built yet: run `make pdf` first")])
    made = [out_dir / "preview" / f"{pdf.stem}-sheet.png" for pdf in pdfs]
    key = record.after_key("preview", pdfs)
    booklets = {out_dir / model.variant(ed, "booklet") for ed in model.layout_editions}
    for pdf in pdfs:
        # A brochure is seen as spreads; an imposed booklet's sheets and a fact sheet's two sides are not.
        spreads = model.format == "brochure" and pdf not in booklets
        count = progress.step(f"preview {pdf.name}", render_preview, pdf, out_dir / "preview", spreads)
        checked = record.proof(pdf.name)
        if checked is not None:  # the page-by-page proof the build recorded, kept beside the sheet
            made.append(proof.write(checked, out_dir / "preview" / f"{pdf.stem}-proof.json"))
        progress.note(str(proof.Proof.from_dict(checked)) if checked else f"{count} pages")
    record.after_record("preview", key, made)
    record.save()
    return made


def pack(content_dir: Path, out_dir: Path, dist_dir: Path, progress: Progress,
         locale_dir: Path | None = None, force: bool = False, record: State | None = None) -> list[Path]:
    """dist/<name>.zip: every edition (PDF and EPUB, press PDF and booklet), SHA256SUMS, README.
    Only outputs of a strict build are packed; nothing is done when none of them changed."""
    from .model import page_context
    from .pack import make_pack
    from .render import environment, render
    out_dir, locale_dir = out_dir.resolve(), locale_dir or PROJECT / "locale"
    record = record or State(out_dir, content_dir, locale_dir)
    known = record.made(("pdf", "epub", "print", "booklet"))
    drafts = [f for f in known if record.is_draft(f.name)]
    if drafts:
        raise OutputError([Problem(str(f), None, None, "", "is a draft (made with DRAFT=1): a pack is made only "
                                   "from a strict build; run `make pack` without DRAFT") for f in drafts])
    if known and not force and record.after_fresh("pack", record.after_key("pack", known, str(dist_dir.resolve()))):
        progress.note(f"the pack of {Path(content_dir).name} in {dist_dir} is up to date")
        return []
    model, catalogs = _model(content_dir, progress, locale_dir)
    files = outputs(model, out_dir)
    target = (dist_dir / f"{model.name}.zip").resolve()
    key = record.after_key("pack", files, str(dist_dir.resolve()))
    env = environment(PROJECT / "templates", catalogs)
    context = page_context(model, model.editions[0], "print")
    readme = render(env, "pack-readme.txt", dict(context, files=[f.name for f in files]))
    progress.step(f"pack {target}", make_pack, files, readme, target)
    record.after_record("pack", key, [target])
    record.save()
    return [target]


def options(target: str, paper: str | None) -> str:
    """The options an output of `target` depends on (the draft state is recorded apart). No paper
    asked for is the manifest's, which is content."""
    return f"paper={paper or ''}" if target in ("html", "pdf", "print", "booklet") else ""


def build(targets: set[str], content_dir: Path, out_dir: Path, progress: Progress,
          strict: bool = True, locale_dir: Path | None = None, paper: str | None = None,
          only: set[str] | None = None, workers: int = 1, force: bool = False,
          record: State | None = None) -> list[Path]:
    """Make what is stale of `targets` (all of them if `force`), then put every file made in place
    together.

    only: edition keys to build ("main" is the edition with every language); None builds all.
    workers: how many PDFs may be made at once. record: the publication's State, if the caller
    has it (one per run: hashing the inputs is most of a run that has nothing to do). Nothing is
    replaced unless the whole run succeeds.
    """
    from .render import environment
    out_dir, locale_dir = out_dir.resolve(), locale_dir or PROJECT / "locale"
    if out_dir.is_dir():
        sweep(out_dir)
    record = record or State(out_dir, content_dir, locale_dir)
    stale = {t for t in targets if force or not record.fresh(t, options(t, paper), only, draft=not strict)}
    if "pdf" in stale:
        stale.add("html")  # made with the PDFs: the files their links are relative to
    if not stale:
        progress.note(f"{', '.join(sorted(targets))} of {Path(content_dir).name}: up to date")
        return []
    try:
        model, catalogs = _model(content_dir, progress, locale_dir, strict, out_dir / ".cache",
                                 record_translations=True)
        record.rehash()  # the lock may have gained entries: what is made is recorded against the folder as it is
    except ContentError:
        if strict:
            _remove_drafts(record, stale)
        raise
    writable(out_dir)
    chosen = _selected(model, only)
    env = environment(PROJECT / "templates", catalogs, out_dir / ".cache" / "templates")

    @functools.cache
    def pdf_writer():
        """One WeasyPrint font configuration per run, shared by PDFs and EPUB covers; created (and
        WeasyPrint imported) only when something is laid out."""
        from .pdf import PdfWriter
        return PdfWriter(resource_roots(content_dir), content_dir)

    stage = Stage()
    try:
        try:
            _stage(model, env, chosen, stale, out_dir, pdf_writer, progress, stage, paper, workers, record)
        except OSError as exc:  # a full or read-only disk while the files are staged
            raise OutputError([Problem(str(getattr(exc, "filename", None) or out_dir), None, None, "",
                                       f"cannot write: {exc.strerror or exc}; no output was replaced")]) from None
        try:
            written = stage.commit()  # renames in one folder: no data is written, no disk fills up
            record.save()
        except OSError as exc:
            raise OutputError([Problem(str(getattr(exc, "filename", None) or out_dir), None, None, "",
                                       f"cannot write: {exc.strerror or exc}; the outputs put in place are "
                                       "whole, and the next build makes the others again")]) from None
    finally:
        stage.discard()  # whatever was not put in place: a failure, an interrupt
    if model.draft:
        progress.note(f"draft: {len(written)} file(s) say DRAFT on every page; a strict build replaces them")
    return written


def _stage(model, env, chosen, stale, out_dir, pdf_writer, progress, stage, paper, workers, record) -> None:
    """Make every stale output into the stage, and note each in the record (saved once in place)."""
    proofs = {}
    if stale & PRINT_TARGETS:
        from . import pdf
        proofs = pdf.make(model, env, chosen, stale, out_dir, pdf_writer, progress, stage, paper, workers)
    if "epub" in stale:
        from . import epub
        epub.make(model, env, chosen, out_dir, pdf_writer, progress, stage)
    staged = {target: tmp for tmp, target in stage.files}
    keys = [ed.key or "main" for ed in model.editions]
    for target in sorted(stale):
        every = expected(model, target)
        made = {out_dir / every[ed.key or "main"] for ed in chosen if (ed.key or "main") in every}
        record.record(target, keys, every, options(target, paper), model.draft, {path: staged[path] for path in made},
                      {path: proofs[path].as_dict() for path in made if path in proofs})


def expected(model, target: str) -> dict[str, str]:
    """Edition key -> the file name of each output of `target`, for every edition of the model."""
    name, eds = model.name, model.editions
    if target == "html":
        return {ed.key or "main": ed.filename(name, "html") for ed in eds if ed.layout == "columns"}
    if target == "pdf":
        return {ed.key or "main": ed.filename(name, "pdf") for ed in eds}
    if target == "epub":
        return {ed.key or "main": ed.filename(name, "epub") for ed in eds if not ed.print_only}
    if target == "booklet" and model.format != "brochure":
        return {}
    return {ed.key or "main": model.variant(ed, target) for ed in model.layout_editions}


def _remove_drafts(record: State, targets: set[str]) -> None:
    """A strict build that fails does not leave a draft of its targets in place to pass for final."""
    for path in record.drafts(targets):
        path.unlink(missing_ok=True)
        print(f"removed {path}: it was a draft (DRAFT=1), and a strict build does not leave drafts in place",
              file=sys.stderr)


def _selected(model, only: set[str] | None) -> list:
    chosen = [ed for ed in model.editions if only is None or (ed.key or "main") in only]
    if not chosen:
        keys = ", ".join(ed.key or "main" for ed in model.editions)
        raise ContentError([Problem("--edition", None, None, "", f"no such edition; {model.name} has: {keys}")])
    return chosen
