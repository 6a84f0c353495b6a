"""`make bench`: the builder against bare WeasyPrint and pandoc, side by side, in one run.

Every figure is a whole cold process timed with /usr/bin/time (wall seconds, peak RSS), repeated
BENCH_RUNS times (median, min–max). Writes bench/results.json and bench/scaling.png.
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
sys.path.insert(0, str(ROOT / "bench"))
from export_md import export  # noqa: E402
from synth import synthesise  # noqa: E402

PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SCALES = [int(s) for s in os.environ.get("BENCH_SCALES", "1,10,50").split(",")]
NAME = "iom-viet-nam-briefing"
CONTENT = str(ROOT / "content" / NAME)  # the benchmark measures the briefing pack


def pandoc() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def run(cmd: list[str] | str, cwd=ROOT, shell=False) -> tuple[float, float]:
    """(wall seconds, peak RSS in MB) of one cold process (its children included for RSS max)."""
    with tempfile.NamedTemporaryFile("r") as log:
        full = ["/usr/bin/time", "-f", "%e %M", "-o", log.name]
        full += ["sh", "-c", cmd] if shell else cmd
        env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}")
        subprocess.run(full, cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall, rss_kb = log.read().split()[-2:]
    return float(wall), float(rss_kb) / 1024


def measure(cmd, runs=RUNS, setup=None, **kw) -> dict:
    samples = []
    for _ in range(runs):
        if setup:
            setup()
        samples.append(run(cmd, **kw))
    return _summary(samples)


def measure_turns(cmds: dict, runs=RUNS) -> dict:
    """name -> (command, setup or None, run() keywords), measured in turns (a, b, ..., a, b, ...), so
    that a slow spell of the machine falls on all of them alike."""
    samples = {name: [] for name in cmds}
    for _ in range(runs):
        for name, (cmd, setup, kw) in cmds.items():
            if setup:
                setup()
            samples[name].append(run(cmd, **kw))
    return {name: _summary(got) for name, got in samples.items()}


def _summary(samples: list[tuple[float, float]]) -> dict:
    walls = [wall for wall, _ in samples]
    return {"median": statistics.median(walls), "min": min(walls), "max": max(walls),
            "rss_mb": max(rss for _, rss in samples), "runs": len(samples)}


def size(path: Path) -> int:
    return path.stat().st_size


def main() -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    out, res = work / "out", {}
    subprocess.run([PY, "build.py", "-q", "all", "--content", CONTENT, "--out", str(out)], cwd=ROOT, check=True)
    pdoc = pandoc()
    md = export(Path(CONTENT), work / "md")

    # 1-2. The builder per artifact from a cold process, and bare WeasyPrint on the same HTML. The
    # builder and bare WeasyPrint take turns, so that a slow spell of the machine hits both.
    pair = measure_turns({
        "builder": ([PY, "build.py", "-q", "--force", "pdf", "--edition", "main", "--content", CONTENT, "--out", str(work / "b1")],
                    None, {}),
        "bare": ([str(BIN / "weasyprint"), "--pdf-variant", "pdf/ua-1", str(out / f"{NAME}.html"),
                  str(work / "bare.pdf")], None, {}),
    })
    epub_cmd = [PY, "build.py", "-q", "--force", "epub", "--edition", "main", "--content", CONTENT, "--out", str(work / "b3")]
    res["builder"] = {
        "pdf_main": pair["builder"],
        "pdf_vi": measure([PY, "build.py", "-q", "--force", "pdf", "--edition", "vi", "--content", CONTENT, "--out", str(work / "b2")]),
        # Empty cache: the cover is drawn with WeasyPrint and the fonts are subset.
        "epub_main": measure(epub_cmd, setup=lambda: shutil.rmtree(work / "b3", ignore_errors=True)),
        # Warm cache (build/.cache): the edit-build loop, where the cover and font subsets are reused.
        "epub_main_warm": measure(epub_cmd),
    }
    res["bare_weasyprint"] = {"pdf_main": pair["bare"]}
    res["ratio_builder_over_bare"] = res["builder"]["pdf_main"]["median"] / res["bare_weasyprint"]["pdf_main"]["median"]

    # 3. pandoc from the Markdown export.
    main_md = work / "md" / f"{NAME}.md"
    res["pandoc"] = {
        "epub_main": measure([pdoc, str(main_md), "-o", str(work / "p.epub")]),
        "pdf_main": measure([pdoc, str(main_md), "-o", str(work / "p.pdf"), "--pdf-engine=weasyprint"]),
    }
    res["ratio_epub_builder_over_pandoc"] = res["builder"]["epub_main"]["median"] / res["pandoc"]["epub_main"]["median"]
    res["ratio_epub_warm_builder_over_pandoc"] = (res["builder"]["epub_main_warm"]["median"]
                                                  / res["pandoc"]["epub_main"]["median"])
    res["ratio_pdf_builder_over_pandoc"] = res["builder"]["pdf_main"]["median"] / res["pandoc"]["pdf_main"]["median"]

    # 4. Scaling: synthetic packs built through --content.
    res["scaling"] = {}
    for factor in SCALES:
        content = synthesise(factor, work / f"synth-{factor}")
        runs = RUNS if factor <= 10 else 1
        res["scaling"][factor] = measure([PY, "build.py", "-q", "--force", "pdf", "--edition", "main", "--content", str(content),
                                          "--out", str(work / f"s{factor}")], runs=runs)
        res["scaling"][factor]["pages"] = _pages(work / f"s{factor}" / f"{NAME}.pdf")
    base = res["scaling"][SCALES[0]]["median"]
    res["scaling_ratios"] = {f"t({f}x)/t({SCALES[0]}x)": res["scaling"][f]["median"] / base for f in SCALES[1:]}

    # 5. No-op and one-file edit through make, in a scratch copy of the repository's build folder.
    mk = ["make", "-s", "all", f"PUB={NAME}", f"OUT={work / 'mk'}", f"DIST={work / 'mk' / 'dist'}"]
    subprocess.run(mk, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    res["make_noop_all"] = measure(mk)
    res["make_noop_all"]["before_issue_23"] = 0.01  # make's own mtime check, which missed re-saved YAML
    res["make_noop_all"]["target"] = 0.5
    # The builder compares content, not times: a touched file is no change, an edited one is.
    epub_css = ROOT / "styles" / "epub.css"
    original = epub_css.read_bytes()
    edits = iter(range(1_000_000))
    try:
        res["make_after_epub_css_edit"] = measure(
            mk, setup=lambda: epub_css.write_bytes(original + f"/* bench edit {next(edits)} */\n".encode()))
    finally:
        epub_css.write_bytes(original)
    res["make_after_epub_css_edit"]["rebuilt"] = "EPUBs and the pack only (epub.css feeds nothing else)"

    # 6. Sizes.
    res["sizes_bytes"] = {p.name: size(p) for p in sorted(out.glob("*.pdf")) + sorted(out.glob("*.epub"))}
    res["sizes_bytes"]["pandoc.pdf"] = size(work / "p.pdf")
    res["sizes_bytes"]["pandoc.epub"] = size(work / "p.epub")

    # 7. Headline: the six editions from clean, make vs a pandoc pipeline, serial and 2 jobs, the
    # four taking turns; then the whole `make all` (press PDF, booklet, previews, pack too).
    def clean():
        shutil.rmtree(work / "h", ignore_errors=True)
    six = [f"PUB={NAME}", f"OUT={work / 'h'}", f"DIST={work / 'h' / 'dist'}"]
    jobs = [f"{pdoc} {m} -o {work / 'pp' / m.stem}.pdf --pdf-engine=weasyprint" for m in md]
    jobs += [f"{pdoc} {m} -o {work / 'pp' / m.stem}.epub" for m in md]
    (work / "pp").mkdir(exist_ok=True)
    (work / "jobs.txt").write_text("\n".join(jobs) + "\n")
    res["headline"] = measure_turns({
        "make_six_serial": (["make", "-s", "-j1", "pdf", "epub", *six], clean, {}),
        "pandoc_six_serial": (f"xargs -P1 -I{{}} sh -c '{{}}' < {work / 'jobs.txt'}", None, {"shell": True}),
        "make_six_j2": (["make", "-s", "-j2", "pdf", "epub", *six], clean, {}),
        "pandoc_six_j2": (f"xargs -P2 -I{{}} sh -c '{{}}' < {work / 'jobs.txt'}", None, {"shell": True}),
    })
    res["make_all_from_clean"] = measure_turns({
        "serial": (["make", "-s", "-j1", "all", *six], clean, {}),
        "j2": (["make", "-s", "-j2", "all", *six], clean, {}),
    })
    # 8. What the standards cost (PDF/A-2a + PDF/UA-1, /Lang per element) when a PDF is written.
    standards = subprocess.run([PY, str(ROOT / "bench" / "standards.py"), str(out / f"{NAME}.html"), CONTENT],
                               cwd=ROOT, check=True, capture_output=True, text=True)
    res["standards_write"] = json.loads(standards.stdout)
    # 9. The multilingual layouts: each PDF edition from a cold process, in turns; pages and blank text block.
    layout_out = work / "layouts"
    res["layouts"] = measure_turns({
        layout: ([PY, "build.py", "pdf", "-q", "--force", "--edition", edition, "--content", CONTENT, "--out", str(layout_out)],
                 None, {})
        for layout, edition in (("columns", "main"), ("facing", "facing"), ("flip", "flip"))})
    shape = subprocess.run([PY, str(ROOT / "bench" / "layouts.py"), str(layout_out)], cwd=ROOT, check=True,
                           capture_output=True, text=True)
    for layout, entry in json.loads(shape.stdout).items():
        res["layouts"][layout].update(entry)
    columns = res["layouts"]["columns"]["median"]
    res["ratio_facing_over_columns"] = res["layouts"]["facing"]["median"] / columns
    res["ratio_flip_over_columns"] = res["layouts"]["flip"]["median"] / columns
    # 10. `make serve`'s edit loop, against a warm render (its floor) and `make pdf` (bench/edit_loop.py).
    loop = subprocess.run([PY, str(ROOT / "bench" / "edit_loop.py")], cwd=ROOT, check=True, capture_output=True, text=True)
    res["edit_loop"] = json.loads(loop.stdout)
    h, a = res["headline"], res["make_all_from_clean"]
    res["ratio_make_over_pandoc_serial"] = h["make_six_serial"]["median"] / h["pandoc_six_serial"]["median"]
    res["ratio_make_j2_over_pandoc_j2"] = h["make_six_j2"]["median"] / h["pandoc_six_j2"]["median"]
    res["ratio_make_j2_over_serial"] = h["make_six_j2"]["median"] / h["make_six_serial"]["median"]
    res["ratio_make_all_j2_over_serial"] = a["j2"]["median"] / a["serial"]["median"]
    shutil.rmtree(work, ignore_errors=True)
    return res


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader
    return len(PdfReader(pdf).pages)


def report(res: dict) -> str:
    def row(label, m):
        return f"  {label:<34} {m['median']:7.2f} s  ({m['min']:.2f}–{m['max']:.2f}, n={m['runs']})  {m['rss_mb']:6.0f} MB"
    lines = ["builder, cold process:"]
    lines += [row(k, v) for k, v in res["builder"].items()]
    lines += [row("bare weasyprint pdf_main", res["bare_weasyprint"]["pdf_main"]),
              f"  builder / bare (main PDF): {res['ratio_builder_over_bare']:.2f}", "pandoc:"]
    lines += [row(k, v) for k, v in res["pandoc"].items()]
    lines += [f"  builder / pandoc: EPUB {res['ratio_epub_builder_over_pandoc']:.2f} (warm cache "
              f"{res['ratio_epub_warm_builder_over_pandoc']:.2f}), PDF {res['ratio_pdf_builder_over_pandoc']:.2f}",
              "scaling (main PDF):"]
    lines += [row(f"{f}x ({v['pages']} pages)", v) for f, v in res["scaling"].items()]
    lines += [f"  {k}: {v:.1f}" for k, v in res["scaling_ratios"].items()]
    lines += [row("make all, no-op", res["make_noop_all"]), row("make all after epub.css edit", res["make_after_epub_css_edit"]),
              "headline from clean: make pdf epub (its PDFs include the other layouts) vs pandoc's six:"]
    lines += [row(k, v) for k, v in res["headline"].items()]
    lines += [f"  make / pandoc: serial {res['ratio_make_over_pandoc_serial']:.2f}, "
              f"-j2 {res['ratio_make_j2_over_pandoc_j2']:.2f}",
              f"  make -j2 / make serial: {res['ratio_make_j2_over_serial']:.2f}", "make all from clean (every target):"]
    lines += [row(k, v) for k, v in res["make_all_from_clean"].items()]
    lines += [f"  make -j2 all / make all: {res['ratio_make_all_j2_over_serial']:.2f}",
              "writing the laid-out bilingual PDF (standards, see bench/standards.py):"]
    lines += [f"  {k:<34} {v['seconds']:7.3f} s  ×{v['ratio']:.3f}  {v['bytes']:>9} bytes"
              for k, v in res["standards_write"].items()]
    lines += ["multilingual layouts (PDF edition, cold process; blank: text block below the content, body pages):"]
    lines += [row(f"{k} ({v['pages']} pages)", v) + (f"  blank {v['blank_share']:.0%} of {v['body_pages']}"
                                                      if "blank_share" in v else "")
              for k, v in res["layouts"].items()]
    lines += [f"  facing / columns: {res['ratio_facing_over_columns']:.2f} (target ≤ 2), "
              f"flip / columns: {res['ratio_flip_over_columns']:.2f}"]
    e = res["edit_loop"]
    lines += ["make serve, edit loop (append a word; bilingual columns edition; in-process, warm):"]
    lines += [f"  {k:<34} {e[k]['median']:7.2f} s  ({e[k]['min']:.2f}–{e[k]['max']:.2f}, n={e[k]['runs']})"
              for k in ("save_to_html", "save_to_pages", "warm_render", "make_pdf")]
    lines += [f"  edit loop / warm render: {e['ratio_loop_over_warm_render']:.2f} (goal ≤ 1.5), "
              f"make pdf / edit loop: {e['ratio_make_pdf_over_loop']:.1f} (goal ≥ 5)"]
    lines += ["sizes (bytes):"]
    lines += [f"  {k:<36} {v:>9}" for k, v in res["sizes_bytes"].items()]
    return "\n".join(lines)


def chart(res: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    factors = sorted(res["scaling"], key=int)  # int keys in a run, str keys when read back from JSON
    x = [int(f) for f in factors]
    fig, ax = plt.subplots(figsize=(6, 4), dpi=100)
    ax.plot(x, [res["scaling"][f]["median"] for f in factors], marker="o", label="wall time (s)")
    ax2 = ax.twinx()
    ax2.plot(x, [res["scaling"][f]["rss_mb"] for f in factors], marker="s", color="tab:orange", label="peak RSS (MB)")
    ax.set_xlabel("pack length (× the real pack)")
    ax.set_ylabel("seconds")
    ax2.set_ylabel("MB")
    ax.set_title("Bilingual PDF build time and memory by pack length")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [line.get_label() for line in lines], loc="upper left")
    fig.tight_layout()
    fig.savefig(path, metadata={"Software": None})


if __name__ == "__main__":
    started = time.time()
    results = main()
    results["bench_seconds"] = round(time.time() - started, 1)
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    chart(results, ROOT / "bench" / "scaling.png")
    print(report(results))
