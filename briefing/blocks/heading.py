"""A sub-heading: the paragraphs after it, up to the next one, are its part."""
from __future__ import annotations

from .. import schema as s

EXAMPLE = {"en": "Our mission", "vi": "Sứ mệnh"}


def schema(codes: list[str]) -> dict:
    return s.text(codes, "a sub-heading: the paragraphs after it, up to the next one, are its part", s.LINE,
                  max_length=80)


def context(value: dict, formats: dict) -> dict:
    return value
