"""The translation commands of the command line: export, import, confirm, and a new language."""
from __future__ import annotations

from pathlib import Path

from ..errors import Problem, UsageError
from . import lock


def export(root: Path, to: str, out_dir: Path, locale_dir: Path) -> str:
    from .export import export as write
    files, counts = write(root, to, out_dir, locale_dir, Path(root).parent)
    summary = ", ".join(f"{n} {state}" for state, n in counts.items())
    return "\n".join([f"wrote {file}" for file in files] + [
        f"{sum(counts.values())} units ({summary}). Send either file to the translator; bring it back with "
        f"`make translation-import PUB={Path(root).name} FILE=<the translated file>`"])


def import_(root: Path, file: Path, locale_dir: Path) -> str:
    from .importer import run
    if not Path(file).is_file():
        raise UsageError([Problem(str(file), None, None, "", "no such file")])
    counts = run(root, Path(file), locale_dir)
    lines = [f"wrote {path}" for path in counts["files"]]
    lines.append(f"imported {file}: {counts['changed']} text(s) changed, {counts['confirmed']} confirmed as still "
                 f"current, {counts['review']} marked for review, {counts['labels']} interface label(s)")
    if counts["copies"]:
        lines.append(f"left out {len(counts['copies'])} unit(s) whose translation is a copy of the original, as a CAT "
                     f"tool writes a unit left untranslated: {', '.join(counts['copies'][:8])}"
                     + (" …" if len(counts["copies"]) > 8 else "") + "; translate them, or write the text into "
                     "the YAML if it is the same in both languages")
    if counts["review"]:
        lines.append("a text marked for review stops a strict build until it is confirmed "
                     "(`make translation-confirm`) or imported again as translated")
    return "\n".join(lines)


def confirm(root: Path, unit: str, to: str) -> str:
    """Record that a translation still holds for its original as it is now."""
    from ..content import load
    pub = load(root, strict=False)
    texts = {text.id: text for text in pub.texts}
    text = texts.get(unit)
    if text is None:
        import difflib
        near = difflib.get_close_matches(unit, list(texts), n=3)
        raise UsageError([Problem("UNIT", None, None, "", f"{unit!r} is not a text of {pub.name}"
                                  + (f"; did you mean {' or '.join(near)}?" if near else
                                     " (write file:field, as the build's message gives it)"))])
    if to not in text.values or to == text.original:
        raise UsageError([Problem("TO", None, None, "", f"{unit} has no {to} translation to confirm "
                                  f"(its original is {text.original})")])
    before = text.translations[to]
    lock.record(root, pub.texts, pub.lock, {(unit, to): lock.entry(text)})
    return f"{unit}: the {to} translation is recorded as current for its {text.original} original as it is now " \
           f"(it was {before})"


def add_language(root: Path, code: str, locale: str | None, fallback: str | None, locale_dir: Path) -> str:
    """Add a language to the manifest (round trip, comments kept) and its catalog where the
    project has none."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from ..content import load
    from ..paths import MANIFEST
    from .yamlfile import append
    pub = load(root, strict=False)
    problems = []
    if code in pub.languages:
        problems.append(Problem("ADD", None, None, "", f"{code!r} is already a language of {pub.name}"))
    if locale is None:
        likely = get_global("likely_subtags").get(code, "")
        parts = likely.split("_")
        locale = f"{code}_{parts[-1]}" if len(parts) > 1 and parts[-1].isupper() and len(parts[-1]) == 2 else code
    try:
        if Locale.parse(locale).language != code:
            problems.append(Problem("LOCALE", None, None, "", f"{locale!r} is not a locale of language {code!r}"))
    except (UnknownLocaleError, ValueError):
        problems.append(Problem("ADD", None, None, "", f"{code!r} (locale {locale!r}) is not a language Babel knows: "
                                                       "write its ISO 639 code, fr or zh"))
    if fallback is None:
        fallback = "en" if "en" in pub.languages and code != "en" else ""
    if fallback and fallback != "none" and fallback not in pub.languages:
        problems.append(Problem("FALLBACK", None, None, "", f"{fallback!r} is not a language of {pub.name} "
                                                            f"({', '.join(pub.languages)})"))
    if problems:
        raise UsageError(problems)
    entry = {"code": code, "locale": locale, **({"fallback": fallback} if fallback and fallback != "none" else {})}
    manifest = Path(root) / MANIFEST
    from ..outputs import write_text
    write_text(manifest, append(manifest.read_text(encoding="utf-8"), ("languages",), entry))
    lines = [f"added {code} ({locale}) to {manifest}" + (f"; drafts show the {fallback} text where {code} has none"
                                                          if entry.get("fallback") else "")]
    catalog = Path(locale_dir) / code / "LC_MESSAGES" / "messages.po"
    if not catalog.exists():
        _new_catalog(Path(locale_dir), code, locale, catalog)
        lines.append(f"created the interface catalog {catalog} from {Path(locale_dir) / 'messages.pot'}")
    lines.append(f"next: make translation-export PUB={Path(root).name} TO={code}   (a draft builds at once: "
                 f"make pdf PUB={Path(root).name} DRAFT=1)")
    return "\n".join(lines)


def _new_catalog(locale_dir: Path, code: str, locale: str, path: Path) -> None:
    """What `pybabel init` makes: the template with the language's header and plural forms."""
    from babel import Locale
    from babel.messages.pofile import read_po, write_po
    from ..outputs import atomic_path
    with (locale_dir / "messages.pot").open("rb") as fh:
        catalog = read_po(fh, locale=locale)
    catalog.locale = Locale.parse(locale)
    catalog.revision_date = catalog.creation_date  # the same bytes from the same template
    catalog.fuzzy = False
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(path) as tmp, tmp.open("wb") as fh:
        write_po(fh, catalog, width=0)
