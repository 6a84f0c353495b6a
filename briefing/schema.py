"""JSON Schema building blocks, the manifest's schema and the errata's.

The language codes come from the manifest, so a publication in other languages needs no code
change. A text object may hold any of those languages but needs at least one; which translations
are missing is decided after the schema (content.missing_translations), so that draft builds can
fall back instead of failing. Each section kind's schema is in briefing/kinds/<kind>.py.

Every property carries a `description`: the content reference in the README is generated from
these schemas (`build.py reference`), so the two cannot drift apart.
"""
from __future__ import annotations

SOURCE_ID = {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,40}$"}
YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}
LINE = {"type": "string", "minLength": 1, "maxLength": 1_000, "pattern": r"^[^\n]*\S[^\n]*$"}  # one line, not blank
PROSE = {"type": "string", "minLength": 1, "maxLength": 20_000, "pattern": r"\S"}  # a paragraph: 20,000 characters
LANG_CODE = {"type": "string", "pattern": "^[a-z]{2,3}$"}


def described(schema: dict, description: str) -> dict:
    return dict(schema, description=description)


def one_language(codes: list[str]) -> dict:
    return {"anyOf": [{"required": [c]} for c in codes]}


def text(codes: list[str], description: str, string: dict = PROSE, max_length: int | None = None) -> dict:
    """A text in the publication's languages: {vi: …, en: …}."""
    value = dict(string, **({"maxLength": max_length} if max_length else {}))
    return {"type": "object", **one_language(codes), "properties": {c: value for c in codes},
            "additionalProperties": False, "description": description, "x-text": True}


def provenance() -> dict:
    """Where an item's text comes from, and which of its languages the editorial team wrote."""
    return {
        "sources": {"type": "array", "items": SOURCE_ID, "minItems": 1, "uniqueItems": True,
                    "description": "ids of the sources (listed in publication.yaml) the text comes from"},
        "ours": {"type": "array", "items": LANG_CODE, "uniqueItems": True,
                 "description": "languages whose text the editorial team translated; marked * in the editions"},
    }


def item(codes: list[str], description: str, string: dict = PROSE, required: tuple = (), cited: bool = True,
         **extra: dict) -> dict:
    """An aligned item: one text per language (keys vi, en, …), its provenance (unless not cited),
    and extra fields."""
    props = {c: string for c in codes}
    props.update(provenance() if cited else {}, **extra)
    return {"type": "object", "required": list(required), **one_language(codes), "properties": props,
            "additionalProperties": False, "description": description, "x-item": True}


def section(codes: list[str], kinds: list[str], required: tuple = (), **props: dict) -> dict:
    """A section file: `kind` and `title`, then the kind's own fields."""
    return {"type": "object", "required": ["kind", "title", *required], "additionalProperties": False,
            "properties": {
                "kind": {"enum": kinds, "description": "what the section is: one of the kinds of this reference"},
                "title": text(codes, "the section's heading, in the contents, the outline and the running heads",
                              LINE, max_length=80),
                "new_page": {"type": "boolean",
                             "description": "fact sheets only: start this section on a new page (the back)"},
                "run_on": {"type": "boolean",
                           "description": "brochures only: go on below the section before, instead of "
                                          "starting a new page"},
                **props,
                "notes": notes(codes)}}


def notes(codes: list[str]) -> dict:
    """A section's footnotes, by id; a text calls one with the marker [^id]."""
    return {"type": "object", "minProperties": 1,
            "propertyNames": {"pattern": "^[a-z0-9][a-z0-9-]{0,40}$"},
            "additionalProperties": item(codes, "a note: its text in each language, with optional provenance"),
            "description": "the section's footnotes, by id: `sum: {vi: …, en: …}`. A text calls one with "
                           "the marker [^sum], in every language; each is printed at the foot of the page "
                           "of its marker, numbered through the publication"}


LANGUAGES = {
    "type": "array", "minItems": 1, "description": "the publication's languages, in reading order",
    "items": {"type": "object", "required": ["code", "locale"], "additionalProperties": False,
              "properties": {"code": described(LANG_CODE, "ISO 639 code, as used in every text: vi, en"),
                             "locale": {"type": "string", "pattern": "^[a-z]{2,3}(_[A-Z]{2})?$",
                                        "description": "Babel locale for numbers and dates: vi_VN, en_GB"},
                             "quotes": {"type": "string", "pattern": "^[^\\s]{4}$",
                                        "description": "the language's quotation marks, double then single, "
                                                       "opening and closing: “”‘’ (the default, for Vietnamese "
                                                       "and English), «»“” for French"},
                             "fallback": described(LANG_CODE, "a draft shows this language's text, marked, where a "
                                                              "text has no translation yet (default: the first "
                                                              "language that has one): en")}},
}

FORMATS = ("brochure", "fact-sheet")
PAPERS = ("a4", "a5", "letter")  # each has its stylesheets: briefing/pdf.py PAPER_SHEETS
LAYOUTS = ("columns", "facing", "flip")  # of a multilingual brochure; see briefing/model.py


