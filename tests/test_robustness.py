"""Atomic outputs under SIGKILL, parallel make, and byte-identical rebuilds."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from conftest import CONTENT, NAME, ROOT, run_build


def _hashes(folder, patterns=("*.pdf", "*.epub")):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for pattern in patterns for p in folder.glob(pattern)}


def test_sigkill_during_pdf_write_leaves_the_previous_pdfs(tmp_path):
    out = tmp_path / "out"
    assert run_build("pdf", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    before = _hashes(out)
    assert len(before) == 3 + 2  # the editions, and the facing and flip layouts
    proc = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "pdf", "-q", "--force", "--content", str(CONTENT),
                             "--out", str(out)],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline, killed = time.monotonic() + 120, False
    while time.monotonic() < deadline and proc.poll() is None:
        if list(out.glob(f".{NAME}*.pdf.*.tmp")):  # a PDF is being written right now
            os.kill(proc.pid, signal.SIGKILL)
            killed = True
            break
        time.sleep(0.002)
    proc.wait()
    assert killed, "the build finished before a PDF write could be interrupted"
    assert _hashes(out) == before  # every PDF is the previous good one, whole
    assert list(out.glob(".*.tmp"))  # the killed writer's temporary file is still there...
    assert run_build("html", "--force", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    assert not list(out.glob(".*.tmp"))  # ...until the next build sweeps it


def test_parallel_make_equals_serial_and_builds_are_reproducible(tmp_path):
    """Two clean builds in different folders at different times, one `make -j2`, give the same bytes."""
    serial, parallel = tmp_path / "serial", tmp_path / "parallel"
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    for folder, jobs in ((serial, "-j1"), (parallel, "-j2")):
        result = subprocess.run(["make", "-s", jobs, "all", f"OUT={folder}", f"DIST={folder}/dist"],
                                cwd=ROOT, capture_output=True, text=True, env=env, timeout=900)
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        time.sleep(1.1)  # a later wall-clock second must not matter
    first, second = _hashes(serial), _hashes(parallel)
    # The briefing: 3 PDFs, press PDF, booklet, 3 EPUBs, and a PDF, a press PDF and a booklet in
    # each of its two other layouts; the fact sheet: the same as the first, but the booklet.
    assert len(first) == 8 + 6 + 7
    assert first == second
    assert _hashes(serial / "dist", ("*.zip",)) == _hashes(parallel / "dist", ("*.zip",))


def test_source_date_epoch_is_honoured(tmp_path):
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "epub", "-q", "--content", str(CONTENT), "--out", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(tmp_path / f"{NAME}.epub") as book:
        assert {info.date_time for info in book.infolist()} == {(2023, 11, 14, 22, 13, 20)}
        assert b"<meta property=\"dcterms:modified\">2023-11-14T22:13:20Z</meta>" in book.read("EPUB/content.opf")


def test_epub_cache_gives_the_same_bytes_and_spares_weasyprint(tmp_path):
    """Cover images, font subsets, charts and the print pages are cached in the output folder: a
    warm run makes the same EPUB without importing WeasyPrint or matplotlib, and a damaged entry is
    made again, not used."""
    out = tmp_path / "out"
    assert run_build("epub", "--edition", "en", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    epub = out / f"{NAME}-en.epub"
    cold = epub.read_bytes()
    entries = sorted(p for p in (out / ".cache").iterdir() if p.is_file())  # templates/: compiled templates
    # fonts; the chart for screens in each edition's languages (the fonts are cut to every edition's
    # text) and for print (the print pages are read); the cover; the print pages
    assert [p.suffix for p in entries] == [".woff2"] * 3 + [".svg"] * 4 + [".png", ".json"]
    script = ("import sys; from briefing.cli import main; code = main(sys.argv[1:]); "
              "sys.exit(code or ('weasyprint' in sys.modules and 99) or ('matplotlib' in sys.modules and 98))")
    warm = subprocess.run([sys.executable, "-c", script, "epub", "-q", "--force", "--edition", "en", "--content", str(CONTENT),
                           "--out", str(out)],
                          cwd=ROOT, capture_output=True, text=True)
    assert warm.returncode == 0, warm.stderr  # 99 (98): WeasyPrint (matplotlib) imported although cached
    assert epub.read_bytes() == cold
    for entry in entries:
        entry.write_bytes(b"damaged")
    assert run_build("epub", "--force", "--edition", "en", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    assert epub.read_bytes() == cold
    assert all(entry.read_bytes() != b"damaged" for entry in entries)


def test_compiled_templates_are_kept_per_builder(tmp_path):
    """Compiled templates call the filters as the builder that compiled them defined them: a build
    with another briefing/render.py (or Jinja) must not run them. Seen when `rich` came to take the
    context: the old bytecode in build/.cache called it without, an internal error."""
    from briefing.cache import key
    from briefing.render import __file__ as render_py

    out = tmp_path / "out"
    assert run_build("html", "--edition", "en", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    folders = [p.name for p in (out / ".cache" / "templates").iterdir()]
    assert folders == [key(files=(Path(render_py),), packages=("jinja2",))]
    assert any((out / ".cache" / "templates" / folders[0]).glob("*.cache"))


def test_parallel_pdfs_fail_together_and_replace_nothing(tmp_path, monkeypatch):
    """With --jobs 2 every PDF is made in a worker; when two fail, both failures are reported, and
    the PDF that succeeded does not replace its old file either."""
    sys.path.insert(0, str(ROOT))
    from briefing import pipeline
    from briefing.errors import Problem, RenderError
    from briefing.pdf import PdfWriter

    out = tmp_path / "out"
    assert run_build("pdf", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    before = _hashes(out)
    real_layout = PdfWriter.layout

    def layout(self, html, html_path, css=""):  # inherited by the forked workers
        if html_path.name.endswith(("-vi.html", "-en.html")):
            raise RenderError([Problem(str(html_path), None, None, "weasyprint", "injected failure")])
        return real_layout(self, html, html_path, css)

    monkeypatch.setattr(PdfWriter, "layout", layout)
    with pytest.raises(RenderError) as caught:
        pipeline.build({"pdf"}, CONTENT, out, pipeline.Progress(quiet=True), workers=2, force=True)
    assert sorted(Path(p.file).name for p in caught.value.problems) == [f"{NAME}-en.html", f"{NAME}-vi.html"]
    assert _hashes(out) == before
    assert not list(out.glob(".*.tmp"))


def test_sweep_spares_the_temporary_files_of_a_running_build(tmp_path):
    """make -j2 runs several builders on one folder: one's sweep must not delete another's file in
    the making, only those whose writer is gone."""
    sys.path.insert(0, str(ROOT))
    from briefing.outputs import sweep, temp_beside

    live = temp_beside(tmp_path / f"{NAME}.pdf")  # this process is alive
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp_path / f".{NAME}.pdf.{gone.stdout.strip()}.abcd1234.tmp"
    dead.write_bytes(b"left by a killed build")
    (tmp_path / ".cache").mkdir()
    dead_entry = tmp_path / ".cache" / f".cover-0.png.{gone.stdout.strip()}.abcd1234.tmp"
    dead_entry.write_bytes(b"")
    assert sorted(sweep(tmp_path)) == sorted([dead, dead_entry])
    assert live.exists() and not dead.exists() and not dead_entry.exists()
