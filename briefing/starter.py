"""`build.py new DIR`: a starter publication, as `quarto create` or `sphinx-quickstart` make one.

It writes a manifest, one section of each kind (from the kind's EXAMPLE) and one example source,
all of which build at once in strict mode. A language with no example text gets the English one,
marked [xx] so that nobody mistakes it for a translation.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from babel.core import get_global

from .content import MANIFEST
from .paths import MAX_NAME, NAME
from .errors import ContentError, OutputError, Problem
from .kinds import KINDS

SOURCE_ID = "example-source"
SOURCE_FILE = "sources/example.txt"
PHRASES_VI = {"A new publication": "Một ấn phẩm mới", "What it is about, in a sentence": "Ấn phẩm nói về điều gì, trong một câu",
              "The publisher": "Đơn vị xuất bản", "First edition": "Ấn bản thứ nhất",
              "© The publisher. All rights reserved.": "© Đơn vị xuất bản. Bảo lưu mọi quyền.", "The office": "Văn phòng"}


def _locale(code: str) -> str:
    """The most likely locale of a language, for its numbers and dates: vi -> vi_VN."""
    likely = get_global("likely_subtags").get(code, code)
    parts = Locale.parse(likely)
    return f"{parts.language}_{parts.territory}" if parts.territory else parts.language


def _texts(value, codes: list[str]):
    """EXAMPLE data with its {en: …, vi: …} texts given in `codes` (English, marked, where no
    example text exists in a language)."""
    if isinstance(value, list):
        return [_texts(v, codes) for v in value]
    if not isinstance(value, dict):
        return value
    if isinstance(value.get("en"), str):  # the texts stand where the example has its first one
        out = {}
        for key, v in value.items():
            if key in ("en", "vi"):
                out.update({c: value.get(c) or f"[{c}] {value['en']}" for c in codes if c not in out})
            else:
                out[key] = _texts(v, codes)
        return out
    return {k: _texts(v, codes) for k, v in value.items()}


def _check(folder: Path, codes: list[str], locale_dir: Path) -> list[Problem]:
    problems = []
    if folder.exists() and any(folder.iterdir()):
        problems.append(Problem(str(folder), None, None, "", "already exists and is not empty; choose a new folder"))
    if not NAME.fullmatch(folder.name):
        problems.append(Problem(str(folder), None, None, "", "the folder name becomes the file name of every output: "
                                                             f"use lower-case letters, digits and hyphens, at most "
                                                             f"{MAX_NAME}"))
    if not codes:
        problems.append(Problem("--languages", None, None, "", "give at least one language code, e.g. vi,en"))
    for code in codes:
        try:
            if not re.fullmatch(r"[a-z]{2,3}", code):
                raise ValueError(code)
            Locale.parse(code)
        except (UnknownLocaleError, ValueError):
            problems.append(Problem("--languages", None, None, "", f"{code!r} is not a language code Babel knows"))
            continue
        if code != "en" and not (locale_dir / code / "LC_MESSAGES" / "messages.po").exists():
            problems.append(Problem("--languages", None, None, "",
                                    f"there is no message catalog for {code!r} yet: see 'Adding a language' in the README"))
    return problems


def _manifest(name: str, codes: list[str]) -> str:
    def text(en: str, indent: str = "  ") -> str:
        texts = _texts({"en": en, "vi": PHRASES_VI.get(en)}, codes)
        return "".join(f"\n{indent}{c}: {json.dumps(texts[c], ensure_ascii=False)}" for c in codes)
    languages = "".join(f"\n  - code: {c}\n    locale: {_locale(c)}" for c in codes)
    layouts = ("layouts: [columns]                   # on one line; a brochure may add facing, flip\n"
               if len(codes) > 1 else "")
    sections = "".join(f"\n  - {kind}.yaml" for kind in KINDS)
    return f"""# The manifest of this publication: its metadata, languages, sources and sections.
# Every text is written in each language: {', '.join(codes)}. See content/README.md for every field.

name: {name}
identifier: urn:uuid:{uuid.uuid4()}   # stable: never change it for this edition
date: {dt.date.today().isoformat()}
format: brochure                     # or fact-sheet: two pages, front and back
paper: a4                            # or a5, or letter (US); colours, fonts, logo: a _brand.yml (README)
{layouts}
languages:{languages}

title:{text("A new publication")}
subtitle:{text("What it is about, in a sentence")}
publisher:{text("The publisher")}
edition:{text("First edition")}
rights:{text("© The publisher. All rights reserved.")}

# Phrases of two or more words that never break across lines.
no_break: [Viet Nam, Việt Nam]

contact:
  name: A. Person
  office:{text("The office", "    ")}
  email: contact@example.org

# The sections, in reading order; each file says its kind. Remove, repeat or reorder them freely.
sections:{sections}

# The texts this publication is made from, copied into sources/. Items cite them by id.
sources:
  - id: {SOURCE_ID}
    file: {SOURCE_FILE}
    title: An example source
    language: en
    publisher:{text("The publisher", "      ")}
"""


class _Dumper(yaml.SafeDumper):
    """Texts of several lines as `|` blocks, as a person writes them (a line ending in \\ breaks)."""


_Dumper.add_representer(str, lambda dumper, text: dumper.represent_scalar(
    "tag:yaml.org,2002:str", text, style="|" if "\n" in text else None))


def _short(value) -> bool:
    """A number, or a text of a few words in each language: a table cell."""
    return isinstance(value, (int, float)) or (
        isinstance(value, dict) and all(isinstance(v, str) and len(v) < 40 for v in value.values()))


# A table's row on one line, [{vi: …, en: …}, 14000], as a person writes it.
_Dumper.add_representer(list, lambda dumper, items: dumper.represent_sequence(
    "tag:yaml.org,2002:seq", items, flow_style=bool(items) and all(_short(v) for v in items)
    and any(isinstance(v, (int, float)) for v in items)))


def write_starter(folder: Path, codes: list[str], locale_dir: Path) -> Path:
    """Write the starter publication into `folder`, which must not exist or be empty."""
    problems = _check(folder, codes, locale_dir)
    if problems:
        raise ContentError(problems)
    files = {MANIFEST: _manifest(folder.name, codes),
             SOURCE_FILE: "An example source text. Copy the real sources of the publication here.\n"}
    for kind, module in KINDS.items():
        data = {"kind": kind, **_texts(module.EXAMPLE, codes)}
        body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
        about = " ".join(module.__doc__.split())  # the docstring's lines joined: one comment line
        files[f"{kind}.yaml"] = f"# A section of kind {kind}: {about}\n\n{body}"
    try:
        for name, text in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OutputError([Problem(str(folder), None, None, "", f"cannot write: {exc.strerror}")]) from None
    return folder
