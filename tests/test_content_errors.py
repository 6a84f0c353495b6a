"""Broken content gives one clear line per problem (file:line:column [field]), exit 3, no traceback."""
from __future__ import annotations

import shutil

import pytest

from conftest import CONTENT, edition_file, run_build


@pytest.fixture
def content(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def edit(path, old, new, count=1):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def build_fails(content, tmp_path):
    result = run_build("html", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()  # nothing written
    return result.stderr


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_missing_translation(content, tmp_path):
    path = content / "timeline.yaml"
    line = line_of(path, "year: 1990")
    edit(path, "    en: >-\n      IOM responded to a request", "    EN_removed: >-\n      IOM responded to a request")
    err = build_fails(content, tmp_path)
    assert f"timeline.yaml:{line}:5: [entries[2].en] is missing" in err
    assert "[entries[2].EN_removed] is not a known field here" in err


def test_wrong_type(content, tmp_path):
    path = content / "timeline.yaml"
    line = line_of(path, "year: 1993")
    edit(path, "year: 1993", "year: nineteen-ninety-three")
    err = build_fails(content, tmp_path)
    assert f"timeline.yaml:{line}:11: [entries[4].year] expected a whole number" in err


def test_out_of_order_and_out_of_range(content, tmp_path):
    path = content / "timeline.yaml"
    edit(path, "year: 1996", "year: 1980")
    err = build_fails(content, tmp_path)
    assert "[entries[5].year] year 1980 is outside the timeline's range 1987–2015" in err
    assert "[entries[5].year] year 1980 comes after 1993; entries must be in chronological order" in err


def test_duplicate_entry(content, tmp_path):
    path = content / "timeline.yaml"
    text = path.read_text(encoding="utf-8")
    first = text.index("  - year: 2015")
    path.write_text(text + "\n" + text[first:], encoding="utf-8")
    err = build_fails(content, tmp_path)
    assert "[entries[24].vi] duplicates entry 23 (vi)" in err


def test_yaml_syntax_error_and_all_problems_at_once(content, tmp_path):
    edit(content / "facts.yaml", "  - value: 175\n", "  - value: [175\n")
    edit(content / "speech.yaml", "speaker: Park Mihyung", "speaker: ''")
    err = build_fails(content, tmp_path)
    assert "facts.yaml:" in err and "YAML syntax error" in err
    assert "speech.yaml:" in err and "[speaker] must not be empty" in err
    assert "content has 2 problem(s)" in err


def test_tab_indentation(content, tmp_path):
    edit(content / "speech.yaml", "year: 2022", "year:\t2022\n\tbad: 1")
    err = build_fails(content, tmp_path)
    assert "speech.yaml:" in err and "tab" in err


def test_missing_and_empty_files(content, tmp_path):
    (content / "errata.yaml").unlink()
    (content / "news.yaml").write_text("  \n", encoding="utf-8")
    err = build_fails(content, tmp_path)
    assert "errata.yaml: file is missing" in err
    assert "news.yaml: file is empty" in err


def test_invalid_utf8(content, tmp_path):
    path = content / "mission.yaml"
    path.write_bytes(path.read_bytes().replace("Việt".encode(), b"Vi\xe9t", 1))
    err = build_fails(content, tmp_path)
    assert "mission.yaml:" in err and "is not valid UTF-8 (byte 0xe9)" in err


def test_unknown_source_language_and_control_character(content, tmp_path):
    path = content / "timeline.yaml"
    edit(path, 'sources: [iom-vn-vi, iom-vn-en]\n    ours: [en]', 'sources: [iom-vn-nine, iom-vn-en]\n    ours: [fr]')
    edit(content / "publication.yaml", "vi: IOM tại Việt Nam", 'vi: "IOM tại\\u0007 Việt Nam"')
    err = build_fails(content, tmp_path)
    assert "[entries[0].sources[0]] source 'iom-vn-nine' is not listed in publication.yaml sources" in err
    assert "[entries[0].ours[0]] 'fr' is not one of the publication's languages (vi, en)" in err
    assert "[title.vi] contains the control character U+0007" in err


def test_over_long_title_and_bad_date(content, tmp_path):
    path = content / "publication.yaml"
    edit(path, "en: IOM in Viet Nam", "en: " + "IOM in Viet Nam " * 8)
    edit(path, "date: 2026-11-22", "date: 22/11/2026")
    err = build_fails(content, tmp_path)
    assert "[title.en] is too long" in err and "at most 80" in err
    assert "[date] '22/11/2026' is not a valid date (write YYYY-MM-DD)" in err


def test_last_good_output_stays(content, tmp_path):
    out = tmp_path / "good"
    assert run_build("html", "--content", str(content), "--out", str(out)).returncode == 0
    page = edition_file(out, "", "html")
    before = page.read_bytes()
    edit(content / "speech.yaml", "year: 2022", "year: twenty")
    result = run_build("html", "--content", str(content), "--out", str(out))
    assert result.returncode == 3 and page.read_bytes() == before
    # No temporary files left; .cache holds the compiled templates, written whole or not at all,
    # and the builder's record is the one of the good build.
    assert [p.name for p in out.iterdir() if p.name.startswith(".") and p.name != ".cache"] == [".content.state.json"]
    assert not list((out / ".cache").rglob("*.tmp"))


def test_content_folder_missing(tmp_path):
    result = run_build("html", "--content", str(tmp_path / "nope"), "--out", str(tmp_path / "out"))
    assert result.returncode == 3 and "publication folder does not exist" in result.stderr


def test_fast_and_exact_yaml_parsers_agree():
    """Good files are parsed by libyaml and bad ones again by PyYAML's pure-Python parser, for its
    messages; both must read every shipped file to the same data and positions."""
    from briefing import content as content_mod
    from conftest import ROOT
    files = sorted((ROOT / "content").rglob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        fast, exact = (content_mod._parse(loader, text) for loader in (content_mod._FastLoader, content_mod._Loader))
        assert fast[1] == exact[1], path
        assert content_mod._marks(fast[0]) == content_mod._marks(exact[0]), path
    assert content_mod._FastLoader.__mro__[1] is not content_mod._Loader, "libyaml is not in use"
