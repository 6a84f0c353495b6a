"""What the standards cost when a laid-out PDF is written: the bilingual edition of the briefing
pack, laid out once, then written in four ways that take turns (median of BENCH_RUNS writes each):

  ua1        WeasyPrint's pdf/ua-1 variant alone (what the builder wrote before PDF/A)
  a2a        WeasyPrint's pdf/a-2a variant alone
  a2a_lang   the same with /Lang per structure element (briefing/pdftags.py)
  now        what the builder writes: pdf/a-2a, /Lang, and the finisher (briefing/conformance.py)

Usage: standards.py HTML CONTENT_DIR  (prints JSON: seconds and bytes per way, ratios to ua1).
"""
from __future__ import annotations

import io
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing import conformance, pipeline  # noqa: E402
from briefing.pdf import PdfWriter  # noqa: E402


def main(html_path: Path, content: Path, runs: int) -> dict:
    import weasyprint.pdf
    import weasyprint.pdf.tags as tags

    writer = PdfWriter(pipeline.resource_roots(content))  # installs the /Lang extension
    document = writer.layout(html_path.read_text(encoding="utf-8"), html_path)
    extended = (tags._build_box_tree, weasyprint.pdf.add_tags)
    plain = (tags._build_box_tree.__wrapped__, weasyprint.pdf.add_tags.__wrapped__)

    def write(way: str) -> int:
        tags._build_box_tree, weasyprint.pdf.add_tags = plain if way in ("ua1", "a2a") else extended
        out = io.BytesIO()
        try:
            if way == "now":
                writer.write_to(document, out, "urn:bench", conformance.READING, "bench")
            else:
                document.write_pdf(out, pdf_identifier=b"0" * 32, custom_metadata=True,
                                   pdf_variant="pdf/ua-1" if way == "ua1" else "pdf/a-2a")
        finally:
            tags._build_box_tree, weasyprint.pdf.add_tags = extended
        return len(out.getvalue())

    ways = ("ua1", "a2a", "a2a_lang", "now")
    seconds: dict[str, list[float]] = {way: [] for way in ways}
    sizes = {way: write(way) for way in ways}  # a first, warming write of each
    for _ in range(runs):
        for way in ways:
            start = time.perf_counter()
            write(way)
            seconds[way].append(time.perf_counter() - start)
    base = statistics.median(seconds["ua1"])
    return {way: {"seconds": statistics.median(seconds[way]), "ratio": statistics.median(seconds[way]) / base,
                  "bytes": sizes[way]} for way in ways}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), int(os.environ.get("BENCH_RUNS", "5"))), indent=1))
