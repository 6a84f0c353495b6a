"""Writing artifacts so that a reader never sees half a file."""
from __future__ import annotations

import contextlib
import os
import re
import tempfile
import threading
from pathlib import Path

# Set by the command line when Ctrl-C or SIGTERM arrives: no output is put in place after it.
INTERRUPTED = threading.Event()


@contextlib.contextmanager
def atomic_path(target: Path):
    """Yield a temporary path beside `target`; rename it into place only if the block succeeds."""
    tmp = temp_beside(target)
    try:
        yield tmp
        commit(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


class Stage:
    """The files of one run, written beside their targets first and put in place together.

    A run that fails before commit() replaces nothing; a run killed during commit() leaves each
    target either as it was or as this run made it, never half-written."""

    def __init__(self):
        self.files: list[tuple[Path, Path]] = []  # (temporary file, target)

    def path(self, target: Path) -> Path:
        """A new temporary file for `target`, to be filled by the caller."""
        tmp = temp_beside(target)
        self.files.append((tmp, target))
        return tmp

    def adopt(self, tmp: Path, target: Path) -> None:
        """A temporary file made elsewhere (by a worker process) for `target`."""
        self.files.append((tmp, target))

    def write_text(self, target: Path, text: str) -> None:
        self.path(target).write_text(text, encoding="utf-8")

    def commit(self) -> list[Path]:
        """Rename every staged file into place, in the order staged; never after an interrupt (a
        library may have caught it and let the run go on)."""
        if INTERRUPTED.is_set():
            raise KeyboardInterrupt
        for tmp, target in self.files:
            commit(tmp, target)
        done, self.files = [target for _, target in self.files], []
        return done

    def discard(self) -> None:
        for tmp, _ in self.files:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
        self.files = []


def writable(folder: Path) -> None:
    """Raise an OutputError (exit 5) with one line unless files can be made in `folder`: a read-only
    disk or a file in the way fails here, before anything is built."""
    from .errors import OutputError, Problem
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(prefix=".write-test.", suffix=".tmp", dir=folder)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise OutputError([Problem(str(folder), None, None, "", f"cannot be written: {exc.strerror or exc}; "
                                                                "choose another output folder (OUT=…)")]) from None


def temp_beside(target: Path) -> Path:
    """A new empty file beside `target`, named so that sweep() finds it if the build is killed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    FOLDERS.add(target.parent)  # before the file exists: an interrupt may come between the two
    # The writer's process id is in the name: sweep() leaves the files of a build still running
    # (make -j2 runs several builders on one folder).
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    return Path(tmp)


FOLDERS: set[Path] = set()  # where this process made temporary files


def remove_made() -> None:
    """Remove this process's temporary files that were not put in place, found by the process id
    in their names (mkstemp's part after it has no dot): what an interrupted build leaves when
    the interrupt came before its stage knew of a file, or while a library held the main thread."""
    mine = re.compile(rf"^\..+\.{os.getpid()}\.[^.]+\.tmp$")
    for folder in FOLDERS:
        for tmp in folder.glob(f".*.{os.getpid()}.*.tmp"):
            if mine.match(tmp.name):
                with contextlib.suppress(OSError):
                    os.unlink(tmp)


def commit(tmp: Path, target: Path) -> None:
    """Put a finished temporary file in place of `target`, in one step."""
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


def sweep(folder: Path) -> list[Path]:
    """Remove the temporary files that killed builds left in `folder` (a kill skips cleanup; the
    outputs themselves were never touched). Those of a build still running are left alone."""
    stale = sorted(folder.glob(".*.tmp")) + sorted(folder.glob(".*.tmp.ebooklib"))
    stale += sorted((folder / ".cache").glob(".*.tmp"))  # cache entries being written
    stale = [path for path in stale if not _writer_alive(path)]
    for path in stale:
        with contextlib.suppress(OSError):  # a read-only folder is reported where it matters
            path.unlink()
    return stale


def _writer_alive(path: Path) -> bool:
    found = re.search(r"\.(\d+)\.[^.]+\.tmp(\.ebooklib)?$", path.name)
    if not found:
        return False
    try:
        os.kill(int(found.group(1)), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def write_text(target: Path, text: str) -> None:
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding="utf-8")
