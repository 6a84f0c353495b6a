"""Load and validate a publication folder: every problem is collected, none is raised alone."""
from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from jsonschema import Draft202012Validator, FormatChecker

from . import pictures, richtext, schema
from .kinds import KINDS
from .paths import MANIFEST, confined
from .errors import ContentError, Problem

# Dates stay text, so that the schema (not YAML 1.1) decides what a date is.
_RESOLVERS = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class _Loader(yaml.SafeLoader):
    """The pure-Python parser: its error messages and positions are the ones users see."""
    yaml_implicit_resolvers = _RESOLVERS


# libyaml parses a good file several times faster; a file it rejects is parsed again by _Loader,
# so that the message is the same either way.
_FastLoader = type("_FastLoader", (getattr(yaml, "CSafeLoader", _Loader),), {"yaml_implicit_resolvers": _RESOLVERS})
# A date a YAML tool wrote with an explicit tag (`!!timestamp "2026-11-22"`, as yaml.safe_dump
# does in quoted style) is the same text as `2026-11-22`.
for _loader in (_Loader, _FastLoader):
    _loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


@dataclass
class Document:
    file: str
    data: object
    marks: dict  # path (tuple of keys and list indices) -> (line, column), both 1-based


@dataclass
class Section:
    file: str    # as listed in the manifest, relative to the folder
    id: str      # unique in the publication: anchors, EPUB document names
    kind: str
    data: dict


@dataclass
class Publication:
    """A publication folder, read and checked: the manifest and its sections in reading order."""
    root: Path
    manifest: dict
    sections: list[Section]
    errata: dict | None
    images: dict     # name as written -> pictures.ImageFile, for every image file the content uses
    fallbacks: list  # Problems: translations missing and filled from another language (drafts)
    warnings: list   # Problems that do not stop a build (a file in the folder that is not listed)
    texts: list = field(default_factory=list)   # translation.texts.Text: every text and its translations' states
    stale: list = field(default_factory=list)   # Problems: translations whose original changed (marked in drafts)
    lock: dict = field(default_factory=dict)    # the translation lock's entries as read
    brand: object = None                        # brand.Brand, as the caller read it

    @property
    def name(self) -> str:
        return self.manifest["name"]

    @property
    def format(self) -> str:
        return self.manifest.get("format", "brochure")

    @property
    def languages(self) -> list[str]:
        return [lang["code"] for lang in self.manifest["languages"]]

    @property
    def locales(self) -> dict[str, str]:
        return {lang["code"]: lang["locale"] for lang in self.manifest["languages"]}


def _marks(node: yaml.Node, path: tuple = ()) -> dict:
    marks = {path: (node.start_mark.line + 1, node.start_mark.column + 1)}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            marks.update(_marks(value, path + (key.value,)))
    elif isinstance(node, yaml.SequenceNode):
        for i, value in enumerate(node.value):
            marks.update(_marks(value, path + (i,)))
    return marks


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    if isinstance(value, dict):
        return {_nfc(k): _nfc(v) for k, v in value.items()}
    return value


# Limits on one YAML file, far above any real section (the IOM pack's largest file is 40 KB, 4
# levels deep, with no alias), so that a hostile or broken file is an error at once.
MAX_BYTES = 2_000_000
MAX_DEPTH = 32          # nested mappings and lists
MAX_VALUES = 100_000    # values the file stands for, an alias counted each time it is used
MAX_DIGITS = 30         # a number longer than this is a typing slip, or an attack on int()


