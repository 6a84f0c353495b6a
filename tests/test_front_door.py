"""The way in (issue 23): the builder decides what is stale, any valid YAML builds the same, drafts
say so, names never reach a shell, and no interruption or failed write destroys a good build."""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from conftest import CONTENT, NAME, ROOT, SHEET, commit_like_the_repo, run_build
from test_pictures import make_publication

SHEET_NAME = yaml.safe_load((SHEET / "publication.yaml").read_text(encoding="utf-8"))["name"]


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every output in `folder` and below; the builder's hidden files (its record, its
    cache, temporary files) are not outputs."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file()
            and not any(part.startswith(".") for part in path.relative_to(folder).parts)}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob(".*.tmp*"))


def _make(*args, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


# -- any valid YAML builds the same -------------------------------------------------------------
STYLES = {"block": dict(default_flow_style=False), "flow": dict(default_flow_style=True),
          "block-quoted": dict(default_flow_style=False, default_style='"'),
          "flow-quoted": dict(default_flow_style=True, default_style='"')}


def resave(publication: Path, folder: Path, style: dict) -> Path:
    """A copy of `publication` with every YAML file loaded and saved again by PyYAML, as a YAML tool
    or a script would: other quoting, other layout, comments gone."""
    copy = folder / publication.name
    shutil.copytree(publication, copy)
    for path in copy.rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, **style), encoding="utf-8")
    return copy


