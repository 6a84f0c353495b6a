"""A news story set as a box: dateline, headline and paragraphs."""
from __future__ import annotations

from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "In the news", "vi": "Tin tức"},
    "dateline": {"en": "News, 2024", "vi": "Tin tức, 2024"},
    "headline": {"en": "A new office opens", "vi": "Một văn phòng mới được mở"},
    "paragraphs": [{"en": "The story, paragraph by paragraph.", "vi": "Câu chuyện, từng đoạn một."}],
}


def paragraphs(codes: list[str], description: str, **extra: dict) -> dict:
    paragraph = {"type": "object", **s.one_language(codes), "additionalProperties": False,
                 "properties": {**{c: s.PROSE for c in codes}, **extra}, "description": description}
    return {"type": "array", "minItems": 1, "items": paragraph, "description": "the text, paragraph by paragraph"}


def schema(codes: list[str], kinds: list[str]) -> dict:
    return s.section(codes, kinds, required=("dateline", "headline", "paragraphs"), **s.provenance(),
                     dateline=s.text(codes, "the line above the headline: who and when", s.LINE, max_length=80),
                     headline=s.text(codes, "the story's headline", s.PROSE, max_length=300),
                     paragraphs=paragraphs(codes, "a paragraph in each language"))


def context(data: dict, formats: dict) -> dict:
    codes, ours = list(formats), data.get("ours", [])
    return {"dateline": data["dateline"], "headline": data["headline"], "sources": data.get("sources", []),
            "paragraphs": [item(p, codes, ours) for p in data["paragraphs"]]}
