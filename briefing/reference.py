"""The content reference (content/README.md), generated from the schemas so that it cannot drift
from them: the manifest, every section kind with every field, and an example of each kind."""
from __future__ import annotations

import yaml

from . import schema
from .kinds import KINDS

CODES = ["vi", "en"]  # the languages the reference's examples are written in
HEADER = """# Content reference

Generated from the builder's schemas by `make reference`; do not edit by hand. A test checks
that it matches them.

A publication is a folder in `content/`: a manifest, `publication.yaml`, and one YAML file per
section, listed in the manifest's `sections` in reading order. Each section file names its
`kind`, one of the kinds below. A *text* is written in every language of the publication, side by
side: `{vi: …, en: …}`. An *item* is a text with optional provenance: `sources` (ids of the
manifest's sources) and `ours` (the languages the editorial team translated, marked * in print).
"""


def _what(prop: dict) -> str:
    if prop.get("x-text"):
        return "text"
    if "enum" in prop:
        return "one of: " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "oneOf" in prop:
        if any(option.get("x-text") for option in prop["oneOf"]):
            return "line, or text"
        return "whole number, or a list of them"
    kind = prop.get("type")
    if kind == "array":
        items = prop["items"]
        if items.get("x-item"):
            return "list of items"
        if "if" in items:
            return "list of items, sub-headings or figures"
        return f"list of {_what(items)}s" if items.get("type") != "object" else "list"
    return {"string": "line" if prop.get("pattern", "").startswith("^[^\\n]") else "string",
            "integer": "whole number", "boolean": "true or false", "object": "mapping"}.get(kind, kind or "")


def _rows(obj: dict, prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(field, required, type, description) of an object schema, nested fields after their parent."""
    rows, required = [], set(obj.get("required", []))
    for name, prop in obj.get("properties", {}).items():
        if name in CODES:
            continue  # the texts of an item: one row says it
        field = f"{prefix}{name}"
        rows.append((f"`{field}`", "yes" if name in required else "", _what(prop), prop.get("description", "")))
        if prop.get("type") == "object" and not prop.get("x-text"):
            rows += _rows(prop, f"{field}.")
        items = prop.get("items", {}) if prop.get("type") == "array" else {}
        while "if" in items:  # alternatives: a sub-heading, a figure, else a paragraph
            rows += _rows(items["then"], f"{field}[].")
            items = items["else"]
        if items.get("x-item") or "anyOf" in items:
            rows.append((f"`{field}[].<lang>`", "yes", "text", items.get("description", "")))
        if items.get("type") == "object":
            rows += _rows(items, f"{field}[].")
    return rows


def _table(rows) -> str:
    lines = ["| field | required | type | what it is |", "| --- | --- | --- | --- |"]
    lines += [f"| {f} | {r} | {t} | {d} |" for f, r, t, d in rows]
    return "\n".join(lines) + "\n"


MARKUP = """
## Writing a text: markup and typography

Every text (paragraphs, headings, titles, captions, fact labels, timeline entries, the speech and
article texts, the colophon, a source's title) may hold a little inline markup, a subset of
CommonMark parsed by markdown-it-py. Nothing else is markup: HTML, code, pictures and `&amp;`
print as typed.

| write | to get |
| --- | --- |
| `*emphasis*` | *emphasis* (upright inside a passage that is already italic) |
| `**strong**` | **strong** |
| `[IOM Viet Nam](https://vietnam.iom.int)` | a link: clickable in the PDF and the EPUB; the press PDF and the booklet print its address after it. Only `https`, `http`, `mailto` and `tel` links |
| `[the desk](mailto:desk@example.org)`, `[call](tel:+842438500100)` | an e-mail or telephone link |
| `[Intergovernmental Committee for European Migration]{lang=en}` | a passage in another language (a BCP 47 tag: `en`, `vi`, `fr`, `zh-Hant`), read in that language by screen readers |
| `[Migration Data Portal](https://…){lang=en}` | a link in another language (a link's text holds no other markup: write `**[text](…)**`) |
| `m^2^`, `1^st^` | superscript |
| a `\\` at the end of a line, in a `\\|` block | a line break |
| `\\"`, `\\'`, `\\*`, `\\[` | the character itself, straight and unchanged |

The translations of one text must carry the same links (to the same sites: a page may have one
address per language) and mark the same passages in a third language; a difference is an error
that names both languages. A name in language A inside the language-B text is marked there, not
in the A text, where it is already in its own language.

Typography is applied to every text, in each language's style, when the content is read, so that
the YAML stays as people type it: `"…"` and `'…'` become curly quotes (`quotes` in `languages`
sets another style) and `'` an apostrophe; a spaced hyphen between words and a year range
(`1987-2015`) get an en dash; `...` an ellipsis; runs of spaces collapse; a number and its unit or
`%` are joined by a no-break space; and the manifest's `no_break` phrases never break across lines.
A straight `"` left without a partner is an error.
"""


def markdown() -> str:
    out = [HEADER, MARKUP, "\n## The manifest: `publication.yaml`\n\n", _table(_rows(schema.manifest(CODES))),
           "\nA YAML file in the folder that the manifest does not list is reported as a warning: it is "
           "probably a forgotten section.\n",
           "\n## Section kinds\n\nEvery section file has these fields, then those of its kind:\n\n",
           _table(_rows({"properties": {k: v for k, v in schema.section(CODES, list(KINDS))["properties"].items()},
                         "required": ["kind", "title"]}))]
    for kind, module in KINDS.items():
        common = set(schema.section(CODES, list(KINDS))["properties"])
        own = module.schema(CODES, list(KINDS))
        own = {**own, "properties": {k: v for k, v in own["properties"].items() if k not in common}}
        example = yaml.safe_dump({"kind": kind, **module.EXAMPLE}, allow_unicode=True, sort_keys=False, width=100)
        about = " ".join(module.__doc__.split())
        out += [f"\n### `{kind}`\n\n{about} Template: `templates/sections/{kind}.html`.\n\n",
                _table(_rows(own)), f"\nExample:\n\n```yaml\n{example}```\n"]
    return "".join(out)
