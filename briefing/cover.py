"""The EPUB cover image, drawn from the print cover so the two never drift apart.

Drawing it takes WeasyPrint (imported, fonts loaded, a page laid out) and PDFium: about a second in
an EPUB-only run. The image depends only on the cover's HTML, the print stylesheets, the fonts and
the drawing libraries, so it is cached under a hash of them: an edit to the text or to epub.css
rebuilds the EPUBs without WeasyPrint.
"""
from __future__ import annotations

import io
from pathlib import Path

from .cache import cached, key

LONG_SIDE_PX = 1800  # reading systems want at least 1600 px on the long side
PALETTE_MAX_ERROR = 0.5  # mean difference per channel (of 255) up to which the palette is used
STYLES = Path(__file__).resolve().parent.parent / "styles"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def cover_png(html: str, html_path: Path, cache_dir: Path, writer, pictures: tuple[Path, ...] = ()) -> bytes:
    """The cover page of `html` as PNG, from cache_dir or drawn with writer() (a PdfWriter).
    pictures: the image files the cover may show (its cover image and logo)."""
    # This module is an input too: a change to how the cover is drawn must not hit an old entry.
    inputs = (Path(__file__), STYLES / "base.css", STYLES / "print.css", *sorted((STYLES / "fonts").iterdir()),
              *pictures)
    name = key(html, str(LONG_SIDE_PX), files=inputs, packages=("weasyprint", "pypdfium2", "pillow"))
    return cached(cache_dir / f"cover-{name}.png", lambda: _draw(writer(), html, html_path),
                  lambda data: data.startswith(PNG_SIGNATURE))


def _draw(writer, html: str, html_path: Path) -> bytes:
    """Lay out the cover-only document with WeasyPrint, then rasterise its page with PDFium."""
    import pypdfium2 as pdfium

    document = writer.layout(html, html_path)
    pdf = pdfium.PdfDocument(document.write_pdf())
    try:
        page = pdf[0]
        width, height = page.get_size()
        image = page.render(scale=LONG_SIDE_PX / max(width, height)).to_pil().convert("RGB")
    finally:
        pdf.close()
    return _png(image)


def _png(image) -> bytes:
    """The cover as PNG: with a palette of 256 colours where that changes no pixel visibly (a
    designed cover: flat colours, text, lines; half the bytes), else in full colour (a photo)."""
    from PIL import Image, ImageChops, ImageStat
    palette = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    error = max(ImageStat.Stat(ImageChops.difference(image, palette.convert("RGB"))).mean)
    buf = io.BytesIO()
    (palette if error < PALETTE_MAX_ERROR else image).save(buf, format="PNG", optimize=True)
    return buf.getvalue()
