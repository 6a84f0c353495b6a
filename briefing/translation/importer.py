"""`make translation-import`: a translator's XLIFF or PO file back into the publication.

Every unit is checked first: its id, the publication and language the file was made for, its
original unchanged since the export, and its markup (the original's links, notes, spans and
emphasis, no more, no fewer). A file with any problem writes nothing. Otherwise each changed text
is written into its YAML field (yamlfile.py), each interface label into the language's catalog,
and the lock records every unit imported as translated (one imported for review stays stale
until confirmed)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .. import richtext
from ..errors import ContentError, Problem, TranslationFileError, UsageError
from ..errors import printable as escaped
from . import inline, lock
from .export import INTERFACE
from .texts import digest

REVIEWED = {"translated", "signed-off", "final"}
MAX_BYTES = 20_000_000  # the IOM pack's XLIFF is 0.2 MB


@dataclass
class Incoming:
    """One unit of the file, as Markdown."""
    id: str
    line: int | None
    source: str | None     # the original as the file has it (None: not readable as Markdown)
    target: str
    reviewed: bool
    problems: list


def read(path: Path, pub_name: str, codes: list[str], by_id: dict) -> tuple[str, list[Incoming], list[Problem]]:
    """(target language, units, problems with the file as a whole)."""
    suffix = path.suffix.lower()
    if path.stat().st_size > MAX_BYTES:
        return "", [], _refuse(path, f"is {path.stat().st_size / 1e6:.0f} MB; a translation file of a publication "
                                     f"is far smaller (at most {MAX_BYTES / 1e6:.0f} MB)")
    if suffix in (".xlf", ".xliff"):
        return _read_xliff(path, pub_name, codes, by_id)
    if suffix == ".po":
        return _read_po(path, pub_name, codes)
    raise UsageError([Problem(str(path), None, None, "", "is neither an XLIFF (.xlf) nor a PO (.po) file")])


def printable(value: str, limit: int = 200) -> str:
    """What a file says, cut short and as a terminal may show it (errors.printable)."""
    return escaped(str(value)[:limit])


def _refuse(path: Path, message: str, line=None) -> list[Problem]:
    return [Problem(str(path), line, None, "", message)]


def _read_xliff(path, pub_name, codes, by_id):
    from translate.storage import xliff
    try:
        store = xliff.xlifffile.parsefile(str(path))
    except Exception as exc:  # noqa: BLE001 - lxml and translate-toolkit raise many kinds
        return "", [], _refuse(path, f"is not a readable XLIFF file: {exc}", getattr(exc, "lineno", None))
    files = list(store.document.getroot().iterchildren(store.namespaced("file")))
    names = [node.get("original", "") for node in files]
    foreign = [name for name in names if name.split("/")[0] != pub_name]
    if foreign or not files:
        return "", [], _refuse(path, f"was made for another publication ({printable(', '.join(foreign)) or 'none named'}), "
                                     f"not {pub_name}: export this one with `make translation-export PUB=…`")
    targets = {node.get("target-language", "") for node in files}
    to = targets.pop() if len(targets) == 1 else ""
    if to not in codes:
        return "", [], _refuse(path, f"translates into {printable(to) or 'several languages'}, which is not a language of "
                                     f"{pub_name} ({', '.join(codes)})")
    found = []
    for unit in store.unit_iter():
        uid = unit.xmlelement.get("id", "")
        line = unit.xmlelement.sourceline
        node = unit.getlanguageNode(lang=None, index=1)
        state = node.get("state", "") if node is not None else ""
        reviewed = state in REVIEWED or (not state and unit.isapproved())
        if uid.startswith(f"{INTERFACE}:"):
            found.append(Incoming(uid, line, unit.source, unit.target or "", reviewed, []))
            continue
        text = by_id.get(uid)
        codes_by_id = inline.source_rich(text.source)[1] if text else {}
        source, problems = inline.to_markdown(unit.rich_source, codes_by_id) if text else ("", [])
        target, target_problems = ("", [])
        if unit.target:
            current = inline.parse(text.values[to]) if text and to in text.values else []
            target, target_problems = inline.to_markdown(unit.rich_target, codes_by_id, current)
        found.append(Incoming(uid, line, source if not problems else None, target, reviewed, target_problems))
    return to, found, []


def _read_po(path, pub_name, codes):
    from translate.storage import pypo
    try:
        raw = path.read_bytes()
        store = pypo.pofile.parsestring(raw)
    except Exception as exc:  # noqa: BLE001
        return "", [], _refuse(path, f"is not a readable PO file: {exc}")
    header = store.parseheader()
    if header.get("X-Publication") != pub_name:
        return "", [], _refuse(path, f"was made for another publication ({printable(header.get('X-Publication') or '') or 'none named'}), "
                                     f"not {pub_name}: export this one with `make translation-export PUB=…`")
    to = header.get("Language", "")
    if to not in codes:
        return "", [], _refuse(path, f"translates into {printable(to) or 'no language'}, which is not a language of "
                                     f"{pub_name} ({', '.join(codes)})")
    lines = _po_lines(raw.decode("utf-8", "replace"))
    from .pocheck import checker
    run = checker()
    found = []
    for unit in store.units:
        if unit.isheader():
            continue
        uid = unit.getcontext()
        problems = [f"pofilter {name}: {message}" for name, message in sorted(run.run_filters(unit).items())] \
            if unit.target else []
        found.append(Incoming(uid, lines.get(uid), unit.source, unit.target or "", not unit.isfuzzy(), problems))
    return to, found, []


def _po_lines(text: str) -> dict[str, int]:
    """msgctxt -> its line in the file (translate-toolkit keeps no line numbers)."""
    found = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r'msgctxt "(.*)"$', line)
        if match:
            found.setdefault(match.group(1).encode().decode("unicode_escape").encode("latin-1").decode("utf-8"), number)
    return found


def plan(root: Path, path: Path, locale_dir: Path):
    """Read and check a file against the publication: (publication, target language, text
    changes by (unit, language) -> (Text, new Markdown or None, reviewed), catalog changes)."""
    from ..content import load
    from ..i18n import Catalogs
    pub = load(root, strict=False)
    by_id = {text.id: text for text in pub.texts}
    to, incoming, problems = read(Path(path), pub.name, pub.languages, by_id)
    if problems:
        raise TranslationFileError(problems)
    msgids = set(Catalogs(locale_dir, [to]).msgids)
    typography = richtext.Typography(next((lang.get("quotes", richtext.QUOTES) for lang in pub.manifest["languages"]
                                           if lang["code"] == to), richtext.QUOTES))
    texts, labels, copies = {}, {}, []
    seen = set()
    for unit in incoming:
        where = lambda message: Problem(str(path), unit.line, None, printable(unit.id), message)  # noqa: E731
        if unit.id in seen:
            problems.append(where("is in the file twice"))
            continue
        seen.add(unit.id)
        if unit.id.startswith(f"{INTERFACE}:"):
            msgid = unit.id.split(":", 1)[1]
            if msgid not in msgids:
                problems.append(where("is not an interface label of the catalog template (locale/messages.pot)"))
            elif unit.target.strip() == msgid:
                copies.append(unit.id)
            elif unit.target.strip():
                labels[msgid] = (unit.target, unit.reviewed)
            continue
        text = by_id.get(unit.id)
        if text is None:
            problems.append(where(f"is not a text of {pub.name}: was the file made for another version of it? "
                                  "Export it again"))
            continue
        if text.original == to:
            problems.append(where(f"is written in {to}: it is an original, not a translation"))
            continue
        if unit.source is None or digest(unit.source) != text.digest():
            problems.append(where(f"its {text.original} original has changed since the file was made: export the "
                                  f"file again (make translation-export PUB={Path(root).name} TO={to}) and carry "
                                  "the translation over"))
            continue
        problems += [where(message) for message in unit.problems]
        if not unit.target.strip() or unit.problems:
            continue
        if digest(unit.target) == text.digest() and to not in text.values:
            copies.append(unit.id)  # a CAT tool's copy of the source for a unit left untranslated
            continue
        parsed, markup = richtext.parse(unit.target, typography)
        problems += [where(f"the translation {message}") for message in markup]
        problems += [where(f"the translation's markup differs from its original's: {message}")
                     for message in inline.mismatch(inline.parse(text.source), parsed.nodes, to)]
        if not markup:
            texts[(unit.id, to)] = (text, unit.target, unit.reviewed)
    if problems:
        raise TranslationFileError(problems)
    return pub, to, texts, labels, copies


def run(root: Path, path: Path, locale_dir: Path) -> dict:
    """Import a file; {"changed": n texts written, "confirmed": n, "review": n, "labels": n, "files": [...],
    "copies": [unit ids whose target is a copy of the source, left out]}.

    A target that is its source again, for a text with no translation yet, is left out: CAT tools
    (OmegaT among them) write the source into every unit left untranslated."""
    from ..outputs import Stage
    from .yamlfile import Unchanged, rewrite
    pub, to, texts, labels, copies = plan(root, path, locale_dir)
    by_file: dict[str, dict] = {}
    after: dict[str, dict] = {}
    changes: dict[tuple[str, str], str] = {}
    counts = {"changed": 0, "confirmed": 0, "review": 0, "labels": 0}
    for (uid, code), (text, markdown, reviewed) in texts.items():
        old = text.values.get(code)
        changed = old is None or digest(old) != digest(markdown)
        if changed:
            by_file.setdefault(text.file, {})[text.path + (code,)] = markdown
            present = [c for c in pub.languages if c in text.values]
            after.setdefault(text.file, {})[text.path + (code,)] = present[-1]
            counts["changed"] += 1
        state = text.translations.get(code)
        if reviewed and (changed or state != lock.CURRENT):
            changes[(uid, code)] = lock.entry(text)
            counts["confirmed"] += not changed
        elif not reviewed and (changed or state not in (lock.CURRENT, lock.UNRECORDED)):
            changes[(uid, code)] = lock.entry(text, reviewed=False)
            counts["review"] += 1
    stage = Stage()
    written = []
    try:
        for file, values in by_file.items():
            target = Path(root) / file
            original = target.read_text(encoding="utf-8")
            try:
                new = rewrite(original, values, after[file])
            except Unchanged as exc:
                raise ContentError([Problem(str(target), None, None, "", f"cannot be written back: {exc}")]) from None
            _verify(new, values, target)
            stage.write_text(target, new)
            written.append(target)
        if labels and _catalog(stage, locale_dir, to, labels):
            written.append(Path(locale_dir) / to / "LC_MESSAGES" / "messages.po")
            counts["labels"] = len(labels)
        stage.commit()
    finally:
        stage.discard()
    if changes or by_file:
        from ..content import load
        fresh = load(root, strict=False)  # the texts as written now: the lock's hashes are of these
        lock.record(root, fresh.texts, fresh.lock, changes)
    counts["files"] = [str(p) for p in written]
    counts["copies"] = copies
    return counts


def _verify(new_text: str, values: dict, target: Path) -> None:
    """The file as written reads back, with the safe loader, as the texts that were meant."""
    import unicodedata
    import yaml
    data = yaml.safe_load(new_text)
    for path, value in values.items():
        node = data
        for key in path:
            node = node[key]
        if unicodedata.normalize("NFC", node) != unicodedata.normalize("NFC", value):
            raise ContentError([Problem(str(target), None, None, ".".join(map(str, path)),
                                        "the round trip would not give back the imported text; nothing was written")])


def _catalog(stage, locale_dir: Path, to: str, labels: dict) -> bool:
    """The language's catalog, with the imported labels (fuzzy where imported for review); False
    when it already says so."""
    import io
    from babel.messages.pofile import read_po, write_po
    path = Path(locale_dir) / to / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        raise UsageError([Problem(str(path), None, None, "", f"there is no catalog for {to}: add the language "
                                                             "with `make language`, which makes it")])
    before = path.read_bytes()
    catalog = read_po(io.BytesIO(before), locale=to)
    for msgid, (value, reviewed) in labels.items():
        message = catalog.get(msgid)
        if message is None:
            catalog.add(msgid, value, flags=() if reviewed else ("fuzzy",))
        else:
            message.string = value
            if reviewed:
                message.flags.discard("fuzzy")
            else:
                message.flags.add("fuzzy")
    out = io.BytesIO()
    write_po(out, catalog, width=0)
    if out.getvalue() == before:
        return False
    stage.path(path).write_bytes(out.getvalue())
    return True
