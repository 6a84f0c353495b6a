"""Translation status: catalogs, content translations, and what the editorial team translated."""
from __future__ import annotations

import json
from pathlib import Path

from . import content as content_mod
from .i18n import Catalogs


def _ours(pub) -> list[tuple[str, str, str]]:
    """(file, field, language) for every text the content marks as the editorial team's translation."""
    found = []

    def walk(file, value, path, inherited):
        if isinstance(value, dict):
            ours = value.get("ours", inherited)  # a section's `ours` covers all its paragraphs
            if any(isinstance(value.get(c), str) for c in pub.languages):
                found.extend((file, path or "(whole file)", lang) for lang in ours)
            for key, child in value.items():
                if key != "ours":
                    walk(file, child, f"{path}.{key}" if path else key, ours)
        elif isinstance(value, list):
            for i, child in enumerate(value):
                walk(file, child, f"{path}[{i}]", inherited)

    for section in pub.sections:
        walk(section.file, section.data, "", [])
    return found


def status(content_dir: Path, locale_dir: Path) -> dict:
    pub = content_mod.load(content_dir, strict=False)
    catalogs = Catalogs(locale_dir, pub.languages)
    ours = _ours(pub)
    languages = {}
    for code in pub.languages:
        cat = catalogs.status[code]
        missing_content = [f"{p.file}:{p.line}: {p.field}" for p in pub.fallbacks if p.field.endswith(f".{code}")]
        languages[code] = {
            "catalog": {"file": cat.path, "messages": cat.total, "translated": cat.translated,
                        "missing": cat.missing, "fuzzy": cat.fuzzy},
            "content_missing": missing_content,
            "ours": [f"{file} › {fld}" for file, fld, lang in ours if lang == code],
            "translations": _translation_counts(pub, code),
        }
    return {"content": str(content_dir), "name": pub.name, "languages": languages,
            "complete": not catalogs.problems and not pub.fallbacks and not pub.stale}


def _translation_counts(pub, code: str) -> dict:
    """Translations into `code` by state (new, stale, current), in all and per section file; a
    text written in `code` (its original) is not counted."""
    from .translation.texts import CURRENT, NEW, REVIEW, STALE, UNRECORDED
    names = {NEW: "new", STALE: "stale", REVIEW: "stale", CURRENT: "current", UNRECORDED: "current"}
    total = {"new": 0, "stale": 0, "current": 0}
    sections: dict[str, dict] = {}
    stale = []
    for text in pub.texts:
        state = text.translations.get(code)
        if state is None:
            continue
        total[names[state]] += 1
        sections.setdefault(text.file, {"new": 0, "stale": 0, "current": 0})[names[state]] += 1
        if state in (STALE, REVIEW):
            stale.append(f"{text.id}" + (" (imported for review)" if state == REVIEW else ""))
    return {**total, "sections": sections, "stale_texts": stale}


def table(report: dict) -> str:
    rows = [("language", "catalog", "missing", "fuzzy", "content missing", "our translations")]
    for code, lang in report["languages"].items():
        cat = lang["catalog"]
        rows.append((code, f"{cat['translated']}/{cat['messages']}", str(len(cat["missing"])),
                     str(len(cat["fuzzy"])), str(len(lang["content_missing"])), str(len(lang["ours"]))))
    lines = _columns(rows)
    counts = [("language", "section", "new", "stale", "current")]
    for code, lang in report["languages"].items():
        done = lang["translations"]
        for file, by_state in done["sections"].items():
            counts.append((code, file, str(by_state["new"]), str(by_state["stale"]), str(by_state["current"])))
        counts.append((code, "(all)", str(done["new"]), str(done["stale"]), str(done["current"])))
    lines += ["", "translations of the content, by state (a language's originals are not counted):"]
    lines += _columns(counts)
    for code, lang in report["languages"].items():
        for title, items in (("catalog messages missing", lang["catalog"]["missing"]),
                             ("catalog messages fuzzy", lang["catalog"]["fuzzy"]),
                             ("content fields missing", lang["content_missing"]),
                             ("translations whose original changed (stale)", lang["translations"]["stale_texts"])):
            if items:
                lines.append(f"\n{code}: {title}:")
                lines += [f"  {item}" for item in items]
    lines.append("\ncomplete: every language is fully translated and current" if report["complete"]
                 else "\nincomplete: a strict build (the default) will fail until the above are translated, "
                      "and each stale translation is translated again or confirmed")
    return "\n".join(lines)


def write_json(report: dict, path: Path) -> None:
    from .outputs import write_text
    write_text(path, json.dumps(report, ensure_ascii=False, indent=2) + "\n")


def _columns(rows: list[tuple]) -> list[str]:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
