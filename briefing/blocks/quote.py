"""A quotation set apart, with who said it: their name and role. A pull quote is set large, as a
highlight of the page; it is not a repetition of the text, so it is read once."""
from __future__ import annotations

from .. import schema as s
from ..kinds import item

EXAMPLE = {"en": "Migration is a reality that touches every country.",
           "vi": "Di cư là một thực tế chạm đến mọi quốc gia.",
           "by": "A. Speaker", "role": {"en": "Minister", "vi": "Bộ trưởng"}, "pull": True}


def schema(codes: list[str]) -> dict:
    return s.item(codes, "a quotation: its text in each language, and who said it",
                  dict(s.PROSE, maxLength=3000),
                  by=s.described(dict(s.LINE, maxLength=120), "who said it: their name, as written in every language"),
                  role=s.text(codes, "their role, when they said it", s.LINE, max_length=200),
                  pull={"type": "boolean", "description": "true sets the quotation large, as a pull quote"})


def check(value: dict) -> list[tuple[tuple, str]]:
    if "role" in value and "by" not in value:
        return [(("role",), "is the role of who said it: add `by`, their name")]
    return []


def context(value: dict, formats: dict) -> dict:
    return item(value, list(formats), by=value.get("by"), role=value.get("role"), pull=value.get("pull", False))
