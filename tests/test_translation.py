"""Translation as a process (briefing/translation/): every text knows its original, a stale
translation never reaches print unmarked, and a translator's XLIFF or PO file comes back into the
YAML without a hand edit. Files are filled through translate-toolkit's API, as a CAT tool would."""
from __future__ import annotations

import copy
import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from lxml import etree
from pypdf import PdfReader
from translate.storage import pypo, xliff
from translate.storage.placeables import StringElem

from conftest import CONTENT, ROOT, SHEET, commit_like_the_repo, pdf_text, run_build, squash

SCHEMAS = Path(__file__).parent / "schemas"
MARKUP = Path(__file__).parent / "publications" / "markup"
XLF = "{urn:oasis:names:tc:xliff:document:1.2}"


def copy_publication(tmp_path: Path, *publications: Path) -> Path:
    """Copies under Git in tmp_path/content (so that a diff shows what an import changed), and a
    copy of the catalogs; the content folder."""
    content = tmp_path / "content"
    content.mkdir()
    for publication in publications:
        shutil.copytree(publication, content / publication.name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    commit_like_the_repo(content, *publications)
    return content


def cli(content: Path, *args: str) -> subprocess.CompletedProcess:
    return run_build(*args, "--content", str(content), "--locale", str(content.parent / "locale"),
                     "--out", str(content.parent / "build"))


def git(content: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=content, capture_output=True, text=True, check=True).stdout


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def translated(elem: StringElem, mark: str) -> StringElem:
    """What a translator returns: every run of text rewritten, every inline code kept as it is."""
    out = copy.deepcopy(elem)
    for leaf in out.depth_first():
        if type(leaf) is StringElem and leaf.sub and all(isinstance(s, str) for s in leaf.sub):
            leaf.sub = [f"{mark} {s.strip()}" if s.strip() else s for s in leaf.sub]
    return out


def fill_xliff(path: Path, lang: str, wanted) -> dict[str, str]:
    """Give the units chosen by wanted(unit id) a new translation; unit id -> the marker written."""
    store = xliff.xlifffile.parsefile(str(path))
    done = {}
    for unit in store.unit_iter():
        uid = unit.xmlelement.get("id")
        if wanted(uid) and not uid.startswith("interface:"):
            mark = f"Xlf{len(done)}q"
            unit.set_rich_target([translated(unit.rich_source[0], mark)], lang)
            unit.getlanguageNode(lang=None, index=1).set("state", "translated")
            done[uid] = mark
    path.write_bytes(bytes(store))
    return done


def fill_po(path: Path, wanted) -> dict[str, str]:
    store = pypo.pofile.parsefile(str(path))
    done = {}
    for unit in store.units:
        uid = unit.getcontext()
        if not unit.isheader() and wanted(uid) and not uid.startswith("interface:"):
            mark = f"Po{len(done)}q"
            unit.target = f"{mark} {unit.source}"
            unit.markfuzzy(False)
            done[uid] = mark
    path.write_bytes(bytes(store))
    return done


def xliff_schema() -> etree.XMLSchema:
    """The OASIS XLIFF 1.2 strict schema, with the W3C xml.xsd it imports read from beside it."""
    text = (SCHEMAS / "xliff-core-1.2-strict.xsd").read_text(encoding="utf-8")
    text = text.replace("http://www.w3.org/2001/xml.xsd", (SCHEMAS / "xml.xsd").as_uri())
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8"), base_url=SCHEMAS.as_uri() + "/"))


# -- what every text knows ----------------------------------------------------------------------

def test_every_text_knows_its_original_and_the_shipped_translations_are_current():
    from briefing.content import load
    from briefing.translation.texts import CURRENT
    pub = load(CONTENT)
    texts = {text.id: text for text in pub.texts}
    assert texts["mission.yaml:paragraphs[1]"].original == "en"   # ours: [vi]
    assert texts["mission.yaml:paragraphs[2]"].original == "vi"   # ours: [en]
    assert texts["publication.yaml:title"].original == "vi"       # no ours: the first language
    for publication in (CONTENT, SHEET, MARKUP, MARKUP.parent / "blocks"):
        loaded = load(publication)
        states = {state for text in loaded.texts for state in text.translations.values()}
        assert states <= {CURRENT}, (publication, states)  # the committed locks know every translation
        assert (publication / "translations.lock").is_file()


def test_a_re_save_is_no_change_and_a_word_is():
    from briefing.translation.texts import digest
    text = "IOM has *worked* in Viet Nam since 1987, with [partners](https://www.iom.int).[^a]"
    assert digest(text) == digest(text.replace("*worked*", "_worked_"))
    assert digest(text) == digest(text.replace(" in ", "\n in ").replace(", ", ",  "))
    assert digest(text) != digest(text.replace("1987", "1988"))
    assert digest(text) != digest(text.replace("[^a]", "[^b]"))
    assert digest(text) != digest(text.replace("*worked*", "worked"))


# -- a stale translation -------------------------------------------------------------------------

def test_a_stale_translation_stops_a_strict_build_and_is_marked_in_a_draft(tmp_path):
    content = copy_publication(tmp_path, SHEET)
    folder = content / SHEET.name
    about = folder / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace("for the benefit of all", "for the good of all"),
                     encoding="utf-8")
    strict = cli(content, "pdf", "--publication", SHEET.name)
    assert strict.returncode == 3, strict.stderr
    lines = [line.strip() for line in strict.stderr.splitlines() if "was translated" in line]
    assert len(lines) == 1, strict.stderr
    assert re.fullmatch(
        rf"{re.escape(str(about))}:\d+:\d+: \[paragraphs\[0\]\.vi\] was translated from its en original "
        rf"\({re.escape(str(about))}:\d+:\d+ \[paragraphs\[0\]\.en\]\), which has changed since: translate it "
        rf"again \(make translation-export PUB={SHEET.name} TO=vi\), or, if it still holds, confirm it: "
        rf"make translation-confirm PUB={SHEET.name} UNIT='about.yaml:paragraphs\[0\]' TO=vi", lines[0])

    draft = cli(content, "pdf", "--publication", SHEET.name, "--draft", "--edition", "vi")
    assert draft.returncode == 0, draft.stderr
    pdf = content.parent / "build" / f"{SHEET.name}-vi.pdf"
    assert squash("[stale] Tổ chức Di trú Quốc tế (IOM) là") in squash(pdf_text(pdf))
    assert all("BẢN NHÁP" in page.extract_text() for page in PdfReader(pdf).pages)  # as a missing text makes it

    report = cli(content, "-q", "i18n-report", "--publication", SHEET.name)
    rows = re.findall(r"^(vi|en)\s+(\S+)\s+(\d+)\s+(\d+)\s+(\d+)$", report.stdout, re.M)
    assert ("vi", "about.yaml", "0", "1", "0") in rows and ("vi", "(all)", "0", "1", "1") in rows, report.stdout
    assert "about.yaml:paragraphs[0]" in report.stdout

    confirmed = cli(content, "translation-confirm", "--publication", SHEET.name,
                    "--unit", "about.yaml:paragraphs[0]", "--to", "vi")
    assert confirmed.returncode == 0 and "(it was stale)" in confirmed.stdout, confirmed.stderr
    assert cli(content, "html", "--publication", SHEET.name).returncode == 0
    after = cli(content, "-q", "i18n-report", "--publication", SHEET.name)
    assert re.search(r"^vi\s+\(all\)\s+0\s+0\s+2$", after.stdout, re.M), after.stdout


