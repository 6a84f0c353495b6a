"""Every text of a publication as a translator sees it: one unit per text, its original language,
and the state of each translation made from it (current, stale, for review, new)."""
from __future__ import annotations

import functools
import hashlib
import json
import re
from dataclasses import dataclass, field

CURRENT, STALE, REVIEW, NEW = "current", "stale", "review", "new"
UNRECORDED = "unrecorded"  # a translation the lock does not know yet: current, recorded at the next build


@dataclass
class Text:
    """One text: a mapping with a string in at least one language, in one file."""
    file: str                 # as the manifest names it (publication.yaml, mission.yaml)
    path: tuple               # keys and indices to the mapping
    original: str             # the language the others are translated from
    values: dict              # language -> the text as written (Markdown), for the languages present
    title: str = ""           # the section's title in the original, for the translator's context
    previous: str = ""        # the text before it in the same file, in the original (context)
    translations: dict = field(default_factory=dict)  # language -> state

    @property
    def field(self) -> str:
        return field_name(self.path)

    @property
    def id(self) -> str:
        """Stable while the text keeps its place: file and field, as error messages name them."""
        return f"{self.file}:{self.field}"

    @property
    def source(self) -> str:
        return self.values[self.original]

    def digest(self) -> str:
        return digest(self.source)


def field_name(path) -> str:
    """The field as every content message names it (content._field)."""
    from ..content import _field
    return _field(path)


@functools.lru_cache(maxsize=4096)
def digest(markdown: str) -> str:
    """A hash of a text as parsed, not as typed: a YAML re-save, another line folding, `_a_` for
    `*a*` or the manifest's no-break phrases change nothing; a word, a link or a note does."""
    from ..richtext import parse
    rich, problems = parse(markdown)
    canon = json.dumps(_collapse(rich.nodes), ensure_ascii=False, sort_keys=True) if not problems else \
        re.sub(r"\s+", " ", markdown).strip()
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


def _collapse(nodes):
    out = []
    for node in nodes:
        if isinstance(node, str):
            out.append(re.sub(r"\s+", " ", node))
        else:
            out.append({k: (_collapse(v) if k == "children" else v) for k, v in node.items()})
    if out and isinstance(out[0], str):
        out[0] = out[0].lstrip()
    if out and isinstance(out[-1], str):
        out[-1] = out[-1].rstrip()
    return out


def _children(value):
    if isinstance(value, dict):
        return value.items()
    if isinstance(value, list):
        return enumerate(value)
    return ()


def collect(file: str, data, codes: list[str], first: str | None = None) -> list[Text]:
    """The texts of one loaded document, in reading order. `ours` on a mapping (or on one that holds
    it, as a section's) names the languages the team translated: the original is the remaining
    language. Elsewhere the original is the publication's first language (`first`, else codes[0])."""
    first = first or codes[0]
    found: list[Text] = []
    title = ""
    if isinstance(data, dict) and isinstance(data.get("title"), dict):
        title_value = data["title"]
        title = next((title_value[c] for c in [first, *codes] if isinstance(title_value.get(c), str)), "")

    def walk(value, path, ours):
        if isinstance(value, dict):
            ours = value.get("ours", ours) if isinstance(value.get("ours", ours), list) else ours
            present = {c: value[c] for c in codes if isinstance(value.get(c), str)}
            if present:
                remaining = [c for c in codes if c in present and c not in ours]
                original = remaining[0] if ours and remaining else first if first in present else next(iter(present))
                previous = next((t.values.get(t.original, "") for t in reversed(found) if t.file == file), "")
                found.append(Text(file, path, original, present, title, previous))
        for key, child in _children(value):
            if not (isinstance(value, dict) and key in codes):
                walk(child, path + (key,), ours)

    walk(data, (), [])
    return found
