"""The command line: help, exit codes, progress lines, another content folder."""
from __future__ import annotations

import re

import pytest

from conftest import CONTENT, run_build


def test_help_documents_targets_and_exit_codes():
    result = run_build("--help")
    assert result.returncode == 0
    for word in ("html", "pdf", "epub", "all", "--content", "--out", "exit codes", "3  the content"):
        assert word in result.stdout


def test_bad_target_is_a_usage_error():
    result = run_build("docx")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_progress_lines_have_times(tmp_path):
    result = run_build("html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    steps = [l for l in result.stdout.splitlines() if re.search(r"\d+\.\d\d s$", l)]
    assert len(steps) >= 5, result.stdout
    assert "load and validate" in result.stdout


def test_an_output_folder_that_cannot_be_written_is_exit_5_with_one_line(tmp_path):
    (tmp_path / "in-the-way").write_text("a file, not a folder", encoding="utf-8")
    result = run_build("epub", "--content", str(CONTENT), "--out", str(tmp_path / "in-the-way" / "out"))
    assert result.returncode == 5, result.stderr
    assert "in-the-way/out: cannot be written" in result.stderr and "Traceback" not in result.stderr


def test_a_read_only_output_folder_is_exit_5_and_nothing_changes(tmp_path):
    """A read-only file system (a bind mount, where this machine allows one) fails before anything
    is built, with one line, and leaves what is there as it was."""
    import subprocess

    out = tmp_path / "out"
    assert run_build("html", "--edition", "en", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    mounted = subprocess.run(["mount", "--bind", str(out), str(out)], capture_output=True).returncode == 0
    if mounted and subprocess.run(["mount", "-o", "remount,bind,ro", str(out)], capture_output=True).returncode:
        subprocess.run(["umount", str(out)])
        mounted = False
    if not mounted:
        pytest.skip("cannot make a read-only mount here (needs root and mount)")
    try:
        for target in ("epub", "pdf", "html"):
            result = run_build(target, "--content", str(CONTENT), "--out", str(out))
            assert result.returncode == 5, (target, result.stderr)
            assert f"{out}: cannot be written: Read-only file system" in result.stderr, result.stderr
    finally:
        subprocess.run(["umount", str(out)])
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
