"""What the multilingual layouts cost: pages, blank text block and build time of each.

Usage: layouts.py OUT_DIR  (prints JSON). OUT_DIR holds the briefing's built PDFs.

Blank share: on every page between the contents and the sources, the part of the text block below
the lowest ink, measured on the rendered page (pypdfium2), so that the columns edition and the
facing one are measured the same way. Running heads and folios sit outside the text block.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

NAME = "iom-viet-nam-briefing"
# The text block of an A4 page of print.css: 22 mm from the top, 24 mm from the bottom.
TOP_MM, BOTTOM_MM, PAGE_MM = 22, 24, 297


def blank_share(pdf_path: Path, first_body: int, last_body: int) -> float:
    """Mean share of the text block left empty below the content, pages first_body..last_body (0-based)."""
    import pypdfium2 as pdfium
    pdf = pdfium.PdfDocument(str(pdf_path))
    shares = []
    try:
        for index in range(first_body, last_body + 1):
            image = pdf[index].render(scale=1).to_pil().convert("L")
            width, height = image.size
            top, bottom = round(height * TOP_MM / PAGE_MM), round(height * (PAGE_MM - BOTTOM_MM) / PAGE_MM)
            block = image.crop((0, top, width, bottom)).point(lambda v: 255 if v < 200 else 0)
            box = block.getbbox()
            lowest = box[3] if box else 0
            shares.append(1 - lowest / (bottom - top))
    finally:
        pdf.close()
    return sum(shares) / len(shares)


def body_pages(pdf_path: Path) -> tuple[int, int]:
    """The pages after the contents and before the sources (0-based, inclusive)."""
    from pypdf import PdfReader
    texts = [page.extract_text() or "" for page in PdfReader(pdf_path).pages]
    contents = next(i for i, t in enumerate(texts) if "Mục lục" in t)
    sources = next(i for i, t in enumerate(texts) if i > contents and "Nguồn tư liệu" in t)
    return contents + 1, sources - 1


def main(out: Path) -> dict:
    from pypdf import PdfReader
    res = {}
    for layout, filename in (("columns", f"{NAME}.pdf"), ("facing", f"{NAME}-facing.pdf"), ("flip", f"{NAME}-flip.pdf")):
        path = out / filename
        entry = {"pages": len(PdfReader(path).pages)}
        if layout != "flip":  # the flip book holds each language once, like the single-language editions
            first, last = body_pages(path)
            entry.update(body_pages=last - first + 1, blank_share=blank_share(path, first, last))
        res[layout] = entry
    return res


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1])), indent=2))
