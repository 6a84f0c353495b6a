"""The blocks of a prose section: what stands between its paragraphs.

A block is one module in this folder and one template, templates/blocks/<block>.html, the way a
section kind is (briefing/kinds). A prose item is the block whose name is its one key
(`list: …`, `table: …`); an item with none of these keys is a paragraph. A module defines:
- schema(codes): the JSON Schema of the block's value;
- check(value): (path inside the value, message) for each rule a schema cannot express (optional);
- context(value, formats): the plain data its template receives as `block.value`;
- EXAMPLE: a short block, for `build.py new` and the content reference.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

BLOCKS: dict[str, ModuleType] = {
    info.name: importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name) if not info.name.startswith("_")
}


def which(item: dict) -> str | None:
    """The block a prose item is, or None for a paragraph."""
    return next((name for name in BLOCKS if name in item), None)
