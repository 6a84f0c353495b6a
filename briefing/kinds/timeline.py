"""Dated entries, oldest first, within the section's own range of years. An entry gives its year,
or its date (YYYY-MM-DD or YYYY-MM), which is printed in each language's own form."""
from __future__ import annotations

import datetime as dt

from .. import schema as s
from . import item

EXAMPLE = {
    "title": {"en": "Timeline", "vi": "Các mốc"},
    "range": [2020, 2024],
    "entries": [
        {"year": 2020, "en": "The office opens.", "vi": "Văn phòng được mở."},
        {"date": "2024-09-07", "en": "A second office opens, on \"Migrants' Day\".",
         "vi": "Văn phòng thứ hai được mở, vào \"Ngày Người di cư\"."},
    ],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    entry = s.item(codes, "an event: its year or date, and its text in each language",
                   year=s.described(s.YEAR, "the year of the event"),
                   date={"type": "string", "pattern": r"^\d{4}-\d{2}(-\d{2})?$",
                         "description": "instead of year: the day (YYYY-MM-DD) or month (YYYY-MM) of the event, "
                                        "printed 7 September 2024 / 7 tháng 9, 2024"})
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
        if ("year" in entry) == ("date" in entry):
            found.append((("entries", i), "needs its year or its date (one of the two)"))
            continue
        when = entry.get("date") or str(entry["year"])
        field = ("entries", i, "date" if "date" in entry else "year")
        try:
            _day(when)
        except ValueError:
            found.append((field, f"{when} is not a date (write YYYY-MM-DD or YYYY-MM)"))
            continue
        year, label = int(when[:4]), when if "date" in entry else f"year {when}"
        if first <= last and not first <= year <= last:
            found.append((field, f"{label} is outside the timeline's range {first}–{last}"))
        if previous is not None and when < previous[:len(when)]:
            found.append((field, f"{label} comes after {previous}; entries must be in chronological order"))
        previous = when
        for code, value in entry.items():
            if isinstance(value, str) and code not in ("sources", "ours", "date"):
                key = (code, " ".join(value.split()))
                if key in texts:
                    found.append((("entries", i, code), f"duplicates entry {texts[key]} ({code})"))
                texts.setdefault(key, i)
    return found


def _day(when: str) -> dt.date:
    """The first day a year, month or date stands for; ValueError if it is none."""
    return dt.date.fromisoformat(when + {4: "-01-01", 7: "-01"}.get(len(when), ""))


def _when(entry: dict, formats: dict) -> dict:
    """The entry's time as printed in each language, and as a machine reads it (<time datetime>)."""
    if "date" in entry:
        shown = {c: formats[c].date(entry["date"]) for c in formats}
        return {"when": shown, "datetime": entry["date"]}
    return {"when": {c: formats[c].year(entry["year"]) for c in formats}, "datetime": str(entry["year"])}


def context(data: dict, formats: dict) -> dict:
    codes = list(formats)
    first, last = data["range"]
    # Each entry's year too: an e-book shows one entry per year, under the year as a heading.
    entries = [item(e, codes, **_when(e, formats), year=_year(e, formats)) for e in data["entries"]]
    return {"span": {c: f"{formats[c].year(first)}–{formats[c].year(last)}" for c in codes}, "entries": entries}


def _year(entry: dict, formats: dict) -> dict:
    year = int(str(entry.get("date") or entry["year"])[:4])
    return {"value": year, "when": {c: formats[c].year(year) for c in formats}}
