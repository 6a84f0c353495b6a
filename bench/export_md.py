"""Markdown export of a publication, for the pandoc comparison: the same words, one file per edition."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from briefing.content import load  # noqa: E402
from briefing.chart import svg  # noqa: E402
from briefing.model import build  # noqa: E402
from briefing.pictures import chart_for  # noqa: E402


def _figure(pic: dict, langs: tuple[str, ...], files: dict) -> list[str]:
    """A picture as pandoc takes it: the same file (a chart drawn as the builder draws it), its alt
    text and its caption."""
    alt = pic["alt"][langs[0]] if pic["alt"] else ""
    caption = " / ".join(pic["caption"][l] for l in langs) if pic["caption"] else ""
    return [f"![{caption}]({files[pic['id']]}){{alt=\"{alt}\"}}\n"]


def _lines(section: dict, langs: tuple[str, ...], files: dict) -> list[str]:
    """One section's words as Markdown, each text in every language of the edition."""
    both = " / ".join
    lines, items = [f"# {both(section['title'][l] for l in langs)}\n"], []
    kind = section["kind"]
    if kind == "prose":
        for block in section["blocks"]:
            kind, value = block["type"], block["value"]
            if kind == "heading":
                lines.append(f"## {both(value[l] for l in langs)}\n")
            elif kind == "figure":
                lines += _figure(value, langs, files)
            elif kind == "list":
                lines += [f"- {entry['text'][l]}\n" for entry in value["items"] for l in langs]
            elif kind == "table":
                lines += [" | ".join(str(cell.get("text", cell.get("number"))[l]) for cell in row) + "\n"
                          for row in value["rows"] for l in langs]
            else:  # a paragraph, a quotation
                lines += [f"{value['text'][l]}\n" for l in langs]
    elif kind == "figure":
        lines += _figure(section["picture"], langs, files)
    elif kind == "facts":
        items = [{"text": {l: f"**{f['value'][l]}** {f['text'][l]}" for l in langs}} for f in section["facts"]]
    elif kind == "timeline":
        items = [{"text": {l: f"**{e['when'][l]}** {e['text'][l]}" for l in langs}} for e in section["entries"]]
    else:  # article, speech
        lines.append(f"## {both(section['headline'][l] for l in langs)}\n")
        items = section["paragraphs"]
    return lines + [f"{item['text'][l]}\n" for item in items for l in langs]


def _picture_files(model, langs: tuple[str, ...], out_dir: Path) -> dict[str, str]:
    files = {}
    for ident, pic in model.pictures.items():
        if pic["image"]:
            files[ident] = str(model.images[pic["image"]].path)
        else:
            path = out_dir / f"{ident}-{'-'.join(langs)}.svg"
            path.write_bytes(svg(chart_for(pic["chart"], list(langs)), pic["size"], out_dir / ".cache"))
            files[ident] = str(path)
    return files


def export(content_dir: Path, out_dir: Path) -> list[Path]:
    model = build(load(content_dir))
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for ed in model.editions:
        files = _picture_files(model, ed.langs, out_dir)
        lines = ["---", f"title: \"{' / '.join(model.meta['title'][l] for l in ed.langs)}\"",
                 f"lang: {ed.lang}", f"date: {model.meta['date_iso']}", "---", ""]
        for section in model.sections:
            lines += _lines(section, ed.langs, files)
        path = out_dir / ed.filename(model.name, "md")
        path.write_text("\n".join(lines), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for p in export(Path(sys.argv[1]), Path(sys.argv[2])):
        print(p)
