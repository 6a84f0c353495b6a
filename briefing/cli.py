"""Command line: `python build.py {html,pdf,epub,all,…} [--content DIR] [--out DIR]`, and `new DIR`."""
from __future__ import annotations

import argparse
import faulthandler
import os
import signal
import sys
import threading
import time
import traceback
from pathlib import Path

from .errors import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, BuildError
from .paths import named, publications
from .pipeline import PAPERS, PROJECT, TARGETS, Progress, build, check, pack, preview
from .state import State

AFTER_BUILD = ("check", "preview", "pack", "i18n-report")
# What each step on built files needs built first (by the builder, which skips what is up to date).
# check validates what is in place, as it is (make check builds first).
NEEDS = {"preview": {"pdf", "print", "booklet"}, "pack": {"pdf", "epub", "print", "booklet"}}
OTHER = ("new", "reference", "serve", "translation-export", "translation-import", "translation-confirm", "language")

EPILOG = """\
outputs (in --out, default build/):
  <name>.pdf  <name>-vi.pdf  <name>-en.pdf     print editions (bilingual, then one per language)
  <name>.epub <name>-vi.epub <name>-en.epub   EPUB 3 editions
  <name>.html <name>-vi.html <name>-en.html   the HTML each PDF is made from
  <name>-print.pdf                            press PDF: 3 mm bleed, crop marks (target print)
  <name>-booklet.pdf                          A5 saddle-stitch booklet, 2-up on A4 (target booklet)
  <name>-facing.pdf <name>-flip.pdf            other layouts the manifest lists (`layouts:`), each
                                              with its -print.pdf and -booklet.pdf
  <name> is the `name` field of the publication's publication.yaml. --content may be one
  publication folder, or a folder of them (default: content/, every publication in it).
  An output is made again only when a byte it is made from changed (its publication folder, the
  templates, styles, fonts, catalogs, the builder) or an option did; the record of what was made
  from what is <out>/.<folder>.state.json. Every file of a run is put in place together, at the end.

other commands:
  new DIR [--languages vi,en]   write a starter publication into DIR (it builds at once)
  reference                     print the content reference (every kind and field) as Markdown
  serve [--publication NAME] [--port N]
                                a live preview of one publication at http://127.0.0.1:N/ (a free
                                port unless given): the page shows the edition being edited, its
                                HTML at once and its pages as laid out, and any problem in the
                                content; it is built again on every save, until Ctrl-C

exit codes:
  0  success
  1  internal error in the builder (please report it, with the command you ran)
  2  bad command line
  3  the content has problems (each is listed with file:line:column [field]); nothing was written
  4  a template, stylesheet, catalog or renderer problem; nothing was written
  5  an output file could not be written; earlier outputs are left as they were
  6  `check`: EPUBCheck or veraPDF reported a problem (one line each), or veraPDF is missing
"""


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py", description="Build the bilingual briefing pack as PDF, EPUB 3 and HTML.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("targets", nargs="+", metavar="TARGET",
                   help="what to build: html, pdf, epub, print (press PDF), booklet, or all (html, pdf, "
                        "epub, print and booklet); several may be given. Made from those (which are "
                        "built first): preview (PNG pages), pack (dist/ zip). check runs EPUBCheck and "
                        "veraPDF on what is built; i18n-report prints the translation status. Only what "
                        "is out of date is made")
    p.add_argument("--content", type=Path, default=Path("content"), metavar="DIR",
                   help="a publication folder, or a folder of publications (default: content, all of them)")
    p.add_argument("--publication", metavar="NAME",
                   help="build only the publication in <content>/NAME (make's PUB=NAME)")
    p.add_argument("--languages", default="vi,en", metavar="CODES",
                   help="with new: the starter's languages, comma-separated, in reading order (default: vi,en)")
    p.add_argument("--out", type=Path, default=Path("build"), metavar="DIR",
                   help="folder for the outputs (default: build)")
    p.add_argument("--dist", type=Path, default=Path("dist"), metavar="DIR",
                   help="folder for the pack zip (default: dist)")
    p.add_argument("--edition", action="append", metavar="KEY",
                   help="build only this edition: main (every language), a layout (facing, flip) or a language code; repeatable")
    p.add_argument("--paper", choices=PAPERS, default=None,
                   help="page size of the PDF editions, the press PDF and the booklet, for this build "
                        "(default: the manifest's paper, else a4)")
    p.add_argument("--locale", type=Path, default=None, metavar="DIR",
                   help="message catalogs (default: the builder's locale/)")
    p.add_argument("--draft", action="store_true",
                   help="do not fail on missing translations: show the text in another language, "
                        "marked [xx] (strict is the default)")
    p.add_argument("--json", type=Path, default=None, metavar="FILE",
                   help="with i18n-report: the report as JSON goes to FILE (default: <out>/<name>-i18n-report.json)")
    p.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                   help="make up to N PDFs at once, each in its own process (default: 1; "
                        "make passes its own -j)")
    p.add_argument("--force", action="store_true",
                   help="make every output again, also what is up to date (make … FORCE=1)")
    p.add_argument("-q", "--quiet", action="store_true", help="print only errors")
    p.add_argument("--debug", action="store_true", help="show a traceback on internal errors")
    p.add_argument("--port", type=int, default=0, metavar="N",
                   help="with serve: the port on 127.0.0.1 (default: a free one, printed)")
    p.add_argument("--to", metavar="CODE", help="with translation-export and translation-confirm: the language translated into")
    p.add_argument("--file", type=Path, metavar="FILE", help="with translation-import: the translated .xlf or .po file")
    p.add_argument("--unit", metavar="ID", help="with translation-confirm: the text, as file:field (mission.yaml:paragraphs[1])")
    p.add_argument("--add", metavar="CODE", help="with language: the language to add (fr)")
    p.add_argument("--language-locale", metavar="LOCALE", help="with language: its Babel locale (default: the likely one, fr_FR)")
    p.add_argument("--fallback", metavar="CODE", help="with language: the language a draft shows where a text has no "
                                                      "translation yet (default: en, where the publication has it; none)")
    return p


