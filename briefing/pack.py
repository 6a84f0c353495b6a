"""The briefing pack as sent out: every edition in one zip, with checksums and a short README."""
from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .errors import OutputError, Problem
from .outputs import atomic_path


def make_pack(files: list[Path], readme: str, target: Path) -> int:
    """Zip `files` with SHA256SUMS and README.txt; repro-zipfile fixes times and permissions."""
    from repro_zipfile import ReproducibleZipFile

    missing = [f for f in files if not f.exists()]
    if missing:
        raise OutputError([Problem(str(f), None, None, "", "not built yet: run `make all` first") for f in missing])
    sums = "".join(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}\n" for f in files)
    entries = [("README.txt", readme.encode("utf-8")), ("SHA256SUMS", sums.encode("ascii"))]
    entries += [(f.name, f.read_bytes()) for f in files]
    with atomic_path(target) as tmp, ReproducibleZipFile(tmp, "w") as zf:
        for name, data in entries:
            zf.writestr(f"{target.stem}/{name}", data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return len(files)
