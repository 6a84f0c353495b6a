"""The builder's record of what it last made, and from what: it decides what is stale, by content.

One small JSON file per publication in the output folder, `.<folder>.state.json`. An output is
up to date when the bytes of every input (the publication's folder, the templates, styles, fonts,
catalogs, the builder's code and its pinned dependencies) hash to the value recorded when it was
made, with the same options, and the file in place still has the bytes the builder wrote. Times
are never compared: a touched file is not stale, and an edit is never missed because of a clock.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path

from .outputs import Stage
from .brand import FILE as BRAND_FILE
from .paths import MANIFEST

VERSION = 2
PROJECT = Path(__file__).resolve().parent.parent
# The inputs of each target, by group. Only the EPUBs read epub.css; the HTML links the
# stylesheets, and holds the brand's values (styles/_brand.yml); everything else reads everything.
GROUPS = {"code": ("build.py", "pyproject.toml", "briefing"), "templates": ("templates",), "styles": ("styles",)}
EPUB_ONLY = ("epub.css",)
TARGET_GROUPS = {"html": ("content", "locale", "code", "templates", "print-styles"),
                 "pdf": ("content", "locale", "code", "templates", "print-styles"),
                 "print": ("content", "locale", "code", "templates", "print-styles"),
                 "booklet": ("content", "locale", "code", "templates", "print-styles"),
                 "epub": ("content", "locale", "code", "templates", "print-styles", "epub-styles")}


def _files(root: Path):
    """(relative name, kind, bytes) of everything under root, in a fixed order. A symbolic link
    is its target's name and a device or FIFO its type only: hashing never reads through them
    (the content check refuses them with a message of its own)."""
    if root.is_file():
        yield root.name, "file", root.read_bytes()
        return
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in ("__pycache__",) and not d.startswith(".cache"))
        for name in sorted(names):
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            mode = os.lstat(path).st_mode
            if stat.S_ISLNK(mode):
                yield relative, "link", os.readlink(path).encode("utf-8", "surrogateescape")
            elif stat.S_ISREG(mode):
                if not name.endswith((".pyc", ".mo")):
                    yield relative, "file", path.read_bytes()
            else:
                yield relative, "special", b""


def _digest(label: str, roots: list[Path], keep=lambda name: True) -> str:
    digest = hashlib.sha256(f"state {VERSION}; python {sys.version_info[:2]}".encode())
    for root in roots:
        for relative, kind, data in _files(root):
            if keep(relative):
                name = f"{label}/{root.name}/{relative}\0{kind}\0".encode("utf-8", "surrogateescape")
                digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _shared(content_dir: Path) -> list[Path]:
    """What a content folder's brand file (content/_brand.yml) may read, beside the publication: the
    content folder's entries that are no publication (the file, and folders of logos and fonts)."""
    parent = content_dir.parent
    if not (parent / BRAND_FILE).is_file():
        return []
    return sorted(p for p in parent.iterdir() if not (p / MANIFEST).exists() and not p.name.startswith("."))


def inputs(content_dir: Path, locale_dir: Path) -> dict[str, str]:
    """A hash of every byte a build reads, by group (see TARGET_GROUPS)."""
    project = {name: [PROJECT / path for path in paths] for name, paths in GROUPS.items()}
    return {"content": _digest("content", [Path(content_dir), *_shared(Path(content_dir))]), "locale": _digest("locale", [Path(locale_dir)]),
            "code": _digest("code", project["code"]), "templates": _digest("templates", project["templates"]),
            "print-styles": _digest("styles", project["styles"], lambda name: name not in EPUB_ONLY),
            "epub-styles": _digest("styles", project["styles"], lambda name: name in EPUB_ONLY)}


def sha256(path: Path) -> str | None:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None


