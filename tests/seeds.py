"""Read the sources' sentences (timelines, mission paragraphs, GCM remarks), with the errata applied.

The sources are the publication's own copies (content/<publication>/sources/), by their ids."""
from __future__ import annotations

import re
import unicodedata

import yaml

from conftest import CONTENT, SOURCES


def _seed(source_id: str) -> str:
    return unicodedata.normalize("NFC", SOURCES[source_id].read_text(encoding="utf-8"))


def _corrected(source_id: str, text: str) -> str:
    errata = yaml.safe_load((CONTENT / "errata.yaml").read_text(encoding="utf-8"))["corrections"]
    for fix in errata:
        if fix["source"] == source_id:
            text = text.replace(fix["was"], fix["now"])
    return text


# Source sentences the publication sets in another shape, and the parts that stand for them.
# The partners that IOM Viet Nam works with are one sentence in the sources; mission.yaml sets
# them as a list (issue 22), between its lead-in and the rest of the sentence.
RESHAPED = {
    "IOM có các mối quan hệ hợp tác với các cơ quan như Bộ Ngoại giao, Bộ Lao động, Thương binh và Xã hội, "
    "Bộ Công an, Bộ Giao thông, Bộ Y tế, Bộ Nông nghiệp và Phát triển Nông thôn, Hội Liên hiệp Phụ nữ, một số "
    "cơ quan khác và đã tiến hành nhiều hoạt động dự án khắp cả nước.": [
        "IOM có các mối quan hệ hợp tác với các cơ quan như:", "Bộ Ngoại giao", "Bộ Lao động, Thương binh và Xã hội",
        "Bộ Công an", "Bộ Giao thông", "Bộ Y tế", "Bộ Nông nghiệp và Phát triển Nông thôn", "Hội Liên hiệp Phụ nữ",
        "một số cơ quan khác", "IOM đã tiến hành nhiều hoạt động dự án khắp cả nước."],
}


def _sentences(paragraphs: list[str]) -> list[str]:
    out = []
    for para in paragraphs:
        para = " ".join(para.split())
        for sentence in re.split(r"(?<=[.!?])\s+(?=[A-ZĐ“\"])", para):
            out += RESHAPED.get(sentence, [sentence] if sentence else [])
    return out


def english_sentences() -> list[str]:
    s001 = _corrected("iom-vn-en", _seed("iom-vn-en"))
    lines = s001.splitlines()
    mission = [l for l in lines if l.startswith(("The International", "As the leading", "IOM first began"))]
    timeline = [re.sub(r"^- \d{4} [-–] ", "", l) for l in lines if re.match(r"- \d{4} [-–] ", l)]
    heading = [l for l in lines if l.startswith("Vietnam becomes a member state")]
    s004 = _corrected("gcm-remarks-2022", _seed("gcm-remarks-2022")).splitlines()
    start = next(i for i, l in enumerate(s004) if l.startswith("Opening remark by"))
    speech = [l for l in s004[start:] if l.strip()]
    return _sentences(mission + timeline + heading + speech)


def vietnamese_sentences() -> list[str]:
    paras = []
    for source_id in ("iom-vn-vi", "wikipedia-vi"):
        text = _corrected(source_id, _seed(source_id))
        for block in text.split("\n\n"):
            block = block.strip()
            if not block or block in ("Tổ chức Di trú Quốc tế", "Dòng thời gian", "Các liên kết ngoài", "Tham khảo"):
                continue
            if block.startswith("Việt Nam trở thành thành viên của IOM"):
                paras.append(block.rstrip(":"))  # the heading of the 2007 membership entry
            elif block.lstrip().startswith("•"):
                paras += [re.sub(r"^\s*• Năm \d{4} [-–] ", "", l) for l in block.splitlines() if l.strip()]
            else:
                paras.append(block)
    return _sentences(paras)
