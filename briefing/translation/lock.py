"""translations.lock: for every translation, the language of its original and a hash of the
original's text when the translation was made (or confirmed). A translation whose original no
longer has that hash is stale. The file sits in the publication folder and is committed with the
content, like a package lock; only the builder writes it.

A publication without the file starts with every translation current: the first build records
them (new translations are recorded the same way), so that a later change of an original is seen.
"""
from __future__ import annotations

import re
from pathlib import Path

import yaml

from ..errors import Problem
from .texts import CURRENT, NEW, REVIEW, STALE, UNRECORDED, Text

LOCK = "translations.lock"
VERSION = 1
ENTRY = re.compile(r"([a-z]{2,3}(?:-[A-Za-z0-9]+)*) ([0-9a-f]{16}|review)")
HEADER = """\
# Written by the builder: do not edit by hand; commit it with the content.
# For every translation (file:field, then its language): the language of its original and a hash
# of the original's text when the translation was made or confirmed, or "review" for a translation
# imported as needing review. A translation whose original has changed since is stale: a strict
# build stops on it (README, "Translation").
"""


def read(root: Path) -> tuple[dict, list[Problem]]:
    """{unit id: {language: "orig hash"}} and the problems of a broken lock (each with its line)."""
    from ..content import read_yaml
    path = Path(root) / LOCK
    if not path.exists():
        return {}, []
    doc, problems = read_yaml(path, str(path))
    if doc is None:
        return {}, problems
    data = doc.data
    where = lambda *keys: doc.marks.get(tuple(keys), (None, None))  # noqa: E731
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("translations"), dict):
        return {}, [Problem(str(path), *where(), "", f"is not a translation lock of version {VERSION} (written by "
                                                     "the builder); restore it from git, or delete it to take every "
                                                     "translation as current")]
    entries, problems = {}, []
    for unit, langs in data["translations"].items():
        if not isinstance(langs, dict) or not all(isinstance(v, str) and ENTRY.fullmatch(v) for v in langs.values()):
            problems.append(Problem(str(path), *where("translations", unit), str(unit),
                                    "is not a lock entry (language: \"<original language> <hash>\"); restore the "
                                    "file from git, or delete this entry to take its translations as current"))
            continue
        entries[str(unit)] = dict(langs)
    return entries, problems


def states(texts: list[Text], entries: dict, codes: list[str]) -> None:
    """Set each text's translations: language -> current, stale, review, unrecorded or new."""
    for text in texts:
        recorded = entries.get(text.id, {})
        for code in codes:
            if code == text.original:
                continue
            if code not in text.values:
                text.translations[code] = NEW
                continue
            entry = recorded.get(code)
            if entry is None or entry.split(" ")[0] != text.original:
                text.translations[code] = UNRECORDED
            elif entry.endswith(" review"):
                text.translations[code] = REVIEW
            else:
                text.translations[code] = CURRENT if entry.split(" ")[1] == text.digest() else STALE


def entry(text: Text, reviewed: bool = True) -> str:
    return f"{text.original} {text.digest() if reviewed else 'review'}"


def write(root: Path, entries: dict) -> bool:
    """Write the lock if its entries changed; False when the file already says the same."""
    from ..outputs import write_text
    body = yaml.safe_dump({"version": VERSION, "translations": {k: dict(sorted(v.items()))
                                                                 for k, v in sorted(entries.items())}},
                          allow_unicode=True, sort_keys=False, width=1000, default_flow_style=False)
    text = HEADER + body
    path = Path(root) / LOCK
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    write_text(path, text)
    return True


def record(root: Path, texts: list[Text], entries: dict, changes: dict[tuple[str, str], str]) -> bool:
    """Lay `changes` ((unit id, language) -> entry) over the entries, and add every unrecorded
    translation as current; entries of texts that are gone are dropped."""
    merged = {unit: dict(langs) for unit, langs in entries.items()}
    for text in texts:
        for code, state in text.translations.items():
            if state == UNRECORDED:
                merged.setdefault(text.id, {})[code] = entry(text)
    for (unit, code), value in changes.items():
        merged.setdefault(unit, {})[code] = value
    known = {text.id: set(text.translations) for text in texts}
    merged = {unit: {c: v for c, v in langs.items() if c in known.get(unit, ())} for unit, langs in merged.items()}
    return write(root, {unit: langs for unit, langs in merged.items() if langs})


__all__ = ["LOCK", "read", "states", "record", "write", "entry", "CURRENT", "STALE", "REVIEW", "NEW", "UNRECORDED"]
