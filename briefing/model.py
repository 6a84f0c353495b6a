"""The model: one publication with its sections, built once per run, formatted for every language.

Texts stay as {lang: text} mappings so that one template serves the multilingual edition (every
language side by side) and the single-language ones. The PDF and EPUB steps only pick an edition
and a medium from it (page_context); nothing here is computed again per edition.
"""
from __future__ import annotations

import datetime as dt
import os
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import brand as brand_mod
from . import pictures as pictures_mod
from .chart import FIGSIZE
from .content import Publication, nodes
from .errors import ContentError
from .i18n import Formatter
from .kinds import KINDS, item
from .richtext import Rich, walk
from .schema import LAYOUTS


# The print layouts of a multilingual edition (schema.LAYOUTS): two aligned columns; facing pages
# in step (one language on the versos, the other on the rectos); a tête-bêche flip book (one
# language from each cover). A reflowable EPUB has no pages: every EPUB stacks its passages.


@dataclass(frozen=True)
class Edition:
    key: str                 # "" for the main multilingual edition, a layout for the others, else the language code
    langs: tuple[str, ...]   # in reading order
    layout: str = "columns"

    @property
    def lang(self) -> str:
        return self.langs[0]

    @property
    def multilingual(self) -> bool:
        return len(self.langs) > 1

    @property
    def print_only(self) -> bool:
        """The other layouts of the multilingual edition exist only on paper."""
        return self.key in LAYOUTS

    def identifier(self, publication: str) -> str:
        """Each edition is its own book (for reading systems, shops and libraries), with its own
        identifier, stable across builds: the publication's for the multilingual edition."""
        if not self.key:
            return publication
        return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'{publication}#{self.key}')}"

    def filename(self, name: str, ext: str, variant: str = "") -> str:
        """<name>[-key][-variant].ext: iom.pdf, iom-vi.pdf, iom-facing.pdf, iom-facing-print.pdf."""
        return "-".join(part for part in (name, self.key, variant) if part) + f".{ext}"


@dataclass(frozen=True)
class Model:
    name: str
    format: str
    identifier: str
    languages: tuple[str, ...]
    editions: tuple[Edition, ...]
    meta: dict
    sections: list[dict]
    sources: list[dict]
    pictures: dict           # id -> the picture's context, as in the sections and meta
    images: dict             # name as written -> pictures.ImageFile
    stamp: dt.datetime
    draft: bool = False      # a translation is missing and was filled in: the outputs say DRAFT
    brand: object = None     # brand.Brand: colours, families, fonts and logo
    paper: str = "a4"        # the manifest's paper (schema.PAPERS); a build may ask for another

    @property
    def layout_editions(self) -> tuple[Edition, ...]:
        """The editions that have a press PDF and a booklet: the multilingual one in each of its
        layouts, or the only edition of a single-language publication."""
        return tuple(ed for ed in self.editions if ed.multilingual) or self.editions[:1]

    def variant(self, edition: Edition, variant: str) -> str:
        """The press PDF or booklet of a layout edition: <name>-print.pdf for the main one,
        <name>-facing-print.pdf for another layout."""
        return edition.filename(self.name, "pdf", variant) if edition.print_only else f"{self.name}-{variant}.pdf"


def editions(codes: list[str], layouts: list[str] = ("columns",), pair: list[str] | None = None) -> tuple[Edition, ...]:
    """The multilingual edition in each of its layouts (when there are several languages; the
    first layout is the main edition), then one per language. Columns show every language; facing
    pages and the flip book show two, `pair` (by default the first two)."""
    codes = tuple(codes)
    if len(codes) < 2:
        return tuple(Edition(code, (code,)) for code in codes)
    two = tuple(pair or codes[:2])
    multi = [Edition("" if i == 0 else layout, codes if layout == "columns" else two, layout)
             for i, layout in enumerate(layouts)]
    return tuple(multi + [Edition(code, (code,)) for code in codes])


_OURS = "BRIEFING_SOURCE_DATE_EPOCH"  # the value this process set, told apart from one the user gave


