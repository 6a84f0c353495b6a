"""Synthetic packs N times the real one: the timeline and the speech repeated with varied text."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def synthesise(factor: int, out: Path) -> Path:
    if out.exists():
        shutil.rmtree(out)
    shutil.copytree(ROOT / "content" / "iom-viet-nam-briefing", out)
    timeline = yaml.safe_load((out / "timeline.yaml").read_text(encoding="utf-8"))
    speech = yaml.safe_load((out / "speech.yaml").read_text(encoding="utf-8"))
    entries, paragraphs = [], []
    for entry in timeline["entries"]:  # keep chronological order: copies of a year stay together
        for n in range(factor):
            copy = dict(entry)
            if n:
                copy["vi"] = f"{entry['vi']} (bản {n + 1})"
                copy["en"] = f"{entry['en']} (copy {n + 1})"
            entries.append(copy)
    for n in range(factor):
        for para in speech["paragraphs"]:
            copy = dict(para)
            if n:
                copy["vi"], copy["en"] = f"{para['vi']} ({n + 1})", f"{para['en']} ({n + 1})"
            paragraphs.append(copy)
    timeline["entries"], speech["paragraphs"] = entries, paragraphs
    for name, data in (("timeline.yaml", timeline), ("speech.yaml", speech)):
        (out / name).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


if __name__ == "__main__":
    print(synthesise(int(sys.argv[1]), Path(sys.argv[2])))
