"""A text's Markdown as XLIFF inline codes, and back.

Links, emphasis, strong, superscript and language spans become paired codes (<g>), note markers
and line breaks standalone ones (<x>). A CAT tool shows them as tags the translator can move but
not break; the link's address, the span's language and the note's id are never in the file: they
are taken from the original when the translation comes back. The PO file carries the Markdown as
written instead (pofilter checks it)."""
from __future__ import annotations

from collections import Counter

from translate.storage.placeables import StringElem
from translate.storage.placeables import xliff as codes_

from .. import richtext

# The code of each markup node: (element, ctype). XLIFF 1.2 names bold, italic and link; the rest
# are extensions (x-…), as the standard provides.
CTYPE = {"strong": "bold", "em": "italic", "a": "link", "sup": "x-superscript", "span": "x-language",
         "note": "x-note", "br": "lb"}
TAG = {ctype: tag for tag, ctype in CTYPE.items()}
PAIRED = {"strong", "em", "a", "sup", "span"}


def parse(markdown: str) -> list:
    """The nodes of a text as typed (no typography), as richtext reads it."""
    rich, _ = richtext.parse(markdown, typeset_text=False)
    return rich.nodes


def key(node: dict, lang: str | None = None) -> tuple:
    """What a code stands for, across languages: a link by its site, a span by its language."""
    tag = node["tag"]
    if tag == "a":
        return tag, richtext._link_key(node["href"])
    if tag == "span":
        return tag, richtext.primary(node.get("lang", ""))
    if tag == "note":
        return tag, node["id"]
    return (tag,)


def _number(nodes: list, found: list) -> None:
    for node in nodes:
        if isinstance(node, dict):
            found.append(node)
            _number(node.get("children", []), found)


def source_rich(markdown: str) -> tuple[StringElem, dict[str, dict]]:
    """The original's text with inline codes, and each code's node by id (1, 2, …)."""
    ordered: list = []
    nodes = parse(markdown)
    _number(nodes, ordered)
    ids = {id(node): str(i) for i, node in enumerate(ordered, 1)}
    return _elem(nodes, ids), {ids[id(node)]: node for node in ordered}


def target_rich(markdown: str, by_id: dict[str, dict], lang: str) -> StringElem:
    """A translation with the original's code ids: each markup node takes the id of the first
    unused code of the original that stands for the same thing (a span in the target's own
    language, which the original may mark and the translation need not, has none to take)."""
    nodes, ordered = parse(markdown), []
    _number(nodes, ordered)
    free = list(by_id.items())
    ids, extra = {}, len(by_id)
    for node in ordered:
        match = next((i for i, (_, src) in enumerate(free) if key(src) == key(node)), None)
        if match is None:
            extra += 1
            ids[id(node)] = str(extra)
        else:
            ids[id(node)] = free.pop(match)[0]
    return _elem(nodes, ids)


def _elem(nodes: list, ids: dict) -> StringElem:
    parts = []
    for node in nodes:
        if isinstance(node, str):
            parts.append(node)
        elif node["tag"] in PAIRED:
            parts.append(codes_.G(id=ids[id(node)], sub=[_elem(node["children"], ids)],
                                  xml_attrib={"ctype": CTYPE[node["tag"]]}))
        else:
            parts.append(codes_.X(id=ids[id(node)], xml_attrib={"ctype": CTYPE[node["tag"]]}))
    return StringElem(parts)


def to_markdown(elem, by_id: dict[str, dict], current: list | None = None) -> tuple[str, list[str]]:
    """A translation's Markdown from its inline codes, with each code's address, language or note
    id from the original (a link keeps the translation's own address to the same site, where the
    translation in the YAML has one). Problems name each code that the original does not have."""
    problems: list[str] = []
    used: Counter = Counter()
    own = [n for n in _flat(current or []) if n["tag"] == "a"]

    def text(value: str) -> str:
        return "".join("\\" + ch if ch in "\\*_[]^`" else ch for ch in value)

    def walk(item) -> str:
        if isinstance(item, (codes_.G, codes_.X, codes_.Bx, codes_.Ex)) or type(item).__name__ in ("G", "X"):
            code = str(getattr(item, "id", ""))
            node = by_id.get(code)
            if node is None:
                problems.append(f"has the inline code {code}, which its source does not have")
                return "".join(walk(sub) for sub in item.sub)
            used[code] += 1
            inner = "".join(walk(sub) for sub in item.sub)
            return _write(node, inner, own)
        if isinstance(item, StringElem) and item.sub and not (len(item.sub) == 1 and isinstance(item.sub[0], str)):
            return "".join(walk(sub) for sub in item.sub)
        return text(str(item))

    out = "".join(walk(part) for part in (elem if isinstance(elem, list) else [elem]))
    for code, count in used.items():
        if count > 1:
            problems.append(f"uses the inline code {code} {count} times; the source has it once")
    return out, problems


def _write(node: dict, inner: str, own_links: list) -> str:
    tag = node["tag"]
    if tag == "strong":
        return f"**{inner}**"
    if tag == "em":
        return f"*{inner}*"
    if tag == "sup":
        return f"^{inner}^"
    if tag == "span":
        return f"[{inner}]{{lang={node['lang']}}}"
    if tag == "a":
        href = next((n["href"] for n in own_links if key(n) == key(node)), node["href"])
        return f"[{inner}]({href})" + (f"{{lang={node['lang']}}}" if node.get("lang") else "")
    if tag == "note":
        return f"[^{node['id']}]"
    return "\\\n"  # br: a hard line break


def _flat(nodes: list) -> list:
    found: list = []
    _number(nodes, found)
    return found


def mismatch(source: list, target: list, lang: str) -> list[str]:
    """What a translation's markup lost or added against its original's: links (by site), notes,
    emphasis, strong, superscript, line breaks and passages in another language. A span in the
    translation's own language may be dropped (an English name needs no mark in English)."""
    def count(nodes):
        return Counter(key(n) for n in _flat(nodes)
                       if not (n["tag"] == "span" and richtext.primary(n.get("lang", "")) == richtext.primary(lang)))
    want, got = count(source), count(target)
    problems = []
    for what in sorted(set(want) | set(got)):
        if want[what] != got[what]:
            problems.append(f"{_name(what)}: the original has {want[what]}, the translation {got[what]}")
    return problems


def _name(what: tuple) -> str:
    names = {"a": "link to {}", "span": "passage marked {{lang={}}}", "note": "note marker [^{}]",
             "em": "emphasis", "strong": "strong", "sup": "superscript", "br": "line break"}
    return names[what[0]].format(*what[1:])
