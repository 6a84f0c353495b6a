"""Content from partners cannot run a program, freeze a build or blow up its memory, and every
message it causes is one a newcomer can act on (issue 34). Each case is a copy of a small
publication with one hostile thing in it."""
from __future__ import annotations

import base64
import hashlib
import os
import re
import shutil
import struct
import subprocess
import time
import zlib
from pathlib import Path

import pytest

from conftest import ROOT, SHEET, run_build

STARTER_LANGS = "vi,en"


def tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> Path:
    """One starter publication (`make new`), copied by each test that changes it."""
    folder = tmp_path_factory.mktemp("starter") / "pub"
    assert run_build("new", str(folder), "--languages", STARTER_LANGS).returncode == 0
    return folder


def copy_of(starter: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "content" / "pub"
    shutil.copytree(starter, folder)
    return folder


def build(folder: Path, tmp_path: Path, *targets: str, timeout: float = 120) -> tuple[subprocess.CompletedProcess, float]:
    start = time.monotonic()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python") if (ROOT / ".venv").exists() else "python3",
                             str(ROOT / "build.py"), *(targets or ("html",)), "--content", str(folder),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=timeout)
    return result, time.monotonic() - start


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# -- no program runs because of content ----------------------------------------------------------

SIGNER = """#!/bin/sh
touch "{marker}"
if echo "$@" | grep -q -- "-bsau"; then
  cat >/dev/null
  echo "[GNUPG:] SIG_CREATED D 1 8 00 1700000000 FPR" >&2
  printf -- "-----BEGIN PGP SIGNATURE-----\\n\\nabc\\n-----END PGP SIGNATURE-----\\n"
fi
"""


def _hostile_repository(where: Path, tmp_path: Path) -> Path:
    """A repository at `where` whose configuration runs a program on `git log` (a signature check
    with a signer of its own), with one signed commit; the file the program makes when it runs."""
    marker, signer = tmp_path / "RAN", tmp_path / "signer.sh"
    signer.write_text(SIGNER.format(marker=marker))
    signer.chmod(0o755)
    git = ["git", "-c", "user.name=partner", "-c", "user.email=p@example.invalid"]
    subprocess.run([*git, "init", "-q"], cwd=where, check=True)
    for key, value in (("gpg.program", str(signer)), ("log.showSignature", "true"), ("core.fsmonitor", str(signer))):
        subprocess.run(["git", "config", key, value], cwd=where, check=True)
    subprocess.run([*git, "add", "-A"], cwd=where, check=True)
    subprocess.run([*git, "-c", "commit.gpgsign=true", "commit", "-q", "-m", "signed"], cwd=where, check=True)
    marker.unlink(missing_ok=True)
    subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=where, capture_output=True)
    assert marker.exists(), "the hostile configuration does run its program when git is asked plainly"
    marker.unlink()
    return marker


