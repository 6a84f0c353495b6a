"""Jinja environment shared by the print and EPUB paths."""
from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import Problem, RenderError


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
    return env


def render(env: jinja2.Environment, template: str, context: dict) -> str:
    """Render one template; template mistakes become a RenderError naming file and line."""
    try:
        return env.get_template(template).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError([Problem(exc.filename or exc.name or template, exc.lineno, None, "", exc.message)]) from None
    except jinja2.TemplateError as exc:
        raise RenderError([Problem(f"templates/{template}", None, None, "", str(exc))]) from None
