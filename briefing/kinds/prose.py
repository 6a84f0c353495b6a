"""A chapter of paragraphs, with sub-headings, figures, lists, tables and quotations between them
(the blocks of briefing/blocks)."""
from __future__ import annotations

from .. import schema as s
from ..blocks import BLOCKS, which
from . import item

EXAMPLE = {
    "title": {"en": "Who we are", "vi": "Giới thiệu"},
    "paragraphs": [
        {"heading": {"en": "Our mission", "vi": "Sứ mệnh"}},
        {"sources": ["example-source"],
         "en": "Write each paragraph in every language of the publication, side by side, with *emphasis*, "
               "**strong** words, [a link](https://www.iom.int), a name in another language: "
               "[Médecins Sans Frontières]{lang=fr}, and a note.[^example]",
         "vi": "Viết mỗi đoạn bằng mọi ngôn ngữ của ấn phẩm, đặt cạnh nhau, với *nhấn mạnh*, "
               "chữ **đậm**, [một liên kết](https://www.iom.int), một tên bằng ngôn ngữ khác: "
               "[Médecins Sans Frontières]{lang=fr}, và một ghi chú.[^example]"},
        *({name: module.EXAMPLE} for name, module in BLOCKS.items() if module.EXAMPLE and name != "heading"),
    ],
    "notes": {"example": {"en": "A footnote: it is printed at the foot of the page of its marker.",
                          "vi": "Một chú thích: được in ở chân trang có dấu chú thích."}},
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    items = s.item(codes, "a paragraph: its text in each language, with optional provenance")
    for name, block in reversed(BLOCKS.items()):  # each block is a mapping with its name as its one key
        then = {"type": "object", "required": [name], "additionalProperties": False,
                "properties": {name: block.schema(codes)}, "description": block.__doc__.split("\n")[0]}
        items = {"if": {"type": "object", "required": [name]}, "then": then, "else": items}
    return s.section(codes, kinds, required=("paragraphs",), paragraphs={
        "type": "array", "minItems": 1, "items": items,
        "description": f"the paragraphs and the blocks between them ({', '.join(BLOCKS)}), in reading order"})


def check(data: dict) -> list[tuple[tuple, str]]:
    found = []
    for i, entry in enumerate(data["paragraphs"]):
        name = which(entry)
        for path, message in getattr(BLOCKS[name], "check", lambda _: [])(entry[name]) if name else []:
            found.append((("paragraphs", i, name, *path), message))
    return found


def _block(entry: dict, formats: dict) -> dict:
    name = which(entry)
    if name is None:
        return {"type": "paragraph", "value": item(entry, list(formats))}
    return {"type": name, "value": BLOCKS[name].context(entry[name], formats)}


def context(data: dict, formats: dict) -> dict:
    return {"blocks": [_block(entry, formats) for entry in data["paragraphs"]]}