def source_date(pub: Publication) -> dt.datetime:
    """The time every output is stamped with (and an EPUB's dcterms:modified): SOURCE_DATE_EPOCH
    when the user sets it, else the time of the last commit of the publication's folder, else its
    date. Never the wall clock, so that two builds of one commit are byte-identical, but a
    corrected and committed text is a newer book."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None and epoch != os.environ.get(_OURS):
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    stamp = _last_commit(pub.root) or dt.datetime.fromisoformat(pub.manifest["date"]).replace(tzinfo=dt.timezone.utc)
    # fontTools (WeasyPrint's subsetting fallback) and repro-zipfile read the variable too.
    os.environ["SOURCE_DATE_EPOCH"] = os.environ[_OURS] = str(int(stamp.timestamp()))
    return stamp


# What `git log` is run with: no system or user configuration, no pager, no signature to check and
# no program named by the repository's own configuration (a signature check runs gpg.program).
_GIT_CONFIG = ("log.showSignature=false", "core.fsmonitor=false", "core.hooksPath=/dev/null", "gpg.program=false",
               "gpg.ssh.program=false", "gpg.x509.program=false", "core.pager=cat", "core.untrackedCache=false")


def _last_commit(folder) -> dt.datetime | None:
    """When the folder's files were last committed; None outside a Git work tree, or without git.

    Content comes from partners, and a folder may bring a repository of its own, configured to run
    a program: such a repository is never asked. The repository that holds the folder is asked
    with a configuration of the builder's own (_GIT_CONFIG), and git's own check that it belongs to
    this user is kept."""
    import subprocess
    import tempfile
    folder = Path(folder).resolve()
    top = next((parent for parent in (folder, *folder.parents) if (parent / ".git").exists()), None)
    if top is None or top == folder:
        return None
    with tempfile.TemporaryDirectory(prefix="briefing-git-home-") as home:
        env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": home, "GIT_CONFIG_NOSYSTEM": "1",
               "GIT_CONFIG_GLOBAL": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0",
               "GIT_NO_REPLACE_OBJECTS": "1", "LC_ALL": "C"}
        command = ["git", "--no-pager", f"--git-dir={top / '.git'}", f"--work-tree={top}",
                   *(arg for setting in _GIT_CONFIG for arg in ("-c", setting)),
                   "log", "-1", "--no-show-signature", "--format=%ct", "--", str(folder.relative_to(top))]
        try:
            run = subprocess.run(command, cwd=top, env=env, capture_output=True, text=True, timeout=10,
                                 stdin=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            return None
    seconds = run.stdout.strip()
    return dt.datetime.fromtimestamp(int(seconds), dt.timezone.utc) if run.returncode == 0 and seconds.isdigit() else None


def _metadata(pub: Publication, formats: dict[str, Formatter], stamp: dt.datetime) -> dict:
    manifest, codes = pub.manifest, pub.languages
    return {
        "name": pub.name, "identifier": manifest["identifier"], "date_iso": manifest["date"],
        "modified_iso": stamp.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "date": {c: formats[c].date(manifest["date"]) for c in codes},
        "language_names": {c: {other: formats[c].language_name(other) for other in codes} for c in codes},
        **{key: manifest[key] for key in ("title", "subtitle", "publisher", "edition", "rights")},
        "translation_note": manifest.get("translation_note"),
        "keywords": manifest.get("keywords"),
        "contact": manifest["contact"],
        **{key: pictures_mod.context(manifest[key], formats, usage) if key in manifest else None
           for key, usage in (("cover_image", "cover"), ("logo", "logo"))},
    }


def _sources(pub: Publication, sections: list[dict], formats: dict[str, Formatter]) -> list[dict]:
    """The manifest's sources as a reader's list: each with the titles of the sections citing it."""
    cited: dict[str, list[dict]] = {}
    for section, data in zip(sections, (s.data for s in pub.sections)):
        for _, value in nodes(data):
            if isinstance(value, dict) and isinstance(value.get("sources"), list):
                for ref in value["sources"]:
                    if section not in cited.setdefault(ref, []):
                        cited[ref].append(section)
    codes = pub.languages
    return [{"id": source["id"], "title": source["title"], "lang": source["language"],
             "publisher": source["publisher"],
             "language_name": {c: formats[c].language_name(source["language"]) for c in codes},
             "date": {c: formats[c].date(source["date"]) for c in codes} if "date" in source else None,
             "url": source.get("url"),
             "accessed": {c: formats[c].date(source["accessed"]) for c in codes} if "accessed" in source else None,
             "used_in": [{"id": s["id"], "title": s["title"]} for s in cited.get(source["id"], [])]}
            for source in pub.manifest["sources"]]


def build(pub: Publication) -> Model:
    """Everything the templates need, formatted once for every language."""
    formats = {code: Formatter(locale) for code, locale in pub.locales.items()}
    stamp = source_date(pub)
    sections = [{"id": s.id, "kind": s.kind, "file": s.file, "title": s.data["title"],
                 "new_page": s.data.get("new_page", False), "run_on": s.data.get("run_on", False),
                 **KINDS[s.kind].context(s.data, formats)}
                for s in pub.sections]
    number_notes(pub, sections)
    meta = _metadata(pub, formats, stamp)
    brand = pub.brand
    if brand is None:  # a caller that read the content alone: the folder's brand, as a build reads it
        brand, problems = brand_mod.load(pub.root)
        if problems:
            raise ContentError(problems)
    return Model(name=pub.name, format=pub.format, identifier=pub.manifest["identifier"],
                 languages=tuple(pub.languages),
                 editions=editions(pub.languages, pub.manifest.get("layouts", ["columns"]), pub.manifest.get("pair")),
                 meta=meta, sections=sections, sources=_sources(pub, sections, formats),
                 pictures=_pictures([meta, sections], pub.images), images=pub.images, stamp=stamp,
                 brand=brand, paper=pub.manifest.get("paper", "a4"))


def number_notes(pub: Publication, sections: list[dict]) -> None:
    """Number the notes through the publication, in the order their markers are read, and give
    every marker its note: number, text in the marker's language, and an anchor (unique in the
    publication; each medium adds the language). Each section's context gets its notes in order."""
    count = 0
    for section, source in zip(sections, pub.sections):
        notes = source.data.get("notes", {})
        numbered: dict[str, int] = {}
        for path, value in nodes(source.data):
            if path[:1] == ("notes",) or not isinstance(value, dict):
                continue
            for code in pub.languages:
                for marker in walk(value[code].nodes) if isinstance(value.get(code), Rich) else ():
                    if marker["tag"] != "note":
                        continue
                    if marker["id"] not in numbered:
                        count += 1
                        numbered[marker["id"]] = count
                    note = notes[marker["id"]]
                    marker.update(number=numbered[marker["id"]], code=code, text=note[code],
                                  ours=code in note.get("ours", []), anchor=f"note-{section['id']}-{marker['id']}")
        section["notes"] = [item(notes[note], pub.languages, number=n, id=note, anchor=f"note-{section['id']}-{note}")
                            for note, n in numbered.items()]


