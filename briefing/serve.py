"""`make serve`: a live preview of one publication, on 127.0.0.1 only.

watchfiles (Rust's notify: the kernel's events, no polling) reports saves in the publication's
folder, the templates, the styles and the catalogs; the standard library's ThreadingHTTPServer
serves the page, its state, and Server-Sent Events that tell the page a new result is ready. Both
are enough for one editor on one machine, and neither asks for an event loop or a framework.

One builder thread makes one build at a time: saves that come during a build make one more build,
of the latest state, not one each. Only the folder of the preview is served (live.py writes it).
"""
from __future__ import annotations

import json
import secrets
import threading
import time
from dataclasses import asdict
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .live import Live
from .pipeline import PROJECT

PAGE = Path(__file__).with_name("serve.html")
TYPES = {".html": "text/html; charset=utf-8", ".png": "image/png", ".css": "text/css", ".ttf": "font/ttf",
         ".otf": "font/otf", ".woff2": "font/woff2", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
WATCHED = ("templates", "styles")  # besides the publication's folder and the catalogs


class Preview:
    """The builder thread, the watcher thread and the state the page reads."""

    def __init__(self, content_dir: Path, folder: Path, edition: str = "main", locale_dir: Path | None = None,
                 log=None):
        self.live = Live(content_dir, folder, locale_dir)
        self.log = log  # called with a line after each build (the terminal's), or None
        self.content_dir, self.locale_dir = Path(content_dir).resolve(), locale_dir or PROJECT / "locale"
        self.edition = edition
        self.changed = threading.Condition()
        self.pending = True          # build at once
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._builder, name="builder", daemon=True),
                        threading.Thread(target=self._watcher, name="watcher", daemon=True)]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.stopping.set()
        with self.changed:
            self.changed.notify_all()
        for thread in self.threads:
            thread.join(timeout=10)

    def request(self, edition: str | None = None) -> None:
        """Build again (the latest state) as soon as the builder is free."""
        with self.changed:
            if edition:
                self.edition = edition
            self.pending = True
            self.changed.notify_all()

    def state(self) -> dict:
        return asdict(self.live.result)

    def wait(self, version: int, timeout: float) -> bool:
        """Until the state's version is past `version` (True) or the time is up (False)."""
        with self.changed:
            return self.changed.wait_for(lambda: self.live.result.version > version or self.stopping.is_set(),
                                         timeout)

    def _builder(self) -> None:
        while not self.stopping.is_set():
            with self.changed:
                self.changed.wait_for(lambda: self.pending or self.stopping.is_set())
                if self.stopping.is_set():
                    return
                self.pending, edition = False, self.edition
            start = time.perf_counter()
            self.live.build(edition, self._notify)
            if self.log:
                result = self.live.result
                self.log("\n  ".join([f"{len(result.errors)} problem(s); the last good pages stay:", *result.errors])
                         if result.errors else
                         f"{result.edition}: {len(result.pages)} pages in {time.perf_counter() - start:.2f} s")

    def _notify(self) -> None:
        with self.changed:
            self.changed.notify_all()

    def _watcher(self) -> None:
        """Saves start builds. The publication's folder may be deleted and put back (a restore, a
        `git checkout`): the kernel's watch goes with the old folder, so a new one is set on the
        folder that is there now, and what it holds is built."""
        from watchfiles import watch
        first = True
        while not self.stopping.is_set():
            watched = self._identity()
            if watched is None:  # gone: the page says so; look again in a moment
                self.stopping.wait(0.3)
                continue
            if not first:
                self.request()  # the folder is back, or another one is in its place: build what it holds
            first = False
            paths = [self.content_dir, self.locale_dir, *(PROJECT / name for name in WATCHED)]
            try:
                for changes in watch(*paths, stop_event=self.stopping, debounce=50, step=20, yield_on_timeout=True,
                                     rust_timeout=500):
                    if changes:
                        self.request()
                    if self._identity() != watched:
                        break
            except OSError:  # the folder went while the watch was being set
                pass

    def _identity(self):
        try:
            info = self.content_dir.stat()
        except OSError:
            return None
        return info.st_dev, info.st_ino


