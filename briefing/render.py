"""Jinja environment shared by the print and EPUB paths."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .errors import Problem, RenderError
from .richtext import Rich, plain


def environment(templates: Path, catalogs, cache: Path | None = None) -> jinja2.Environment:
    """Autoescaping is always on; `_("msgid", lang)` looks the message up in that language's catalog.

    cache: a folder for compiled templates. Compiling them is most of the render time; Jinja keys
    each entry by the template's checksum, so an edited template is compiled again. Compiled code
    also depends on this module's filters (how each is called) and on Jinja itself, so the entries
    live in a sub-folder named by a hash of both: a new builder never runs stale bytecode.
    """
    bytecode_cache = None
    if cache is not None:
        from .cache import key
        cache = cache / key(files=(Path(__file__),), packages=("jinja2",))
        cache.mkdir(parents=True, exist_ok=True)
        bytecode_cache = jinja2.FileSystemBytecodeCache(str(cache))
    env = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
    )

    env.install_gettext_callables(catalogs.gettext, catalogs.ngettext, newstyle=False)
    env.filters["rich"] = rich
    env.filters["css_string"] = css_string
    return env


def css_string(text: str) -> Markup:
    """`text` as a quoted CSS string (for a `content:` written by a template)."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\\n' else c for c in text)
    return Markup(f'"{escaped}"')


@jinja2.pass_context
def rich(context, value, links: bool = True) -> Markup:
    """A text's inline markup as HTML, for print and EPUB alike: the one place where content
    becomes markup. Everything else in a template (`{{ text }}`) is the plain text, escaped, which
    is what attributes, the outline and <title> need. links=False: a link's text without the link
    (inside another link, such as a contents entry), and no note markers."""
    if not isinstance(value, Rich):
        return escape(value)
    media = Media(context.get("medium", "print"), context.get("idp", ""), links)
    return Markup("").join(_html(node, media) for node in value.nodes)


@dataclass(frozen=True)
class Media:
    """What decides how a node is written: the medium, the id prefix of the document (a flip
    book holds two editions), and whether links may be made."""
    medium: str
    idp: str
    links: bool


def _note(node: dict, media: Media) -> Markup:
    """A note marker. Print: the marker links to the note, which floats to the foot of the page
    the marker is on (styles/print.css); tagged as a Note (briefing/pdftags.py). EPUB: a noteref
    to the section's footnotes (macros.notes)."""
    anchor = f"{media.idp}{node['anchor']}-{node['code']}"
    if media.medium == "epub":
        return Markup('<a class="noteref" epub:type="noteref" role="doc-noteref" href="#{0}" id="ref-{0}">{1}</a>'
                      ).format(anchor, node["number"])
    text = Markup("").join(_html(child, media) for child in node["text"].nodes)
    if node["ours"]:
        text += OURS_MARK
    return Markup('<a class="noteref" href="#{0}">{1}</a><span class="footnote" id="{0}" data-number="{1}">'
                  '{2}</span>').format(anchor, node["number"], text)


OURS_MARK = Markup('<sup class="ours-mark">*</sup>')  # macros.ours_mark; its title needs the catalogs


def _bare(address: str) -> str:
    """An address as compared with a link's text: www.iom.int is https://www.iom.int/."""
    return re.sub(r"^[a-z]+://", "", address.strip().lower()).rstrip("/")


def _html(node, media: Media) -> Markup:
    if isinstance(node, str):
        return escape(node)
    tag = node["tag"]
    if tag == "br":
        return Markup("<br/>")
    if tag == "note":
        return _note(node, media) if media.links else Markup("")
    inner = Markup("").join(_html(child, media) for child in node["children"])
    attrs = Markup("")
    if tag == "a":
        if not media.links:
            return inner
        attrs += Markup(' href="{}"').format(node["href"])
        if _bare(node["address"]) != _bare(plain(node["children"])):
            # Paper editions print the target after the link's text (styles/paper.css).
            attrs += Markup(' data-address="{}"').format(node["address"])
    if node.get("lang"):
        attrs += Markup(' lang="{}"').format(node["lang"])
    return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attrs, inner)


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    """Render one template; template mistakes become a RenderError naming file and line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError([Problem(exc.filename or exc.name or template, exc.lineno, None, "", exc.message)]) from None
    except jinja2.TemplateError as exc:
        raise RenderError([Problem(f"templates/{template}", None, None, "", str(exc))]) from None