@pytest.mark.parametrize("style", sorted(STYLES))
def test_resaved_yaml_builds_the_same_bytes(tmp_path, built, style):
    content = tmp_path / "content"
    for publication in (CONTENT, SHEET):
        resave(publication, content, STYLES[style])
    manifest = (content / CONTENT.name / "publication.yaml").read_text(encoding="utf-8")
    assert manifest != (CONTENT / "publication.yaml").read_text(encoding="utf-8")
    commit_like_the_repo(content, CONTENT, SHEET)  # the date of every output is the content's last commit
    out = tmp_path / "out"
    shutil.copytree(built / ".cache", out / ".cache")  # fonts and covers: the same either way, and quicker
    # Every style makes the EPUBs; one makes every PDF too (the others would only take the time).
    targets = ["epub", "pdf", "print", "booklet"] if style == "flow-quoted" else ["epub"]
    result = run_build(*targets, "-q", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    # The HTML files are left out: they link the stylesheets and pictures by paths relative to
    # their own folder, which differ here by design. The PDFs and EPUBs carry no path.
    made = {name: digest for name, digest in snapshot(out).items() if not name.endswith(".html")}
    assert made and made == {name: digest for name, digest in snapshot(built).items() if name in made}
    if style == "flow-quoted":
        assert len([n for n in made if n.endswith(".pdf")]) == 11 + 4
    again = run_build(*targets, "--content", str(content), "--out", str(out))
    assert again.returncode == 0 and "everything was up to date" in again.stdout, again.stdout
    assert {name: digest for name, digest in snapshot(out).items() if name in made} == made


# -- the builder owns staleness ------------------------------------------------------------------
def _sheet(tmp_path) -> Path:
    folder = tmp_path / "content" / SHEET.name
    shutil.copytree(SHEET, folder)
    return folder


def test_the_builder_decides_what_is_stale_by_content(tmp_path):
    folder, out = _sheet(tmp_path), tmp_path / "out"
    locale = tmp_path / "locale"
    shutil.copytree(ROOT / "locale", locale)

    def html(*extra):
        result = run_build("html", "--content", str(folder), "--out", str(out), "--locale", str(locale), *extra)
        assert result.returncode == 0, result.stderr
        return "everything was up to date" not in result.stdout

    assert html()                                   # the first build
    first = snapshot(out)
    assert not html()                               # nothing changed
    os.utime(folder / "about.yaml", (1, 1))         # a time is not a change
    assert not html()
    record = json.loads((out / f".{SHEET.name}.state.json").read_text(encoding="utf-8"))
    assert sorted(record["outputs"]) == [f"{SHEET_NAME}{s}.html" for s in ("-en", "-vi", "")]
    assert html("--paper", "a5")                    # an option is an input
    assert not html("--paper", "a5")
    assert html()
    (out / f"{SHEET_NAME}-vi.html").write_text("edited by hand", encoding="utf-8")  # an output changed
    assert html() and snapshot(out) == first
    (out / f"{SHEET_NAME}-en.html").unlink()        # an output removed
    assert html() and snapshot(out) == first
    po = locale / "vi" / "LC_MESSAGES" / "messages.po"  # a catalog is an input
    po.write_text(po.read_text(encoding="utf-8").replace('msgstr "Nguồn tư liệu"', 'msgstr "Các nguồn tư liệu"'), encoding="utf-8")
    assert html() and snapshot(out) != first
    (out / f".{SHEET.name}.state.json").write_text("{not json", encoding="utf-8")  # a damaged record
    assert html()
    (folder / "sources" / "a new note.txt").write_text("x", encoding="utf-8")  # the folder is an input
    assert html()
    assert not html()


def test_a_noop_make_all_calls_the_builder_once_and_does_nothing(built, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    first = _make("-s", "all", f"OUT={out}", f"DIST={out}/dist")
    assert first.returncode == 0, first.stderr
    started = time.perf_counter()
    again = _make("all", f"OUT={out}", f"DIST={out}/dist")
    elapsed = time.perf_counter() - started
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("build.py") == 1 + 2  # one command line; its two publications
    assert "done: everything was up to date" in again.stdout
    print(f"no-op make all: {elapsed:.2f} s")  # measured in `make bench`, not asserted here


# -- names ---------------------------------------------------------------------------------------
def test_a_publication_folder_name_must_be_a_plain_name(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(SHEET, content / "My Pack")
    shutil.copytree(SHEET, content / "x`touch PWNED`y")
    shutil.copytree(SHEET, content / "good-one")
    result = run_build("html", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stderr
    assert "'My Pack' cannot be a publication folder's name: use lower-case letters a-z, digits and " \
           "hyphens, starting with a letter or digit, at most 64 (for example 'my-pack'); the folders found: " \
           "'My Pack', 'good-one', 'x`touch PWNED`y'" in result.stderr
    assert "'x`touch PWNED`y' cannot be" in result.stderr
    assert not (tmp_path / "out").exists() and not list(tmp_path.rglob("PWNED"))


def test_no_name_reaches_a_shell(tmp_path):
    """Folder names from the content never enter make; PUB= reaches the builder only through the
    environment, and the builder refuses it."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", "build", "dist", ".git", "__pycache__", "tests"))
    (repo / ".venv").symlink_to(ROOT / ".venv")
    shutil.copytree(SHEET, repo / "content" / "x`touch PWNED1`y")
    plan = _make("-n", "html", cwd=repo)
    assert plan.returncode == 0 and "x`touch" not in plan.stdout
    for pub in ("x`touch PWNED2`y", "a; touch PWNED3", 'x"; touch PWNED4; echo "', "a b", "../../etc"):
        result = _make("html", f"PUB={pub}", f"OUT={tmp_path}/out", cwd=repo)
        assert result.returncode == 2, (pub, result.stdout, result.stderr)
        assert f"{pub!r} is not a publication folder's name" in result.stderr
    result = _make("html", cwd=repo)  # the folder itself is refused, by name
    assert result.returncode == 2 and "'x`touch PWNED1`y' cannot be a publication folder's name" in result.stderr
    # make takes what is given as data: no $(shell …) is expanded, in PUB or any other variable
    result = _make("html", f"PUB=$(shell touch {tmp_path}/PWNED5)", f"OUT={tmp_path}/out", cwd=repo)
    assert result.returncode == 2, (result.stdout, result.stderr)
    for given in (f"TO=$(shell touch {tmp_path}/PWNED6)", f"DRAFT=$(shell touch {tmp_path}/PWNED7)",
                  f"OUT=$(shell touch {tmp_path}/PWNED8)"):  # make -n expands what a run would: enough here
        assert _make("-n", "html", given, cwd=repo).returncode == 0
    long = "a" * 300
    result = _make("html", f"PUB={long}", f"OUT={tmp_path}/out", cwd=repo)
    assert result.returncode == 2 and "is not a publication folder's name (lower-case letters, digits and " \
        "hyphens, at most 64)" in result.stderr and long not in result.stderr
    assert not list(tmp_path.rglob("PWNED*"))


def test_file_names_with_spaces_and_other_characters_build(tmp_path):
    folder, out = _sheet(tmp_path), tmp_path / "out"
    manifest = folder / "publication.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "- about.yaml\n" in text
    (folder / "about.yaml").rename(folder / "về IOM (2026) $x & 'y'.yaml")
    manifest.write_text(text.replace("- about.yaml\n", "- \"về IOM (2026) $x & 'y'.yaml\"\n"), encoding="utf-8")
    (folder / "sources" / "ghi chú `id` 1.txt").write_text("not listed anywhere", encoding="utf-8")
    result = run_build("html", "--content", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "IOM" in (out / f"{SHEET_NAME}.html").read_text(encoding="utf-8")


# -- drafts --------------------------------------------------------------------------------------
def _untranslated(tmp_path) -> Path:
    """The fact sheet with one English text missing."""
    folder = _sheet(tmp_path)
    facts = folder / "facts.yaml"
    text = facts.read_text(encoding="utf-8")
    assert "    en: member states\n" in text
    facts.write_text(text.replace("    en: member states\n", "", 1), encoding="utf-8")
    return folder


def test_a_draft_says_so_on_every_page_and_never_passes_for_final(tmp_path):
    folder, out = _untranslated(tmp_path), tmp_path / "out"
    strict = run_build("pdf", "--content", str(folder), "--out", str(out))
    assert strict.returncode == 3 and "[facts[2].en] is missing" in strict.stderr
    draft = run_build("pdf", "--draft", "--content", str(folder), "--out", str(out))
    assert draft.returncode == 0, draft.stderr
    pdfs = sorted(out.glob("*.pdf"))
    assert len(pdfs) == 3
    for pdf in pdfs:
        reader = PdfReader(pdf)
        assert "DRAFT" in reader.metadata["/Keywords"]
        mark = {f"{SHEET_NAME}-vi.pdf": "BẢN NHÁP", f"{SHEET_NAME}.pdf": "BẢN NHÁP · DRAFT"}.get(pdf.name, "DRAFT")
        for number, page in enumerate(reader.pages, 1):
            assert mark in page.extract_text(), (pdf.name, number)
    assert "everything was up to date" in run_build("pdf", "--draft", "--content", str(folder), "--out", str(out)).stdout
    refused = run_build("pack", "--draft", "--content", str(folder), "--out", str(out), "--dist", str(tmp_path / "dist"))
    assert refused.returncode == 2 and "a pack is made only from a strict build" in refused.stderr
    again = run_build("pack", "--content", str(folder), "--out", str(out), "--dist", str(tmp_path / "dist"))
    assert again.returncode == 3 and "[facts[2].en] is missing" in again.stderr
    assert f"removed {out / SHEET_NAME}.pdf: it was a draft" in again.stderr
    assert not list(out.glob("*.pdf")) and not (tmp_path / "dist").exists()


def test_a_complete_publication_built_as_draft_is_final(tmp_path):
    folder, out = _sheet(tmp_path), tmp_path / "out"
    assert run_build("pdf", "--draft", "--content", str(folder), "--out", str(out)).returncode == 0
    assert "DRAFT" not in PdfReader(out / f"{SHEET_NAME}.pdf").pages[0].extract_text()
    strict = run_build("pdf", "--content", str(folder), "--out", str(out))
    assert strict.returncode == 0 and "everything was up to date" in strict.stdout


# -- nothing good is destroyed -------------------------------------------------------------------
def test_a_full_disk_replaces_no_output(tmp_path):
    """A small tmpfs holds one build but not a second one staged beside it: exit 5, one line, and
    every old output as it was."""
    out = tmp_path / "out"
    out.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(out)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root and mount)")
    try:
        first = run_build("pdf", "epub", "html", "--content", str(SHEET), "--out", str(out))
        assert first.returncode == 0, first.stderr
        before = snapshot(out)
        used = sum((out / name).stat().st_size for name in before)
        free = shutil.disk_usage(out).free
        filler = out / ".filler"
        filler.write_bytes(b"\0" * max(0, free - used // 2))  # room for half a build more
        result = run_build("pdf", "epub", "html", "--force", "--content", str(SHEET), "--out", str(out))
        assert result.returncode == 5, (result.returncode, result.stdout, result.stderr)
        assert "No space left on device; no output was replaced" in result.stderr
        assert "Traceback" not in result.stderr
        assert snapshot(out) == before and leftovers(out) == []
    finally:
        subprocess.run(["umount", str(out)])


KILL_AT_REPLACE = """
import os, signal, sys
sys.path.insert(0, sys.argv[1])
n, calls, real = int(sys.argv[2]), [0], os.replace
def replace(src, dst):
    calls[0] += 1
    if calls[0] == n:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
from briefing.cli import main
code = main(sys.argv[3:])
print(f"replaces: {calls[0]}", file=sys.stderr)
sys.exit(code)
"""


def test_killed_builds_leave_the_last_good_build(built, tmp_path):
    """The builder is killed (SIGKILL, SIGTERM, SIGINT) at random moments of a real build of the
    IOM pack, at each rename of its outputs, and while a PDF is written; make is interrupted too.
    After each, every file in the output folder is the last good build's, byte for byte."""
    out = tmp_path / "out"
    shutil.copytree(built / ".cache", out / ".cache")  # fonts and covers, as a build before would have left
    command = ["pdf", "epub", "--edition", "vi", "--edition", "en", "-q", "--content", str(CONTENT), "--out", str(out)]
    for first in (command, ["html", "-q", "--content", str(CONTENT), "--out", str(out)]):
        assert run_build(*first).returncode == 0
    good = snapshot(out)
    assert len(good) == 2 + 2 + 3  # PDFs, EPUBs, HTML files
    command.append("--force")
    started = time.perf_counter()
    counted = subprocess.run([sys.executable, "-c", KILL_AT_REPLACE, str(ROOT), "0", *command],
                             capture_output=True, text=True, cwd=ROOT)
    duration = time.perf_counter() - started
    assert counted.returncode == 0, counted.stderr
    renames = int(counted.stderr.rsplit("replaces: ", 1)[1])
    assert renames >= 5  # 2 PDFs, 2 EPUBs, 2 HTML files, the record
    assert snapshot(out) == good
    points = []
    for k in range(1, renames + 1):  # just before each rename, including between two of them
        killed = subprocess.run([sys.executable, "-c", KILL_AT_REPLACE, str(ROOT), str(k), *command],
                                capture_output=True, text=True, cwd=ROOT)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        points.append(f"rename {k}")
        assert snapshot(out) == good, points[-1]
    rng = random.Random(23)
    for n in range(16):
        sig = (signal.SIGKILL, signal.SIGTERM, signal.SIGINT)[n % 3]
        moment = rng.uniform(0.05, duration)
        proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *command], cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(moment)
        proc.send_signal(sig)
        proc.wait(timeout=120)
        points.append(f"{sig.name} at {moment:.2f} s (exit {proc.returncode})")
        # 130: the builder caught the signal; -9, -15, -2: it died of it (a TERM or INT between the
        # end of the build and the interpreter's exit is no longer caught); 0: it had finished.
        assert proc.returncode in (0, 130, -signal.SIGTERM, -signal.SIGINT, -signal.SIGKILL), \
            (points[-1], proc.stderr.read())
        if proc.returncode == 130:
            assert leftovers(out) == [], points[-1]  # a caught TERM or INT cleans up after itself
        assert snapshot(out) == good, points[-1]
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), *command], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline and not list(out.glob(f".{NAME}*.pdf.*.tmp")):
        time.sleep(0.002)
    proc.kill()
    proc.wait()
    points.append("SIGKILL while a PDF is written")
    assert snapshot(out) == good
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    for sig, group in ((signal.SIGINT, True), (signal.SIGTERM, False), (signal.SIGKILL, False)):
        make = subprocess.Popen(["make", "-s", "html", "PUB=iom-viet-nam-briefing", "FORCE=1", f"OUT={out}"], cwd=ROOT,
                                env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.1, 0.6))
        os.killpg(make.pid, sig) if group else make.send_signal(sig)
        make.wait(timeout=120)
        _wait_for_builders(make.pid)  # a builder whose make was killed runs on: let it finish
        points.append(f"make {sig.name}{' (the group, as Ctrl-C)' if group else ''}")
        assert snapshot(out) == good, points[-1]
    assert len(points) >= 20
    print(f"{len(points)} kill points ({renames} renames):", "; ".join(points))
    after = run_build(*[arg for arg in command if arg not in ("--force", "-q")])
    assert after.returncode == 0, after.stderr
    assert snapshot(out) == good and leftovers(out) == []


