"""Load and validate the content folder: every problem is collected, none is raised alone."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

import yaml
from babel import Locale, UnknownLocaleError
from jsonschema import Draft202012Validator, FormatChecker

from . import schema
from .errors import ContentError, Problem



class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so the schema (not YAML 1.1) decides what a date is."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class Document:
    file: str
    data: object
    marks: dict  # path (tuple of keys and list indices) -> (line, column), both 1-based


@dataclass
class Pack:
    """Everything a build needs, read and checked."""
    root: Path
    publication: dict
    mission: dict
    facts: dict
    timeline: dict
    speech: dict
    news: dict
    errata: dict
    fallbacks: list  # Problems: translations missing and filled from another language (drafts)

    @property
    def languages(self) -> list[str]:
        return [lang["code"] for lang in self.publication["languages"]]

    @property
    def locales(self) -> dict[str, str]:
        return {lang["code"]: lang["locale"] for lang in self.publication["languages"]}


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
    loader = None
    try:
        loader = _Loader(text)  # the reader rejects non-printable characters right here
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.reader.ReaderError as exc:
        before = text[: exc.position]
        line, col = before.count("\n") + 1, exc.position - before.rfind("\n")
        return None, [Problem(label, line, col, "", f"contains the control character U+{exc.character:04X}; "
                                                    "delete it")]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        what = getattr(exc, "problem", None) or str(exc)
        if "'\\t'" in what:  # PyYAML's wording for a tab it cannot accept
            what = "a tab character; indent with spaces only"
        return None, [Problem(label, mark.line + 1 if mark else None, mark.column + 1 if mark else None,
                              "", f"YAML syntax error: {what}")]
    finally:
        if loader is not None:
            loader.dispose()
    if node is None:
        return None, [Problem(label, None, None, "", "file has no content")]
    return Document(label, _nfc(data), _marks(node)), []


def _locate(doc: Document, path: tuple) -> tuple[int | None, int | None]:
    path = tuple(path)
    while path not in doc.marks and path:
        path = path[:-1]
    return doc.marks.get(path, (None, None))


def _field(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


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
        return path + (extra[0],), f"is not a known field here (expected one of: {', '.join(allowed)})"
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
    if kind == "oneOf":
        return path, "expected a whole number or a list of whole numbers"
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


def _nodes(value, path: tuple = ()):
    """Every node of a loaded document, with its path, parents before children."""
    yield path, value
    children = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in children:
        yield from _nodes(child, path + (key,))


def _characters(doc: Document, available: frozenset[int] | None) -> list[Problem]:
    """Control characters break layout and search (only newlines are allowed), and a character
    the fonts cannot draw would be set in a system font or as a box (the glyph gate)."""
    from .glyphs import describe, missing
    problems = []
    for path, value in _nodes(doc.data):
        if not isinstance(value, str):
            continue
        line, col = _locate(doc, path)
        control = [ch for ch in value if unicodedata.category(ch) == "Cc" and ch != "\n"]
        if control:
            problems.append(Problem(doc.file, line, col, _field(path),
                                    f"contains the control character U+{ord(control[0]):04X}; delete it"))
        elif available is not None:
            for ch in missing(value, available):
                problems.append(Problem(doc.file, line, col, _field(path),
                                        f"has a character the pack's fonts cannot draw: {describe(ch)}"))
    return problems


def missing_translations(doc: Document, codes: list[str]) -> list[tuple[tuple, str, str]]:
    """(path, missing language, language to fall back on) for every text lacking a language.

    A text is any mapping with at least one language code among its keys.
    """
    found = []
    for path, value in _nodes(doc.data):
        if isinstance(value, dict):
            present = [c for c in codes if isinstance(value.get(c), str)]
            if present:
                found += [(path, code, present[0]) for code in codes if code not in value]
    return found


class Fallback(str):
    """Text shown in another language because its translation is missing (draft builds only)."""


def _fill(doc: Document, path: tuple, code: str, source: str) -> None:
    node = doc.data
    for key in path:
        node = node[key]
    node[code] = Fallback(f"[{source}] {node[source]}")


def _cross_checks(docs: dict[str, Document], codes: list[str]) -> list[Problem]:
    """Rules that span fields or files: order, range, known seeds and languages.

    `docs` holds the files that passed their schema; a rule runs when its files are there.
    """
    problems = []
    pub = docs.get("publication.yaml")
    if pub is None:
        return problems
    seeds = set(pub.data["seeds"])
    first, last = pub.data["range"]

    def problem(doc, path, message):
        line, col = _locate(doc, path)
        problems.append(Problem(doc.file, line, col, _field(path), message))

    langs = pub.data["languages"]
    seen = set()
    for i, lang in enumerate(langs):
        if lang["code"] in seen:
            problem(pub, ("languages", i, "code"), f"language {lang['code']!r} is listed twice")
        seen.add(lang["code"])
        try:
            if Locale.parse(lang["locale"]).language != lang["code"]:
                problem(pub, ("languages", i, "locale"),
                        f"locale {lang['locale']!r} is not a locale of language {lang['code']!r}")
        except (UnknownLocaleError, ValueError):
            problem(pub, ("languages", i, "locale"), f"{lang['locale']!r} is not a locale Babel knows")
    if first > last:
        problem(pub, ("range",), f"range starts after it ends ({first} > {last})")

    def provenance(doc, item, path):
        for i, seed in enumerate(item.get("seeds", [])):
            if seed not in seeds:
                problem(doc, path + ("seeds", i), f"seed {seed!r} is not listed in publication.yaml seeds")
        for i, lang in enumerate(item.get("ours", [])):
            if lang not in codes:
                problem(doc, path + ("ours", i), f"{lang!r} is not one of the pack's languages ({', '.join(codes)})")

    for name, doc in docs.items():
        if name == "mission.yaml":
            for p, part in enumerate(doc.data["parts"]):
                for q, para in enumerate(part["paragraphs"]):
                    provenance(doc, para, ("parts", p, "paragraphs", q))
        elif name in ("facts.yaml", "timeline.yaml"):
            key = "facts" if name == "facts.yaml" else "entries"
            for i, item in enumerate(doc.data[key]):
                provenance(doc, item, (key, i))
        elif name in ("speech.yaml", "news.yaml"):
            provenance(doc, doc.data, ())
        elif name == "errata.yaml":
            for i, fix in enumerate(doc.data["corrections"]):
                if fix["seed"] not in seeds:
                    problem(doc, ("corrections", i, "seed"), f"seed {fix['seed']!r} is not listed in publication.yaml seeds")

    timeline = docs.get("timeline.yaml")
    if timeline is None:
        return problems
    previous, texts = None, {}
    for i, entry in enumerate(timeline.data["entries"]):
        year = entry["year"]
        if not first <= year <= last:
            problem(timeline, ("entries", i, "year"), f"year {year} is outside the pack's range {first}–{last}")
        if previous is not None and year < previous:
            problem(timeline, ("entries", i, "year"),
                    f"year {year} comes after {previous}; entries must be in chronological order")
        previous = year
        for code in (c for c in codes if c in entry):  # a missing one is reported on its own
            key = (code, " ".join(entry[code].split()))
            if key in texts:
                problem(timeline, ("entries", i, code), f"duplicates entry {texts[key]} ({code})")
            texts.setdefault(key, i)
    return problems


def load(root: Path, strict: bool = True, charset: frozenset[int] | None = None) -> Pack:
    """Read every content file, check everything, and raise one ContentError listing all problems.

    strict: a missing translation is an error. Otherwise (a draft) the text falls back to a
    language it has, visibly marked "[en] …", and pack.fallbacks lists every such place.
    charset: the code points the fonts can draw; any other character is an error.
    """
    root = Path(root)
    if not root.is_dir():
        raise ContentError([Problem(str(root), None, None, "", "content folder does not exist")])
    docs, problems = {}, []
    for name in schema.FILES:
        doc, found = read_yaml(root / name, str(root / name))
        problems += found
        if doc is not None:
            docs[name] = doc

    pub = docs.get("publication.yaml")
    codes = ["vi", "en"]
    if pub is not None:
        lang_errors = list(Draft202012Validator(schema.PUBLICATION_LANGS).iter_errors(
            pub.data.get("languages") if isinstance(pub.data, dict) else None))
        if not lang_errors:
            codes = [lang["code"] for lang in pub.data["languages"]]
            twice = {c for c in codes if codes.count(c) > 1}
            if twice:
                # Every other file is checked against this list: with it broken, say only that.
                for i, code in enumerate(codes):
                    if code in twice and codes.index(code) != i:
                        line, col = _locate(pub, ("languages", i, "code"))
                        problems.append(Problem(pub.file, line, col, f"languages[{i}].code",
                                                f"language {code!r} is listed twice"))
                raise ContentError(problems)
    valid, fallbacks = {}, []
    for name, doc in docs.items():
        found = _schema_problems(doc, schema.FILES[name](codes))
        problems += found + _characters(doc, charset)
        if not found:
            valid[name] = doc
        for path, code, source in missing_translations(doc, codes):
            line, col = _locate(doc, path)
            fallbacks.append(Problem(doc.file, line, col, _field(path + (code,)),
                                     f"is missing (no {code} translation)"))
            if not strict and not found:
                _fill(doc, path, code, source)
    problems += _cross_checks(valid, codes)
    if strict:
        problems += fallbacks
    if problems:
        error = ContentError(list(dict.fromkeys(problems)))  # two rules may say the same thing
        error.languages = codes  # so the catalogs can still be checked and reported with these
        raise error
    return Pack(root=root, fallbacks=fallbacks,
                **{name.removesuffix(".yaml"): doc.data for name, doc in docs.items()})
