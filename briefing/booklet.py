"""Saddle-stitch booklet: A5 pages imposed 2-up on landscape A4 sheets, with pdfimpose."""
from __future__ import annotations

import io
from pathlib import Path

from . import flip
from .conformance import BOOKLET, booklet_metadata
from .errors import OutputError, Problem


def impose(writer, document, target: Path, identifier: str, shown_as: str | None = None,
           turn_at: int | None = None) -> int:
    """Impose a laid-out A5 document for duplex printing into `target` (the caller makes the write
    atomic); returns the number of sheets. shown_as: the file named in problems, when `target` is
    a temporary file. turn_at: a flip book's second half, which is turned first (flip.turn).

    pdfimpose orders the pages for folding and pads the count to a multiple of 4 with blanks,
    inserted before the back cover so that it stays the outside of the last sheet. A flip book is
    padded where its halves meet instead, so that both covers are outsides.
    """
    import pdfimpose.schema.saddle as saddle
    import pikepdf

    # The source is written plain: imposition keeps pages, not the structure tree.
    source = io.BytesIO()
    writer.write_to(document, source, identifier, BOOKLET, "booklet")
    source.seek(0)
    if turn_at is not None:
        source = flip.turned_bytes(source.getvalue(), turn_at, 4)
    imposed = io.BytesIO()
    try:
        saddle.impose([source], imposed, folds="h", last=1)  # the back cover stays outside
    except Exception as exc:  # pdfimpose raises plain exceptions for impossible layouts
        raise OutputError([Problem(shown_as or str(target), None, None, "pdfimpose", str(exc))]) from None
    imposed.seek(0)
    with pikepdf.open(imposed) as pdf:
        # PyMuPDF stamps the current time and a random /ID: replace its metadata with the
        # document's own and derive the /ID from the content, so two builds stay byte-identical.
        if "/Metadata" in pdf.Root:
            del pdf.Root.Metadata
        for key in list(pdf.docinfo.keys()):
            del pdf.docinfo[key]
        if "/ID" in pdf.trailer:  # qpdf would keep its random first half
            del pdf.trailer.ID
        booklet_metadata(pdf, document.metadata, identifier)
        pdf.save(target, deterministic_id=True)
        return len(pdf.pages) // 2  # each sheet is printed on both sides