def test_a_build_records_new_translations_and_leaves_old_content_unchanged(tmp_path):
    """A publication without a lock builds as before; the build records what it took as current,
    and a later change of an original is then seen."""
    content = copy_publication(tmp_path, SHEET)
    folder = content / SHEET.name
    (folder / "translations.lock").unlink()
    assert cli(content, "html", "--publication", SHEET.name).returncode == 0
    assert (folder / "translations.lock").read_bytes() == (SHEET / "translations.lock").read_bytes()
    again = cli(content, "html", "--publication", SHEET.name)
    assert "everything was up to date" in again.stdout  # the lock it wrote is not an edit
    facts = folder / "facts.yaml"
    facts.write_text(facts.read_text(encoding="utf-8").replace("IOM bắt đầu hoạt động", "IOM bắt đầu làm việc"),
                     encoding="utf-8")
    assert cli(content, "html", "--publication", SHEET.name).returncode == 3


def test_the_live_preview_shows_a_stale_translation_as_a_missing_one(tmp_path):
    from briefing.live import Live
    content = copy_publication(tmp_path, SHEET)
    about = content / SHEET.name / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace("for the benefit of all", "for the good of all"),
                     encoding="utf-8")
    live = Live(content / SHEET.name, tmp_path / "serve", content.parent / "locale")
    live.build("vi", lambda: None)
    assert not live.result.errors
    assert "[stale] Tổ chức Di trú Quốc tế" in (tmp_path / "serve" / live.result.html).read_text(encoding="utf-8")
    assert any(squash("[stale] Tổ chức Di trú Quốc tế") in squash(page["text"]) for page in live.result.pages)