class _Refused(Exception):
    """A file that parses but breaks a limit or has a duplicate key: problems, with locations."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems


def _scan(loader_class, text: str, label: str) -> list[Problem]:
    """Depth and over-long numbers, read from the event stream (no recursion, no expansion)."""
    depth = 0
    for event in yaml.parse(text, Loader=loader_class):
        mark = event.start_mark
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return [Problem(label, mark.line + 1, mark.column + 1, "",
                                f"is nested more than {MAX_DEPTH} levels deep; a publication needs a few")]
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
        elif (isinstance(event, yaml.ScalarEvent) and event.implicit[0] and not event.style
              and re.fullmatch(r"[-+]?[\d_]*\.?[\d_]+([eE][-+]?\d+)?", event.value)
              and sum(ch.isdigit() for ch in event.value) > MAX_DIGITS):
            return [Problem(label, mark.line + 1, mark.column + 1, "",
                            f"is a number of {sum(ch.isdigit() for ch in event.value)} digits; at most "
                            f"{MAX_DIGITS} make sense (quote it if it is text)")]
    return []


def _checked(node: yaml.Node, label: str) -> list[Problem]:
    """What the composed file stands for: at most MAX_VALUES values once aliases are expanded (a
    "billion laughs" file is a few lines), and no key twice in one mapping."""
    sizes: dict[int, int] = {}
    problems = []
    order, stack = [], [(node, ())]
    while stack:  # each node once, children after parents; sizes are summed in reverse
        current, path = stack.pop()
        if id(current) in sizes:
            continue
        sizes[id(current)] = 0
        order.append(current)
        if isinstance(current, yaml.MappingNode):
            seen = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        problems.append(Problem(label, key.start_mark.line + 1, key.start_mark.column + 1,
                                                _field(path + (key.value,)),
                                                f"is given twice in this mapping (first on line {seen[key.value]}); "
                                                "YAML keeps only the last: delete one"))
                    seen.setdefault(key.value, key.start_mark.line + 1)
                stack += [(key, path), (value, path + (getattr(key, "value", "?"),))]
        elif isinstance(current, yaml.SequenceNode):
            stack += [(child, path + (i,)) for i, child in enumerate(current.value)]
    for current in reversed(order):
        children = ([v for pair in current.value for v in pair] if isinstance(current, yaml.MappingNode)
                    else current.value if isinstance(current, yaml.SequenceNode) else [])
        sizes[id(current)] = min(1 + sum(sizes[id(child)] for child in children), MAX_VALUES + 1)
    if sizes[id(node)] > MAX_VALUES:
        mark = node.start_mark
        problems.append(Problem(label, mark.line + 1, mark.column + 1, "",
                                f"stands for more than {MAX_VALUES:,} values once its aliases (*name) are "
                                "expanded; write the values out, or use fewer aliases"))
    return problems


def _parse(loader_class, text: str, label: str = ""):
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        problems = _checked(node, label)
        if problems:
            raise _Refused(problems)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def read_yaml(path: Path, label: str) -> tuple[Document | None, list[Problem]]:
    """Parse one YAML file, keeping the line of every value; problems instead of exceptions."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [Problem(label, None, None, "", "file is missing")]
    except OSError as exc:
        return None, [Problem(label, None, None, "", f"cannot be read: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start:exc.start].decode("utf-8", "replace")) + 1  # characters, not bytes
        return None, [Problem(label, line, col, "", f"is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                                                    "save the file as UTF-8")]
    if not text.strip():
        return None, [Problem(label, None, None, "", "file is empty")]
    separator = re.search("[\u2028\u2029]", text)
    if separator:  # YAML reads it as a new line, which turns a text into keys or a syntax error
        before = text[: separator.start()]
        line, col = before.count("\n") + 1, separator.start() - before.rfind("\n")
        name = "line" if separator.group() == "\u2028" else "paragraph"
        return None, [Problem(label, line, col, "", f"holds U+{ord(separator.group()):04X} ({name} separator), an "
                                                    "invisible break that Word and some web pages paste and YAML "
                                                    "reads as a new line: delete it (search for it in your editor)")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(label, None, None, "", f"is {len(raw) / 1e6:.1f} MB; a section file may be at most "
                                                     f"{MAX_BYTES / 1e6:.0f} MB: split it")]
    try:
        problems = _scan(_FastLoader, text, label)
        if problems:
            return None, problems
        node, data = _parse(_FastLoader, text, label)
    except _Refused as refused:
        return None, refused.problems
    except yaml.YAMLError:
        try:
            node, data = _parse(_Loader, text, label)
        except _Refused as refused:
            return None, refused.problems
        except yaml.reader.ReaderError as exc:  # a non-printable character
            before = text[: exc.position]
            line, col = before.count("\n") + 1, exc.position - before.rfind("\n")
            return None, [Problem(label, line, col, "", f"contains the control character U+{exc.character:04X}; "
                                                        "delete it")]
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            what = getattr(exc, "problem", None) or str(exc)
            if "'\\t'" in what:  # PyYAML's wording for a tab it cannot accept
                what = "a tab character; indent with spaces only"
            hint = _yaml_hint(text, exc)
            return None, [Problem(label, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                                  "", f"YAML syntax error: {what}" + (f". {hint}" if hint else ""))]
    if node is None:
        return None, [Problem(label, None, None, "", "file has no content")]
    return Document(label, _nfc(data), _marks(node)), []


def _yaml_hint(text: str, exc) -> str:
    """One line on what a syntax error most often means, for a newcomer who edits the file by hand."""
    mark = getattr(exc, "problem_mark", None)
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    near = "\n".join(lines[max(0, mark.line - 6):mark.line + 1]) if mark else ""  # the block the error ends
    problem = f"{getattr(exc, 'problem', '')} {getattr(exc, 'context', '')}"
    if "quoted scalar" in problem or "unexpected end of stream" in problem:
        return "A quotation mark (\" or ') is opened and not closed: close it, or remove it"
    if re.search(r"^\s*-[^\s-]", near, re.M):
        return "A list item needs a space after its dash: write “- item”, not “-item”"
    if "mapping values are not allowed" in problem and re.search(r"\S: ", line.split(": ", 1)[-1]):
        return ("A text that holds “: ” must be in quotes: write key: \"text: more text\" (or put it on its own "
                "line after key: >-)")
    if re.search(r"\s#", line.split(": ", 1)[-1]) and "mapping" in problem:
        return "A “ #” starts a comment in YAML: put a text that holds one in quotes"
    return ""


def _locate(doc: Document, path: tuple) -> tuple[int | None, int | None]:
    path = tuple(path)
    while path not in doc.marks and path:
        path = path[:-1]
    return doc.marks.get(path, (None, None))


def locate(path: Path, keys: tuple, message: str) -> Problem:
    """A problem found after loading, at the value at `keys` in a YAML file: its line, column and
    field, as the loader reports them."""
    doc, _ = read_yaml(path, str(path))
    line, col = _locate(doc, keys) if doc is not None else (None, None)
    return Problem(str(path), line, col, _field(keys), message)


def _field(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _did_you_mean(typed, known: list[str]) -> str:
    """"; did you mean title?" for a slip of the keyboard, else nothing."""
    import difflib
    near = difflib.get_close_matches(str(typed)[:100], [str(k) for k in known], n=1, cutoff=0.6)
    return f"; did you mean {near[0]}?" if near else ""


def _describe(error) -> tuple[tuple, str]:
    """A jsonschema error as (path, sentence) a content editor can act on."""
    path = tuple(error.absolute_path)
    kind, value = error.validator, error.validator_value
    if kind == "required":
        missing = error.message.split("'")[1]
        return path + (missing,), "is missing"
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        if error.schema.get("patternProperties"):
            return path, f"has unexpected keys {extra}"
        return path + (extra[0],), (f"is not a known field here{_did_you_mean(extra[0], allowed)} (expected one of: "
                                    f"{', '.join(allowed)})")
    if kind == "type":
        got = type(error.instance).__name__.replace("str", "text").replace("NoneType", "nothing")
        want = {"string": "text", "integer": "a whole number", "array": "a list",
                "object": "a mapping of fields", "boolean": "true or false"}.get(value, value)
        return path, f"expected {want}, got {got} ({error.instance!r})"
    if kind == "minLength" or (kind == "pattern" and isinstance(error.instance, str) and not error.instance.strip()):
        return path, "must not be empty"
    if kind == "maxLength":
        return path, f"is too long: {len(error.instance)} characters, at most {value}"
    if kind == "pattern":
        if "\n" in error.instance:
            return path, "must be a single line"
        return path, f"{error.instance!r} does not have the expected form ({value})"
    if kind == "enum":
        return path, f"{error.instance!r} is not one of: {', '.join(map(str, value))}"
    if kind == "format":
        return path, f"{error.instance!r} is not a valid {value}" + (" (write YYYY-MM-DD)" if value == "date" else "")
    if kind in ("minItems", "maxItems"):
        return path, f"has {len(error.instance)} item(s); {kind[:3]}imum is {value}"
    if kind in ("minimum", "maximum"):
        return path, f"{error.instance} is out of range ({kind} {value})"
    if kind == "uniqueItems":
        return path, "lists the same value twice"
    if kind == "oneOf" and {s.get("type") for s in value} == {"number", "array"}:
        return path, "expected a number or a list of numbers"
    if kind == "anyOf" and all("required" in s for s in value):
        return path, f"has no text in any language (expected {', '.join(s['required'][0] for s in value)})"
    return path, error.message


def _schema_problems(doc: Document, schema_: dict) -> list[Problem]:
    validator = Draft202012Validator(schema_, format_checker=FormatChecker())
    problems = []
    for error in sorted(validator.iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path))):
        path, message = _describe(error)
        line, col = _locate(doc, path)
        problems.append(Problem(doc.file, line, col, _field(path), message))
    return problems


def nodes(value, path: tuple = ()):
    """Every node of a loaded document, with its path, parents before children."""
    yield path, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from nodes(child, path + (key,))


# Embeddings, overrides and isolates (Unicode's bidirectional algorithm): invisible, and able to
# reverse what a reader sees; no script of a publication needs them typed by hand.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _characters(doc: Document, available: frozenset[int] | None) -> list[Problem]:
    """Control characters break layout and search (only newlines are allowed), and a character
    the fonts cannot draw would be set in a system font or as a box (the glyph gate)."""
    from .glyphs import describe, missing
    problems = []
    for path, value in nodes(doc.data):
        if not isinstance(value, str):
            continue
        line, col = _locate(doc, path)
        control = [ch for ch in value if unicodedata.category(ch) == "Cc" and ch != "\n"]
        bidi = [ch for ch in value if ch in BIDI_CONTROLS]
        if control:
            problems.append(Problem(doc.file, line, col, _field(path),
                                    f"contains the control character U+{ord(control[0]):04X}; delete it"))
        elif bidi:
            problems.append(Problem(doc.file, line, col, _field(path),
                                    f"contains the bidirectional control U+{ord(bidi[0]):04X}, which can show the text "
                                    "in another order than it is stored (and read); delete it"))
        elif available is not None:
            for ch in missing(value, available):
                problems.append(Problem(doc.file, line, col, _field(path),
                                        f"has a character the pack's fonts cannot draw: {describe(ch)}"))
    return problems


def missing_translations(doc: Document, codes: list[str], fallbacks: dict | None = None) -> list[tuple[tuple, str, str]]:
    """(path, missing language, language to fall back on) for every text lacking a language: the
    missing language's `fallback` where the text has it, else the first language that it has.

    A text is any mapping with at least one language code among its keys.
    """
    found, fallbacks = [], fallbacks or {}
    for path, value in nodes(doc.data):
        if isinstance(value, dict):
            present = [c for c in codes if isinstance(value.get(c), str)]
            if present:
                found += [(path, code, fallbacks[code] if fallbacks.get(code) in present else present[0])
                          for code in codes if code not in value]
    return found


def _missing(path: tuple, code: str, source: str) -> str:
    if len(path) > 1 and path[-2] == "items":  # an item of a list: the lists would differ in length
        return (f"is missing: list item {path[-1] + 1} has {source} text but no {code}, so the {code} list would "
                f"have fewer items than the {source} list; write each item in every language")
    return f"is missing (no {code} translation)"


def _typography(manifest: dict, codes: list[str]) -> dict[str, richtext.Typography]:
    """Each language's quotation marks (the manifest may set them) and the phrases never broken."""
    nobreak = tuple(manifest.get("no_break", []))
    quotes = {lang["code"]: lang.get("quotes", richtext.QUOTES) for lang in manifest["languages"]}
    return {code: richtext.Typography(quotes[code], nobreak) for code in codes}


def _parse_text(doc: Document, path: tuple, typography: richtext.Typography, found: "_Collector") -> bool:
    """Replace the text at `path` by its parsed form (richtext.Rich); False if its markup is wrong."""
    node = _node(doc, path[:-1])
    node[path[-1]], problems = richtext.parse(node[path[-1]], typography)
    for message in problems:
        found.add(doc, path, message)
    return not problems


def _markup(doc: Document, codes: list[str], typography: dict, found: "_Collector") -> None:
    """Parse every text of a document in place, and check that the translations of one text carry
    the same links and passages in other languages."""
    for path, value in list(nodes(doc.data)):
        if not isinstance(value, dict):
            continue
        present = [c for c in codes if isinstance(value.get(c), str)]
        clean = not any(isinstance(value[c], Fallback) for c in present)  # a draft's stand-in differs
        for code in present:
            clean = _parse_text(doc, path + (code,), typography[code], found) and clean
        if clean:
            for code, message in richtext.mismatches({c: value[c] for c in present}):
                found.add(doc, path + (code,), message)


def _notes(doc: Document, codes: list[str], found: "_Collector", allowed: bool = True) -> None:
    """Every marker calls a note of its section, once per language; the translations of a text call
    the same notes; every note is called; a heading, a title or a note holds no marker."""
    notes = doc.data.get("notes") if allowed and isinstance(doc.data, dict) else None
    notes = notes if isinstance(notes, dict) else {}
    if len(notes) > MAX_NOTES:
        found.add(doc, ("notes",), f"has {len(notes):,} notes; a section may have {MAX_NOTES} at most (each is laid "
                                   "out at the foot of its page): split the section, or fold notes together")
    called: dict[str, set] = {}
    for path, value in nodes(doc.data):
        if not isinstance(value, dict) or not any(isinstance(value.get(c), richtext.Rich) for c in codes):
            continue
        marked = {c: richtext.notes(value[c].nodes) for c in codes if isinstance(value.get(c), richtext.Rich)}
        for code, ids in marked.items():
            where = path + (code,)
            if ids and not allowed:
                found.add(doc, where, f"[^{ids[0]}] is a note marker, and notes belong to a section's texts")
            elif ids and (path[:1] == ("notes",) or path[-1:] and path[-1] in NO_NOTES):
                found.add(doc, where, f"[^{ids[0]}]: {'a note' if path[:1] == ('notes',) else f'a {path[-1]}'} "
                                      "cannot hold a note marker; put it in the text")
            for note in dict.fromkeys(ids):
                if note not in notes:
                    found.add(doc, where, f"[^{note}] calls a note that is not in this section's notes: add "
                                          f"notes: {{{note}: {{{', '.join(f'{c}: …' for c in codes)}}}}}")
                elif ids.count(note) > 1:
                    found.add(doc, where, f"calls [^{note}] {ids.count(note)} times; a note is called once")
                called.setdefault(note, set()).add(code)
        first = next(iter(marked))
        for code, ids in list(marked.items())[1:]:
            if set(ids) != set(marked[first]):
                found.add(doc, path + (code,), f"calls the notes {_ids(ids)} where {first} calls "
                                               f"{_ids(marked[first])}: every translation calls the same notes")
    for note in notes:
        if note not in called:
            found.add(doc, ("notes", note), "is called by no text: add its marker "
                                            f"[^{note}] where it belongs, or remove the note")


MAX_NOTES = 100  # in one section; WeasyPrint's footnote area costs more with each (README, "Limits")

# Texts that are headings, or set where a note cannot follow them (alt text, a chart's labels).
NO_NOTES = {"title", "heading", "headline", "dateline", "caption", "alt", "label", "unit", "credit"}


def _ids(ids: list[str]) -> str:
    return ", ".join(f"[^{i}]" for i in dict.fromkeys(ids)) or "none"


class Fallback(str):
    """Text shown in another language because its translation is missing (draft builds only)."""


def _node(doc: Document, path: tuple):
    """The value at `path` in a document's data."""
    node = doc.data
    for key in path:
        node = node[key]
    return node


def _fill(doc: Document, path: tuple, code: str, source: str) -> None:
    node = _node(doc, path)
    node[code] = Fallback(f"[{source}] {node[source]}")


# The builder's own documents and ids: a section named so gets "-section" after its id.
RESERVED_IDS = {"cover", "title", "nav", "toc", "contact", "sources", "contents", "colophon", "back-cover"}
RESERVED_ID = re.compile(r"(page|translation-note)-.*")  # print page markers, the translation note


def _section_id(file: str) -> str:
    """mission.yaml -> mission; an XML name that no builder document or id uses."""
    stem = re.sub(r"[^a-z0-9]+", "-", file.removesuffix(".yaml").lower()).strip("-") or "section"
    stem = stem if stem[0].isalpha() else f"s-{stem}"
    return f"{stem}-section" if stem in RESERVED_IDS or RESERVED_ID.fullmatch(stem) else stem


class _Collector:
    """Problems located in documents: file, line, column and field from a path inside the data."""

    def __init__(self):
        self.problems: list[Problem] = []

    def add(self, doc: Document, path: tuple, message: str) -> None:
        line, col = _locate(doc, path)
        self.problems.append(Problem(doc.file, line, col, _field(path), message))


def _languages(manifest: Document | None, found: _Collector) -> list[str]:
    """The manifest's language codes, which every other file is checked against."""
    codes = ["vi", "en"]
    langs = manifest.data.get("languages") if manifest is not None and isinstance(manifest.data, dict) else None
    if manifest is None or list(Draft202012Validator(schema.LANGUAGES).iter_errors(langs)):
        return codes  # the manifest's own schema check reports what is wrong
    codes = [lang["code"] for lang in langs]
    for i, lang in enumerate(langs):
        if lang["code"] in codes[:i]:
            found.add(manifest, ("languages", i, "code"), f"language {lang['code']!r} is listed twice")
        try:
            if Locale.parse(lang["locale"]).language != lang["code"]:
                found.add(manifest, ("languages", i, "locale"),
                          f"locale {lang['locale']!r} is not a locale of language {lang['code']!r}")
        except (UnknownLocaleError, ValueError):
            found.add(manifest, ("languages", i, "locale"), f"{lang['locale']!r} is not a locale Babel knows")
        if "fallback" in lang and (lang["fallback"] not in codes or lang["fallback"] == lang["code"]):
            others = ", ".join(c for c in codes if c != lang["code"]) or "none"
            found.add(manifest, ("languages", i, "fallback"), f"{lang['fallback']!r} is not another language of the "
                                                              f"publication ({others})")
    return list(dict.fromkeys(codes))


def _listed(root: Path, manifest: Document, found: _Collector) -> list[tuple[int, str]]:
    """(index, file) of each section the manifest lists, once each, inside the folder."""
    entries = manifest.data.get("sections") if isinstance(manifest.data, dict) else None
    listed = []
    for i, entry in enumerate(entries if isinstance(entries, list) else []):
        if not isinstance(entry, str):
            continue  # the schema says what is wrong with it
        if entry in [e for _, e in listed]:
            found.add(manifest, ("sections", i), f"{entry} is listed twice; a section appears once")
        elif confined(root, entry):
            found.add(manifest, ("sections", i), confined(root, entry))
        elif not (root / entry).is_file():
            found.add(manifest, ("sections", i), f"section file {entry} is missing from {root}")
        else:
            listed.append((i, entry))
    return listed


def _check_section(doc: Document, codes: list[str], found: _Collector) -> str | None:
    """The kind of a section file, once its schema and its kind's own rules pass; else None."""
    data = doc.data
    known = ", ".join(KINDS)
    if not isinstance(data, dict):
        found.add(doc, (), f"expected a mapping of fields (kind, title, …), got {type(data).__name__}")
        return None
    kind = data.get("kind")
    if kind is None:
        found.add(doc, ("kind",), f"is missing: say what the section is, one of: {known}")
        return None
    if kind not in KINDS:
        found.add(doc, ("kind",), f"unknown kind {kind!r}{_did_you_mean(kind, list(KINDS))}; the known kinds are: {known}")
        return None
    before = len(found.problems)
    found.problems += _schema_problems(doc, KINDS[kind].schema(codes, list(KINDS)))
    if len(found.problems) > before:
        return None
    for path, message in getattr(KINDS[kind], "check", lambda _: [])(data):
        found.add(doc, path, message)
    return kind


def _provenance(doc: Document, codes: list[str], source_ids: set[str], found: _Collector) -> None:
    """Every citation names a source of the manifest, every `ours` a language of the publication."""
    for path, value in nodes(doc.data):
        if not isinstance(value, dict):
            continue
        for i, ref in enumerate(value.get("sources") if isinstance(value.get("sources"), list) else []):
            if isinstance(ref, str) and ref not in source_ids:
                found.add(doc, path + ("sources", i),
                          f"source {ref!r} is not listed in {MANIFEST} sources ({', '.join(sorted(source_ids))})")
        for i, lang in enumerate(value.get("ours") if isinstance(value.get("ours"), list) else []):
            if isinstance(lang, str) and lang not in codes:
                found.add(doc, path + ("ours", i),
                          f"{lang!r} is not one of the publication's languages{_did_you_mean(lang, codes)} "
                          f"({', '.join(codes)})")


def _layouts(manifest: Document, codes: list[str], found: _Collector) -> None:
    """Facing pages and the flip book pair two of the publication's languages, in a brochure."""
    data = manifest.data
    others = [layout for layout in data.get("layouts", []) if layout != "columns"]
    if others and (len(codes) < 2 or data.get("format", "brochure") != "brochure"):
        found.add(manifest, ("layouts",), f"{', '.join(others)} need a brochure in two or more languages; "
                                          "this publication can only have [columns]")
    if data.get("format") == "fact-sheet" and data.get("paper") == "a5":
        found.add(manifest, ("paper",), "a fact sheet is printed on a4 or letter")
    for i, code in enumerate(data.get("pair", [])):
        if code not in codes:
            found.add(manifest, ("pair", i), f"{code!r} is not one of the publication's languages ({', '.join(codes)})")


def _sources(root: Path, manifest: Document, found: _Collector) -> set[str]:
    """The ids of the manifest's sources; each must be unique and its file present."""
    ids = set()
    sources = manifest.data.get("sources") if isinstance(manifest.data, dict) else None
    for i, source in enumerate(sources if isinstance(sources, list) else []):
        if not isinstance(source, dict) or not isinstance(source.get("id"), str):
            continue
        if source["id"] in ids:
            found.add(manifest, ("sources", i, "id"), f"source id {source['id']!r} is used twice")
        ids.add(source["id"])
        if "accessed" in source and "url" not in source:
            found.add(manifest, ("sources", i, "accessed"), "is the date the url was read, but the source has no url")
        file = source.get("file")
        if isinstance(file, str) and confined(root, file):
            found.add(manifest, ("sources", i, "file"), confined(root, file))
        elif isinstance(file, str) and not (root / file).is_file():
            found.add(manifest, ("sources", i, "file"), f"{file} is missing: copy the source text into the folder")
    return ids


def _unlisted(root: Path, used: set[str]) -> list[Problem]:
    """YAML files in the folder that nothing lists: probably a section someone forgot to add."""
    return [Problem(str(path), None, None, "", f"is not listed in {MANIFEST} sections, so it is not built; "
                                               "add it there, or remove the file")
            for path in sorted(root.rglob("*.yaml")) if path.relative_to(root).as_posix() not in used]


def load(root: Path, strict: bool = True, charset: frozenset[int] | None = None, brand=None) -> Publication:
    """Read the manifest and every file it lists, check everything, and raise one ContentError
    listing all problems.

    brand: the publication's brand.Brand, read by the caller (its logo is the manifest's, unless
    the manifest names a file of its own).

    strict: a missing translation is an error. Otherwise (a draft) the text falls back to a
    language it has, visibly marked "[en] …", and publication.fallbacks lists every such place.
    charset: the code points the fonts can draw; any other character is an error.
    """
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), None, None, "", "publication folder does not exist")])
    found = _Collector()
    manifest, problems = read_yaml(root / MANIFEST, str(root / MANIFEST))
    if manifest is None:
        if not (root / MANIFEST).exists() and any(root.glob(f"*/{MANIFEST}")):
            problems = [Problem(str(root), None, None, "", "holds several publications; build one with "
                                                           "--content <folder>/<publication>")]
        raise ContentError(problems)
    codes = _languages(manifest, found)
    docs = {MANIFEST: manifest}
    manifest_problems = _schema_problems(manifest, schema.manifest(codes))
    found.problems += manifest_problems
    listed = _listed(root, manifest, found)
    errata_file = manifest.data.get("errata") if isinstance(manifest.data, dict) else None
    if isinstance(errata_file, str) and confined(root, errata_file):
        found.add(manifest, ("errata",), confined(root, errata_file))
        errata_file = None
    for file in [entry for _, entry in listed] + ([errata_file] if isinstance(errata_file, str) else []):
        doc, read_problems = read_yaml(root / file, str(root / file))
        found.problems += read_problems
        if doc is not None:
            docs[file] = doc

    sections = []
    for _, file in listed:
        if file in docs:
            kind = _check_section(docs[file], codes, found)
            if kind is not None:
                sections.append(Section(file, _section_id(file), kind, docs[file].data))
    if isinstance(errata_file, str) and errata_file in docs:
        found.problems += _schema_problems(docs[errata_file], schema.errata(codes))
    if not manifest_problems:
        _layouts(manifest, codes, found)
        source_ids = _sources(root, manifest, found)
        for doc in docs.values():
            _provenance(doc, codes, source_ids, found)
        if isinstance(errata_file, str) and errata_file in docs and isinstance(docs[errata_file].data, dict):
            for i, fix in enumerate(docs[errata_file].data.get("corrections") or []):
                if isinstance(fix, dict) and isinstance(fix.get("source"), str) and fix["source"] not in source_ids:
                    found.add(docs[errata_file], ("corrections", i, "source"),
                              f"source {fix['source']!r} is not listed in {MANIFEST} sources")
        ids = [s.id for s in sections]
        for i, file in listed:
            if ids.count(_section_id(file)) > 1:
                found.add(manifest, ("sections", i), f"{file} gives the same section id as another file "
                                                     f"({_section_id(file)}); rename one of them")

    images, picture_warnings = {}, []
    brand_folders = _brand_logo(root, manifest, brand, found) if not manifest_problems else ()
    well_formed = ([(manifest, False)] if not manifest_problems else []) + \
        [(docs[section.file], section.kind == "figure") for section in sections]
    for doc, whole in well_formed:  # a picture's fields are checked once its file passed its schema
        files, errors, warnings = pictures.check(root, pictures.find(doc.data, whole=whole), strict, brand_folders)
        images.update(files)
        for path, message in errors:
            found.add(doc, path, message)
        for path, message in warnings:
            line, col = _locate(doc, path)
            picture_warnings.append(Problem(doc.file, line, col, _field(path), message))

    texts, stale, lock_entries = [], [], {}
    if not manifest_problems:
        texts, stale, lock_entries = _translations(
            root, {MANIFEST: manifest, **{s.file: docs[s.file] for s in sections}}, codes, found)
    fallback_of = {lang["code"]: lang.get("fallback") for lang in manifest.data["languages"]} \
        if not manifest_problems else {}
    fallbacks = []
    for name, doc in docs.items():
        found.problems += _characters(doc, charset)
        for path, code, source in missing_translations(doc, codes, fallback_of):
            line, col = _locate(doc, path)
            fallbacks.append(Problem(doc.file, line, col, _field(path + (code,)), _missing(path, code, source)))
            if not strict:
                _fill(doc, path, code, source)
    if not strict:
        for problem, (doc, path) in stale:
            node = _node(doc, path[:-1])
            node[path[-1]] = STALE_MARK + node[path[-1]]
    if not manifest_problems:
        typography = _typography(manifest.data, codes)
        _markup(manifest, codes, typography, found)
        for i, source in enumerate(manifest.data["sources"]):  # a source's title is in its own language
            own = typography.get(source["language"], typography[codes[0]])
            _parse_text(manifest, ("sources", i, "title"), own, found)
        _notes(manifest, codes, found, allowed=False)
        for section in sections:
            _markup(docs[section.file], codes, typography, found)
            _notes(docs[section.file], codes, found)
    problems = found.problems + ([*fallbacks, *(problem for problem, _ in stale)] if strict else [])
    if problems:
        error = ContentError(list(dict.fromkeys(problems)))  # two rules may say the same thing
        error.languages = codes  # so the catalogs can still be checked and reported with these
        raise error
    used = {MANIFEST, *(entry for _, entry in listed), *([errata_file] if errata_file else [])}
    return Publication(root=root, manifest=manifest.data, sections=sections,
                       errata=docs[errata_file].data if errata_file else None, images=images,
                       fallbacks=fallbacks, warnings=_unlisted(root, used) + picture_warnings,
                       texts=texts, stale=[problem for problem, _ in stale], lock=lock_entries, brand=brand)


