"""Shared fixtures: one real build of every edition per test session."""
from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
# The IOM briefing pack is the publication most tests read; its sources are copies of the seeds.
CONTENT = ROOT / "content" / "iom-viet-nam-briefing"
SHEET = ROOT / "content" / "iom-viet-nam-fact-sheet"
MANIFEST = yaml.safe_load((CONTENT / "publication.yaml").read_text(encoding="utf-8"))
NAME = MANIFEST["name"]
SOURCES = {source["id"]: CONTENT / source["file"] for source in MANIFEST["sources"]}
EDITIONS = {"": ("vi", "en"), "vi": ("vi",), "en": ("en",)}


def run_build(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def edition_file(out: Path, key: str, ext: str) -> Path:
    return out / (f"{NAME}-{key}.{ext}" if key else f"{NAME}.{ext}")


TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "…": "...", "²": "2", "³": "3"})


def squash(text: str) -> str:
    """Compare text without caring where lines broke or how it was typeset: NFC, no whitespace,
    no U+2010, and straight quotes, hyphens and three dots for their typographic forms; a
    superscript digit (m²) as the digit its <sup> shows.

    The bullets • and ◦ are a list's markers, which WeasyPrint draws after the text of the page
    (the structure tree puts each in its item). U+2010 is the hyphen WeasyPrint adds when it hyphenates English at a line end; neither
    the sources nor the content contain it (test_hyphenation_character_is_only_added_by_layout).
    The typography is the builder's (briefing/richtext.py); test_richtext.py checks it.
    """
    return re.sub(r"[\s\u2010•◦]+", "", unicodedata.normalize("NFC", text)).translate(TYPOGRAPHY)


MARGIN_PT = 50  # running heads and folios sit in the page margins, further out than this


def pdf_text(pdf: Path, column: str | None = None) -> str:
    """The PDF's body text, without running heads and folios.

    column="left" or "right" keeps only that half of each page: a parallel-text row
    split across pages continues each language in its own column, so a sentence is
    whole only when one column is read on its own.
    """
    chunks = []
    for page in PdfReader(pdf).pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)

        def visit(text, cm, tm, font, size):
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if not MARGIN_PT < y < height - MARGIN_PT:
                return
            if column == "left" and x >= width / 2 or column == "right" and x < width / 2:
                return
            chunks.append(text)

        page.extract_text(visitor_text=visit)
        chunks.append("\n")
    return "".join(chunks)


@functools.cache
def pdf_pages(path: Path) -> list[str]:
    """Each page's body text (no running heads, no folios), squashed."""
    texts = []
    for page in PdfReader(path).pages:
        height, chunks = float(page.mediabox.height), []

        def visit(text, cm, tm, font, size):
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            if MARGIN_PT < y < height - MARGIN_PT:
                chunks.append(text)

        page.extract_text(visitor_text=visit)
        texts.append(squash("".join(chunks)))
    return texts


def commit_like_the_repo(content: Path, *originals: Path) -> None:
    """Put copies of publications (content/<name>, from `originals`) under Git with the commit times
    their originals have, so that their outputs carry the same date (model.source_date)."""
    git = ["git", "-c", "user.name=tests", "-c", "user.email=tests@example.invalid", "-c", "commit.gpgsign=false"]
    subprocess.run([*git, "init", "-q"], cwd=content, check=True)
    for original in originals:
        when = subprocess.run(["git", "log", "-1", "--format=%ct", "--", "."], cwd=original, capture_output=True,
                              text=True).stdout.strip()
        if when:  # else the original is not under Git, and its copy is not either
            subprocess.run([*git, "add", original.name], cwd=content, check=True)
            subprocess.run([*git, "commit", "-q", "-m", original.name], cwd=content, check=True,
                           env=dict(os.environ, GIT_AUTHOR_DATE=f"@{when} +0000", GIT_COMMITTER_DATE=f"@{when} +0000"))


def marked_spans(folder: Path) -> list[tuple[str, str, str]]:
    """(text, its language, the language around it) of every [text]{lang=…} span of a publication,
    as the builder parses them."""
    from briefing.content import load, nodes
    from briefing.richtext import Rich, walk
    pub = load(folder)
    return [(str(Rich(node["children"])), node["lang"], path[-1])
            for path, value in nodes([pub.manifest, *(s.data for s in pub.sections)]) if isinstance(value, Rich)
            for node in walk(value.nodes) if node["tag"] == "span"]


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("build")
    result = run_build("all", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def ace():
    """DAISY Ace, or a skip that says how to get it (a failure where ACE_REQUIRED is set, as in CI)."""
    sys.path.insert(0, str(ROOT))
    from briefing import check
    if not check.ace_available():
        if os.environ.get("ACE_REQUIRED"):
            pytest.fail("ACE_REQUIRED is set but DAISY Ace or Debian's chromium is missing: run `make tools`")
        pytest.skip("DAISY Ace is not installed: run `make tools`")
    return check.ace


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, driven by Playwright (which never downloads a browser of its own here)."""
    chromium = shutil.which("chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        chromium = None
    if chromium is None:
        if os.environ.get("ACE_REQUIRED"):
            pytest.fail("ACE_REQUIRED is set but Playwright or Debian's chromium is missing: run `make tools`")
        pytest.skip("Playwright or Debian's chromium is missing: run `make tools`")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def built_a5(tmp_path_factory) -> Path:
    """Every publication's PDFs and press PDFs at A5 (`make pdf print PAPER=a5`)."""
    out = tmp_path_factory.mktemp("a5")
    result = run_build("pdf", "print", "--paper", "a5", "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def pdf_texts(built) -> dict[str, str]:
    return {key: pdf_text(edition_file(built, key, "pdf")) for key in EDITIONS}


@pytest.fixture(scope="session")
def pdf_language_texts(built) -> dict[tuple[str, str], str]:
    """(edition, language) -> the text that language is set in; in the bilingual edition, its column."""
    texts = {}
    for key, langs in EDITIONS.items():
        path = edition_file(built, key, "pdf")
        for lang in langs:
            column = None if len(langs) == 1 else ("left" if lang == langs[0] else "right")
            texts[key, lang] = pdf_text(path, column)
    return texts


def pytest_configure(config):
    config.addinivalue_line("markers", "last: run after every other test (it reads what they made)")


def pytest_collection_modifyitems(items):
    items.sort(key=lambda item: item.get_closest_marker("last") is not None)  # a stable sort


def load_errors(tmp_path: Path, publication: Path, file: str, old: str, new: str) -> str:
    """Load a copy of a publication with one text of `file` changed (its first `old`); the content
    errors, one per line."""
    import shutil

    from briefing import content
    from briefing.errors import ContentError

    folder = tmp_path / "pub"
    shutil.copytree(publication, folder)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        content.load(folder)
    return "\n".join(map(str, caught.value.problems))