_SIGNALLED: list[int] = []


def _interrupted(signum, frame):
    """Ctrl-C or SIGTERM (a timeout, `kill`) ends the build: staged files are removed and no output
    is replaced. The signal is noted, since a library may catch the exception on its way (WeasyPrint
    reports an image it could not load as a warning, and goes on drawing an SVG after one) and turn
    it into another error, or into nothing: if the build has not ended STOP_WITHIN seconds later,
    the process ends there, with nothing put in place (the next build sweeps what it staged)."""
    from .outputs import INTERRUPTED
    _SIGNALLED.append(signum)
    INTERRUPTED.set()
    raise KeyboardInterrupt


STOP_WITHIN = 1.0  # seconds from Ctrl-C or SIGTERM to the end of any build
_WATCHING: list[int] = []  # the watchdog's pipe, once a process has one
_DEVNULL = open(os.devnull, "w")  # noqa: SIM115 - faulthandler writes its tracebacks here, for no one


def _watchdog() -> None:
    """Python runs a signal handler only when the main thread is between two of its own steps,
    which a long call into a library can put off: the C-level handler writes the signal to a pipe
    at once (signal.set_wakeup_fd), and this thread, woken by it, ends the process STOP_WITHIN
    seconds later if the build has not ended by itself. Nothing is put in place after a signal
    (outputs.INTERRUPTED), and the next build sweeps what this one staged."""
    from .outputs import INTERRUPTED, remove_made
    if _WATCHING:
        return
    read, write = os.pipe()
    os.set_blocking(write, False)
    try:
        signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    except ValueError:  # not the main thread (the builder called from a program's thread): no watchdog
        os.close(read)
        os.close(write)
        return
    _WATCHING.append(read)

    def wait() -> None:
        while os.read(read, 1)[0] not in (signal.SIGINT, signal.SIGTERM):
            pass  # another signal a library handles
        INTERRUPTED.set()
        # faulthandler's own thread ends the process without waiting for Python's lock, which a
        # long call in the main thread may hold; os._exit below is the usual, quicker way out.
        faulthandler.dump_traceback_later(STOP_WITHIN + 0.5, exit=True, file=_DEVNULL)
        time.sleep(STOP_WITHIN)
        try:
            remove_made()  # the main thread, held in a library, will not discard its stage
            print("interrupted; outputs already in place were left as they were", file=sys.stderr, flush=True)
        finally:
            os._exit(130)

    threading.Thread(target=wait, name="watchdog", daemon=True).start()