def _brand_logo(root: Path, manifest: Document, brand, found: _Collector) -> tuple[Path, ...]:
    """The brand's logo as the manifest's logo file, where the manifest names none; the folders
    its file may then be in (the brand file's)."""
    logo = getattr(brand, "logo", None)
    if logo is None or "image" in (manifest.data.get("logo") or {}):
        return ()
    if not isinstance(manifest.data.get("logo"), dict):
        found.add(manifest, ("logo",), f"is missing: the brand has a logo ({logo.where.file}:{logo.where.line}), "
                                       "so say what it shows in every language (logo: {alt: {…}}), or mark it "
                                       "logo: {decorative: true}")
        return ()
    manifest.data["logo"]["image"] = os.path.relpath(logo.path, root)
    return (logo.folder,)


# How a draft marks a translation whose original changed since it was made (as "[en] " marks a
# text shown in another language); escaped, so that the brackets are text, not markup.
STALE_MARK = "\\[stale\\] "


def _translations(root: Path, docs: dict[str, Document], codes: list[str], found: _Collector):
    """Every text with the state of each translation (translation/lock.py), and a problem for each
    translation whose original changed since it was made (or that was imported for review).
    docs: file name as the manifest lists it -> document, the manifest first."""
    from .translation import lock
    from .translation.texts import REVIEW, STALE, collect
    entries, problems = lock.read(root)
    found.problems += problems
    texts = [text for name, doc in docs.items() for text in collect(name, doc.data, codes)]
    lock.states(texts, entries, codes)
    stale = []
    for text in texts:
        doc = docs[text.file]
        for code, state in text.translations.items():
            if state not in (STALE, REVIEW):
                continue
            line, col = _locate(doc, text.path + (text.original,))
            at = f"{doc.file}:{line}:{col} [{_field(text.path + (text.original,))}]"
            confirm = f"make translation-confirm PUB={root.name} UNIT='{text.id}' TO={code}"
            why = (f"was translated from its {text.original} original ({at}), which has changed since"
                   if state == STALE else f"was imported marked for review; its {text.original} original is at {at}")
            tline, tcol = _locate(doc, text.path + (code,))
            stale.append((Problem(doc.file, tline, tcol, _field(text.path + (code,)),
                                  f"{why}: translate it again (make translation-export PUB={root.name} TO={code}), "
                                  f"or, if it still holds, confirm it: {confirm}"), (doc, text.path + (code,))))
    return texts, stale, entries
