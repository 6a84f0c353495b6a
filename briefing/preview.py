"""PNG thumbnails of every PDF page and one contact sheet per PDF, so anyone can see a build."""
from __future__ import annotations

import io
from pathlib import Path

from .outputs import atomic_path

THUMB_PX = 360      # long side of a page thumbnail, on the contact sheet
PAGE_PX = 1100      # height of each page's own PNG: large enough to proofread the text
SHEET_COLUMNS = 6


def _png(image, optimize: bool = True) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=optimize)
    return buf.getvalue()


def preview(pdf_path: Path, folder: Path, spreads: bool = False) -> int:
    """Write folder/<pdf stem>/page-NN.png and folder/<pdf stem>-sheet.png; returns the page count.
    spreads: show the pages as a reader sees the book open: the first page alone on the right,
    then each left-hand page beside its right-hand one."""
    import pypdfium2 as pdfium
    from PIL import Image

    pages_dir = folder / pdf_path.stem
    pages_dir.mkdir(parents=True, exist_ok=True)
    for old in pages_dir.glob("page-*.png"):
        old.unlink()
    pdf = pdfium.PdfDocument(str(pdf_path))
    thumbs = []
    try:
        for number, page in enumerate(pdf, 1):
            width, height = page.get_size()
            image = page.render(scale=PAGE_PX / height).to_pil().convert("RGB")
            with atomic_path(pages_dir / f"page-{number:02d}.png") as tmp:
                tmp.write_bytes(_png(image, optimize=False))
            scale = THUMB_PX / max(width, height)
            thumbs.append(image.resize((round(width * scale), round(height * scale)), Image.Resampling.LANCZOS))
    finally:
        pdf.close()
    page_w, page_h = max(t.width for t in thumbs), max(t.height for t in thumbs)
    if spreads:
        slots = [None, *thumbs]
        cells = [slots[i:i + 2] for i in range(0, len(slots), 2)]
        columns = SHEET_COLUMNS // 2
    else:
        cells, columns = [[t] for t in thumbs], SHEET_COLUMNS
    cell_w, cell_h = page_w * len(cells[0]) + 12, page_h + 12
    rows = -(-len(cells) // columns)
    sheet = Image.new("RGB", (cell_w * min(len(cells), columns), cell_h * rows), (128, 128, 128))
    for i, cell in enumerate(cells):
        for j, thumb in enumerate(cell):
            if thumb is not None:
                sheet.paste(thumb, ((i % columns) * cell_w + 6 + j * page_w, (i // columns) * cell_h + 6))
    with atomic_path(folder / f"{pdf_path.stem}-sheet.png") as tmp:
        tmp.write_bytes(_png(sheet))
    return len(thumbs)
