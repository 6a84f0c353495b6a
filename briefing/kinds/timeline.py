"""Dated entries, oldest first, within the section's own range of years."""
from __future__ import annotations

from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "Timeline", "vi": "Các mốc"},
    "range": [2020, 2024],
    "entries": [
        {"year": 2020, "en": "The office opens.", "vi": "Văn phòng được mở."},
        {"year": 2024, "en": "A second office opens.", "vi": "Văn phòng thứ hai được mở."},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    entry = s.item(codes, "an event: its year and its text in each language", required=("year",),
                   year=s.described(s.YEAR, "the year of the event"))
    return s.section(codes, kinds, required=("range", "entries"),
                     range={"type": "array", "items": s.YEAR, "minItems": 2, "maxItems": 2,
                            "description": "[first, last]: the years the timeline covers, shown under its title"},
                     entries={"type": "array", "minItems": 1, "items": entry,
                              "description": "the events, oldest first; two may share a year"})


def check(data: dict) -> list[tuple[tuple, str]]:
    """Years in order and within the range; no entry twice."""
    found = []
    first, last = data["range"]
    if first > last:
        found.append((("range",), f"range starts after it ends ({first} > {last})"))
    previous, texts = None, {}
    for i, entry in enumerate(data["entries"]):
        year = entry["year"]
        if first <= last and not first <= year <= last:
            found.append((("entries", i, "year"), f"year {year} is outside the timeline's range {first}–{last}"))
        if previous is not None and year < previous:
            found.append((("entries", i, "year"),
                          f"year {year} comes after {previous}; entries must be in chronological order"))
        previous = year
        for code, value in entry.items():
            if isinstance(value, str) and code not in ("sources", "ours"):
                key = (code, " ".join(value.split()))
                if key in texts:
                    found.append((("entries", i, code), f"duplicates entry {texts[key]} ({code})"))
                texts.setdefault(key, i)
    return found


def context(data: dict, formats: dict) -> dict:
    codes = list(formats)
    first, last = data["range"]
    return {"span": {c: f"{formats[c].year(first)}–{formats[c].year(last)}" for c in codes},
            "entries": [item(e, codes, year=formats[codes[0]].year(e["year"])) for e in data["entries"]]}