# -- the files for translators -------------------------------------------------------------------

@pytest.mark.parametrize("publication", [CONTENT, SHEET, MARKUP], ids=lambda p: p.name)
def test_the_exported_files_are_valid_xliff_and_po(tmp_path, publication):
    from briefing.translation.pocheck import failures
    content = copy_publication(tmp_path, publication)
    schema = xliff_schema()
    for to in ("vi", "en"):
        done = cli(content, "translation-export", "--publication", publication.name, "--to", to)
        assert done.returncode == 0, done.stderr
        xlf = content.parent / "build" / "translation" / f"{publication.name}.{to}.xlf"
        po = xlf.with_suffix(".po")
        assert schema.validate(etree.parse(str(xlf))), schema.error_log
        store = xliff.xlifffile.parsefile(str(xlf))
        units = [u for u in store.unit_iter()]
        assert all(u.xmlelement.get("id") for u in units)
        assert units or (publication, to) == (MARKUP, "vi")  # its texts are all written in Vietnamese
        for node in store.document.getroot().iter(f"{XLF}file"):  # one <file> per language of the originals
            assert node.get("target-language") == to
            assert node.get("source-language") == (node.get("original").split("/")[1].replace("interface", "en"))
        po_store = pypo.pofile.parsefile(str(po))
        assert po_store.parseheader()["X-Publication"] == yaml.safe_load(
            (publication / "publication.yaml").read_text(encoding="utf-8"))["name"]
        assert failures(po_store) == [], failures(po_store)
        assert len([u for u in po_store.units if not u.isheader()]) == len(units)
        # what runs the same export twice writes the same bytes
        before = xlf.read_bytes(), po.read_bytes()
        cli(content, "translation-export", "--publication", publication.name, "--to", to)
        assert (xlf.read_bytes(), po.read_bytes()) == before


def test_inline_codes_keep_addresses_and_note_ids_out_of_the_text(tmp_path):
    content = copy_publication(tmp_path, MARKUP, CONTENT)
    ctypes = set()
    for publication, to in ((MARKUP, "en"), (CONTENT, "en"), (CONTENT, "vi")):
        cli(content, "translation-export", "--publication", publication.name, "--to", to)
        xlf = content.parent / "build" / "translation" / f"{publication.name}.{to}.xlf"
        root = etree.parse(str(xlf)).getroot()
        for element in root.iter(f"{XLF}source", f"{XLF}target"):
            words = "".join(element.itertext())
            assert "http" not in words and "[^" not in words and "](" not in words and "{lang=" not in words, words
            ctypes |= {code.get("ctype") for code in element.iter(f"{XLF}g", f"{XLF}x")}
    assert ctypes == {"link", "italic", "bold", "x-superscript", "x-language", "x-note", "lb"}, ctypes


def test_the_pofilter_checks_find_a_changed_note_marker():
    from briefing.translation.pocheck import failures
    store = pypo.pofile()
    for source, target in (("IOM helped 4,111 fishermen.[^sum]", "IOM đã giúp 4.111 ngư dân.[^sun]"),
                           ("IOM helped.[^sum]", "IOM đã giúp."),
                           ("IOM helped.[^sum]", "IOM đã giúp.[^sum]")):
        unit = store.UnitClass(source)
        unit.target = target
        store.addunit(unit)
    found = [(unit.target, check) for unit, check, _ in failures(store)]
    assert found == [("IOM đã giúp 4.111 ngư dân.[^sun]", "variables"), ("IOM đã giúp.", "variables")]


