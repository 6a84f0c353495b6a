"""`make serve`'s edit loop, in one run, on the IOM pack's bilingual columns edition (a copy of it).

A word is appended to a paragraph; the time is taken from the file's save to the HTML preview,
and to the new pages (laid out and drawn), as the server reports them. Compared with:
- the floor: a warm, in-process WeasyPrint render of the same HTML (layout and PDF), with the
  server's own font configuration;
- today's `make pdf PUB=…` after the same edit (a cold process; it lays out every PDF edition).
Prints JSON: seconds (median, min, max) and the two ratios the issue sets goals for.
"""
from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from briefing.serve import Server  # noqa: E402

NAME = "iom-viet-nam-briefing"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PARAGRAPH = "IOM đã có mặt tại Việt Nam từ năm 1987."  # mission.yaml, the first paragraph in Vietnamese


def summary(samples: list[float]) -> dict:
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples), "runs": len(samples)}


def until(server, test, limit: float = 120) -> dict:
    end = time.monotonic() + limit
    while time.monotonic() < end:
        state = server.preview.state()
        if test(state):
            return state
        server.preview.wait(state["version"], 0.05)
    raise TimeoutError("the preview did not finish")


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="edit-loop-"))
    content = work / NAME
    shutil.copytree(ROOT / "content" / NAME, content)
    mission = content / "mission.yaml"
    assert PARAGRAPH in mission.read_text(encoding="utf-8")
    server = Server(content, work / "serve").start()
    to_html, to_pages, floor = [], [], []
    try:
        until(server, lambda s: s["pages"] and not s["building"])
        for i in range(RUNS):
            text = mission.read_text(encoding="utf-8")
            html_before = server.preview.state()["html"]
            start = time.perf_counter()
            mission.write_text(text.replace(PARAGRAPH, f"{PARAGRAPH} edit{i}", 1), encoding="utf-8")
            until(server, lambda s: s["html"] != html_before)
            to_html.append(time.perf_counter() - start)
            until(server, lambda s: not s["building"] and f"edit{i}" in " ".join(p["text"] for p in s["pages"]))
            to_pages.append(time.perf_counter() - start)
        live = server.preview.live
        for _ in range(RUNS):
            start = time.perf_counter()
            live.writer.layout(live.laid_out, ROOT / "preview.html").write_pdf()
            floor.append(time.perf_counter() - start)
    finally:
        server.stop()
    make_pdf = []
    for i in range(RUNS):
        text = mission.read_text(encoding="utf-8")
        mission.write_text(text.replace(PARAGRAPH, f"{PARAGRAPH} again{i}", 1), encoding="utf-8")
        start = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "build.py"), "pdf", "-q", "--content", str(content),
                        "--out", str(work / "out")], cwd=ROOT, check=True)
        make_pdf.append(time.perf_counter() - start)
    shutil.rmtree(work, ignore_errors=True)
    loop, warm, cold = statistics.median(to_pages), statistics.median(floor), statistics.median(make_pdf)
    return {"save_to_html": summary(to_html), "save_to_pages": summary(to_pages), "warm_render": summary(floor),
            "make_pdf": summary(make_pdf), "ratio_loop_over_warm_render": loop / warm,
            "ratio_make_pdf_over_loop": cold / loop}


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
