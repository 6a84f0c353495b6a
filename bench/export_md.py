"""Markdown export of a pack, for the pandoc comparison: the same words, one file per edition."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.content import load  # noqa: E402
from briefing.context import editions, metadata, sections  # noqa: E402


def export(content_dir: Path, out_dir: Path) -> list[Path]:
    pack = load(content_dir)
    meta, body = metadata(pack), sections(pack)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ed in editions(pack):
        langs = ed.langs
        lines = ["---", f"title: \"{' / '.join(meta['title'][l] for l in langs)}\"",
                 f"lang: {ed.lang}", f"date: {meta['date_iso']}", "---", ""]
        for section in body:
            lines.append(f"# {section['kind'].title()}\n")
            items = []
            if section["kind"] == "mission":
                for part in section["parts"]:
                    lines.append(f"## {' / '.join(part['heading'][l] for l in langs)}\n")
                    lines += [f"{p['text'][l]}\n" for p in part["paragraphs"] for l in langs]
            elif section["kind"] == "facts":
                items = [{"text": {l: f"**{f['value'][l]}** {f['text'][l]}" for l in langs}} for f in section["facts"]]
            elif section["kind"] == "timeline":
                items = [{"text": {l: f"**{e['year']}** {e['text'][l]}" for l in langs}} for e in section["entries"]]
            else:
                lines.append(f"## {' / '.join(section['title'][l] for l in langs)}\n")
                items = section["paragraphs"]
            for item in items:
                for l in langs:
                    lines.append(f"{item['text'][l]}\n")
        path = out_dir / ed.filename(pack.publication["name"], "md")
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export(Path(sys.argv[1]), Path(sys.argv[2])):
        print(p)
