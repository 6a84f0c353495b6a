"""A chapter of paragraphs, with optional sub-headings and figures between them."""
from __future__ import annotations

from .. import pictures
from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "Who we are", "vi": "Giới thiệu"},
    "paragraphs": [
        {"heading": {"en": "Our mission", "vi": "Sứ mệnh"}},
        {"sources": ["example-source"],
         "en": "Write each paragraph in every language of the publication, side by side, with *emphasis*, "
               "**strong** words, [a link](https://www.iom.int) and a name in another language: "
               "[Médecins Sans Frontières]{lang=fr}.",
         "vi": "Viết mỗi đoạn bằng mọi ngôn ngữ của ấn phẩm, đặt cạnh nhau, với *nhấn mạnh*, "
               "chữ **đậm**, [một liên kết](https://www.iom.int) và một tên bằng ngôn ngữ khác: "
               "[Médecins Sans Frontières]{lang=fr}."},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    heading = {"type": "object", "required": ["heading"], "additionalProperties": False,
               "properties": {"heading": s.text(codes, "a sub-heading", s.LINE, max_length=80)},
               "description": "a sub-heading: the paragraphs after it, up to the next one, are its part"}
    figure = {"type": "object", "required": ["figure"], "additionalProperties": False,
              "properties": {"figure": pictures.picture(codes, "a picture between the paragraphs: the fields "
                                                               "of the figure kind, without kind and title")},
              "description": "a figure between paragraphs"}
    paragraph = s.item(codes, "a paragraph: its text in each language, with optional provenance")
    return s.section(codes, kinds, required=("paragraphs",), paragraphs={
        "type": "array", "minItems": 1, "description": "the paragraphs, sub-headings and figures, in reading order",
        "items": {"if": {"type": "object", "required": ["heading"]}, "then": heading,
                  "else": {"if": {"type": "object", "required": ["figure"]}, "then": figure, "else": paragraph}}})


def _block(block: dict, formats: dict) -> dict:
    if "heading" in block:
        return {"heading": block["heading"]}
    if "figure" in block:
        return {"figure": pictures.context(block["figure"], formats)}
    return {"paragraph": item(block, list(formats))}


def context(data: dict, formats: dict) -> dict:
    return {"blocks": [_block(block, formats) for block in data["paragraphs"]]}
