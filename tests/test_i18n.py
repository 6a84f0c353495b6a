"""Localisation: extraction, catalogs, Babel formatting, strict and draft builds, a third language."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from conftest import CONTENT, ROOT, run_build

sys.path.insert(0, str(ROOT))
from briefing.i18n import Formatter  # noqa: E402

LOCALE = ROOT / "locale"


def _ids(path):
    with open(path, "rb") as fh:
        return {m.id for m in read_po(fh) if m.id}


def test_extraction_matches_the_committed_template(tmp_path):
    """`make i18n-extract` has been run: the templates and code use exactly the POT's messages."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_",
                    "-o", str(pot), "--no-location", "."], cwd=ROOT, check=True, capture_output=True)
    extracted = _ids(pot)
    assert {"Contents", "Sources", "Landmarks"} <= extracted
    assert extracted == _ids(LOCALE / "messages.pot")
    for lang in ("vi", "en"):
        assert extracted <= _ids(LOCALE / lang / "LC_MESSAGES" / "messages.po"), lang


def test_babel_formats_each_locale():
    vi, en, fr = Formatter("vi_VN"), Formatter("en_GB"), Formatter("fr_FR")
    assert (vi.number(14000), en.number(14000), fr.number(14000)) == ("14.000", "14,000", "14\u202f000")
    assert (vi.compact(281_000_000), en.compact(281_000_000)) == ("281 triệu", "281 million")
    assert (vi.date("2026-11-22"), en.date("2026-11-22")) == ("22 tháng 11, 2026", "22 November 2026")
    assert (vi.language_name("en"), en.language_name("vi")) == ("Tiếng Anh", "Vietnamese")
    assert vi.year(1987) == "1987"


def test_no_process_wide_locale():
    for path in [*ROOT.glob("briefing/*.py"), ROOT / "build.py"]:
        assert not re.search(r"setlocale\s*\(", path.read_text(encoding="utf-8")), path


def _locale_copy(tmp_path):
    copy = tmp_path / "locale"
    shutil.copytree(LOCALE, copy)
    return copy


def _set_msgstr(po_path, msgid, value, fuzzy=False):
    with open(po_path, "rb") as fh:
        catalog = read_po(fh)
    catalog[msgid].string = value
    if fuzzy:
        catalog[msgid].flags.add("fuzzy")
    with open(po_path, "wb") as fh:
        write_po(fh, catalog)


def test_strict_build_fails_with_the_list_and_draft_marks_each_place(tmp_path):
    locale = _locale_copy(tmp_path)
    vi_po = locale / "vi" / "LC_MESSAGES" / "messages.po"
    _set_msgstr(vi_po, "Contents", "")
    _set_msgstr(vi_po, "Sources", "Nguồn", fuzzy=True)
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    timeline = content / "timeline.yaml"
    text = timeline.read_text(encoding="utf-8")
    start = text.index("    vi: >-\n      IOM thành lập một Tổ công tác")
    timeline.write_text(text[:start] + text[text.index("    en: >-", start):], encoding="utf-8")  # drop 1989's vi
    out = tmp_path / "out"
    args = ("html", "--content", str(content), "--locale", str(locale), "--out", str(out))

    strict = run_build(*args)
    assert strict.returncode == 3 and "Traceback" not in strict.stderr
    assert "[msgid 'Contents'] has no vi translation" in strict.stderr
    assert "[msgid 'Sources'] vi translation is marked fuzzy" in strict.stderr
    assert "timeline.yaml:" in strict.stderr and "[entries[1].vi] is missing (no vi translation)" in strict.stderr
    assert not out.exists()

    draft = run_build(*args, "--draft")
    assert draft.returncode == 0, draft.stderr
    assert "warning: draft build: 3 missing translation(s)" in draft.stderr
    html = (out / "iom-viet-nam-briefing-vi.html").read_text(encoding="utf-8")
    assert "[en] Contents" in html and "[en] Sources" in html
    assert "[en] IOM established an office in Ho\u00a0Chi\u00a0Minh City" in html  # a no_break phrase