def test_a_build_killed_between_renames_is_finished_by_the_next(tmp_path):
    """After an edit, a build killed after it put some outputs in place leaves each file old or new,
    whole; the next build must not take the old ones for up to date."""
    folder, out, clean = _sheet(tmp_path), tmp_path / "out", tmp_path / "clean"
    command = ["pdf", "epub", "-q", "--content", str(folder)]
    assert run_build(*command, "--out", str(out)).returncode == 0
    old = snapshot(out)
    about = folder / "about.yaml"
    # a translation is edited: an edit of an original would make its translations stale (a strict build stops)
    text = about.read_text(encoding="utf-8")
    about.write_text(text.replace("en: Who we are", "en: Who we are (edited)", 1), encoding="utf-8")
    assert run_build(*command, "--out", str(clean)).returncode == 0
    new = snapshot(clean)
    killed = subprocess.run([sys.executable, "-c", KILL_AT_REPLACE, str(ROOT), "4", *command, "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert killed.returncode == -signal.SIGKILL
    mixed = snapshot(out)
    products = [name for name in new if not name.endswith(".html")]  # HTML: paths relative to its folder
    assert all(mixed[name] in (old[name], new[name]) for name in products)
    assert {name for name in products if mixed[name] == new[name]} not in (set(), set(products))
    assert run_build(*command, "--out", str(out)).returncode == 0
    assert {name: snapshot(out)[name] for name in products} == {name: new[name] for name in products}


def _wait_for_builders(session: int, timeout: float = 120) -> None:
    """Until no process of the session is left (read from /proc: no procps needed)."""
    def alive() -> bool:
        for entry in os.listdir("/proc"):
            try:
                if entry.isdigit() and os.getsid(int(entry)) == session:
                    return True
            except OSError:  # gone meanwhile
                pass
        return False

    deadline = time.monotonic() + timeout
    while alive() and time.monotonic() < deadline:
        time.sleep(0.1)


# -- nothing is fetched ---------------------------------------------------------------------------
@pytest.fixture()
def listener():
    """A TCP listener on 127.0.0.1: the address every hostile reference points at. It counts the
    connections it is offered."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    seen, stop = [], threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            seen.append(conn.recv(200))
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}", seen
    stop.set()
    thread.join()
    server.close()


def test_no_case_makes_a_request(tmp_path, listener):
    url, seen = listener
    svg = ('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'
           '{}<rect width="10" height="10"/></svg>')
    cases = {
        "image href": svg.format(f'<image href="{url}/a.png" width="1" height="1"/>'),
        "xlink": svg.format(f'<image xlink:href="{url}/b.png" width="1" height="1"/>'),
        "css import": svg.format(f'<style>@import "{url}/c.css";</style>'),
        "escaped url": svg.format(f'<style>rect {{ fill: u\\72l({url}/d.svg#x) }}</style>'),
        "filter": svg.format(f'<g filter="url({url}/e.svg#f)"/>'),
        "entity": f'<!DOCTYPE svg [<!ENTITY x SYSTEM "{url}/f.txt">]>' + svg.format("<text>&x;</text>"),
    }
    for name, text in cases.items():
        folder = make_publication(tmp_path / name.replace(" ", "-") / "pub")
        (folder / "images" / "map.svg").write_text(text, encoding="utf-8")
        result = run_build("html", "--content", str(folder), "--out", str(folder.parent / "out"))
        assert result.returncode == 3 and "images/map.svg" in result.stderr, (name, result.stderr)
    # A link and a source's address are written out, never followed.
    folder = _sheet(tmp_path / "links")
    manifest = folder / "publication.yaml"
    text = manifest.read_text(encoding="utf-8")
    assert "  - id: iom-vn-vi\n" in text
    manifest.write_text(text.replace("  - id: iom-vn-vi\n", f"  - id: iom-vn-vi\n    url: {url}/page\n", 1),
                        encoding="utf-8")
    result = run_build("pdf", "epub", "--content", str(folder), "--out", str(tmp_path / "links" / "out"))
    assert result.returncode == 0, result.stderr
    time.sleep(0.3)
    assert seen == []


def test_requires_python_admits_every_supported_version():
    from packaging.specifiers import SpecifierSet
    import tomllib
    spec = SpecifierSet(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["requires-python"])
    assert all(version in spec for version in ("3.11", "3.12", "3.13"))
