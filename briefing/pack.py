"""The briefing pack as sent out: every edition in one zip, with checksums and a short README."""
from __future__ import annotations

import datetime as dt
import hashlib
import zipfile
from pathlib import Path

from .errors import OutputError, Problem
from .outputs import atomic_path


def make_pack(files: list[Path], readme: str, target: Path, date_iso: str) -> int:
    """Zip `files` with SHA256SUMS and README.txt; fixed times and order keep it reproducible."""
    missing = [f for f in files if not f.exists()]
    if missing:
        raise OutputError([Problem(str(f), None, None, "", "not built yet: run `make all` first") for f in missing])
    sums = "".join(f"{hashlib.sha256(f.read_bytes()).hexdigest()}  {f.name}\n" for f in files)
    date_time = dt.date.fromisoformat(date_iso).timetuple()[:6]
    entries = [("README.txt", readme.encode("utf-8")), ("SHA256SUMS", sums.encode("ascii"))]
    entries += [(f.name, f.read_bytes()) for f in files]
    with atomic_path(target) as tmp, zipfile.ZipFile(tmp, "w") as zf:
        for name, data in entries:
            info = zipfile.ZipInfo(f"{target.stem}/{name}", date_time=date_time)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data, compresslevel=9)
    return len(files)