def manifest(codes: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["name", "identifier", "date", "languages", "title", "subtitle", "publisher",
                     "edition", "rights", "contact", "sources", "sections"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,60}$",
                     "description": "file name of every output: <name>.pdf, <name>-vi.pdf, …"},
            "identifier": {"type": "string", "pattern": r"^(urn:uuid:[0-9a-f-]{36}|urn:isbn:[0-9X-]{10,17})$",
                           "description": "urn:uuid:… or urn:isbn:…; stable for the life of the edition"},
            "date": {"type": "string", "format": "date", "description": "publication date, YYYY-MM-DD"},
            "format": {"enum": list(FORMATS), "default": "brochure",
                       "description": "brochure: cover, title page, contents, sections, back cover; "
                                      "fact-sheet: two A4 pages, front and back"},
            "paper": {"enum": list(PAPERS), "default": "a4",
                      "description": "the page size of the PDFs: a4, a5 or letter (8.5 × 11 in; a fact sheet: a4 or "
                                     "letter). The booklet is half of it: A5 on A4, half-letter on Letter. "
                                     "`make pdf PAPER=…` sets another for one build"},
            "languages": LANGUAGES,
            "layouts": {"type": "array", "minItems": 1, "uniqueItems": True, "default": ["columns"],
                        "items": {"enum": list(LAYOUTS)},
                        "description": "brochures with two or more languages: the print layouts of the multilingual "
                                       "edition, written on one line. columns: aligned side by side; facing: one "
                                       "language on the left-hand pages, the other opposite, passage by passage; "
                                       "flip: a tête-bêche book, one language from each cover. The first is "
                                       "<name>.pdf, each other one <name>-<layout>.pdf: [columns, facing, flip]"},
            "pair": {"type": "array", "items": LANG_CODE, "minItems": 2, "maxItems": 2, "uniqueItems": True,
                     "description": "the two languages of the facing and flip layouts, the left-hand (or front) one "
                                    "first; by default the first two languages"},
            "title": text(codes, "title of the publication", LINE, max_length=80),
            "subtitle": text(codes, "subtitle", PROSE, max_length=200),
            "publisher": text(codes, "publisher, as printed on the cover", LINE, max_length=120),
            "edition": text(codes, "edition statement: First edition", LINE, max_length=60),
            "rights": text(codes, "copyright and rights statement"),
            "translation_note": text(codes, "note on translations by the editorial team (colophon)"),
            "no_break": {"type": "array", "uniqueItems": True,
                         "items": {"type": "string", "pattern": r"^\S+( \S+)+$", "maxLength": 60},
                         "description": "phrases of two or more words that must never break across lines: "
                                        "[Viet Nam, Việt Nam]"},
            "keywords": text(codes, "keywords of the PDF metadata, comma-separated: IOM, migration, Viet Nam",
                             LINE, max_length=200),
            "contact": {"type": "object", "required": ["name", "office", "email"], "additionalProperties": False,
                        "description": "who to contact, printed on the back cover",
                        "properties": {"name": described(LINE, "a person or office"),
                                       "office": text(codes, "where they work", LINE),
                                       "email": {"type": "string", "format": "email", "description": "e-mail address"},
                                       **provenance()}},
            "cover_image": _picture(codes, "a picture behind the cover's title, running into the bleed on "
                                           "the press PDF; mostly decorative: true"),
            "logo": _picture(codes, "the publisher's logo, on the cover and the back cover"),
            "sections": {"type": "array", "minItems": 1,
                         "items": {"type": "string", "pattern": r"^[^/\\][^\\]*\.yaml$"},
                         "description": "the section files, in reading order, relative to the folder"},
            "errata": {"type": "string", "pattern": r"^[^/\\][^\\]*\.yaml$",
                       "description": "file of corrections made to the sources (not printed)"},
            "sources": {"type": "array", "minItems": 1, "description": "the source texts, in sources/",
                        "items": {"type": "object", "required": ["id", "file", "title", "language", "publisher"],
                                  "additionalProperties": False,
                                  "properties": {
                                      "id": described(SOURCE_ID, "short id that items cite: iom-news-2009"),
                                      "file": {"type": "string", "pattern": r"^sources/[^/\\]+$",
                                               "description": "the source's text, in sources/"},
                                      "title": dict(LINE, maxLength=300, description="the text's own title, in its language"),
                                      "language": described(LANG_CODE, "the language the source is written in"),
                                      "publisher": text(codes, "who published it", LINE),
                                      "date": {"type": "string", "format": "date",
                                               "description": "only where the text itself gives its date"},
                                      "url": {"type": "string", "pattern": r"^https?://[^\s/]+\.[^\s]+$",
                                              "maxLength": 500,
                                              "description": "where the text is published, only where it states "
                                                             "it: printed and clickable in the Sources list"},
                                      "accessed": {"type": "string", "format": "date",
                                                   "description": "when the url was read, YYYY-MM-DD"}}}},
        },
    }


def _picture(codes: list[str], description: str) -> dict:
    from .pictures import picture  # pictures builds on this module's pieces
    return picture(codes, description, caption=False)


def errata(codes: list[str]) -> dict:
    fix = {"type": "object", "required": ["source", "field", "was", "now", "why"], "additionalProperties": False,
           "properties": {"source": described(SOURCE_ID, "the source that has the error"),
                          "field": described(LINE, "where the corrected text lives"),
                          "was": LINE, "now": LINE, "why": LINE}}
    return {"type": "object", "required": ["corrections"], "additionalProperties": False,
            "properties": {"corrections": {"type": "array", "items": fix}}}