def test_a_folder_that_brings_its_own_repository_runs_nothing(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    marker = _hostile_repository(folder, tmp_path)
    result, _ = build(folder, tmp_path, "epub")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()
    # its own repository is never asked: the date is the manifest's
    import zipfile
    with zipfile.ZipFile(next((tmp_path / "out").glob("*.epub"))) as book:
        opf = next(book.read(name).decode("utf-8") for name in book.namelist() if name.endswith(".opf"))
    date = re.search(r"^date: (\S+)", (folder / "publication.yaml").read_text(encoding="utf-8"), re.M)[1]
    assert f'dcterms:modified">{date}T00:00:00Z' in opf


def test_the_repository_holding_the_content_is_asked_with_the_builders_configuration(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    marker = _hostile_repository(folder.parent, tmp_path)
    result, _ = build(folder, tmp_path, "html")
    assert result.returncode == 0, result.stderr
    assert not marker.exists()


# -- pictures with a budget -----------------------------------------------------------------------

def _svg_uses(fan: int, levels: int) -> str:
    """A small SVG whose <use> elements fan out `fan` ** `levels` times."""
    lines = ['<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">',
             '<defs><rect id="a0" width="1" height="1"/>']
    for i in range(1, levels + 1):
        lines.append(f'<g id="a{i}">' + "".join(f'<use href="#a{i - 1}"/>' for _ in range(fan)) + "</g>")
    return "\n".join(lines + [f'</defs><use xlink:href="#a{levels}"/></svg>'])


def _png_header(width: int, height: int) -> bytes:
    """A PNG that says it is width × height (what a decoder would allocate), with one row of data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * (width + 1))) + chunk(b"IEND", b""))


CASES = {
    "use-bomb": (lambda: _svg_uses(10, 8), "stands for more than 50,000 shapes once its <use> elements are expanded"),
    "100000-uses": (lambda: _svg_uses(100_000, 1), "stands for more than 50,000 shapes"),
    "data-bomb": (lambda: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><image width="10" height="10" '
                  'href="data:image/png;base64,' + base64.b64encode(_png_header(13_000, 13_000)).decode() + '"/></svg>',
                  "embeds pictures of more than 60 million pixels (line 1); scale them down"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_svg_that_would_explode_is_refused_before_it_is_drawn(starter, tmp_path, case):
    make, message = CASES[case]
    folder = copy_of(starter, tmp_path)
    (folder / "bomb.svg").write_text(make(), encoding="utf-8")
    _replace(folder / "publication.yaml", "\nsections:", "\ncover_image:\n  image: bomb.svg\n  decorative: true\n\nsections:")
    result, seconds = build(folder, tmp_path, "pdf", timeout=60)
    assert result.returncode == 3, result.stderr
    assert f"bomb.svg {message}" in result.stderr
    assert seconds < 10
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


# -- texts within the limits lay out quickly; beyond them, a message ----------------------------

def test_an_overlong_word_is_refused(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", "Write each paragraph", "x" * 19_000 + " Write each paragraph")
    result, seconds = build(folder, tmp_path)
    assert result.returncode == 3
    assert "has a word of 19,000 characters (“xxxxxxxxxxxxxxxxxxxx…”); a word may have 40 at most, since a line " \
           "cannot break inside it: is a space missing?" in result.stderr
    assert seconds < 10


def test_deep_markup_is_a_message_not_a_recursion_error(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", "Write each paragraph", "*" * 9_500 + "a" + "*" * 9_500 + " Write each paragraph")
    result, _ = build(folder, tmp_path)
    assert result.returncode == 3, result.stderr
    assert "RecursionError" not in result.stderr and "internal error" not in result.stderr
    assert re.search(r"prose\.yaml:\d+:\d+: \[paragraphs\[1\]\.en\] has markup nested more than 16 levels deep",
                     result.stderr), result.stderr


def test_too_many_notes_in_a_section(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    notes = "".join(f"  n{i}:\n    vi: Ghi chú {i}.\n    en: Note {i}.\n" for i in range(2_000))
    text = (folder / "prose.yaml").read_text(encoding="utf-8")
    (folder / "prose.yaml").write_text(text.replace("notes:\n", "notes:\n" + notes, 1), encoding="utf-8")
    result, seconds = build(folder, tmp_path)
    assert result.returncode == 3
    assert "[notes] has 2,001 notes; a section may have 100 at most" in result.stderr
    assert seconds < 20


# -- what reaches the terminal -------------------------------------------------------------------

def test_an_escape_in_a_key_is_shown_escaped(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", "kind: prose", 'kind: prose\n"clear\\e[2J\\rdone: 0 problems": 1')
    result, _ = build(folder, tmp_path)
    assert result.returncode == 3
    assert "\x1b" not in result.stderr and "\r" not in result.stderr
    assert "[clear\\u001b[2J\\u000ddone: 0 problems] is not a known field here" in result.stderr


# -- names ---------------------------------------------------------------------------------------

def test_a_folder_name_of_250_characters_is_refused_before_anything_is_written(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHEET, content / ("a" * 250))
    out = tmp_path / "out"
    shutil.copytree(SHEET / "sources", out)  # what an earlier build left: it must stay as it is
    before = tree(out)
    result = run_build("pdf", "--content", str(content), "--out", str(out))
    assert result.returncode in (2, 3), result.stderr
    assert "at most 64" in result.stderr and tree(out) == before


# -- messages a newcomer can act on ---------------------------------------------------------------

YAML_HINTS = {
    "colon": ("    en: Our mission", "    en: IOM: the UN migration agency",
              "mapping values are not allowed here. A text that holds “: ” must be in quotes: write "
              "key: \"text: more text\" (or put it on its own line after key: >-)"),
    "dash": ("- heading:", "-heading:\n    vi: x",
             "A list item needs a space after its dash: write “- item”, not “-item”"),
    "quote": ("kind: prose", "kind: prose\ntitle2: \"not closed\nx: 1",
              "A quotation mark (\" or ') is opened and not closed: close it, or remove it"),
}


def test_a_word_line_break_is_named_where_it_is(starter, tmp_path):
    """U+2028, as Word pastes it into a | block: YAML would read it as a new line."""
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", "kind: prose", "kind: prose\nx: |\n  a\u2028b: c")
    result, _ = build(folder, tmp_path)
    assert result.returncode == 3
    assert re.search(r"prose\.yaml:5:4: holds U\+2028 \(line separator\), an invisible break that Word and some "
                     r"web pages paste and YAML reads as a new line: delete it \(search for it in your editor\)",
                     result.stderr), result.stderr


@pytest.mark.parametrize("case", sorted(YAML_HINTS))
def test_a_yaml_syntax_error_says_what_to_do(starter, tmp_path, case):
    old, new, hint = YAML_HINTS[case]
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", old, new)
    result, _ = build(folder, tmp_path)
    assert result.returncode == 3
    assert "YAML syntax error: " in result.stderr and hint in result.stderr, result.stderr


def test_did_you_mean(starter, tmp_path):
    folder = copy_of(starter, tmp_path)
    _replace(folder / "prose.yaml", "kind: prose", "kind: prose\ntitel: x")
    _replace(folder / "timeline.yaml", "kind: timeline", "kind: timelin")
    result, _ = build(folder, tmp_path)
    assert "[titel] is not a known field here; did you mean title? (expected one of:" in result.stderr
    assert "[kind] unknown kind 'timelin'; did you mean timeline?" in result.stderr
    typo = run_build("html", "--content", str(folder.parent), "--publication", "pubb")
    assert typo.returncode == 2 and "'pubb' has no" in typo.stderr and "did you mean pub?" in typo.stderr


def test_check_says_at_once_which_checker_is_missing(tmp_path):
    start = time.monotonic()
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "build.py"), "pdf", "epub", "check",
                             "--content", str(SHEET), "--out", str(tmp_path / "out")], capture_output=True, text=True,
                            env=dict(os.environ, VERAPDF=str(tmp_path / "no-verapdf")), timeout=60)
    assert result.returncode == 6
    assert time.monotonic() - start < 10
    assert "error: `check` needs 1 checker(s) that this machine lacks; nothing was built" in result.stderr
    assert f"veraPDF: veraPDF 1.28 is not at {tmp_path / 'no-verapdf'}" in result.stderr
    assert not (tmp_path / "out").exists()


def test_preview_pages_are_large_enough_to_proofread(tmp_path):
    from PIL import Image

    from briefing.preview import preview
    assert run_build("pdf", "--content", str(SHEET), "--edition", "main", "--out", str(tmp_path)).returncode == 0
    pdf = tmp_path / "iom-viet-nam-fact-sheet.pdf"
    assert preview(pdf, tmp_path, spreads=False) == 2
    for page in sorted((tmp_path / pdf.stem).glob("page-*.png")):
        with Image.open(page) as image:
            assert image.height >= 1000, (page, image.size)
    with Image.open(tmp_path / f"{pdf.stem}-sheet.png") as sheet:
        assert sheet.height < 500  # the contact sheet stays a sheet of thumbnails


def test_sigterm_ends_a_build_within_two_seconds_whatever_it_draws(starter, tmp_path):
    """An SVG within the budget that takes seconds to draw: WeasyPrint catches the interrupt while
    drawing it and goes on, so the builder's watchdog ends the process; nothing is put in place."""
    folder = copy_of(starter, tmp_path)
    svg = ['<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><defs><circle id="a0" r="0.3"/>']
    for level in range(1, 5):
        svg.append(f'<g id="a{level}">' + "".join(f'<use href="#a{level - 1}" x="{j * 0.01}" y="{j * 0.02}"/>'
                                                   for j in range(10)) + "</g>")
    (folder / "heavy.svg").write_text("\n".join(svg + ['</defs><use href="#a4"/></svg>']), encoding="utf-8")
    _replace(folder / "publication.yaml", "\nsections:", "\ncover_image:\n  image: heavy.svg\n  decorative: true\n\nsections:")
    out = tmp_path / "out"
    out.mkdir()
    (out / "pub-vi.pdf").write_bytes(b"the last good one")
    process = subprocess.Popen([str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "build.py"), "pdf", "--edition", "vi",
                                "--content", str(folder), "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        for line in process.stdout:  # the cover is drawn when the PDF is written
            if "lay out pub-vi.pdf" in line:
                break
        time.sleep(1.0)
        assert process.poll() is None, "the build ended before it could be interrupted"
        start = time.monotonic()
        process.terminate()
        code = process.wait(timeout=10)
        assert time.monotonic() - start < 2.0
    finally:
        if process.poll() is None:
            process.kill()
    assert code in (130, 1), code
    assert (out / "pub-vi.pdf").read_bytes() == b"the last good one"
    (out / "pub-vi.pdf").unlink()  # not a PDF: the session's veraPDF sweep reads every *.pdf the tests made
    again = run_build("html", "--content", str(folder), "--out", str(out))  # the next build sweeps the rest
    assert again.returncode == 0 and not list(out.glob(".*.tmp"))