class State:
    """The record for one publication folder built into one output folder."""

    def __init__(self, out_dir: Path, content_dir: Path, locale_dir: Path):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / f".{Path(content_dir).resolve().name}.state.json"
        self.content_dir, self.locale_dir = content_dir, locale_dir
        self.inputs = inputs(content_dir, locale_dir)
        self.data = self._read()
        self.changes: dict[str, dict] = {"targets": {}, "outputs": {}, "after": {}}

    def rehash(self) -> None:
        """Hash the inputs again: the build itself wrote into the content (the translation lock)."""
        self.inputs["content"] = _digest("content", [Path(self.content_dir)])

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION:
                raise ValueError
        except (OSError, ValueError, AttributeError):
            data = {}  # no record, or one we cannot trust: everything is stale
        return {"version": VERSION, "editions": data.get("editions", []), "targets": data.get("targets", {}),
                "outputs": data.get("outputs", {}), "after": data.get("after", {})}

    def key(self, target: str, options: str) -> str:
        """The hash of what an output of `target` is made from: its groups of inputs, its options."""
        parts = [target, options] + [self.inputs[group] for group in TARGET_GROUPS[target]]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def _current(self, target: str) -> dict[str, str] | None:
        """Edition key -> file name of `target`'s outputs, if they were made from today's inputs."""
        made = self.data["targets"].get(target)
        if not made or made.get("inputs") != self.key(target, made.get("options", "")):
            return None
        return made["files"]

    # -- outputs of the build targets ------------------------------------------------------------
    def fresh(self, target: str, options: str, editions: set[str] | None, draft: bool) -> bool:
        """Whether every output of `target` (for `editions`, None: all) is in place, made from these
        inputs with these options. A draft output is fresh only for another draft build."""
        made = self.data["targets"].get(target)
        if not made or made["inputs"] != self.key(target, options):
            return False
        if editions is not None and not editions & set(self.data["editions"]):
            return False  # no such edition: the build says so
        files = made["files"]
        for key in (files.keys() if editions is None else editions & files.keys()):
            entry = self.data["outputs"].get(files[key])
            if (entry is None or entry["inputs"] != made["inputs"] or (entry["draft"] and not draft)
                    or sha256(self.out_dir / files[key]) != entry["sha256"]):
                return False
        return True

    def drafts(self, targets: set[str]) -> list[Path]:
        """The outputs of these targets that are in place and were made by a draft build."""
        names = {name for target in targets for name in self.data["targets"].get(target, {}).get("files", {}).values()}
        return [self.out_dir / name for name in sorted(names)
                if self.data["outputs"].get(name, {}).get("draft") and (self.out_dir / name).exists()]

    def record(self, target: str, editions: list[str], expected: dict[str, str], options: str, draft: bool,
               staged: dict[Path, Path], proofs: dict[Path, dict] | None = None) -> None:
        """Note what a run made of `target`. editions: the key of every edition of the publication;
        expected: edition key -> file name of each output of `target`; staged: target path -> its
        staged (not yet renamed) file; proofs: target path -> its PDF's proof (proof.py)."""
        key = self.key(target, options)
        self.data["editions"] = editions
        self.changes["targets"][target] = {"inputs": key, "options": options, "files": expected}
        for path, tmp in staged.items():
            self.changes["outputs"][path.name] = {"inputs": key, "draft": draft, "sha256": sha256(tmp),
                                                  **({"proof": proofs[path]} if proofs and path in proofs else {})}

    def made(self, targets: tuple[str, ...]) -> list[Path]:
        """The outputs of these targets made from today's inputs, in name order."""
        names = {name for target in targets for name in (self._current(target) or {}).values()}
        return [self.out_dir / name for name in sorted(names)]

    def proof(self, name: str) -> dict | None:
        """The proof recorded for an output PDF (proof.Proof.as_dict), if any."""
        return self.data["outputs"].get(name, {}).get("proof")

    def is_draft(self, name: str) -> bool:
        return bool(self.data["outputs"].get(name, {}).get("draft"))

    # -- what is made from the outputs: previews, the pack ----------------------------------------
    def after_key(self, step: str, files: list[Path], *extra: str) -> str:
        """The hash a step made from built files (preview, pack) is recorded under: those files'
        recorded hashes, the builder's code, templates and catalogs, and the step's own options."""
        parts = [step, *extra] + [self.inputs[group] for group in ("code", "templates", "locale")]
        parts += [f"{f.name}={self.data['outputs'].get(f.name, {}).get('sha256')}" for f in sorted(files)]
        return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()

    def after_fresh(self, step: str, key: str) -> bool:
        made = self.data["after"].get(step)
        return bool(made) and made["key"] == key and all(
            sha256(Path(path)) == digest for path, digest in made["files"].items())

    def after_record(self, step: str, key: str, files: list[Path]) -> None:
        self.changes["after"][step] = {"key": key, "files": {str(f): sha256(f) for f in files}}

    def save(self) -> None:
        """Write the record in one step, last, once every output it describes is in place. What this
        run made is laid over the record as it is now on disk: another builder run on the same
        folder meanwhile (two terminals) keeps what it recorded."""
        data = self._read()
        data["editions"] = self.data["editions"]
        for part, entries in self.changes.items():
            data[part].update(entries)
        self.data = data
        stage = Stage()
        try:
            stage.write_text(self.path, json.dumps(data, indent=1, sort_keys=True) + "\n")
            stage.commit()
            self.changes = {part: {} for part in self.changes}  # saved: a later save lays only its own
        finally:
            stage.discard()
