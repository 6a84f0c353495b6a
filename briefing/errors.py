"""Typed build errors. Each kind has its own exit code, documented in README.md."""
from __future__ import annotations

from dataclasses import dataclass

EXIT_OK = 0
EXIT_INTERNAL = 1   # a bug in the builder: please report it
EXIT_USAGE = 2      # bad command line (argparse's own code)
EXIT_CONTENT = 3    # the content folder has problems; nothing was written
EXIT_RENDER = 4     # a template, stylesheet or renderer problem; nothing was written
EXIT_OUTPUT = 5     # an output could not be written (disk full, permissions)
EXIT_INVALID = 6    # a built output failed validation (EPUBCheck, veraPDF)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the content, located as precisely as we can."""
    file: str
    line: int | None
    column: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        field = f" [{self.field}]" if self.field else ""
        return printable(f"{where}:{field} {self.message}")


def printable(text: str) -> str:
    """Text as a terminal may show it: a control character (an escape sequence's start, a carriage
    return that would overwrite the line) is written as \\uXXXX; line breaks stay."""
    return "".join(ch if ch.isprintable() or ch == "\n" else f"\\u{ord(ch):04x}" for ch in text)


class BuildError(Exception):
    exit_code = EXIT_INTERNAL
    title = "build failed"

    def __init__(self, problems: list):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = list(problems)

    def __reduce__(self):  # raised in a worker process, re-raised in the build process
        return type(self), (self.problems,)


class ContentError(BuildError):
    exit_code = EXIT_CONTENT
    title = "content has {n} problem(s); nothing was built"


class RenderError(BuildError):
    exit_code = EXIT_RENDER
    title = "rendering reported {n} problem(s); nothing was written"


class ValidationError(BuildError):
    exit_code = EXIT_INVALID
    title = "validation reported {n} problem(s)"


class OutputError(BuildError):
    exit_code = EXIT_OUTPUT
    title = "could not write {n} output(s)"


class UsageError(BuildError):
    exit_code = EXIT_USAGE
    title = "the command line names {n} thing(s) that do not exist"


class TranslationFileError(ContentError):
    exit_code = EXIT_CONTENT
    title = "the translation file has {n} problem(s); nothing was written"
