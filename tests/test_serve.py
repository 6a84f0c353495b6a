"""`make serve`: the live preview, over HTTP and in a real browser (Debian's Chromium, driven by
Playwright). Every wait is a short poll bounded by LIMIT; nothing sleeps on the clock."""
from __future__ import annotations

import http.client
import json
import re
import shutil
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


def ask(server, method: str, path: str, host: str | None = None, headers: dict | None = None,
        body: str = "") -> tuple[int, dict, bytes]:
    """A request with its own Host header (as a page of another site would send it)."""
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", f"127.0.0.1:{server.port}" if host is None else host)
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.putheader("Content-Length", str(len(body.encode())))
        connection.endheaders(body.encode() or None)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def test_the_preview_answers_only_to_itself(server):
    until(server, ready, "the first pages")
    for host in ("evil.example", f"evil.example:{server.port}", "127.0.0.1", f"127.0.0.2:{server.port}", ""):
        for path in ("/", "/state", "/files/styles/print.css", "/events"):
            assert ask(server, "GET", path, host=host)[0] == 421, (host, path)
        assert ask(server, "POST", "/edition", host=host, body="key=vi")[0] == 421
    assert ask(server, "GET", "/", host=f"localhost:{server.port}")[0] == 200
    status, headers, _ = ask(server, "GET", "/state")
    assert status == 200 and headers["Cache-Control"] == "no-store" and headers["X-Content-Type-Options"] == "nosniff"
    # what changes the state is a POST with the page's token
    assert ask(server, "GET", "/edition?key=vi")[0] == 405
    assert ask(server, "POST", "/edition", body="key=vi")[0] == 403
    assert ask(server, "POST", "/edition", headers={"X-Preview-Token": "guess"}, body="key=vi")[0] == 403
    assert server.preview.edition == "main"
    token = re.search(rb'name="preview-token" content="([^"]+)"', ask(server, "GET", "/")[2])[1].decode()
    assert ask(server, "POST", "/edition", headers={"X-Preview-Token": token}, body="key=vi")[0] == 200
    assert server.preview.edition == "vi"
    for path in ("/files/%00", "/files/a%00b.html", "/files/%zz", "/files/%", "/files/%C0%AF", "/files/%01"):
        status, _, body = ask(server, "GET", path)
        assert status == 404 and b"Traceback" not in body, path


def test_the_folder_deleted_and_put_back(server, starter, tmp_path):
    until(server, ready, "the first pages")
    shutil.copytree(starter, tmp_path / "kept")
    shutil.rmtree(starter)
    until(server, lambda now: any("does not exist" in e for e in now["errors"]), "the folder's absence")
    shutil.copytree(tmp_path / "kept", starter)
    until(server, lambda now: ready(now) and not now["errors"], "the folder back")
    edit(starter, EDITED, f"{EDITED} after the restore")
    until(server, lambda now: ready(now) and "after the restore" in " ".join(p["text"] for p in now["pages"]),
          "an edit after the restore")


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
