"""`make serve`: the live preview, over HTTP and in a real browser (Debian's Chromium, driven by
Playwright). Every wait is a short poll bounded by LIMIT; nothing sleeps on the clock."""
from __future__ import annotations

import http.client
import json
import re
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT))
from briefing.serve import Server  # noqa: E402

LIMIT = 90  # seconds: the longest any step may take (the first layout loads the fonts)
EDITED = "Write each paragraph in every language of the publication"


@pytest.fixture
def starter(tmp_path):
    """A publication from `make new`, with facing pages as well."""
    folder = tmp_path / "pub"
    assert run_build("new", str(folder)).returncode == 0
    manifest = folder / "publication.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("layouts: [columns]", "layouts: [columns, facing]"),
                        encoding="utf-8")
    return folder


@pytest.fixture
def server(starter, tmp_path):
    running = Server(starter, tmp_path / "out").start()
    yield running
    running.stop()
    assert not running.thread.is_alive() and not any(t.is_alive() for t in running.preview.threads)


def get(server, path: str) -> tuple[int, bytes]:
    """A request with the path exactly as written (no client-side normalising of '..')."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def state(server) -> dict:
    status, body = get(server, "/state")
    assert status == 200
    return json.loads(body)


def until(server, test, what: str) -> dict:
    end = time.monotonic() + LIMIT
    while time.monotonic() < end:
        now = state(server)
        if test(now):
            return now
        server.preview.wait(now["version"], 0.5)
    pytest.fail(f"not within {LIMIT} s: {what}; state: {json.dumps(state(server))[:600]}")


def edit(folder, old: str, new: str) -> None:
    path = folder / "prose.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ready(now) -> bool:
    return now["pages"] and not now["building"]


def test_only_the_previews_files_are_served(server):
    first = until(server, ready, "the first pages")
    assert get(server, f"/files/{first['html']}")[0] == 200
    assert get(server, f"/files/{first['pages'][0]['src']}")[0] == 200
    for path in ("/files/../pyproject.toml", "/files/%2e%2e/%2e%2e/pyproject.toml", "/files/..%2f..%2fbuild.py",
                 "/files/%2E%2E%2F%2E%2E%2Fbuild.py", "/../etc/passwd", "/files//etc/passwd", "/files/%2fetc%2fpasswd",
                 "/files/..%5c..%5cbuild.py", "/files/", "/files/styles", "/files/styles/", "/build.py", "/files/./styles/print.css"):
        status, body = get(server, path)
        assert status == 404 and b"[project]" not in body and b"root:" not in body, path
    assert get(server, "/files/styles/print.css")[0] == 200  # what the HTML links to is copied in


def test_a_burst_of_saves_makes_one_build_of_the_last(server, starter):
    until(server, ready, "the first pages")
    before = state(server)["builds"]
    text = EDITED
    for i in range(10):
        edit(starter, text, f"{EDITED} save{i}")
        text = f"{EDITED} save{i}"
    final = until(server, lambda now: ready(now) and "save9" in " ".join(p["text"] for p in now["pages"]),
                  "the last save's pages")
    assert final["builds"] - before <= 3, final["builds"] - before  # one running, one after it (at most two kernel batches)
    html = (server.preview.live.folder / final["html"]).read_text(encoding="utf-8")
    assert "save9" in html and "save8" not in html


def test_the_page_follows_edits_errors_and_the_edition(server, starter, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.set_default_timeout(LIMIT * 1000)
    page.goto(f"http://127.0.0.1:{server.port}/")
    page.wait_for_selector("#pages img")
    # 1. An edit shows in the HTML preview, then in the pages.
    edit(starter, EDITED, f"{EDITED} Fresh words")
    page.frame_locator("#html").locator("text=Fresh words").first.wait_for()
    page.wait_for_selector("#pages img[alt*='Fresh words']")
    # 2. A YAML error: the panel names the file and line, and the last good pages stay.
    path = starter / "prose.yaml"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("paragraphs:\n", "paragraphs:\n  - [unclosed\n", 1), encoding="utf-8")
    page.wait_for_selector("#errors.shown")
    assert re.search(r"prose\.yaml:\d+:\d+: ", page.inner_text("#errors")) and page.locator("#pages img").count() > 0
    # 3. Fixed: the panel goes.
    path.write_text(good, encoding="utf-8")
    page.wait_for_selector("#errors", state="hidden")
    # 4. Facing pages: one language a page.
    page.select_option("#edition", "facing")
    page.wait_for_function("document.body.dataset.edition === 'facing' && document.querySelectorAll('#pages img').length > 0"
                           " && !document.querySelector('#status').textContent.startsWith('laying')")
    facing = until(server, lambda now: now["edition"] == "facing" and ready(now), "facing pages")
    texts = [p["text"] for p in facing["pages"]]
    assert any("Write each paragraph" in t and "Viết mỗi đoạn" not in t for t in texts)
    assert any("Viết mỗi đoạn" in t and "Write each paragraph" not in t for t in texts)
    page.close()


def test_ctrl_c_stops_the_command_cleanly(starter, tmp_path):
    """`build.py serve` (what `make serve` runs) prints its address, serves, and ends on Ctrl-C
    with exit 0, leaving no process behind."""
    import signal
    import subprocess
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(starter),
                                "--out", str(tmp_path / "out")], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        line = process.stdout.readline()
        port = int(re.search(r"http://127\.0\.0\.1:(\d+)/", line).group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/")
        assert connection.getresponse().status == 200
        connection.close()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0, process.stderr.read()
    finally:
        if process.poll() is None:
            process.kill()
    assert not _in_session(process.pid)


def _in_session(session: int) -> list[str]:
    """The processes of a session (/proc/<pid>/stat: the session id is the 4th field after the name)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        if int(fields[3]) == session:
            found.append(stat.parent.name)
    return found
