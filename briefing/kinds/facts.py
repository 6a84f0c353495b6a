"""The key-figure panel: numbers written plainly, formatted for each language."""
from __future__ import annotations

from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "Key facts", "vi": "Số liệu chính"},
    "facts": [
        {"value": 1951, "format": "year", "en": "founded", "vi": "năm thành lập"},
        {"value": 14000, "format": "number", "en": "people helped", "vi": "người được hỗ trợ"},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    number = {"type": "integer", "minimum": 0}
    fact = s.item(
        codes, "a figure and its label in each language", dict(s.LINE, maxLength=120),
        required=("value", "format"),
        value={"oneOf": [number, {"type": "array", "items": number, "minItems": 2}],
               "description": "a whole number, or a list of numbers shown as a sum (111 + 1)"},
        format={"enum": ["year", "number", "compact"],
                "description": "year: no digit grouping; number: 14,000 / 14.000; compact: 281 million"},
        plus={"type": "boolean", "description": "true shows 100+ (more than)"})
    return s.section(codes, kinds, required=("facts",), facts={
        "type": "array", "minItems": 1, "items": fact, "description": "the figures, in reading order"})


def _value(fact: dict, fmt) -> str:
    values = fact["value"] if isinstance(fact["value"], list) else [fact["value"]]
    render = {"year": fmt.year, "number": fmt.number, "compact": fmt.compact}[fact["format"]]
    shown = " + ".join(render(v) for v in values)
    return shown + "+" if fact.get("plus") else shown


def context(data: dict, formats: dict) -> dict:
    codes = list(formats)
    return {"facts": [item(f, codes, value={c: _value(f, formats[c]) for c in codes}) for f in data["facts"]]}
