"""A corpus of broken content: each case must give its own clear message and exit code 3."""
from __future__ import annotations

import shutil

import pytest

from conftest import CONTENT, run_build


def replace(file, old, new):
    def apply(content):
        path = content / file
        text = path.read_text(encoding="utf-8")
        assert old in text, (file, old)
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return apply


def write_bytes(file, transform):
    def apply(content):
        path = content / file
        path.write_bytes(transform(path.read_bytes()))
    return apply


def delete(file):
    return lambda content: (content / file).unlink()


def symlink(file, target):
    def apply(content):
        (content / file).unlink(missing_ok=True)
        (content / file).symlink_to(target)
    return apply


def write_outside(name, text, file, old, new):
    """A file beside the publication folder, and the manifest pointing at it."""
    def apply(content):
        (content.parent / name).write_text(text, encoding="utf-8")
        replace(file, old, new)(content)
    return apply


def alias_bomb(content):
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for before, name in zip("abcdefgh", "bcdefghi"):
        lines.append(f"{name}: &{name} [{', '.join([f'*{before}'] * 9)}]")
    (content / "news.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


ENTRY_1987_EN = "    en: >-\n      IOM began operations in Viet Nam"
CASES = {
    "yaml-syntax": (replace("facts.yaml", "  - value: 175\n", "  - value: [175\n"), "facts.yaml:19:11: YAML syntax error"),
    "tab": (replace("speech.yaml", "year: 2022", "year:\t2022\n\tx: 1"), "speech.yaml:11:6: YAML syntax error: a tab character; indent with spaces only"),
    "invalid-utf8": (write_bytes("mission.yaml", lambda b: b.replace("Việt".encode(), b"Vi\xe9t", 1)),
                     "mission.yaml:23:59: is not valid UTF-8 (byte 0xe9); save the file as UTF-8"),
    "empty-file": (write_bytes("news.yaml", lambda b: b"\n\n"), "news.yaml: file is empty"),
    "missing-file": (delete("errata.yaml"), "errata.yaml: file is missing"),
    "missing-field": (replace("speech.yaml", "speaker: Park Mihyung\n", ""), "speech.yaml:5:1: [speaker] is missing"),
    "unknown-field": (replace("timeline.yaml", "    ours: [en]", "    ourz: [en]"),
                      "[entries[0].ourz] is not a known field here"),
    "wrong-type-year": (replace("timeline.yaml", "year: 1993", "year: 'about 1993'"),
                        "[entries[4].year] expected a whole number, got text"),
    "wrong-type-fact": (replace("facts.yaml", "value: 175", "value: lots"),
                        "[facts[1].value] expected a number or a list of numbers"),
    "missing-translation": (replace("timeline.yaml", ENTRY_1987_EN, "    note: >-\n      IOM began operations in Viet Nam"),
                            "[entries[0].en] is missing (no en translation)"),
    "duplicate-entry": (replace("timeline.yaml", "  - year: 1990\n", "  - year: 1989\n    sources: [iom-vn-en]\n"
                                "    vi: Năm 1989 trùng lặp.\n    en: A duplicate.\n\n  - year: 1989\n    sources: [iom-vn-en]\n"
                                "    vi: Năm 1989 trùng lặp.\n    en: A duplicate.\n\n  - year: 1990\n"),
                        "[entries[3].vi] duplicates entry 2 (vi)"),
    "out-of-order": (replace("timeline.yaml", "year: 1996", "year: 1991"), "year 1991 comes after 1993"),
    "year-out-of-range": (replace("timeline.yaml", "year: 2015", "year: 2030"),
                          "[entries[23].year] year 2030 is outside the timeline's range 1987–2015"),
    "over-long-title": (replace("publication.yaml", "en: IOM in Viet Nam", "en: " + "IOM in Viet Nam and beyond " * 4),
                        "[title.en] is too long: 107 characters, at most 80"),
    "control-char-title": (replace("publication.yaml", "vi: IOM tại Việt Nam", 'vi: "IOM tại\\u0007 Việt Nam"'),
                           "[title.vi] contains the control character U+0007"),
    "control-char-text": (replace("news.yaml", "Coi trọng quan hệ", "Coi trọng\u001b quan hệ"),
                          "news.yaml:23:16: contains the control character U+001B; delete it"),
    "bad-date": (replace("publication.yaml", "date: 2026-11-22", "date: 2026-13-40"),
                 "[date] '2026-13-40' is not a valid date (write YYYY-MM-DD)"),
    "unknown-source": (replace("speech.yaml", 'sources: [gcm-remarks-2022]', 'sources: [gcm-remarks-2023]'),
                       "speech.yaml:9:11: [sources[0]] source 'gcm-remarks-2023' is not listed in publication.yaml sources"),
    "unknown-language-in-ours": (replace("news.yaml", "ours: [vi]", "ours: [de]"),
                                 "[ours[0]] 'de' is not one of the publication's languages (vi, en)"),
    "unknown-locale": (replace("publication.yaml", "locale: en_GB", "locale: xx_XX"),
                       "[languages[1].locale] 'xx_XX' is not a locale Babel knows"),
    "duplicate-language": (replace("publication.yaml", "  - code: en\n    locale: en_GB", "  - code: vi\n    locale: vi_VN"),
                           "[languages[1].code] language 'vi' is listed twice"),
    "emoji": (replace("timeline.yaml", "Ngoại giao.\n", "Ngoại giao. 🙂\n"),
              "[entries[0].vi] has a character the pack's fonts cannot draw: '🙂' U+1F642 SLIGHTLY SMILING FACE"),
    "right-to-left-script": (replace("news.yaml", "Placing high importance", "Placing مهم high importance"),
                             "[paragraphs[0].en] has a character the pack's fonts cannot draw: 'م' U+0645 ARABIC LETTER MEEM"),
    "empty-text": (replace("speech.yaml", "  en: IOM Chief of Mission in Viet Nam", '  en: ""'), "[role.en] must not be empty"),
    "bad-enum": (replace("facts.yaml", "format: compact", "format: percent"),
                 "[facts[5].format] 'percent' is not one of: year, number, compact"),
    "bad-name": (replace("publication.yaml", "name: iom-viet-nam-briefing", "name: IOM Pack!"),
                 "[name] 'IOM Pack!' does not have the expected form"),
    "reversed-range": (replace("timeline.yaml", "range: [1987, 2015]", "range: [2015, 1987]"),
                       "[range] range starts after it ends (2015 > 1987)"),
    "bad-email": (replace("publication.yaml", "email: jzhao@iom.int", "email: jzhao at iom"),
                  "[contact.email] 'jzhao at iom' is not a valid email"),
    "no-language-at-all": (replace("facts.yaml", "    vi: quốc gia thành viên\n    en: member states\n", ""),
                           "facts.yaml:18:5: [facts[1]] has no text in any language (expected vi, en)"),
    "identifier": (replace("publication.yaml", "identifier: urn:uuid:", "identifier: uuid:"),
                   "[identifier] 'uuid:7e9bf4ac"),
    # Hostile or broken YAML: limits, each with its place (issue 23).
    "duplicate-key": (replace("speech.yaml", "year: 2022\n", "year: 2022\nyear: 2021\n"),
                      "speech.yaml:12:1: [year] is given twice in this mapping (first on line 11)"),
    "alias-bomb": (alias_bomb, "news.yaml:1:1: stands for more than 100,000 values once its aliases"),
    "deep-nesting": (replace("facts.yaml", "format: compact", "format: " + "[" * 10_000 + "]" * 10_000),
                     "is nested more than 32 levels deep"),
    "long-number": (replace("facts.yaml", "value: 175", "value: 1" + "0" * 5000),
                    "facts.yaml:18:12: is a number of 5001 digits; at most 30"),
    "huge-file": (replace("news.yaml", "kind: article", "kind: article\n# " + "x" * 2_100_000),
                  "news.yaml: is 2.1 MB; a section file may be at most 2 MB"),
    "long-paragraph": (replace("news.yaml", "Placing high importance", "Placing " + "high importance " * 1400),
                       "is too long: 22"),
    "bidi-override": (replace("news.yaml", "Placing high importance", "Placing \u202ehigh importance"),
                      "contains the bidirectional control U+202E, which can show the text in another order"),
    "errata-outside": (write_outside("secret.yaml", "secret: 42\n", "publication.yaml", "errata: errata.yaml",
                                     "errata: ../secret.yaml"),
                       "[errata] ../secret.yaml is outside the publication folder"),
    "errata-symlink-out": (symlink("errata.yaml", "/etc/passwd"),
                           "[errata] errata.yaml is outside the publication folder"),
    "section-symlink-out": (symlink("news.yaml", "/etc/hostname"), "news.yaml is outside the publication folder"),
    "source-symlink-out": (symlink("sources/000_ba68bb08310e8cfc.txt", "/etc/hostname"),
                           "sources/000_ba68bb08310e8cfc.txt is outside the publication folder"),
}


@pytest.fixture(scope="module")
def good_build(tmp_path_factory):
    """A good build of the pack's HTML editions: each case starts from it and must leave it as it was."""
    out = tmp_path_factory.mktemp("good")
    assert run_build("html", "--content", str(CONTENT), "--out", str(out)).returncode == 0
    return out


def _files(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".cache" not in p.relative_to(folder).parts}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_content(tmp_path, case, good_build):
    break_it, expected = CASES[case]
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    break_it(content)
    out = tmp_path / "out"
    shutil.copytree(good_build, out)
    before = _files(out)
    result = run_build("html", "--content", str(content), "--out", str(out))
    assert result.returncode == 3, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert expected in result.stderr, result.stderr[:2000]
    assert result.stderr.startswith("error: content has")
    assert "root:" not in result.stderr and "secret: 42" not in result.stderr  # a path, never the contents
    assert _files(out) == before  # the last good build, byte for byte (its record too)


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 25