def _stopped() -> int:
    from .outputs import remove_made
    remove_made()
    print("interrupted; outputs already in place were left as they were", file=sys.stderr)
    return 130


def main(argv: list[str] | None = None) -> int:
    from .outputs import INTERRUPTED
    _SIGNALLED.clear()
    INTERRUPTED.clear()
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGINT, _interrupted)
    p = parser()
    args = p.parse_args(argv)
    if args.targets[0] in OTHER:
        if args.targets[0] != "serve":  # serve stops its own threads, and exits 0
            _watchdog()
        return _other(p, args)
    _watchdog()
    unknown = [t for t in args.targets if t not in (*TARGETS, "all", *AFTER_BUILD)]
    if unknown:
        p.error(f"argument TARGET: invalid choice: {unknown[0]!r} (choose from "
                f"{', '.join((*TARGETS, 'all', *AFTER_BUILD, *OTHER))})")
    targets = (set(TARGETS) if "all" in args.targets else set()) | (
        set(args.targets) - {"all", *AFTER_BUILD})
    for step in set(args.targets) & NEEDS.keys():
        targets |= NEEDS[step]
    if "pack" in args.targets and args.draft:
        print("error: a pack is made only from a strict build, never from a draft: run `make pack` "
              "without DRAFT=1 (`build.py pack` without --draft)", file=sys.stderr)
        return EXIT_USAGE
    if "check" in args.targets:
        from .check import missing_checkers
        missing = missing_checkers()
        if missing:  # said before anything is built
            print(f"error: `check` needs {len(missing)} checker(s) that this machine lacks; nothing was built",
                  file=sys.stderr)
            for problem in missing:
                print(f"  {problem}", file=sys.stderr)
            return EXIT_INVALID
    progress = Progress(quiet=args.quiet)
    start = time.perf_counter()
    written = []
    try:
        folders = [named(args.content, args.publication)] if args.publication else publications(args.content)
        for folder in folders:
            if not args.quiet:
                print(f"build.py: {', '.join(sorted(targets) + [t for t in args.targets if t in AFTER_BUILD])} "
                      f"from {folder} into {args.out}", flush=True)
            written += _run(args, targets, folder, progress)
    except KeyboardInterrupt:
        return _stopped()
    except BuildError as exc:
        if _SIGNALLED:  # the interrupt, caught and reported by a library as something else
            return _stopped()
        print(f"error: {exc.title.format(n=len(exc.problems))}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        if _SIGNALLED:
            return _stopped()
        if args.debug:
            traceback.print_exc()
        print(f"internal error: {type(exc).__name__}: {exc}\n"
              "This is a bug in the builder, not in your content. Run again with --debug and report it.",
              file=sys.stderr)
        return EXIT_INTERNAL
    if not args.quiet:
        print(f"done: {len(written)} files in {time.perf_counter() - start:.2f} s"
              if written else f"done: everything was up to date ({time.perf_counter() - start:.2f} s)")
    return EXIT_OK


def _run(args, targets: set[str], folder: Path, progress: Progress) -> list[Path]:
    """Every requested target for one publication folder."""
    record = State(args.out.resolve(), folder, args.locale or PROJECT / "locale")  # once: it hashes every input
    written = build(targets, folder, args.out, progress, strict=not args.draft, locale_dir=args.locale,
                    paper=args.paper, only=set(args.edition) if args.edition else None,
                    workers=max(1, args.jobs), force=args.force, record=record) if targets else []
    if "check" in args.targets:
        check(folder, args.out, progress)
    if "preview" in args.targets:
        written += preview(folder, args.out, progress, args.locale, args.force, record)
    if "pack" in args.targets:
        written += pack(folder, args.out, args.dist, progress, args.locale, args.force, record)
    if "i18n-report" in args.targets:
        from . import report
        status = report.status(folder, args.locale or PROJECT / "locale")
        print(report.table(status))
        report.write_json(status, args.json or args.out / f"{status['name']}-i18n-report.json")
    return written


def _other(p: argparse.ArgumentParser, args) -> int:
    """`new DIR`, `reference` and `serve`: commands that build nothing into --out's editions."""
    if args.targets[0] == "serve":
        return _serve(args)
    if args.targets[0] in ("translation-export", "translation-import", "translation-confirm", "language"):
        return _translation(p, args)
    if args.targets[0] == "reference":
        from .reference import markdown
        print(markdown(), end="")
        return EXIT_OK
    if len(args.targets) != 2:
        p.error("new takes one folder: build.py new content/<folder name>")
    from .starter import write_starter
    try:
        folder = write_starter(Path(args.targets[1]), [c.strip() for c in args.languages.split(",") if c.strip()],
                               args.locale or PROJECT / "locale")
    except BuildError as exc:
        print(f"error: {exc.title.format(n=len(exc.problems))}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    print(f"wrote a starter publication in {folder}: edit its YAML files, then run "
          f"`make pdf PUB={folder.name}`" if folder.parent.name == "content" else
          f"wrote a starter publication in {folder}: build it with `build.py pdf --content {folder}`")
    return EXIT_OK


TRANSLATION_NEEDS = {"translation-export": ("to",), "translation-import": ("file",),
                     "translation-confirm": ("unit", "to"), "language": ("add",)}


def _translation(p: argparse.ArgumentParser, args) -> int:
    """The translation commands (README, "Translation"), on --publication."""
    from .translation import commands
    command = args.targets[0]
    make = {"publication": "PUB=<folder>", "to": "TO=<language>", "file": "FILE=<path>", "unit": "UNIT=<file:field>",
            "add": "ADD=<language>"}
    missing = [name for name in ("publication", *TRANSLATION_NEEDS[command]) if not getattr(args, name)]
    if missing or len(args.targets) != 1:
        p.error(f"{command} needs {' and '.join(make[name] for name in missing) or 'no other target'} "
                f"(build.py: {' '.join(f'--{name}' for name in missing)})")
    locale_dir = args.locale or PROJECT / "locale"
    try:
        folder = named(args.content, args.publication)
        if command == "translation-export":
            print(commands.export(folder, args.to, args.out, locale_dir))
        elif command == "translation-import":
            print(commands.import_(folder, args.file, locale_dir))
        elif command == "translation-confirm":
            print(commands.confirm(folder, args.unit, args.to))
        else:
            print(commands.add_language(folder, args.add, args.language_locale, args.fallback, locale_dir))
    except KeyboardInterrupt:
        return _stopped()
    except BuildError as exc:
        print(f"error: {exc.title.format(n=len(exc.problems))}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:
        print(f"error: cannot write: {exc.strerror or exc} ({getattr(exc, 'filename', '')}); nothing was changed",
              file=sys.stderr)
        return 5
    return EXIT_OK


def _serve(args) -> int:
    """The live preview of --publication (else of the first publication in --content)."""
    from .serve import serve
    try:
        folder = named(args.content, args.publication) if args.publication else publications(args.content)[0]
        return serve(folder, args.out / "serve" / folder.name, args.port)
    except BuildError as exc:
        print(f"error: {exc.title.format(n=len(exc.problems))}", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return exc.exit_code
    except OSError as exc:  # the port is taken, or the folder cannot be written
        print(f"error: cannot serve: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