def handler(preview: Preview, folder: Path, port_of, token: str):
    """port_of(): the server's port, once it is bound. token: what a request that changes the state
    must carry (the page has it; another site cannot read it)."""
    root = folder.resolve()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # the terminal shows what the builder says, not each request
            pass

        def _ours(self) -> bool:
            """Only a request addressed to this server by name: a page of another site that the
            editor has open can reach 127.0.0.1 through DNS rebinding, but it names its own host."""
            if self.headers.get("Host", "") in (f"127.0.0.1:{port_of()}", f"localhost:{port_of()}"):
                return True
            self._send(b"misdirected request: this preview answers to 127.0.0.1 only", TYPES[".txt"],
                       HTTPStatus.MISDIRECTED_REQUEST)
            return False

        def do_GET(self):
            if not self._ours():
                return
            url = urlsplit(self.path)
            if url.path == "/":
                return self._send(PAGE.read_text(encoding="utf-8").replace("{{TOKEN}}", token).encode("utf-8"),
                                  TYPES[".html"])
            if url.path == "/state":
                return self._json(preview.state())
            if url.path == "/events":
                return self._events()
            if url.path.startswith("/files/"):
                return self._file(url.path.removeprefix("/files/"))
            if url.path == "/edition":
                return self._send(b"use POST", TYPES[".txt"], HTTPStatus.METHOD_NOT_ALLOWED)
            self._send(b"not found", TYPES[".txt"], HTTPStatus.NOT_FOUND)

        def do_POST(self):
            if not self._ours():
                return
            length = self.headers.get("Content-Length", "0")
            body = self.rfile.read(min(int(length), 1024)) if length.isdigit() else b""
            if urlsplit(self.path).path != "/edition":
                return self._send(b"not found", TYPES[".txt"], HTTPStatus.NOT_FOUND)
            if not secrets.compare_digest(self.headers.get("X-Preview-Token", ""), token):
                return self._send(b"forbidden: no token of this preview", TYPES[".txt"], HTTPStatus.FORBIDDEN)
            preview.request(parse_qs(body.decode("utf-8", "replace")).get("key", ["main"])[0][:40])
            return self._json({"edition": preview.edition})

        def _file(self, name: str):
            """A file of the preview's folder, and nothing else: no '..', no folder, no link out, no
            NUL or other control character."""
            parts = unquote(name).split("/")
            safe = parts and all(p not in ("", ".", "..") and "\\" not in p and p.isprintable() for p in parts)
            try:
                path = root.joinpath(*parts).resolve() if safe else None
                found = path is not None and path.is_relative_to(root) and path.is_file()
            except (OSError, ValueError):
                found = False
            if not found:
                return self._send(b"not found", TYPES[".txt"], HTTPStatus.NOT_FOUND)
            self._send(path.read_bytes(), TYPES.get(path.suffix.lower(), "application/octet-stream"))

        def _events(self):
            """Server-Sent Events: the state's version, each time it changes."""
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            version = -1
            try:
                while not preview.stopping.is_set():
                    now = preview.live.result.version
                    if now != version:
                        version = now
                        self.wfile.write(f"data: {version}\n\n".encode("ascii"))
                    else:
                        self.wfile.write(b": still here\n\n")
                    self.wfile.flush()
                    preview.wait(version, 10)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def _json(self, data):
            self._send(json.dumps(data, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

        def _send(self, body: bytes, kind: str, status=HTTPStatus.OK):
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.end_headers()
            self.wfile.write(body)

    return Handler


class Server:
    """The preview and its HTTP server on 127.0.0.1; port 0 takes a free one (Server.port)."""

    def __init__(self, content_dir: Path, folder: Path, port: int = 0, edition: str = "main",
                 locale_dir: Path | None = None, log=None):
        self.preview = Preview(content_dir, folder, edition, locale_dir, log)
        self.token = secrets.token_urlsafe(24)
        self.http = ThreadingHTTPServer(("127.0.0.1", port), handler(self.preview, folder, lambda: self.port, self.token))
        self.http.daemon_threads = True
        self.port = self.http.server_address[1]
        self.thread = threading.Thread(target=self.http.serve_forever, name="http", daemon=True)

    def start(self) -> "Server":
        self.preview.start()
        self.thread.start()
        return self

    def stop(self) -> None:
        self.preview.stop()
        self.http.shutdown()
        self.http.server_close()
        self.thread.join(timeout=10)


def serve(content_dir: Path, folder: Path, port: int = 0) -> int:
    """Run until Ctrl-C; every problem is shown in the page, and the server waits for the next save."""
    server = Server(content_dir, folder, port, log=lambda line: print(line, flush=True)).start()
    print(f"previewing {content_dir} at http://127.0.0.1:{server.port}/ (Ctrl-C stops)", flush=True)
    try:
        server.thread.join()
    except KeyboardInterrupt:
        print("stopping", flush=True)
    finally:
        server.stop()
    return 0
