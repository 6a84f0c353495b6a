"""JSON Schemas for the content files.

The language codes come from publication.yaml, so a pack in other languages
needs no code change. A text object may hold any of those languages but needs
at least one; which translations are missing is decided after the schema
(content.missing_translations), so that draft builds can fall back instead of failing.
"""
from __future__ import annotations

SEED_ID = {"type": "string", "pattern": "^[0-9]{3}$"}
YEAR = {"type": "integer", "minimum": 1000, "maximum": 9999}
LINE = {"type": "string", "minLength": 1, "pattern": r"^[^\n]*\S[^\n]*$"}   # one line, not blank
PROSE = {"type": "string", "minLength": 1, "pattern": r"\S"}


def _one_language(codes: list[str]) -> dict:
    return {"anyOf": [{"required": [c]} for c in codes]}


def _text(codes: list[str], string: dict = PROSE, max_length: int | None = None) -> dict:
    value = dict(string, **({"maxLength": max_length} if max_length else {}))
    return {"type": "object", **_one_language(codes),
            "properties": {c: value for c in codes}, "additionalProperties": False}


def _item(codes: list[str], **extra: dict) -> dict:
    """An aligned item: one text per language plus its provenance."""
    props = {c: PROSE for c in codes}
    props.update(seeds={"type": "array", "items": SEED_ID, "minItems": 1, "uniqueItems": True},
                 ours={"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                 **extra)
    return {"type": "object", "required": ["seeds", *extra], **_one_language(codes),
            "properties": props, "additionalProperties": False}


PUBLICATION_LANGS = {
    "type": "array", "minItems": 1,
    "items": {"type": "object", "required": ["code", "locale"], "additionalProperties": False,
              "properties": {"code": {"type": "string", "pattern": "^[a-z]{2,3}$"},
                             "locale": {"type": "string", "pattern": "^[a-z]{2,3}(_[A-Z]{2})?$"}}},
}


def publication(codes: list[str]) -> dict:
    return {
        "type": "object",
        "required": ["name", "identifier", "date", "range", "languages", "title", "subtitle",
                     "publisher", "edition", "rights", "translation_note", "contact", "seeds"],
        "additionalProperties": False,
        "properties": {
            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,60}$"},
            "identifier": {"type": "string", "pattern": r"^(urn:uuid:[0-9a-f-]{36}|urn:isbn:[0-9X-]{10,17})$"},
            "date": {"type": "string", "format": "date"},
            "range": {"type": "array", "items": YEAR, "minItems": 2, "maxItems": 2},
            "languages": PUBLICATION_LANGS,
            "title": _text(codes, LINE, max_length=80),
            "subtitle": _text(codes, PROSE, max_length=200),
            "publisher": _text(codes, LINE, max_length=120),
            "edition": _text(codes, LINE, max_length=60),
            "rights": _text(codes),
            "translation_note": _text(codes),
            "contact": {"type": "object", "required": ["name", "office", "email", "seeds"],
                        "additionalProperties": False,
                        "properties": {"name": LINE, "office": _text(codes, LINE),
                                       "email": {"type": "string", "format": "email"},
                                       "seeds": {"type": "array", "items": SEED_ID}}},
            "seeds": {"type": "object", "minProperties": 1, "additionalProperties": False,
                      "patternProperties": {"^[0-9]{3}$": LINE}},
        },
    }


def mission(codes: list[str]) -> dict:
    part = {"type": "object", "required": ["heading", "paragraphs"], "additionalProperties": False,
            "properties": {"heading": _text(codes, LINE, max_length=80),
                           "paragraphs": {"type": "array", "minItems": 1, "items": _item(codes)}}}
    return {"type": "object", "required": ["parts"], "additionalProperties": False,
            "properties": {"parts": {"type": "array", "minItems": 1, "items": part}}}


def facts(codes: list[str]) -> dict:
    number = {"type": "integer", "minimum": 0}
    fact = _item(codes,
                 value={"oneOf": [number, {"type": "array", "items": number, "minItems": 2}]},
                 format={"enum": ["year", "number", "compact"]})
    fact["properties"]["plus"] = {"type": "boolean"}
    fact["properties"].update({c: dict(LINE, maxLength=120) for c in codes})
    return {"type": "object", "required": ["facts"], "additionalProperties": False,
            "properties": {"facts": {"type": "array", "minItems": 1, "items": fact}}}


def timeline(codes: list[str]) -> dict:
    return {"type": "object", "required": ["entries"], "additionalProperties": False,
            "properties": {"entries": {"type": "array", "minItems": 1,
                                       "items": _item(codes, year=YEAR)}}}


def _titled_text(codes: list[str], **extra: dict) -> dict:
    paragraph = {"type": "object", **_one_language(codes), "additionalProperties": False,
                 "properties": {**{c: PROSE for c in codes}, "salutation": {"type": "boolean"}}}
    props = {"seeds": {"type": "array", "items": SEED_ID, "minItems": 1},
             "ours": {"type": "array", "items": {"type": "string"}},
             "year": YEAR, "title": _text(codes, PROSE, max_length=300),
             "paragraphs": {"type": "array", "minItems": 1, "items": paragraph}, **extra}
    return {"type": "object", "required": list(props), "additionalProperties": False,
            "properties": props}


def speech(codes: list[str]) -> dict:
    return _titled_text(codes, speaker=LINE, role=_text(codes, LINE), occasion=_text(codes))


def news(codes: list[str]) -> dict:
    return _titled_text(codes)


def errata(codes: list[str]) -> dict:
    fix = {"type": "object", "required": ["seed", "field", "was", "now", "why"],
           "additionalProperties": False,
           "properties": {"seed": SEED_ID, "field": LINE, "was": LINE, "now": LINE, "why": LINE}}
    return {"type": "object", "required": ["corrections"], "additionalProperties": False,
            "properties": {"corrections": {"type": "array", "items": fix}}}


# Each content file and the schema it must satisfy, in load order.
FILES = {
    "publication.yaml": publication,
    "mission.yaml": mission,
    "facts.yaml": facts,
    "timeline.yaml": timeline,
    "speech.yaml": speech,
    "news.yaml": news,
    "errata.yaml": errata,
}
