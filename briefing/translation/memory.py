"""Translation memory: the current translations of every publication in the content folder, by
the hash of their original (texts.digest), so that a text written again is never translated twice."""
from __future__ import annotations

from pathlib import Path

from .texts import CURRENT, UNRECORDED


def index(content_root: Path, loaded: dict | None = None) -> dict[tuple[str, str, str], tuple[str, str]]:
    """(original language, original's hash, target language) -> (translation, where it is), for
    every current translation in every publication under `content_root` that loads. loaded: the
    publications already loaded, by folder."""
    from ..content import load
    from ..errors import ContentError
    from ..paths import publications
    found: dict = {}
    loaded = loaded or {}
    try:
        folders = publications(content_root)
    except ContentError:
        folders = []
    for folder in folders:
        pub = loaded.get(Path(folder).resolve())
        if pub is None:
            try:
                pub = load(folder, strict=False)
            except ContentError:
                continue  # a publication with problems lends nothing
        for text in pub.texts:
            for code, state in text.translations.items():
                if state in (CURRENT, UNRECORDED):
                    found.setdefault((text.original, text.digest(), code),
                                     (text.values[code], f"{Path(folder).name}/{text.id}"))
    return found
