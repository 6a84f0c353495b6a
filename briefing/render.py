"""Jinja environment shared by the print and EPUB paths."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from .errors import Problem, RenderError
from .richtext import Rich, plain


def environment(templates: Path, catalogs, cache: Path | None = None) -> jinja2.Environment:
    """Autoescaping is always on; `_("msgid", lang)` looks the message up in that language's catalog.

    cache: a folder for compiled templates. Compiling them is most of the render time; Jinja keys
    each entry by the template's checksum, so an edited template is compiled again.
    """
    bytecode_cache = None
    if cache is not None:
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
    return env


def rich(value, links: bool = True) -> Markup:
    """A text's inline markup as HTML, for print and EPUB alike: the one place where content
    becomes markup. Everything else in a template (`{{ text }}`) is the plain text, escaped, which
    is what attributes, the outline and <title> need. links=False: a link's text without the link
    (inside another link, such as a contents entry)."""
    if not isinstance(value, Rich):
        return escape(value)
    return Markup("").join(_html(node, links) for node in value.nodes)


def _bare(address: str) -> str:
    """An address as compared with a link's text: www.iom.int is https://www.iom.int/."""
    return re.sub(r"^[a-z]+://", "", address.strip().lower()).rstrip("/")


def _html(node, links: bool) -> Markup:
    if isinstance(node, str):
        return escape(node)
    tag = node["tag"]
    if tag == "br":
        return Markup("<br/>")
    inner = Markup("").join(_html(child, links) for child in node["children"])
    attrs = Markup("")
    if tag == "a":
        if not links:
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
