"""Inline markup and typography in every text, applied once at load time, so that every medium,
the outline and the search text get the same characters.

The markup is a small subset of CommonMark, parsed by markdown-it-py (with mdit-py-plugins for
spans and superscript): *emphasis*, **strong**, [links](https://…) (https, http, mailto and tel
only), passages in another language as [words]{lang=en}, a hard line break (a backslash at the
end of a line) and superscript (m^2^). Everything else prints as typed: raw HTML, code, images,
autolinks and entities are switched off. A text is parsed inline only, so "1. " or "# " at its
start is never a list or a heading. A note marker, [^id] (mdit-py-plugins' footnote syntax), calls
the note of that id in the section's `notes` (checked in content.py, numbered in model.py).

The typography is per language: curly quotes in the language's own style (markdown-it's
smartquotes), and, in this module, dashes, the ellipsis, spaces and no-break spaces. Writing a
backslash before a character keeps it as typed (\\" stays straight).
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlsplit

SCHEMES = ("https", "http", "mailto", "tel")
QUOTES = "“”‘’"   # English and Vietnamese: double, then single (and the apostrophe ’)
TAGS = {"em_open": "em", "strong_open": "strong", "sup_open": "sup", "link_open": "a", "span_open": "span"}
NBSP = "\u00a0"
NOTE_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
MAX_WORD = 40     # characters between two spaces: WeasyPrint's line breaking costs more than linearly with a
# word's length (20,000 characters in words of 50: 3x the time of ordinary words; README, "Limits")
MAX_NESTING = 16  # emphasis in a link in a span…: every medium walks the nesting, and a text needs a few
# Units set after a number with a no-break space between: SI symbols, currencies by code, per cent.
UNITS = r"%|‰|°C|km²|km|m²|m³|m|cm|mm|kg|g|ha|MW|kW|GB|MB|USD|EUR|VND"


class Rich(str):
    """A text as the reader sees it. As a str it is the plain form (PDF metadata, the outline, alt
    text, running heads, the EPUB's nav); `nodes` is the parsed form that each medium renders its
    own way: strings and {"tag": em | strong | sup | span | a | br, "children": […]} mappings,
    with "lang" on a span or link and "href" and "address" on a link, and {"tag": "note", "id": …}
    for a note marker (its number and text are added by model.number_notes)."""

    nodes: list

    def __new__(cls, nodes: list):
        self = super().__new__(cls, plain(nodes))
        self.nodes = nodes
        return self

    def __reduce__(self):
        return Rich, (self.nodes,)


def plain(nodes: list) -> str:
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(node)
        elif node["tag"] == "br":
            out.append(" ")
        elif node["tag"] == "note":
            continue  # a marker has no words of its own
        elif node["tag"] == "sup":
            text = plain(node["children"])
            out.append(text.translate(_SUPERSCRIPT) if set(text) <= set(_SUPERSCRIPT_FROM) else text)
        else:
            out.append(plain(node["children"]))
    return "".join(out)


_SUPERSCRIPT_FROM = "0123456789+-=()n"
_SUPERSCRIPT = str.maketrans(_SUPERSCRIPT_FROM, "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿ")


def walk(nodes: list):
    """Every mapping node, parents first."""
    for node in nodes:
        if isinstance(node, dict):
            yield node
            yield from walk(node.get("children", []))


def notes(nodes: list) -> list[str]:
    """The ids of a text's note markers, in reading order."""
    return [node["id"] for node in walk(nodes) if node["tag"] == "note"]


@dataclass(frozen=True)
class Typography:
    """One language's conventions: its quotation marks (double open and close, single open and
    close) and the phrases that must never break across lines."""
    quotes: str = QUOTES
    nobreak: tuple[str, ...] = ()


@functools.cache
def _parser(quotes: str, typeset_text: bool = True):
    """markdown-it set up for the subset above. typeset_text=False: the text as typed, for the
    translation files (translation/inline.py), which carry the markup but no typography."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.attrs import attrs_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    md = MarkdownIt("commonmark", {"typographer": typeset_text, "quotes": quotes})
    md.disable(["backticks", "html_inline", "autolink", "entity", "image"])
    # markdown-it's `replacements` would also turn "(c)" of a list into ©: dashes and the
    # ellipsis are done by _typography instead, which knows the spaced hyphen and year ranges.
    md.enable(["smartquotes"])
    md.use(attrs_plugin, spans=True, after=("link_close", "span_close"), allowed=("lang",))
    md.use(superscript_plugin)
    # Markers only: a note's text is a field of its own, so that it has a text per language.
    md.use(footnote_plugin, inline=False, always_match_refs=True)
    md.validateLink = lambda url: True  # every link parses, so that a bad scheme is reported, not printed
    if typeset_text:
        md.core.ruler.before("text_join", "briefing_typography", _typography)
    return md


def _typography(state) -> None:
    """Runs on the literal text only: escaped characters (\\" \\-) and link targets are left alone."""
    for token in state.tokens:
        if token.type != "inline":
            continue
        literal = []
        for i, child in enumerate(token.children or []):
            if child.type == "text":
                literal.append(child.content)
                # A single quote smartquotes left alone opens nothing: it is an apostrophe (’90s).
                child.content = typeset(child.content, state.env.get("nobreak", ()), start=i == 0).replace("'", "’")
                if '"' in child.content:  # smartquotes found no partner for it
                    state.env["unpaired"] = True
        state.env.setdefault("literal", []).append("".join(literal))


_YEARS = re.compile(r"(?<![\d\-–/.,:])(1\d{3}|20\d{2})-(1\d{3}|20\d{2})(?![\d\-/])")


def typeset(text: str, nobreak=(), start: bool = True) -> str:
    """Dashes, ellipsis, spaces and no-break spaces. start: the text begins the whole text (a
    hyphen there is not between words)."""
    text = text.replace("...", "…").replace("---", "—")
    text = re.sub(r"(?<=[^-\s])--(?=[^-\s])|(?<=\s)--(?=\s)", "–", text)
    text = re.sub(r"(?<=\S) - (?=\S)" if start else r"(?:(?<=\S)|^) - (?=\S)", " – ", text)
    text = _YEARS.sub(lambda m: f"{m[1]}–{m[2]}" if int(m[1]) < int(m[2]) else m[0], text)
    text = re.sub(rf"[ \t]*{NBSP}[ \t]*", NBSP, text)
    text = re.sub(r"[ \t]{2,}", " ", text)
    text = re.sub(rf"(\d) ({UNITS})(?!\w)", rf"\1{NBSP}\2", text)
    for phrase in nobreak:
        text = re.sub(rf"(?<!\w){re.escape(phrase)}(?!\w)", phrase.replace(" ", NBSP), text)
    return text


def parse(text: str, typography: Typography = Typography(), typeset_text: bool = True) -> tuple[Rich, list[str]]:
    """A text's parsed form, and what is wrong with its markup (one sentence each). typeset_text:
    False leaves quotes, dashes and spaces as typed."""
    md = _parser(typography.quotes, typeset_text)
    env = {"nobreak": typography.nobreak}
    tokens = md.parseInline(text, env)
    problems = _brackets("".join(env.get("literal", [])))
    if env.get("unpaired"):
        problems.append('has a " with no partner: close the quotation, or write \\" for a straight quote mark')
    root: list = []
    stack, open_tags = [root], []
    for token in tokens[0].children or []:
        if token.type in ("text", "text_special"):
            _append(stack[-1], token.content)
        elif token.type == "softbreak":
            _append(stack[-1], " ")
        elif token.type == "hardbreak":
            stack[-1].append({"tag": "br"})
        elif token.type == "footnote_ref":
            label = token.meta["label"]
            if not NOTE_ID.fullmatch(label):
                problems.append(f"[^{label}] is not a note marker: a note's id is lower-case letters, digits "
                                "and hyphens, [^sum]")
            elif "a" in open_tags:
                problems.append(f"a link's text cannot hold a note marker: put [^{label}] after the link")
            stack[-1].append({"tag": "note", "id": label})
        elif token.type in TAGS and len(stack) > MAX_NESTING:
            problems.append(f"has markup nested more than {MAX_NESTING} levels deep (*, **, links, spans inside one "
                            "another); a text needs two or three")
            return Rich(["".join(t.content for t in tokens[0].children or [] if t.type in ("text", "text_special"))]), problems
        elif token.type in TAGS:
            node = {"tag": TAGS[token.type], "children": []}
            problems += _attributes(md, token, node)
            if "a" in open_tags:
                # WeasyPrint files such a link's annotation under the inner element, not the Link
                # (PDF/UA-1 7.18.5); markup around the link is tagged correctly.
                problems.append("a link's text cannot hold other markup: put it around the link, "
                                "**[text](https://…)**, or set its language after it, [text](https://…){lang=en}")
            stack[-1].append(node)
            stack.append(node["children"])
            open_tags.append(node["tag"])
        elif token.type.endswith("_close"):
            stack.pop()
            open_tags.pop()
    rich = Rich(root)
    longest = max(rich.split(), key=len, default="")
    if len(longest) > MAX_WORD:
        problems.append(f"has a word of {len(longest):,} characters (“{longest[:20]}…”); a word may have "
                        f"{MAX_WORD} at most, since a line cannot break inside it: is a space missing? (Write a "
                        "long web address as a link: [text](https://…))")
    return rich, problems


def _append(nodes: list, text: str) -> None:
    if nodes and isinstance(nodes[-1], str):
        nodes[-1] += text
    elif text:
        nodes.append(text)


def _brackets(literal: str) -> list[str]:
    """Brackets that open no link or span: a link or span whose closing part is missing or broken."""
    problems = []
    broken = re.search(r"\]\s?[({]", literal)
    if broken:
        snippet = literal[max(0, literal.rfind("[", 0, broken.start())):broken.end() + 20]
        problems.append(f"“{snippet.strip()}…” is neither a link [text](https://…) "
                        "nor a span [text]{lang=en}: "
                        "check its brackets and target")
    depth = 0
    for ch in literal:
        depth += {"[": 1, "]": -1}.get(ch, 0)
        if depth < 0:
            problems.append("has a ] with no [ before it; write \\] for a bracket")
            break
    if depth > 0:
        problems.append("has an unclosed [; close the link or span, or write \\[ for a bracket")
    return problems


def _attributes(md, token, node: dict) -> list[str]:
    problems = []
    rejected = sorted(token.meta.get("insecure_attrs", {}) if token.meta else {})
    if rejected:
        problems.append(f"only lang may be set in {{…}}, not {', '.join(rejected)}")
    lang = token.attrs.get("lang")
    if node["tag"] in ("span", "a") and lang is not None:
        lang = str(lang)
        if not _valid_lang(lang):
            problems.append(f"{{lang={lang}}} is not a BCP 47 language tag (write en, vi, fr, zh-Hant…)")
        node["lang"] = lang
    elif node["tag"] == "span" and not rejected:
        problems.append("a [span] needs its language: [words]{lang=en}")
    if node["tag"] == "a":
        href = str(token.attrs.get("href", ""))
        parts = urlsplit(href)
        scheme = parts.scheme.lower()
        if scheme not in SCHEMES:
            problems.append(f"link to “{href}”: only {', '.join(SCHEMES)} links are allowed")
        elif scheme in ("http", "https") and not parts.netloc:
            problems.append(f"link to “{href}” has no site name")
        elif scheme in ("mailto", "tel") and not parts.path:
            problems.append(f"link to “{href}” has no address")
        node["href"] = href
        node["address"] = address(md.normalizeLinkText(href))
    return problems


def address(href: str) -> str:
    """A link's target as a reader of paper types it: an e-mail address or phone number without
    its scheme, a web address as it is."""
    scheme, _, rest = href.partition(":")
    return rest if scheme.lower() in ("mailto", "tel") else href


@functools.cache
def _valid_lang(tag: str) -> bool:
    import langcodes
    return "_" not in tag and langcodes.tag_is_valid(tag)  # BCP 47 joins subtags with "-"


def primary(lang: str) -> str:
    return lang.split("-")[0].lower()


def _link_key(href: str) -> str:
    """Links agree across languages when they go to the same site: a page may have a version in
    each language (…/vi/…, …/en/…), but not another site."""
    parts = urlsplit(href)
    return parts.netloc.lower() if parts.scheme.lower() in ("http", "https") else href


def mismatches(texts: dict[str, Rich]) -> list[tuple[str, str]]:
    """(language, message) where a translation's markup differs from the first language's: links
    to other sites, or another number of them; another number of passages in a third language."""
    codes = [c for c, t in texts.items() if isinstance(t, Rich)]
    if len(codes) < 2:
        return []
    found = []
    summary = {}
    for code in codes:
        links, langs = Counter(), Counter()
        for node in walk(texts[code].nodes):
            if node["tag"] == "a":
                links[_link_key(node["href"])] += 1
            if node.get("lang") and primary(node["lang"]) != code:
                langs[primary(node["lang"])] += 1
        summary[code] = links, langs
    first = codes[0]
    for code in codes[1:]:
        (links_a, langs_a), (links_b, langs_b) = summary[first], summary[code]
        if links_a != links_b:
            found.append((code, f"has {_count(links_b, 'link')} where {first} has {_count(links_a, 'link')}: "
                                "the translations must link to the same sites"))
        for other in sorted(set(langs_a) | set(langs_b)):
            if other not in (first, code) and langs_a[other] != langs_b[other]:
                found.append((code, f"marks {langs_b[other]} passage(s) as {{lang={other}}} where {first} marks "
                                    f"{langs_a[other]}: mark them in every translation"))
    return found


def _count(counter: Counter, what: str) -> str:
    total = sum(counter.values())
    sites = ", ".join(sorted(counter.elements()))
    return f"{total} {what}{'' if total == 1 else 's'}" + (f" ({sites})" if sites else "")
