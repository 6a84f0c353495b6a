"""Publications of any shape, from files only: section kinds in any number and order, the fact
sheet, the starter (`build.py new`), the generated content reference and make's PUB= rules."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile

import pytest
import yaml
from lxml import etree
from pypdf import PdfReader

from conftest import CONTENT, ROOT, SHEET, run_build, squash

sys.path.insert(0, str(ROOT))
from briefing.check import epubcheck  # noqa: E402
from briefing.reference import markdown  # noqa: E402

NS = {"opf": "http://www.idpf.org/2007/opf"}
SHEET_NAME = yaml.safe_load((SHEET / "publication.yaml").read_text(encoding="utf-8"))["name"]


def _manifest(folder, **changes):
    path = folder / "publication.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return data


def _titles(folder, files, lang):
    return [yaml.safe_load((folder / f).read_text(encoding="utf-8"))["title"][lang] for f in files]


def _outline(pdf) -> list[str]:
    reader = PdfReader(pdf)
    return [item.title for item in reader.outline if not isinstance(item, list)]


def _spine(epub) -> list[str]:
    with zipfile.ZipFile(epub) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
    manifest = {i.get("id"): i.get("href") for i in opf.iterfind(".//opf:item", NS)}
    return [manifest[i.get("idref")] for i in opf.iterfind(".//opf:itemref", NS)]


def _check_shape(content, out, sections, edition="main"):
    data = yaml.safe_load((content / "publication.yaml").read_text(encoding="utf-8"))
    name, langs = data["name"], [lang["code"] for lang in data["languages"]]
    result = run_build("pdf", "epub", "--edition", edition, "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    stem = name if edition == "main" else f"{name}-{edition}"
    titles = [" / ".join(t) for t in zip(*(_titles(content, sections, l) for l in langs))] if edition == "main" \
        else _titles(content, sections, edition)
    outline = _outline(out / f"{stem}.pdf")
    assert outline[1:-1] == titles, outline  # contents first, sources last
    spine = _spine(out / f"{stem}.epub")
    ids = [re.sub(r"[^a-z0-9]+", "-", s.removesuffix(".yaml")) for s in sections]
    assert spine == ["cover.xhtml", "title.xhtml", "nav.xhtml", *[f"{i}.xhtml" for i in ids],
                     "sources.xhtml", "contact.xhtml", "colophon.xhtml"]
    problems = epubcheck(out / f"{stem}.epub")
    assert not problems, "\n".join(map(str, problems))
    return result


@pytest.mark.parametrize("shape,sections", [
    ("one section only", ["speech.yaml"]),
    ("another order", ["speech.yaml", "timeline.yaml", "mission.yaml"]),
    ("no timeline", ["mission.yaml", "facts.yaml", "news.yaml", "speech.yaml"]),
])
def test_other_shapes_from_files_only(tmp_path, shape, sections):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    _manifest(content, sections=sections)
    result = _check_shape(content, tmp_path / "out", sections)
    # What the manifest leaves out is not built, and each such file is named as a warning.
    left_out = {"mission.yaml", "facts.yaml", "timeline.yaml", "news.yaml", "speech.yaml"} - set(sections)
    for file in left_out:
        assert f"warning: {content / file}: is not listed in publication.yaml sections" in result.stderr


def test_two_sections_of_one_kind_with_their_own_titles(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    second = yaml.safe_load((content / "speech.yaml").read_text(encoding="utf-8"))
    second["title"] = {"vi": "Phát biểu thứ hai", "en": "Second remarks"}
    (content / "remarks 2.yaml").write_text(yaml.safe_dump(second, allow_unicode=True), encoding="utf-8")
    sections = ["speech.yaml", "remarks 2.yaml"]
    _manifest(content, sections=sections)
    out = tmp_path / "out"
    _check_shape(content, out, sections)
    text = squash("".join(p.extract_text() for p in PdfReader(out / "iom-viet-nam-briefing.pdf").pages))
    assert text.count(squash("Ladies and gentlemen,")) == 2 and squash("Second remarks") in text


def test_a_single_language_publication_from_the_starter(tmp_path):
    folder = tmp_path / "english-only"
    made = run_build("new", str(folder), "--languages", "en")
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((folder / "publication.yaml").read_text(encoding="utf-8"))
    assert [lang["code"] for lang in data["languages"]] == ["en"]
    _check_shape(folder, tmp_path / "out", data["sections"], edition="en")
    assert sorted(p.name for p in (tmp_path / "out").glob("*.pdf")) == ["english-only-en.pdf"]


def test_the_starter_has_every_kind_and_builds_strictly(tmp_path):
    folder = tmp_path / "visit-briefing"
    made = run_build("new", str(folder))
    assert made.returncode == 0, made.stderr
    data = yaml.safe_load((folder / "publication.yaml").read_text(encoding="utf-8"))
    kinds = {yaml.safe_load((folder / f).read_text(encoding="utf-8"))["kind"] for f in data["sections"]}
    assert kinds == {"prose", "facts", "timeline", "article", "speech", "figure"}
    out = tmp_path / "out"
    result = run_build("all", "--content", str(folder), "--out", str(out))  # strict, the default
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    assert (out / "visit-briefing-booklet.pdf").exists() and (out / "visit-briefing-vi.epub").exists()
    again = run_build("new", str(folder))
    assert again.returncode == 3 and "already exists and is not empty" in again.stderr


def test_the_starter_refuses_a_language_without_a_catalog(tmp_path):
    result = run_build("new", str(tmp_path / "x"), "--languages", "fr,en")
    assert result.returncode == 3 and "no message catalog for 'fr'" in result.stderr
    assert not (tmp_path / "x").exists()


def test_the_fact_sheet_is_exactly_two_a4_pages(built):
    for stem in (SHEET_NAME, f"{SHEET_NAME}-vi", f"{SHEET_NAME}-en", f"{SHEET_NAME}-print"):
        reader = PdfReader(built / f"{stem}.pdf")
        assert len(reader.pages) == 2, stem
        box = reader.pages[0].trimbox
        assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    assert not (built / f"{SHEET_NAME}-booklet.pdf").exists()  # a two-page sheet is no booklet
    front, back = (squash(p.extract_text()) for p in PdfReader(built / f"{SHEET_NAME}.pdf").pages)
    assert squash("14.000") in front and squash("14,000") in front and squash("Who we are") in front
    assert squash("Milestones") in back and squash("jzhao@iom.int") in back and squash("Tổ chức Di trú Quốc tế") in back
    for stem in (SHEET_NAME, f"{SHEET_NAME}-vi", f"{SHEET_NAME}-en"):
        assert not epubcheck(built / f"{stem}.epub")


def test_a_fact_sheet_that_runs_over_two_pages_is_refused(tmp_path):
    content = tmp_path / "sheet"
    shutil.copytree(SHEET, content)
    about = yaml.safe_load((content / "about.yaml").read_text(encoding="utf-8"))
    about["paragraphs"] *= 4
    (content / "about.yaml").write_text(yaml.safe_dump(about, allow_unicode=True), encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("pdf", "--content", str(content), "--out", str(out))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    assert re.search(rf"{SHEET_NAME}.pdf: \[format\] runs to \d pages, but a fact sheet has 2 \(front and back\)",
                     result.stderr), result.stderr
    assert not list(out.glob("*.pdf"))


def test_errors_of_the_manifest(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    path = content / "publication.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - speech.yaml\n", "  - speech.yaml\n  - facts.yaml\n  - visit.yaml\n  - ../x.yaml\n"),
                    encoding="utf-8")
    (content / "news.yaml").write_text((content / "news.yaml").read_text(encoding="utf-8").replace(
        "kind: article", "kind: story"), encoding="utf-8")
    result = run_build("html", "--content", str(content), "--out", str(tmp_path / "out"))
    assert result.returncode == 3 and "Traceback" not in result.stderr
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l == "  - speech.yaml") + 1
    assert f"publication.yaml:{line}:5: [sections[6]] facts.yaml is listed twice" in result.stderr
    assert f"publication.yaml:{line + 1}:5: [sections[7]] section file visit.yaml is missing" in result.stderr
    assert "[sections[8]] ../x.yaml is outside the publication folder" in result.stderr
    assert ("news.yaml:5:7: [kind] unknown kind 'story'; the known kinds are: "
            "article, facts, figure, prose, speech, timeline") in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_folder_of_publications_builds_each(tmp_path):
    result = run_build("html", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "iom-viet-nam-briefing.html").exists() and (tmp_path / f"{SHEET_NAME}.html").exists()


def test_the_content_reference_is_generated_from_the_schemas():
    written = (ROOT / "content" / "README.md").read_text(encoding="utf-8")
    assert written == markdown(), "content/README.md is out of date: run `make reference`"
    for kind in ("prose", "facts", "timeline", "article", "speech"):
        assert f"### `{kind}`" in written
    assert "| `range` | yes |" in written and "| `sources[].title` | yes |" in written


def _make(*args, cwd=ROOT):
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS")}
    return subprocess.run(["make", *args], cwd=cwd, capture_output=True, text=True, env=env, timeout=900)


def test_make_rebuilds_only_the_publication_that_changed(tmp_path):
    """PUB= builds one publication. The builder decides what is stale, by content: a second run
    makes nothing, a touched file is not a change, an edit in one folder rebuilds that one only."""
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(".venv", "build", "dist", ".git", "__pycache__"))
    (repo / ".venv").symlink_to(ROOT / ".venv")
    one = _make("-s", "html", "PUB=iom-viet-nam-fact-sheet", cwd=repo)
    assert one.returncode == 0, one.stderr
    assert sorted(p.name for p in (repo / "build").glob("*.html")) == [f"{SHEET_NAME}{s}.html" for s in ("-en", "-vi", "")]
    assert _make("-s", "html", cwd=repo).returncode == 0
    assert "everything was up to date" in _make("html", cwd=repo).stdout
    about = repo / "content" / "iom-viet-nam-fact-sheet" / "about.yaml"
    os.utime(about)
    assert "everything was up to date" in _make("html", cwd=repo).stdout
    about.write_text(about.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    again = _make("html", cwd=repo).stdout
    assert f"render {SHEET_NAME}.html" in again and "render iom-viet-nam-briefing" not in again
    assert "done: 3 files" in again
    unknown = _make("html", "PUB=nope", cwd=repo)
    assert unknown.returncode == 2
    assert "'nope' has no content/nope/publication.yaml; the publications in content/ are: " \
           f"iom-viet-nam-briefing, {SHEET_NAME}" in unknown.stderr


def test_a_section_never_takes_an_id_of_the_builders():
    """Its id names its EPUB document and its heading: the builder's documents (colophon.xhtml)
    and ids (page-12, the print page markers) stay its own."""
    from briefing.content import _section_id
    assert [_section_id(f) for f in ("colophon.yaml", "back cover.yaml", "page-12.yaml", "pages.yaml", "mission.yaml")] \
        == ["colophon-section", "back-cover-section", "page-12-section", "pages", "mission"]
