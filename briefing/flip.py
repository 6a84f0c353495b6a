"""The tête-bêche flip book: the second half turned upside down and in reverse page order.

The whole book is one HTML laid out once (templates/flip.html), so both halves share one structure
tree, outline and font set. Turning and reordering only rewrites the page tree's list of page
objects and their /Rotate: the structure tree, the outline and the links keep pointing at the
same page objects, so the PDF stays tagged and valid.
"""
from __future__ import annotations

import io

HALF_ANCHOR = "half"  # the id the second half starts with, after its id prefix (flip.html)


def second_half(document, prefix: str) -> int:
    """The index of the page the second half starts on, in a laid-out flip book."""
    for index, page in enumerate(document.pages):
        if f"{prefix}{HALF_ANCHOR}" in page.anchors:
            return index
    raise ValueError("no second half in this flip book")


def turn(source, target, start: int, multiple: int = 2) -> tuple[int, int]:
    """Write `source` (a PDF path or file) to `target` with the pages from `start` on turned 180°
    and in reverse order, and blank pages that make the count a multiple of `multiple` (2 for
    duplex printing, 4 for a saddle-stitched booklet) before the first half's last page: the halves
    meet in the middle, their last pages face to face. Returns the page counts of the two halves."""
    import pikepdf

    with pikepdf.open(source) as pdf:
        tree = pdf.Root.Pages
        kids = list(tree.Kids)
        if any(kid.get("/Type") != "/Page" for kid in kids):
            raise ValueError("expected a flat page tree, as WeasyPrint writes")
        first, second = kids[:start], kids[start:]
        blanks = [_blank(pdf, second[-1]) for _ in range(-len(kids) % multiple)]
        for page in second:
            page.Rotate = (int(page.get("/Rotate", 0)) + 180) % 360
        # The blanks go before the first half's last page, so that the two last pages face each other.
        tree.Kids = pikepdf.Array(first[:-1] + blanks + first[-1:] + second[::-1])
        tree.Count = len(tree.Kids)
        pdf.save(target, deterministic_id=True)
    return len(first), len(second)


def _blank(pdf, like):
    """An empty page of the same size (and trim and bleed boxes) as `like`."""
    import pikepdf

    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Parent=like.Parent, Resources=pikepdf.Dictionary())
    for box in ("/MediaBox", "/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if box in like:
            page[box] = like[box]
    return pdf.make_indirect(page)


def turned_bytes(source: bytes, start: int, multiple: int) -> io.BytesIO:
    """turn() in memory, for the booklet's imposition."""
    out = io.BytesIO()
    turn(io.BytesIO(source), out, start, multiple)
    out.seek(0)
    return out


def position(index: int, start: int, count: int, multiple: int) -> int:
    """Where turn() puts page `index` (0-based) of a document of `count` pages whose second half
    starts at `start`."""
    if index < start - 1:
        return index
    if index == start - 1:  # the first half's last page, after the blanks
        return index + (-count % multiple)
    return count + (-count % multiple) - 1 - (index - start)
