"""A bulleted or numbered list, up to two levels, its items in every language."""
from __future__ import annotations

from .. import schema as s
from ..kinds import item

EXAMPLE = {"numbered": False, "items": [
    {"en": "Ministry of Foreign Affairs", "vi": "Bộ Ngoại giao"},
    {"en": "Ministry of Health", "vi": "Bộ Y tế",
     "items": [{"en": "its provincial departments", "vi": "các sở y tế tỉnh"}]},
]}
LONG = 5  # items: a longer list keeps each item in step on facing pages, not the list as a whole


def schema(codes: list[str]) -> dict:
    sub = s.item(codes, "an item of the second level", dict(s.PROSE, maxLength=2000))
    entry = s.item(codes, "an item: its text in each language", dict(s.PROSE, maxLength=2000),
                   items={"type": "array", "minItems": 1, "items": sub,
                          "description": "the item's own items, a second level (a list goes no deeper)"})
    return {"type": "object", "required": ["items"], "additionalProperties": False,
            "description": "a list: the same items in every language, in the same order",
            "properties": {"numbered": {"type": "boolean", "description": "true numbers the items (1. 2. 3.); "
                                                                           "by default they are bulleted"},
                           "items": {"type": "array", "minItems": 1, "maxItems": 100, "items": entry,
                                     "description": "the items, in order"},
                           **s.provenance()}}


def context(value: dict, formats: dict) -> dict:
    codes, ours = list(formats), value.get("ours", [])
    entries = [item(entry, codes, entry.get("ours", ours),
                    items=[item(sub, codes, sub.get("ours", entry.get("ours", ours))) for sub in entry.get("items", [])])
               for entry in value["items"]]
    return {"numbered": value.get("numbered", False), "items": entries, "long": len(entries) > LONG}
