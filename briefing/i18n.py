"""Gettext catalogs and locale-aware formatting, all through Babel.

Never locale.setlocale: one build renders several languages, so every call
names its locale explicitly.
"""
from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import NullTranslations, Translations

from .errors import Problem, RenderError

DOMAIN = "messages"


def load_catalogs(locale_dir: Path, codes: list[str], source_lang: str = "en") -> dict[str, NullTranslations]:
    """Compile each language's .po in memory (no .mo files on disk) into Babel Translations."""
    catalogs, problems = {}, []
    for code in codes:
        po_path = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.exists():
            if code == source_lang:  # msgids are the source language: they stand for themselves
                catalogs[code] = NullTranslations()
                continue
            problems.append(Problem(str(po_path), None, None, "", f"no message catalog for language {code!r}"))
            continue
        try:
            with po_path.open("rb") as fh:
                catalog = read_po(fh, locale=code, domain=DOMAIN, abort_invalid=True)
        except Exception as exc:  # babel raises PoFileError and friends; report, do not crash
            problems.append(Problem(str(po_path), getattr(exc, "lineno", None), None, "", f"invalid catalog: {exc}"))
            continue
        buf = io.BytesIO()
        write_mo(buf, catalog, use_fuzzy=False)
        buf.seek(0)
        catalogs[code] = Translations(fp=buf, domain=DOMAIN)
    if problems:
        raise RenderError(problems)
    return catalogs


class Formatter:
    """Numbers, dates and language names in one locale's conventions."""

    def __init__(self, locale: str):
        self.locale = Locale.parse(locale)

    def number(self, value: int) -> str:
        return format_decimal(value, locale=self.locale)

    def compact(self, value: int) -> str:
        return format_compact_decimal(value, format_type="long", locale=self.locale)

    def year(self, value: int) -> str:
        return str(value)  # years are never digit-grouped (1987, not 1.987)

    def date(self, value: str) -> str:
        return format_date(dt.date.fromisoformat(value), format="long", locale=self.locale)

    def language_name(self, code: str) -> str:
        name = Locale.parse(code).get_display_name(self.locale)
        return name[:1].upper() + name[1:]