def test_i18n_report_lists_what_is_missing(tmp_path):
    locale = _locale_copy(tmp_path)
    _set_msgstr(locale / "vi" / "LC_MESSAGES" / "messages.po", "Contents", "")
    out = run_build("i18n-report", "-q", "--content", str(CONTENT), "--locale", str(locale), "--json", str(tmp_path / "r.json"))
    assert out.returncode == 0, out.stderr
    total = len(_ids(LOCALE / "messages.pot"))
    assert re.search(rf"^vi\s+{total - 1}/{total}\s+1\s+0\s+0\s+35$", out.stdout, re.M), out.stdout
    assert "vi: catalog messages missing:\n  Contents" in out.stdout and "incomplete" in out.stdout
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert report["languages"]["vi"]["catalog"]["missing"] == ["Contents"] and not report["complete"]
    # 6 paragraphs, and the partner list of mission.yaml: its 8 items and the paragraph after it
    assert len(report["languages"]["en"]["ours"]) == 15


def test_a_third_language_needs_files_only(tmp_path):
    """French: add it to publication.yaml, give it a catalog, translate two items; no code changes."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    pub = content / "publication.yaml"
    pub.write_text(pub.read_text(encoding="utf-8").replace(
        "  - code: en\n    locale: en_GB\n", "  - code: en\n    locale: en_GB\n  - code: fr\n    locale: fr_FR\n"),
        encoding="utf-8")
    data = yaml.safe_load(pub.read_text(encoding="utf-8"))
    assert [lang["code"] for lang in data["languages"]] == ["vi", "en", "fr"]
    pub.write_text(pub.read_text(encoding="utf-8").replace(
        "  en: IOM in Viet Nam\n", "  en: IOM in Viet Nam\n  fr: L'OIM au Viet Nam\n", 1), encoding="utf-8")
    facts = content / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace(
        "    en: workers evacuated from Iraq (1990)\n",
        "    en: workers evacuated from Iraq (1990)\n    fr: travailleurs évacués d'Irak (1990)\n"), encoding="utf-8")
    locale = _locale_copy(tmp_path)
    (locale / "fr" / "LC_MESSAGES").mkdir(parents=True)
    fr_po = locale / "fr" / "LC_MESSAGES" / "messages.po"
    with open(LOCALE / "messages.pot", "rb") as fh:
        catalog = read_po(fh, locale="fr")
    catalog["Contents"].string = "Sommaire"
    catalog["Used in"].string = "Utilisé dans"
    with open(fr_po, "wb") as fh:
        write_po(fh, catalog)

    out = tmp_path / "out"
    result = run_build("html", "epub", "--draft", "--content", str(content), "--locale", str(locale),
                       "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "iom-viet-nam-briefing-fr.html").read_text(encoding="utf-8")
    assert '<html lang="fr">' in html and "L’OIM au Viet\u00a0Nam" in html
    assert "Sommaire" in html and "Utilisé dans" in html and "[en] For more information, please contact" in html
    assert "[vi] Các mốc hoạt động" in html  # a section title is content: it falls back like any text
    assert "14\u202f000" in html and "travailleurs évacués d’Irak" in html
    assert "[vi] IOM bắt đầu" in html  # untranslated content falls back, visibly
    assert (out / "iom-viet-nam-briefing.html").read_text(encoding="utf-8").count('lang="fr"') > 10
    with zipfile.ZipFile(out / "iom-viet-nam-briefing-fr.epub") as book:
        assert b'xml:lang="fr"' in book.read("EPUB/content.opf")
    strict = run_build("html", "--content", str(content), "--locale", str(locale), "--out", str(tmp_path / "s"))
    assert strict.returncode == 3 and "no fr translation" in strict.stderr
