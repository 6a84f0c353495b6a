"""What a layout must not do: set a table wider than the text block, where its last columns
would run off the page. Checked on every laid-out document, since only the layout knows how
wide a table's words make it; each such table is a content error at its place in the YAML."""
from __future__ import annotations

from pathlib import Path

from .errors import ContentError, Problem

EPSILON = 0.5  # CSS px: rounding in the layout
MM = 96 / 25.4  # CSS px per millimetre


def _boxes(box):
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def check_tables(document, content_dir: Path | None) -> None:
    """Raise a ContentError naming each table (file:line, caption) that is wider than its page's
    text block."""
    from weasyprint.formatting_structure.boxes import TableBox

    problems, seen = [], set()
    for page in document.pages:
        block = page._page_box
        right = block.content_box_x() + block.width
        for box in _boxes(block):
            where = box.element.get("data-where") if isinstance(box, TableBox) and box.element is not None else None
            if where is None or where in seen:
                continue
            over = box.border_box_x() + box.border_width() - right
            if over > EPSILON:
                seen.add(where)
                problems.append(_problem(content_dir, where, box.element, over / MM, block.width / MM))
    if problems:
        raise ContentError(problems)


def _problem(content_dir: Path | None, where: str, table, over: float, measure: float) -> Problem:
    from .content import locate

    file, _, path = where.partition("#")
    keys = tuple(int(k) if k.isdigit() else k for k in path.split("."))
    main = table.find("caption/span")  # the caption in the edition's first language
    caption = " ".join("".join(main.itertext()).split()) if main is not None else ""
    return locate(Path(content_dir or ".") / file, keys,
                  f"the table “{caption}” is {over:.0f} mm wider than the text block ({measure:.0f} mm), "
                  "so its last columns would run off the page: shorten its longest words or numbers, "
                  "or give it fewer columns")
