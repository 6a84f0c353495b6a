"""Gettext catalogs and locale-aware formatting, all through Babel.

Never locale.setlocale: one build renders several languages, so every call
names its locale explicitly.
"""
from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_skeleton
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_compact_decimal, format_decimal
from babel.support import NullTranslations, Translations

from .errors import Problem

DOMAIN = "messages"


SOURCE_LANG = "en"  # msgids are written in English: the English catalog can never lack a message


@dataclass
class CatalogStatus:
    lang: str
    path: str
    total: int
    missing: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)

    @property
    def translated(self) -> int:
        return self.total - len(self.missing) - len(self.fuzzy)


class Catalogs:
    """Every language's .po, compiled in memory (no .mo on disk) and checked against messages.pot."""

    def __init__(self, locale_dir: Path, codes: list[str]):
        self.translations: dict[str, NullTranslations] = {}
        self.status: dict[str, CatalogStatus] = {}
        self.problems: list[Problem] = []
        template = self._read(locale_dir / f"{DOMAIN}.pot", None)
        msgids = self.msgids = [m.id for m in template if m.id] if template else []
        if template is None:
            self.problems.append(Problem(str(locale_dir / f"{DOMAIN}.pot"), None, None, "",
                                         "message template is missing: run `make i18n-extract`"))
        for code in codes:
            po_path = locale_dir / code / "LC_MESSAGES" / f"{DOMAIN}.po"
            catalog = self._read(po_path, code) if po_path.exists() else None
            status = CatalogStatus(code, str(po_path), len(msgids))
            if catalog is None:  # an unreadable file was reported by _read; a missing one here
                self.translations[code] = NullTranslations()
                if code != SOURCE_LANG and not po_path.exists():
                    status.missing = list(msgids)
                    self.problems.append(Problem(str(po_path), None, None, "",
                                                 f"no message catalog for language {code!r}: "
                                                 "run `make i18n-update` after adding the language"))
            else:
                buf = io.BytesIO()
                write_mo(buf, catalog, use_fuzzy=False)
                buf.seek(0)
                self.translations[code] = Translations(fp=buf, domain=DOMAIN)
                if code != SOURCE_LANG:
                    for msgid in msgids:
                        message = catalog.get(msgid)
                        if message is None or not message.string:
                            status.missing.append(msgid)
                        elif message.fuzzy:
                            status.fuzzy.append(msgid)
                    for msgid in status.missing:
                        self.problems.append(Problem(str(po_path), None, None, f"msgid {msgid!r}",
                                                     f"has no {code} translation"))
                    for msgid in status.fuzzy:
                        self.problems.append(Problem(str(po_path), None, None, f"msgid {msgid!r}",
                                                     f"{code} translation is marked fuzzy (needs review)"))
            self.status[code] = status

    def _read(self, path: Path, code: str | None):
        try:
            with path.open("rb") as fh:
                return read_po(fh, locale=code, domain=DOMAIN, abort_invalid=True)
        except FileNotFoundError:
            return None
        except Exception as exc:  # babel raises PoFileError and friends; report, do not crash
            self.problems.append(Problem(str(path), getattr(exc, "lineno", None), None, "", f"invalid catalog: {exc}"))
            return None

    def glyph_problems(self, available: frozenset[int]) -> list[Problem]:
        """Translated labels go through the glyph gate too."""
        from .glyphs import describe, missing
        problems = []
        for code, status in self.status.items():
            catalog = self.translations[code]
            for msgid in self.msgids:
                for ch in missing(catalog.gettext(msgid), available):
                    problems.append(Problem(status.path, None, None, f"msgid {msgid!r}",
                                            f"has a character the pack's fonts cannot draw: {describe(ch)}"))
        return problems

    def gettext(self, message: str, lang: str) -> str:
        status = self.status.get(lang)
        if status and (message in status.missing or message in status.fuzzy):
            return f"[{SOURCE_LANG}] {message}"  # only reachable in drafts: strict builds stop first
        return self.translations[lang].gettext(message)

    def ngettext(self, singular: str, plural: str, n: int, lang: str) -> str:
        return self.translations[lang].ngettext(singular, plural, n)


def exact(value: int | float) -> Decimal:
    """A number as written in the YAML: a decimal is read from its text (3.6, not 3.5999…)."""
    return Decimal(repr(value)).normalize() if isinstance(value, float) else Decimal(value)


class Formatter:
    """Numbers, dates and language names in one locale's conventions."""

    def __init__(self, locale: str):
        self.locale = Locale.parse(locale)

    def number(self, value: int | Decimal) -> str:
        return format_decimal(value, locale=self.locale, decimal_quantization=False)  # never rounded

    def compact(self, value: int | Decimal) -> str:
        """281 million, 3.6 million: as many digits as the value has, so that the printed number is
        the one written (Babel's default would print 3,600,000 as "4 million")."""
        digits = len(Decimal(value).normalize().as_tuple().digits)
        return format_compact_decimal(value, format_type="long", locale=self.locale, fraction_digits=digits)

    def year(self, value: int) -> str:
        return str(value)  # years are never digit-grouped (1987, not 1.987)

    def date(self, value: str) -> str:
        """YYYY-MM-DD in the locale's long form (7 September 2024, 7 tháng 9, 2024); YYYY-MM as a
        month and year (September 2024, tháng 9 năm 2024)."""
        if len(value) == 7:
            return format_skeleton("yMMMM", dt.date.fromisoformat(value + "-01"), locale=self.locale)
        return format_date(dt.date.fromisoformat(value), format="long", locale=self.locale)

    def language_name(self, code: str) -> str:
        name = Locale.parse(code).get_display_name(self.locale)
        return name[:1].upper() + name[1:]