def _pictures(contexts, images: dict) -> dict:
    """Every picture of the model by id, each given its shape (height / width, in per cent) for
    layouts that must reserve its room."""
    found = {}
    for _, value in nodes(contexts):
        if isinstance(value, dict) and str(value.get("id", "")).startswith("pic-"):
            if value["image"]:
                width, height = images[value["image"]].width, images[value["image"]].height
            else:
                width, height = FIGSIZE[value["size"]]
            value["ratio"] = round(100 * height / width, 3)
            found[value["id"]] = value
    return found


# Heading levels per medium: print has the cover's h1 above every section; in EPUB each
# section is its own document, so its title is that document's h1.
LEVELS = {"print": {"section": "h2", "sub": "h3"}, "epub": {"section": "h1", "sub": "h2"}}


def page_context(model: Model, edition: Edition, medium: str, stylesheets: list[str] = (),
                 srcs: dict | None = None, base_dir: Path | None = None) -> dict:
    """What every template of one edition needs, for one medium ("print" or "epub").
    srcs: the address of each picture's file (by picture id), as this medium and edition has it.
    base_dir: where the HTML is read from, for the brand's font files (print)."""
    return {"lang": edition.lang, "langs": list(edition.langs), "multilingual": edition.multilingual,
            "medium": medium, "levels": LEVELS[medium], "meta": model.meta, "sections": model.sections,
            "sources": model.sources, "stylesheets": list(stylesheets), "srcs": srcs or {},
            "passages": False, "idp": "", "outline_langs": list(edition.langs),
            "toc_pages": None, "draft": model.draft, "identifier": edition.identifier(model.identifier),
            "brand_css": model.brand.css(base_dir) if model.brand and base_dir is not None else ""}