def test_a_new_text_is_filled_from_the_translation_memory(tmp_path):
    """The fact sheet's first paragraph is the pack's: with its Vietnamese gone, the export offers
    the pack's translation, for review."""
    content = copy_publication(tmp_path, CONTENT, SHEET)
    about = content / SHEET.name / "about.yaml"
    data = yaml.safe_load(about.read_text(encoding="utf-8"))
    vi = data["paragraphs"][0]["vi"]
    text = about.read_text(encoding="utf-8")
    start = text.index("    vi: >-\n      Tổ chức Di trú Quốc tế (IOM) là")
    end = text.index("    en:", start)
    about.write_text(text[:start] + text[end:], encoding="utf-8")
    cli(content, "translation-export", "--publication", SHEET.name, "--to", "vi")
    store = xliff.xlifffile.parsefile(str(content.parent / "build" / "translation" / f"{SHEET.name}.vi.xlf"))
    unit = next(u for u in store.unit_iter() if u.xmlelement.get("id") == "about.yaml:paragraphs[0]")
    target = unit.getlanguageNode(lang=None, index=1)
    assert " ".join(unit.target.split()) == " ".join(vi.split())
    assert target.get("state") == "needs-review-translation"
    assert any("translation memory (iom-viet-nam-briefing/mission.yaml:paragraphs[1])" in note
               for note in unit.getnotes().splitlines())


# -- a round trip --------------------------------------------------------------------------------

