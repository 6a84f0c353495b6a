"""Remarks as delivered: headline, speaker, role, occasion and year, then the text."""
from __future__ import annotations

from .. import schema as s
from . import item
from .article import paragraphs

EXAMPLE = {
    "title": {"en": "Opening remarks", "vi": "Phát biểu khai mạc"},
    "headline": {"en": "Remarks at the opening", "vi": "Phát biểu tại lễ khai mạc"},
    "speaker": "A. Speaker",
    "role": {"en": "Chief of Mission", "vi": "Trưởng Phái đoàn"},
    "occasion": {"en": "Opening of the new office", "vi": "Lễ khai trương văn phòng mới"},
    "year": 2024,
    "paragraphs": [{"salutation": True, "en": "Ladies and gentlemen,\\\ndear friends,",
                    "vi": "Thưa quý vị,\\\nthưa các bạn,"},
                   {"en": "Thank you.", "vi": "Xin trân trọng cảm ơn."}],
}


def schema(codes: list[str], kinds: list[str]) -> dict:
    return s.section(
        codes, kinds, required=("headline", "speaker", "role", "occasion", "year", "paragraphs"), **s.provenance(),
        headline=s.text(codes, "the remarks' full title", s.PROSE, max_length=300),
        speaker=s.described(s.LINE, "the speaker's name, as written in every language"),
        role=s.text(codes, "the speaker's role", s.LINE),
        occasion=s.text(codes, "where and why the remarks were given"),
        year=s.described(s.YEAR, "the year they were given"),
        paragraphs=paragraphs(codes, "a paragraph; salutation: true sets a line that addresses the audience apart",
                              salutation={"type": "boolean"}))


def context(data: dict, formats: dict) -> dict:
    codes, ours = list(formats), data.get("ours", [])
    return {"headline": data["headline"], "speaker": data["speaker"], "role": data["role"],
            "occasion": data["occasion"], "sources": data.get("sources", []),
            "year_text": {c: formats[c].year(data["year"]) for c in codes},
            "paragraphs": [item(p, codes, ours, salutation=p.get("salutation", False)) for p in data["paragraphs"]]}
