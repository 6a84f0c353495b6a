"""The glyph gate: every character must exist in the fonts it will be set in.

A missing glyph would otherwise be drawn from a system font, or as a box, in a pack that goes out
under an organisation's name. Body text is set in Noto Serif and headings and labels in Noto Sans,
so a character must be in both.
"""
from __future__ import annotations

import functools
from pathlib import Path

FONTS = ("NotoSerif-Regular.ttf", "NotoSans-Regular.ttf")


@functools.lru_cache(maxsize=None)
def cmap(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont
    with TTFont(str(path), lazy=True) as font:
        return frozenset(font.getBestCmap())


def charset(fonts_dir: Path, cache_dir: Path | None = None) -> frozenset[int]:
    """Code points every font of the pack can draw. cache_dir: keep them there (reading the fonts'
    character maps is most of a build's checking time)."""
    def read() -> bytes:
        points = frozenset.intersection(*(cmap(fonts_dir / name) for name in FONTS))
        return " ".join(map(str, sorted(points))).encode("ascii")

    if cache_dir is None or not cache_dir.is_dir():  # a failing first build must leave no folder behind
        data = read()
    else:
        from .cache import cached, key
        name = key(files=tuple(fonts_dir / font for font in FONTS) + (Path(__file__),))
        data = cached(cache_dir / f"charset-{name}.txt", read, lambda d: d[:1].isdigit())
    return frozenset(map(int, data.split()))


def missing(text: str, available: frozenset[int]) -> list[str]:
    """Characters of `text` no font can draw, in order of first appearance (line breaks excepted)."""
    seen = []
    for ch in text:
        if ch != "\n" and ord(ch) not in available and ch not in seen:
            seen.append(ch)
    return seen


def describe(ch: str) -> str:
    import unicodedata
    return f"{ch!r} U+{ord(ch):04X} {unicodedata.name(ch, 'unnamed character')}"