def _changed_lines(content: Path) -> list[str]:
    diff = git(content, "diff", "-U0", "--", ".", ":(exclude)*/translations.lock")
    return [line[1:] for line in diff.splitlines() if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.mark.parametrize("publication", [SHEET, CONTENT], ids=lambda p: p.name)
def test_a_round_trip_through_a_cat_tool(tmp_path, publication):
    """Both directions of the pair, one through XLIFF and one through PO: the YAML diff is the new
    translations and nothing else, a second import changes no byte, and the PDF and EPUB print them."""
    content = copy_publication(tmp_path, publication)
    name = publication.name
    folder = content / name
    out = content.parent / "build" / "translation"
    for to in ("vi", "en"):
        assert cli(content, "translation-export", "--publication", name, "--to", to).returncode == 0
    picks = {"vi": lambda uid: uid.endswith(("paragraphs[0]", "paragraphs[1]", "paragraphs[4]", "notes.sum")),
             "en": lambda uid: uid.endswith(("title", "facts[1]", "entries[2]", "paragraphs[2]"))}
    marks = fill_xliff(out / f"{name}.vi.xlf", "vi", picks["vi"])
    marks.update(fill_po(out / f"{name}.en.po", picks["en"]))
    assert len(marks) >= 4, marks
    for file in (out / f"{name}.vi.xlf", out / f"{name}.en.po"):
        done = cli(content, "translation-import", "--publication", name, "--file", str(file))
        assert done.returncode == 0, done.stderr

    stat = git(content, "diff", "--numstat", "--", ".")
    files = {line.split("\t")[2].split("/", 1)[1] for line in stat.splitlines()}
    assert files <= {uid.split(":")[0] for uid in marks} | {"translations.lock"}, files
    # read as data, only the chosen texts differ; read as lines, the diff is those texts' lines
    from briefing.translation.texts import collect
    chosen = []
    for file in files - {"translations.lock"}:
        old = yaml.safe_load(git(content, "show", f"HEAD:{name}/{file}"))
        new = yaml.safe_load((folder / file).read_text(encoding="utf-8"))
        before = {t.id: t.values for t in collect(file, old, ["vi", "en"])}
        for text in collect(file, new, ["vi", "en"]):
            if text.id in marks:
                assert any(marks[text.id] in value for value in text.values.values()), text.id
                chosen += [*text.values.values(), *before[text.id].values()]
            else:
                assert text.values == before[text.id], text.id
    words = " ".join(" ".join(value.split()) for value in chosen)
    for line in _changed_lines(content):
        value = re.sub(r"^\s*(?:(?:vi|en):\s*)?(?:>-)?", "", line).strip().strip('"')
        assert value in words, line
    lock_before = (folder / "translations.lock").read_bytes()

    snapshot = tree_hash(content)
    for file in (out / f"{name}.vi.xlf", out / f"{name}.en.po"):
        assert cli(content, "translation-import", "--publication", name, "--file", str(file)).returncode == 0
    assert tree_hash(content) == snapshot and (folder / "translations.lock").read_bytes() == lock_before

    built = cli(content, "pdf", "epub", "--publication", name, "--edition", "main")
    assert built.returncode == 0, built.stderr
    pdf = squash(pdf_text(next((content.parent / "build").glob("*.pdf"))))
    from ebooklib import epub
    book = epub.read_epub(str(next((content.parent / "build").glob("*.epub"))), options={"ignore_ncx": True})
    epub_text = squash(re.sub(r"<[^>]+>", "", " ".join(item.get_content().decode("utf-8")
                                                        for item in book.get_items_of_type(9))))
    for uid, mark in marks.items():
        assert mark in pdf and mark in epub_text, (uid, mark)


# -- what an import refuses -----------------------------------------------------------------------

@pytest.fixture
def sheet_export(tmp_path):
    content = copy_publication(tmp_path, SHEET)
    assert cli(content, "translation-export", "--publication", SHEET.name, "--to", "vi").returncode == 0
    assert cli(content, "translation-export", "--publication", SHEET.name, "--to", "en").returncode == 0
    return content, content.parent / "build" / "translation"


@pytest.fixture
def pack_export(tmp_path):
    """The pack's English file: its notes are what the fact sheet lacks."""
    content = copy_publication(tmp_path, CONTENT)
    assert cli(content, "translation-export", "--publication", CONTENT.name, "--to", "en").returncode == 0
    return content, content.parent / "build" / "translation"


def _refused(content: Path, file: Path, name: str = SHEET.name) -> list[str]:
    snapshot = tree_hash(content), tree_hash(content.parent / "locale")
    done = cli(content, "translation-import", "--publication", name, "--file", str(file))
    assert done.returncode == 3, (done.stdout, done.stderr)
    assert done.stderr.startswith("error: the translation file has")
    assert (tree_hash(content), tree_hash(content.parent / "locale")) == snapshot  # nothing written
    return [line.strip() for line in done.stderr.splitlines()[1:]]


def _edit_xliff(path: Path, uid: str, change) -> int:
    """Change one unit's XML in place (its start stays on its line); the unit's line."""
    tree = etree.parse(str(path))
    unit = next(u for u in tree.getroot().iter(f"{XLF}trans-unit") if u.get("id") == uid)
    change(unit)
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")
    return unit.sourceline


def _edit_po(po: Path, uid: str, change) -> int:
    """Give one unit a new msgstr (change(old msgstr)), through translate-toolkit; the unit's line."""
    store = pypo.pofile.parsefile(str(po))
    unit = next(u for u in store.units if u.getcontext() == uid)
    unit.target = change(unit.target)
    po.write_bytes(bytes(store))
    return po.read_text(encoding="utf-8").splitlines().index(f'msgctxt "{uid}"') + 1


def test_an_import_refuses_a_lost_note_marker(pack_export):
    content, out = pack_export
    xlf = out / f"{CONTENT.name}.en.xlf"
    uid = "facts.yaml:facts[8]"

    def drop_note(unit):
        target = unit.find(f"{XLF}target")
        code = target.find(f"{XLF}x")
        target.text = (target.text or "") + (code.tail or "")
        target.remove(code)
        target.set("state", "translated")
    line = _edit_xliff(xlf, uid, drop_note)
    assert _refused(content, xlf, CONTENT.name) == [
        f"{xlf}:{line}: [{uid}] the translation's markup differs from its original's: note marker [^fishermen]: "
        "the original has 1, the translation 0"]


def test_an_import_refuses_an_added_emphasis_in_po(sheet_export):
    content, out = sheet_export
    po = out / f"{SHEET.name}.en.po"
    line = _edit_po(po, "facts.yaml:facts[1]", lambda target: "*countries* with an IOM presence")
    assert _refused(content, po) == [
        f"{po}:{line}: [facts.yaml:facts[1]] the translation's markup differs from its original's: emphasis: "
        "the original has 0, the translation 1"]


def test_an_import_refuses_a_changed_note_marker_in_po(pack_export):
    content, out = pack_export
    po = out / f"{CONTENT.name}.en.po"
    line = _edit_po(po, "facts.yaml:facts[8]", lambda target: target.replace("[^fishermen]", "[^fisherman]"))
    assert _refused(content, po, CONTENT.name) == [
        f"{po}:{line}: [facts.yaml:facts[8]] pofilter variables: Do not translate: [^fishermen]"]


def test_an_import_refuses_an_unknown_unit(sheet_export):
    content, out = sheet_export
    xlf = out / f"{SHEET.name}.vi.xlf"
    line = _edit_xliff(xlf, "about.yaml:paragraphs[0]", lambda unit: unit.set("id", "about.yaml:paragraphs[9]"))
    assert _refused(content, xlf) == [
        f"{xlf}:{line}: [about.yaml:paragraphs[9]] is not a text of {SHEET.name}: was the file made for another "
        "version of it? Export it again"]


def test_an_import_refuses_a_file_for_another_publication(sheet_export):
    content, out = sheet_export
    xlf = out / f"{SHEET.name}.vi.xlf"
    xlf.write_text(xlf.read_text(encoding="utf-8").replace(f'original="{SHEET.name}/', 'original="other-pack/'),
                   encoding="utf-8")
    assert _refused(content, xlf) == [
        f"{xlf}: was made for another publication (other-pack/en), not {SHEET.name}: export this one with "
        "`make translation-export PUB=…`"]


def test_an_import_refuses_a_unit_whose_original_changed_since_the_export(sheet_export):
    content, out = sheet_export
    xlf = out / f"{SHEET.name}.vi.xlf"
    fill_xliff(xlf, "vi", lambda uid: uid == "about.yaml:paragraphs[0]")
    about = content / SHEET.name / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace("for the benefit of all", "for the good of all"),
                     encoding="utf-8")
    git(content, "commit", "-qam", "an edit after the export")
    line = next(u for u in etree.parse(str(xlf)).getroot().iter(f"{XLF}trans-unit")
                if u.get("id") == "about.yaml:paragraphs[0]").sourceline
    assert _refused(content, xlf) == [
        f"{xlf}:{line}: [about.yaml:paragraphs[0]] its en original has changed since the file was made: export the "
        f"file again (make translation-export PUB={SHEET.name} TO=vi) and carry the translation over"]


