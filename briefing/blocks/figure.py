"""A picture between the paragraphs: the fields of the figure kind, without kind and title."""
from __future__ import annotations

from .. import pictures

EXAMPLE = None  # the figure kind's example shows its fields


def schema(codes: list[str]) -> dict:
    return pictures.picture(codes, "a picture between the paragraphs: the fields of the figure kind, "
                                   "without kind and title")


def context(value: dict, formats: dict) -> dict:
    return pictures.context(value, formats)
