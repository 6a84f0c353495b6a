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

A publication is a folder in `content/`, named with lower-case letters, digits and hyphens
(`visit-briefing`: the name `make … PUB=` takes): a manifest, `publication.yaml`, and one YAML file
per section, listed in the manifest's `sections` in reading order. File names inside the folder may
be anything; any valid YAML is read the same, however it is quoted or laid out. Each section file names its
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
        if any(option.get("type") == "number" for option in prop["oneOf"]):
            return "text, or a number"
        if any(option.get("x-text") for option in prop["oneOf"]):
            return "line, or text"
        return "whole number, or a list of them"
    kind = prop.get("type")
    if kind == "array":
        items = prop["items"]
        if items.get("x-item"):
            return "list of items"
        if "if" in items:
            return "list of paragraphs and blocks"
        if items.get("type") == "array":
            return f"list of rows, each a list of: {_what(items['items'])}"
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
        if prop.get("x-item"):
            rows.append((f"`{field}.<lang>`", "yes", "text", "its text in each language"))
        if prop.get("type") == "object" and not prop.get("x-text"):
            rows += _rows(prop, f"{field}.")
        if isinstance(prop.get("additionalProperties"), dict):  # a mapping by id: the notes
            entry = prop["additionalProperties"]
            rows.append((f"`{field}.<id>.<lang>`", "", "text", entry.get("description", "")))
            rows += _rows(entry, f"{field}.<id>.")
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


BLOCKS = """
## Lists, tables, quotations and notes

A `prose` section's `paragraphs` may hold, between its paragraphs, a `heading`, a `figure`, a
`list`, a `table` or a `quote` (see `prose` below for their fields and an example). Each is written
once, with every language side by side in each of its texts, so that the languages stay in step:

| block | bilingual columns edition | facing pages and flip book | EPUB |
| --- | --- | --- | --- |
| `list` | one list; each item holds every language side by side | each language's own list; a list of more than 5 items keeps each item in step | `<ul>` or `<ol>` |
| `table` | a narrow one (2 columns, texts of up to 30 characters) in each language side by side; any other set once across the full width, each heading and text cell in every language, one under the other, a number once | each language's own table, its numbers in that language's style (14.000 / 14,000) | `<table>` with `<caption>` and `<th scope>` |
| `quote` | the languages side by side, then who said it; `pull: true` sets it large | each language's own quotation | `<blockquote>` with `<cite>` |
| note | at the foot of the page, in each language | at the foot of each language's page | a footnote, shown where its marker is tapped |

A table's header row repeats on every page it runs onto. A table of more than 6 columns, or one
whose words make it wider than the page, is an error that names it: nothing is cut off.

**Notes.** A section's `notes` holds its footnotes by id; a text calls one with the marker `[^id]`
(after the word or figure it explains, no space before it), in every language:

```yaml
facts:
  - value: [111, 1]
    format: number
    vi: ngư dân hồi hương[^fishermen]
    en: fishermen returned home[^fishermen]
notes:
  fishermen:
    vi: 111 ngư dân từ Micronesia và 1 từ Papua New Guinea.
    en: 111 fishermen from Micronesia and 1 from Papua New Guinea.
```

Notes are numbered through the publication in reading order. Each note is called exactly once in
each language, by the same text; a marker without its note, a note no text calls, or translations
that call different notes are errors, and so is a marker in a title, a heading, a headline or
dateline, or a picture's caption, credit, alt text or chart labels.
"""


LIMITS = """
## Limits

Generous for real content, so that a broken or hostile file is an error at its line at once:

| what | limit |
| --- | --- |
| a YAML file | 2 MB |
| nesting of mappings and lists | 32 levels |
| values a file stands for, an alias (`*name`) counted each time it is used | 100,000 |
| digits of a number | 30 (quote it if it is text) |
| a paragraph, or any text of several lines | 20,000 characters |
| a one-line text | 1,000 characters, or its field's own limit |
| a word (the characters between two spaces) | 40 characters: write a long web address as a link |
| markup inside markup (`*`, `**`, links, spans) | 16 levels |
| notes in one section | 100 |
| an SVG picture | 2 MiB; 50,000 shapes once its `<use>` elements are expanded; 60 million pixels of embedded pictures |
| a raster picture (PNG, JPEG) | 60 million pixels |
| a publication folder's name | 64 characters: lower-case letters, digits and hyphens |

A key given twice in one mapping is an error (YAML would keep only the last). Control characters
and the bidirectional controls U+202A–U+202E and U+2066–U+2069, which can show a text in another
order than it is stored, are refused. Every file the content names (sections, sources, the
errata) must be a regular file inside the publication folder, also through symbolic links.
Within these limits no text takes more than a few seconds to lay out: WeasyPrint's cost grows
faster than the length of a word, which is why words are limited. A repository inside a
publication folder is never asked for the date, and no content can make the builder run a
program.
"""


def markdown() -> str:
    out = [HEADER, MARKUP, BLOCKS, LIMITS, "\n## The manifest: `publication.yaml`\n\n", _table(_rows(schema.manifest(CODES))),
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