# -- a new language ------------------------------------------------------------------------------

def test_french_in_one_command_then_a_cat_tool_then_a_draft(tmp_path):
    content = copy_publication(tmp_path, SHEET)
    name = SHEET.name
    folder = content / name
    added = cli(content, "language", "--publication", name, "--add", "fr")
    assert added.returncode == 0, added.stderr
    assert f"next: make translation-export PUB={name} TO=fr" in added.stdout
    assert _changed_lines(content) == ["  - code: fr", "    locale: fr_FR", "    fallback: en"]
    catalog = content.parent / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    from babel.messages.pofile import read_po
    with catalog.open("rb") as new, (content.parent / "locale" / "messages.pot").open("rb") as template:
        made, pot = read_po(new), read_po(template)
    assert str(made.locale) == "fr_FR" and [m.id for m in made if m.id] == [m.id for m in pot if m.id]
    assert not any(m.string for m in made if m.id)
    again = cli(content, "language", "--publication", name, "--add", "fr")
    assert again.returncode == 2 and f"'fr' is already a language of {name}" in again.stderr

    assert cli(content, "translation-export", "--publication", name, "--to", "fr").returncode == 0
    xlf = content.parent / "build" / "translation" / f"{name}.fr.xlf"
    marks = fill_xliff(xlf, "fr", lambda uid: uid.startswith("about.yaml"))
    assert len(marks) == 4
    imported = cli(content, "translation-import", "--publication", name, "--file", str(xlf))
    assert imported.returncode == 0, imported.stderr
    strict = cli(content, "pdf", "--publication", name, "--edition", "fr")
    assert strict.returncode == 3  # the other texts have no French yet
    draft = cli(content, "pdf", "--publication", name, "--edition", "fr", "--draft")
    assert draft.returncode == 0, draft.stderr
    text = pdf_text(content.parent / "build" / f"{name}-fr.pdf")
    for mark in marks.values():
        assert mark in text
    assert "[en] IOM in Viet\u00a0Nam" in text   # the fallback, English, not the first language
    assert "22 novembre 2026" in text              # Babel's French date
    lock = yaml.safe_load((folder / "translations.lock").read_text(encoding="utf-8"))["translations"]
    assert all(lock[uid]["fr"].endswith(tuple("0123456789abcdef")) for uid in marks)

    # A CAT tool that compiles a half-done job writes each untranslated unit's source as its target
    # (OmegaT does): those are left out, and named, never printed as French.
    assert cli(content, "translation-export", "--publication", name, "--to", "fr").returncode == 0
    po = xlf.with_suffix(".po")
    store = pypo.pofile.parsefile(str(po))
    for unit in store.units:
        if not unit.isheader() and not unit.target:
            unit.target = unit.source
    po.write_bytes(bytes(store))
    snapshot = tree_hash(content)
    copied = cli(content, "translation-import", "--publication", name, "--file", str(po))
    assert copied.returncode == 0, copied.stderr
    assert "0 text(s) changed" in copied.stdout and "whose translation is a copy of the original" in copied.stdout
    assert tree_hash(content) == snapshot
