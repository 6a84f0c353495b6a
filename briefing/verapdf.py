"""veraPDF, the reference PDF/UA and PDF/A validator, run on built PDFs under every standard each
one claims in its XMP metadata, with its report turned into one readable line per failed rule.

No package registry ships veraPDF, so it is looked for where the workplace keeps it (the folder
`shared/verapdf/` beside the project) or where $VERAPDF points. The build never needs it (nor
Java); only `make check` and the tests do.
"""
from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path

from .conformance import NS as XMP
from .errors import Problem

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT = PROJECT.parent / "shared" / "verapdf" / "verapdf"
HOW_TO_GET = ("veraPDF 1.28 is not at {where}: put its build there (the workplace keeps it in "
              "shared/verapdf/ beside the project) or set VERAPDF to its `verapdf` script; it needs "
              "Java 17. Releases: https://verapdf.org/software/")


def executable() -> Path | None:
    """The veraPDF launcher, or None when it is not installed."""
    path = Path(os.environ.get("VERAPDF") or DEFAULT)
    return path if path.is_file() and os.access(path, os.X_OK) else None


def missing_message() -> str:
    return HOW_TO_GET.format(where=os.environ.get("VERAPDF") or DEFAULT)


def claims(pdf_path: Path) -> list[str]:
    """The veraPDF flavours a PDF claims in its XMP: "ua1", "2a", ... (none for the booklet)."""
    import pikepdf
    from lxml import etree

    with pikepdf.open(pdf_path) as pdf:
        if "/Metadata" not in pdf.Root:
            return []
        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
    flavours = []
    for part in xmp.xpath("//@pdfuaid:part | //pdfuaid:part/text()", namespaces=XMP):
        flavours.append(f"ua{part}")
    for description in xmp.xpath("//*[@pdfaid:part or pdfaid:part]", namespaces=XMP):
        part = description.get(f"{{{XMP['pdfaid']}}}part") or description.findtext("pdfaid:part", namespaces=XMP)
        level = description.get(f"{{{XMP['pdfaid']}}}conformance") or description.findtext(
            "pdfaid:conformance", namespaces=XMP) or ""
        flavours.append(f"{part}{level.lower()}")
    return flavours


@dataclass
class Verdict:
    """One PDF under one flavour: how many rules failed, and one problem per failed rule."""
    path: Path
    flavour: str
    profile: str
    problems: list[Problem]

    def __str__(self) -> str:
        count = len(self.problems)
        return f"{self.path.name}: {self.profile}: {count} failed rule{'' if count == 1 else 's'}"


def validate(paths: list[Path]) -> list[Verdict]:
    """veraPDF on every PDF under each flavour it claims: one run of veraPDF per flavour."""
    launcher = executable()
    if launcher is None:
        raise FileNotFoundError(missing_message())
    import pikepdf

    by_flavour: dict[str, list[Path]] = {}
    verdicts = []
    for path in paths:
        try:
            flavours = claims(path)
        except (pikepdf.PdfError, OSError) as exc:
            verdicts.append(Verdict(path, "", "PDF", [Problem(str(path), None, None, "", f"not a readable PDF: {exc}")]))
            continue
        for flavour in flavours:
            by_flavour.setdefault(flavour, []).append(path)
    for flavour, files in sorted(by_flavour.items()):
        verdicts += _run(launcher, flavour, files)
    return verdicts


def _run(launcher: Path, flavour: str, files: list[Path]) -> list[Verdict]:
    command = [str(launcher), "-f", flavour, "--format", "json", "--maxfailuresdisplayed", "1",
               *(str(f.resolve()) for f in files)]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return [Verdict(f, flavour, flavour, [Problem(str(f), None, None, "veraPDF", f"could not run: {exc}")])
                for f in files]
    try:
        report = json.loads(result.stdout)["report"]
    except (ValueError, KeyError):
        detail = (result.stderr or result.stdout).strip().splitlines()[-1:] or ["no output"]
        return [Verdict(f, flavour, flavour, [Problem(str(f), None, None, "veraPDF",
                                                      f"could not run (exit {result.returncode}): {detail[0]}")])
                for f in files]
    by_name = {str(f.resolve()): f for f in files}
    verdicts = []
    for job in report["jobs"]:
        path = by_name.get(job["itemDetails"]["name"], Path(job["itemDetails"]["name"]))
        results = job.get("validationResult") or []
        if not results:
            message = (job.get("taskException") or {}).get("exceptionMessage") or "veraPDF could not read it"
            verdicts.append(Verdict(path, flavour, flavour, [Problem(str(path), None, None, "veraPDF", message)]))
            continue
        for validation in results:
            profile = validation["profileName"].removesuffix(" validation profile")
            problems = [
                Problem(str(path), None, None, f"{profile} {rule['clause']}-{rule['testNumber']}",
                        f"{rule['description']} ({rule['failedChecks']} failed checks)")
                for rule in validation["details"]["ruleSummaries"] if rule["ruleStatus"] == "FAILED"]
            verdicts.append(Verdict(path, flavour, profile, problems))
    return verdicts
