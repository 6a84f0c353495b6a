"""The errata record matches the sources and the content: each correction was needed and was made.

The sources are the copies inside the publication folder: a clone with nothing beside it checks them too."""
from __future__ import annotations

import unicodedata

import yaml

from conftest import CONTENT, SOURCES


def _all_content() -> str:
    return " ".join(" ".join(p.read_text(encoding="utf-8").split()) for p in CONTENT.glob("*.yaml")
                    if p.name != "errata.yaml")


def test_every_correction_is_in_its_seed_and_made_in_the_content():
    fixes = yaml.safe_load((CONTENT / "errata.yaml").read_text(encoding="utf-8"))["corrections"]
    assert len(fixes) >= 10
    content = unicodedata.normalize("NFC", _all_content())
    for fix in fixes:
        source = unicodedata.normalize("NFC", SOURCES[fix["source"]].read_text(encoding="utf-8"))
        assert fix["was"] in source, fix
        assert fix["was"] not in content or fix["was"] in fix["now"], fix
        if not fix["field"].startswith("publication.yaml"):
            assert fix["now"] in content, fix


def test_known_typos_are_gone():
    content = _all_content()
    for typo in ("hoạt độnghướng", "Hà NộiVăn phòng", "Liên Hợp QuốcViệt Nam", "artemisnin", "it's important work"):
        assert typo not in content, typo
