"""A chapter of paragraphs, with optional sub-headings between them."""
from __future__ import annotations

from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "Who we are", "vi": "Giới thiệu"},
    "paragraphs": [
        {"heading": {"en": "Our mission", "vi": "Sứ mệnh"}},
        {"sources": ["example-source"],
         "en": "Write each paragraph in every language of the publication, side by side.",
         "vi": "Viết mỗi đoạn bằng mọi ngôn ngữ của ấn phẩm, đặt cạnh nhau."},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    heading = {"type": "object", "required": ["heading"], "additionalProperties": False,
               "properties": {"heading": s.text(codes, "a sub-heading", s.LINE, max_length=80)},
               "description": "a sub-heading: the paragraphs after it, up to the next one, are its part"}
    paragraph = s.item(codes, "a paragraph: its text in each language, with optional provenance")
    return s.section(codes, kinds, required=("paragraphs",), paragraphs={
        "type": "array", "minItems": 1, "description": "the paragraphs and sub-headings, in reading order",
        "items": {"if": {"type": "object", "required": ["heading"]}, "then": heading, "else": paragraph}})


def context(data: dict, formats: dict) -> dict:
    codes = list(formats)
    return {"blocks": [{"heading": block["heading"]} if "heading" in block else {"paragraph": item(block, codes)}
                       for block in data["paragraphs"]]}
