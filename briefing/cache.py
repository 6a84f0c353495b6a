"""A content-addressed cache of derived files (EPUB cover images, font subsets) in the output folder.

An entry's name is a hash of everything that makes it: a changed input is a new name, never a stale
hit. An entry that cannot be read or written only costs the time to make it again.
"""
from __future__ import annotations

import hashlib
from importlib.metadata import version
from pathlib import Path
from typing import Callable

from .outputs import atomic_path


def key(*parts: bytes | str, files: tuple[Path, ...] = (), packages: tuple[str, ...] = ()) -> str:
    """A hash of parts, of the names and bytes of files, and of the installed packages' versions."""
    digest = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    for file in files:
        digest.update(file.name.encode("utf-8") + b"\0" + file.read_bytes())
    for package in packages:
        digest.update(f"{package}={version(package)}\0".encode("ascii"))
    return digest.hexdigest()[:32]


def cached(path: Path, make: Callable[[], bytes], valid: Callable[[bytes], bool] = bool) -> bytes:
    """The bytes at `path` if present and valid, else make() and keep them there."""
    try:
        data = path.read_bytes()
        if valid(data):
            return data
    except OSError:
        pass
    data = make()
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError:
        pass
    return data
