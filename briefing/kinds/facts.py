"""The key-figure panel: numbers written plainly, formatted for each language. A number is
printed as it is written, never rounded: 3600000 in compact form is 3.6 million."""
from __future__ import annotations

from decimal import Decimal

from .. import schema as s
from ..i18n import exact
from . import item

EXAMPLE = {
    "title": {"en": "Key facts", "vi": "Số liệu chính"},
    "facts": [
        {"value": 1951, "format": "year", "en": "founded", "vi": "năm thành lập"},
        {"value": 14000, "format": "number", "en": "people helped", "vi": "người được hỗ trợ"},
        {"value": 3.6, "scale": "million", "format": "compact",
         "en": "people reached", "vi": "người được tiếp cận"},
        {"value": 250, "format": "number", "en": "m^2^ of office space", "vi": "m^2^ diện tích văn phòng"},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    number = {"type": "number", "minimum": 0, "maximum": 10 ** 15}
    fact = s.item(
        codes, "a figure and its label in each language", dict(s.LINE, maxLength=120),
        required=("value", "format"),
        value={"oneOf": [number, {"type": "array", "items": number, "minItems": 2}],
               "description": "a number (14000, or a decimal: 3.6), or a list of numbers shown as a sum (111 + 1)"},
        scale={"enum": list(SCALES), "description": "the value counts in these: value 3.6, scale million is 3600000"},
        format={"enum": ["year", "number", "compact"],
                "description": "year: no digit grouping; number: 14,000 / 14.000; compact: 281 million, "
                               "3.6 million (every digit of the value is shown, never rounded)"},
        plus={"type": "boolean", "description": "true shows 100+ (more than)"})
    return s.section(codes, kinds, required=("facts",), facts={
        "type": "array", "minItems": 1, "items": fact, "description": "the figures, in reading order"})


SCALES = {"thousand": 10 ** 3, "million": 10 ** 6, "billion": 10 ** 9}


def check(data: dict) -> list[tuple[tuple, str]]:
    """A year is a whole number, written without a scale."""
    found = []
    for i, fact in enumerate(data["facts"]):
        if fact["format"] == "year" and (fact.get("scale") or any(v != int(v) for v in values(fact))):
            found.append((("facts", i, "value"), "a year is a whole number, without a scale"))
    return found


def values(fact: dict) -> list[Decimal]:
    """The fact's numbers, exactly as written (a YAML decimal is read from its text, not as a float)."""
    written = fact["value"] if isinstance(fact["value"], list) else [fact["value"]]
    scale = SCALES.get(fact.get("scale"), 1)
    return [(exact(v) * scale).normalize() if isinstance(v, float) else exact(v) * scale for v in written]


def _value(fact: dict, fmt) -> str:
    numbers = [int(v) if v == int(v) else v for v in values(fact)]
    render = {"year": fmt.year, "number": fmt.number, "compact": fmt.compact}[fact["format"]]
    shown = " + ".join(render(v) for v in numbers)
    return shown + "+" if fact.get("plus") else shown


def context(data: dict, formats: dict) -> dict:
    codes = list(formats)
    return {"facts": [item(f, codes, value={c: _value(f, formats[c]) for c in codes}) for f in data["facts"]]}
