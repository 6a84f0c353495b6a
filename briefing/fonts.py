"""Font subsetting for the EPUB, with fontTools: only the glyphs the book uses."""
from __future__ import annotations

import io
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont


def subset_woff2(path: Path, text: str) -> bytes:
    """The font at `path`, cut down to the characters of `text`, as WOFF2."""
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["*"]      # keep mark positioning: Vietnamese stacks diacritics
    options.name_IDs = ["*"]             # keep the copyright and licence records (OFL requires them)
    options.notdef_outline = True
    # recalcTimestamp=False: the subset keeps the source's date, so builds stay byte-identical.
    font = TTFont(str(path), recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    buf = io.BytesIO()
    font.flavor = "woff2"
    font.save(buf)
    return buf.getvalue()
