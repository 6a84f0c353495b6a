"""Section kinds: what a section file can be.

A kind is one module in this folder and one template, templates/sections/<kind>.html. The module's
name is the value of `kind:` in a section file, and its docstring is the kind's summary in the
content reference. It defines:
- schema(codes, kinds): the JSON Schema of a section file of this kind (built on schema.section);
- check(data): (path, message) for each broken rule that a schema cannot express (optional);
- context(data, formats): the plain data its template receives as `section`;
- EXAMPLE: a short section of this kind, for `build.py new` and the content reference.

To add a kind, add a module here and its template; nothing else changes.
"""
from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

def item(source: dict, codes: list[str], ours: list[str] = (), **extra) -> dict:
    """An aligned text as templates use it: its text per language, the languages we translated
    (an item's own `ours`, else the section's), and its sources."""
    return {"text": {c: source[c] for c in codes}, "ours": list(source.get("ours", ours)),
            "sources": list(source.get("sources", [])), **extra}


KINDS: dict[str, ModuleType] = {
    info.name: importlib.import_module(f"{__name__}.{info.name}")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name) if not info.name.startswith("_")
}
