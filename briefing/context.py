"""Template context: one function per document kind, each returning plain data.

Texts stay as {lang: text} mappings so that one template serves the bilingual
edition (every language side by side) and the single-language ones.
"""
from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .content import Pack
from .i18n import Formatter


@dataclass(frozen=True)
class Edition:
    key: str                 # "" for the edition with every language, else the language code
    langs: tuple[str, ...]   # in reading order

    @property
    def lang(self) -> str:
        return self.langs[0]

    @property
    def multilingual(self) -> bool:
        return len(self.langs) > 1

    def filename(self, name: str, ext: str) -> str:
        return f"{name}-{self.key}.{ext}" if self.key else f"{name}.{ext}"


def editions(pack: Pack) -> list[Edition]:
    codes = tuple(pack.languages)
    singles = [Edition(code, (code,)) for code in codes]
    return ([Edition("", codes)] if len(codes) > 1 else []) + singles


def _item(source: dict, codes: list[str], ours=None, **extra) -> dict:
    return {"text": {c: source[c] for c in codes}, "ours": list(source.get("ours", ours or [])), **extra}


def _fact_value(fact: dict, fmt: Formatter) -> str:
    values = fact["value"] if isinstance(fact["value"], list) else [fact["value"]]
    render = {"year": fmt.year, "number": fmt.number, "compact": fmt.compact}[fact["format"]]
    shown = " + ".join(render(v) for v in values)
    return shown + "+" if fact.get("plus") else shown


def sections(pack: Pack) -> list[dict]:
    """The body of the pack, in reading order, as plain data shared by every edition."""
    codes = pack.languages
    fmts = {c: Formatter(loc) for c, loc in pack.locales.items()}
    first, last = pack.publication["range"]
    span = {c: f"{fmts[c].year(first)}–{fmts[c].year(last)}" for c in codes}

    def titled(doc: dict) -> dict:
        ours = doc["ours"]
        return {"title": {c: doc["title"][c] for c in codes}, "ours": ours,
                "year": doc["year"], "seeds": doc["seeds"],
                "paragraphs": [_item(p, codes, ours, salutation=p.get("salutation", False))
                               for p in doc["paragraphs"]]}

    speech = pack.speech
    return [
        {"id": "mission", "kind": "mission",
         "parts": [{"heading": part["heading"], "paragraphs": [_item(p, codes) for p in part["paragraphs"]]}
                   for part in pack.mission["parts"]]},
        {"id": "facts", "kind": "facts",
         "facts": [_item(f, codes, value={c: _fact_value(f, fmts[c]) for c in codes})
                   for f in pack.facts["facts"]]},
        {"id": "timeline", "kind": "timeline", "span": span,
         "entries": [_item(e, codes, year=fmts[codes[0]].year(e["year"])) for e in pack.timeline["entries"]]},
        {"id": "news", "kind": "news", **titled(pack.news)},
        {"id": "speech", "kind": "speech", **titled(speech), "speaker": speech["speaker"],
         "role": speech["role"], "occasion": speech["occasion"],
         "year_text": {c: fmts[c].year(speech["year"]) for c in codes}},
    ]


def source_date(pack: Pack) -> dt.datetime:
    """The time every output is stamped with: SOURCE_DATE_EPOCH when set, else the publication
    date. Never the wall clock, so that two builds of one commit are byte-identical."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        stamp = dt.datetime.fromisoformat(pack.publication["date"]).replace(tzinfo=dt.timezone.utc)
        # fontTools (WeasyPrint's subsetting fallback) and repro-zipfile read the variable too.
        os.environ["SOURCE_DATE_EPOCH"] = str(int(stamp.timestamp()))
        return stamp
    return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)


def metadata(pack: Pack) -> dict:
    pub, codes = pack.publication, pack.languages
    fmts = {c: Formatter(loc) for c, loc in pack.locales.items()}
    return {
        "name": pub["name"], "identifier": pub["identifier"], "date_iso": pub["date"],
        "modified_iso": source_date(pack).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": {c: fmts[c].date(pub["date"]) for c in codes},
        "language_names": {c: {other: fmts[c].language_name(other) for other in codes} for c in codes},
        **{key: pub[key] for key in ("title", "subtitle", "publisher", "edition", "rights", "translation_note")},
        "contact": pub["contact"],
    }


# Heading levels per medium: print has the cover's h1 above every section; in EPUB each
# section is its own document, so its title is that document's h1.
LEVELS = {"print": {"section": "h2", "sub": "h3"}, "epub": {"section": "h1", "sub": "h2"}}


def edition_context(pack: Pack, edition: Edition, medium: str, stylesheets: list[str] = ()) -> dict:
    """What every template of one edition needs, for one medium ("print" or "epub")."""
    return {"lang": edition.lang, "langs": list(edition.langs), "multilingual": edition.multilingual,
            "medium": medium, "levels": LEVELS[medium], "meta": metadata(pack), "sections": sections(pack),
            "stylesheets": list(stylesheets)}
