"""`make translation-export`: a publication's texts for a translator, as XLIFF 1.2 and as PO,
written with translate-toolkit.

One unit per text whose original is in another language than the target: its id (file:field),
its context (where it is, the section, the passage before it), its original as the source and
the current translation (or one found in the translation memory, or nothing) as the target, with
its state: translated, needs-review-translation (stale, or from the memory) or new. The interface
labels not yet translated into the target language are units too (interface:<msgid>)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from translate.storage import pypo, xliff
from translate.storage.placeables import StringElem

from . import inline
from .texts import CURRENT, NEW, REVIEW, STALE, UNRECORDED, Text

XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="NoName" source-language="en"
datatype="plaintext"><body/></file></xliff>"""
INTERFACE = "interface"   # the unit ids of the interface labels: interface:<msgid>
TRANSLATED, REVIEW_STATE, NEW_STATE = "translated", "needs-review-translation", "new"


@dataclass
class Unit:
    id: str
    source_lang: str
    source: str          # Markdown, as written
    target: str          # Markdown, or ""
    state: str           # TRANSLATED, REVIEW_STATE or NEW_STATE
    file: str            # where the text is: the YAML file, or the catalog
    line: int | None
    context: list[str]   # lines for the translator: field, section, the passage before, why it needs review
    text: Text | None = None


def units(pub, to: str, memory: dict, catalog_missing: list[str], catalog_path: str) -> list[Unit]:
    """The units of a publication for target language `to`, in reading order."""
    from ..content import MANIFEST
    found = []
    for text in pub.texts:
        if text.original == to:
            continue
        state = text.translations[to]
        current = text.values.get(to, "")
        hit = memory.get((text.original, text.digest(), to))
        why = []
        if state in (CURRENT, UNRECORDED):
            target, status = current, TRANSLATED
        elif hit and hit[0] != current:
            target, status = hit[0], REVIEW_STATE
            why.append(f"filled in from the translation memory ({hit[1]}): check it")
        elif state in (STALE, REVIEW):
            target, status = current, REVIEW_STATE
            why.append("the original has changed since this translation was made: update it" if state == STALE
                       else "imported for review: check it")
        else:
            target, status = "", NEW_STATE
        where = f"{text.file}, {text.field}" + (f", in “{text.title}”" if text.title and text.file != MANIFEST else "")
        context = [f"{where} (original: {text.original})"]
        if text.previous:
            context.append(f"before it: {_short(text.previous)}")
        found.append(Unit(text.id, text.original, text.source, target, status, text.file,
                          _line(pub, text), context + why, text))
    for msgid in catalog_missing:
        found.append(Unit(f"{INTERFACE}:{msgid}", "en", msgid, "", NEW_STATE, catalog_path, None,
                          [f"an interface label the publication prints ({catalog_path})"]))
    return found


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _line(pub, text: Text) -> int | None:
    from ..content import locate
    return locate(pub.root / text.file, text.path + (text.original,), "").line


def write_xliff(found: list[Unit], name: str, to: str, empty_source: str = "en") -> bytes:
    """XLIFF 1.2: one <file> per source language (a publication's originals may be in several),
    and one for the interface labels; each named <publication>/<language or "interface">."""
    store = xliff.xlifffile.parsestring(XLIFF_12.encode())
    store.settargetlanguage(to)
    files: dict[str, list[Unit]] = {}
    for unit in found:
        label = INTERFACE if unit.id.startswith(f"{INTERFACE}:") else unit.source_lang
        files.setdefault(f"{name}/{label}", []).append(unit)
    if not files:  # every text is written in `to`: a file with no unit, named for the publication
        files[f"{name}/{empty_source}"] = []
    for label, members in files.items():
        store.switchfile(label, createifmissing=True)
        node = store.getfilenode(label)
        node.set("source-language", members[0].source_lang if members else empty_source)  # not the skeleton's
        node.set("target-language", to)
        for unit in members:
            _xliff_unit(store, unit, to)
    from lxml import etree
    etree.cleanup_namespaces(store.document.getroot())  # units are made in translate-toolkit's 1.1 namespace first
    return bytes(store)


