"""The EPUB cover image, drawn from the print cover so the two never drift apart."""
from __future__ import annotations

import io
from pathlib import Path

LONG_SIDE_PX = 1800  # reading systems want at least 1600 px on the long side


def cover_png(writer, html: str, html_path: Path) -> bytes:
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
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return buf.getvalue()
