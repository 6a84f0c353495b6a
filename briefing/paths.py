"""The one way a path written in the content becomes a file: sections, sources, errata, images."""
from __future__ import annotations

import re
from pathlib import Path


def confined(root: Path, entry: str) -> str | None:
    """Why a file the content names cannot be read, or None: it must be a regular file inside the
    publication folder, also once symbolic links are followed (not a directory, device or FIFO).
    The message names the path only, never what the file holds. A missing file is None: each
    caller says what is missing, in its own words."""
    path = Path(root) / entry
    if not path.resolve().is_relative_to(Path(root).resolve()):
        return f"{entry} is outside the publication folder; copy it into the folder"
    if not path.exists():
        return None
    if not path.is_file():
        return f"{entry} is not a regular file"
    return None


MANIFEST = "publication.yaml"
NAME = re.compile(r"[a-z0-9][a-z0-9-]*")


def publications(folder: Path) -> list[Path]:
    """The publication folders `folder` stands for: itself if it has a manifest, else each
    sub-folder that has one, in name order. A publication folder's name must be lower-case letters,
    digits and hyphens: it is what `make … PUB=` takes, and it names the builder's record."""
    folder = Path(folder)
    if (folder / MANIFEST).exists() or not folder.is_dir():
        found = [folder]
    else:
        found = sorted(path.parent for path in folder.glob(f"*/{MANIFEST}")) or [folder]
    bad = [path for path in found if path.is_dir() and not NAME.fullmatch(path.resolve().name)]
    if bad:
        from .errors import ContentError, Problem
        names = ", ".join(repr(path.name) for path in found)
        raise ContentError([Problem(str(path), None, None, "", f"{path.name!r} cannot be a publication folder's "
                                    "name: use lower-case letters a-z, digits and hyphens, starting with a letter "
                                    f"or digit (for example {_suggest(path.name)!r}); the folders found: {names}")
                            for path in bad])
    return found


def named(content: Path, name: str) -> Path:
    """The publication folder `name` in `content` (the `--publication` option, make's PUB=)."""
    from .errors import Problem, UsageError
    folder = Path(content) / name
    if not NAME.fullmatch(name) or not (folder / MANIFEST).is_file():
        found = ", ".join(path.parent.name for path in sorted(Path(content).glob(f"*/{MANIFEST}"))) or "none"
        why = "is not a publication folder's name" if not NAME.fullmatch(name) else f"has no {folder / MANIFEST}"
        raise UsageError([Problem("--publication", None, None, "", f"{name!r} {why}; the publications in "
                                                                      f"{content}/ are: {found}")])
    return folder


def _suggest(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "my-publication"