def _xliff_unit(store, unit: Unit, to: str) -> None:
    xunit = store.UnitClass("")
    xunit.setid(unit.id)
    if unit.id.startswith(f"{INTERFACE}:"):
        source, by_id = StringElem([unit.source]), {}
    else:
        source, by_id = inline.source_rich(unit.source)
    xunit.rich_source = [source]
    store.addunit(xunit)
    if unit.target:
        target = inline.target_rich(unit.target, by_id, to) if by_id or not unit.id.startswith(INTERFACE) \
            else StringElem([unit.target])
        xunit.set_rich_target([target], to)
    else:
        xunit.settarget("", to)
    node = xunit.getlanguageNode(lang=None, index=1)
    if node is None:  # an empty target: translate-toolkit adds none; the translator fills it
        node = xunit.xmlelement.makeelement(xunit.namespaced("target"))
        xunit.xmlelement.append(node)
    node.set("state", unit.state)
    if unit.state == TRANSLATED:
        xunit.xmlelement.set("approved", "yes")
    for line in unit.context:
        xunit.addnote(line, origin="briefing")
    group = [("sourcefile", unit.file)] + ([("linenumber", str(unit.line))] if unit.line else [])
    xunit.createcontextgroup("location", group, purpose="location")
    for node in xunit.xmlelement.iterchildren(xunit.namespaced("context-group")):
        del node.attrib["name"]  # optional, and unique in a whole <file> (the schema's key)


def write_po(found: list[Unit], name: str, to: str, date: str) -> bytes:
    """PO: the Markdown as written; the unit id is the msgctxt; needs-review is fuzzy."""
    store = pypo.pofile()
    stamp = f"{date} 00:00+0000"
    store.updateheader(add=True, Project_Id_Version=name, POT_Creation_Date=stamp, PO_Revision_Date=stamp,
                       Language=to, X_Publication=name, Plural_Forms=None)
    for unit in found:
        po = store.UnitClass(unit.source)
        po.setcontext(unit.id)
        po.target = unit.target
        po.addnote(f"original: {unit.source_lang}", origin="developer")
        for line in unit.context:
            po.addnote(line, origin="developer")
        po.addlocation(f"{unit.file}:{unit.line}" if unit.line else unit.file)
        if unit.state == REVIEW_STATE:
            po.markfuzzy(True)
        store.addunit(po)
    return bytes(store)


def export(root: Path, to: str, out_dir: Path, locale_dir: Path, content_root: Path) -> tuple[list[Path], dict]:
    """Write <out>/translation/<folder>.<to>.xlf and .po; the paths, and the units counted by state."""
    from ..content import load
    from ..errors import Problem, UsageError
    from ..i18n import SOURCE_LANG, Catalogs
    from ..outputs import Stage
    from .memory import index
    pub = load(root, strict=False)
    if to not in pub.languages:
        raise UsageError([Problem("TO", None, None, "", f"{to!r} is not a language of {root.name} "
                                  f"({', '.join(pub.languages)}): add it first with "
                                  f"`make language PUB={root.name} ADD={to}`")])
    catalogs = Catalogs(locale_dir, [to])
    status = catalogs.status[to]
    missing = [] if to == SOURCE_LANG else status.missing + status.fuzzy
    memory = index(content_root, {Path(root).resolve(): pub})
    found = units(pub, to, memory, missing, str(Path(status.path).relative_to(Path(locale_dir).parent))
                  if Path(status.path).is_relative_to(Path(locale_dir).parent) else status.path)
    date = str(pub.manifest.get("date", dt.date(1970, 1, 1)))
    base = Path(out_dir) / "translation" / f"{Path(root).name}.{to}"
    stage = Stage()
    try:
        other = next((code for code in pub.languages if code != to), to)
        stage.path(base.with_suffix(base.suffix + ".xlf")).write_bytes(write_xliff(found, pub.name, to, other))
        stage.path(base.with_suffix(base.suffix + ".po")).write_bytes(write_po(found, pub.name, to, date))
        written = stage.commit()
    finally:
        stage.discard()
    counts = {state: sum(u.state == state for u in found) for state in (TRANSLATED, REVIEW_STATE, NEW_STATE)}
    return written, counts


__all__ = ["export", "units", "write_xliff", "write_po", "Unit", "INTERFACE", "NEW"]
