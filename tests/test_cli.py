"""The command line: help, exit codes, progress lines, another content folder."""
from __future__ import annotations

import re

from conftest import run_build


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
