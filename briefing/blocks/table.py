"""A table: a caption, a header row, optionally a header column, and rows of cells. A cell is a
text in each language, or a number, formatted for each language (14,000 / 14.000) and set once."""
from __future__ import annotations

from .. import schema as s
from ..i18n import exact

EXAMPLE = {
    "caption": {"en": "Funding by agency, 2024", "vi": "Kinh phí theo cơ quan, năm 2024"},
    "columns": [{"en": "Agency", "vi": "Cơ quan"},
                {"en": "Funding (USD)", "vi": "Kinh phí (USD)"}],
    "header_column": True,
    "rows": [[{"en": "IOM", "vi": "IOM"}, 14000],
             [{"en": "UNICEF", "vi": "UNICEF"}, 3600.5]],
}
MAX_COLUMNS = 6   # the most that fit across an A5 text block (120 mm) at a readable size
NARROW = (2, 30)  # columns and characters per text: a table that fits in a column of parallel text
ALIGN = ("left", "center", "right")


def schema(codes: list[str]) -> dict:
    number = {"type": "number", "minimum": -10 ** 15, "maximum": 10 ** 15}
    cell = {"oneOf": [s.text(codes, "a text cell", dict(s.PROSE, maxLength=500)), number],
            "description": "a text in each language, or a number (14000, 3.6)"}
    column = s.item(codes, "a column: its heading in each language, in the header row", dict(s.LINE, maxLength=120),
                    cited=False, align={"enum": list(ALIGN), "description": "how its cells are aligned; by default text "
                                                               "to the left, numbers to the right"},
                    format={"enum": ["number", "year"], "description": "how its numbers are written: number "
                                                                       "(14,000 / 14.000, the default) or year (2015)"})
    return {"type": "object", "required": ["caption", "columns", "rows"], "additionalProperties": False,
            "description": "a table",
            "properties": {"caption": s.text(codes, "what the table shows, above it", s.LINE, max_length=300),
                           "columns": {"type": "array", "minItems": 1, "items": column,
                                       "description": f"the header row, one per column (at most {MAX_COLUMNS})"},
                           "header_column": {"type": "boolean",
                                             "description": "true: the first cell of each row heads its row"},
                           "rows": {"type": "array", "minItems": 1, "maxItems": 500,
                                    "items": {"type": "array", "minItems": 1, "items": cell},
                                    "description": "the rows, each a list of cells, one per column"},
                           **s.provenance()}}


def check(value: dict) -> list[tuple[tuple, str]]:
    found = []
    width = len(value["columns"])
    if width > MAX_COLUMNS:
        found.append((("columns",), f"has {width} columns; a table has at most {MAX_COLUMNS}, so that every "
                                    "column is readable on an A5 page: split it, or turn it"))
    for i, row in enumerate(value["rows"]):
        if len(row) != width:
            found.append((("rows", i), f"has {len(row)} cell(s) where the table has {width} columns"))
    return found


def _number(value, fmt, form: str) -> str:
    written = exact(value)
    return fmt.year(int(written)) if form == "year" and written == int(written) else fmt.number(written)


def context(value: dict, formats: dict) -> dict:
    codes = list(formats)
    columns = [{"text": {c: col[c] for c in codes}, "align": col.get("align"), "format": col.get("format", "number")}
               for col in value["columns"]]
    rows = []
    for row in value["rows"]:
        cells = []
        for col, cell in zip(columns, row):
            if isinstance(cell, dict):
                cells.append({"text": {c: cell[c] for c in codes}, "align": col["align"] or "left"})
            else:
                cells.append({"number": {c: _number(cell, formats[c], col["format"]) for c in codes},
                              "align": col["align"] or "right"})
        rows.append(cells)
    for i, col in enumerate(columns):  # a heading stands over its cells
        col["align"] = col["align"] or ("right" if all("number" in row[i] for row in rows) else "left")
    texts = [col["text"] for col in columns] + [cell["text"] for row in rows for cell in row if "text" in cell]
    narrow = len(columns) <= NARROW[0] and all(len(t[c]) <= NARROW[1] for t in texts for c in codes)
    return {"caption": value["caption"], "columns": columns, "rows": rows, "narrow": narrow,
            "header_column": value.get("header_column", False),
            "ours": list(value.get("ours", [])), "sources": list(value.get("sources", []))}
