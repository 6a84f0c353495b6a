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
MAX_NAME = 64  # a folder name names files (.<folder>.state.json, <folder>.<lang>.xlf): far from the system's 255
NAME = re.compile(rf"[a-z0-9][a-z0-9-]{{0,{MAX_NAME - 1}}}")


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
        names = ", ".join(_shown(path.name) for path in found)
        raise ContentError([Problem(str(path), None, None, "", f"{_shown(path.name)} cannot be a publication "
                                    "folder's name: use lower-case letters a-z, digits and hyphens, starting with a "
                                    f"letter or digit, at most {MAX_NAME} (for example {_suggest(path.name)!r}); the "
                                    f"folders found: {names}")
                            for path in bad])
    return found


def named(content: Path, name: str) -> Path:
    """The publication folder `name` in `content` (the `--publication` option, make's PUB=)."""
    from .errors import Problem, UsageError
    folder = Path(content) / name
    if not NAME.fullmatch(name) or not (folder / MANIFEST).is_file():
        import difflib
        names = [path.parent.name for path in sorted(Path(content).glob(f"*/{MANIFEST}"))]
        why = (f"is not a publication folder's name (lower-case letters, digits and hyphens, at most {MAX_NAME})"
               if not NAME.fullmatch(name) else f"has no {folder / MANIFEST}")
        near = difflib.get_close_matches(name[:200], names, n=1)
        raise UsageError([Problem("--publication", None, None, "", f"{_shown(name)} {why}; "
                                  + (f"did you mean {near[0]}? " if near else "")
                                  + f"the publications in {content}/ are: {', '.join(names) or 'none'}")])
    return folder


def _shown(name: str) -> str:
    """A name as a message quotes it: cut short, so that a 300-character typo does not fill the screen."""
    return repr(name if len(name) <= 80 else name[:77] + "…")


def _suggest(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "my-publication"
