"""The standards each PDF claims, checked on real builds: veraPDF for PDF/UA-1 and PDF/A-2a, pikepdf
for the PDF/X-4 requirements veraPDF does not check, and the language of every passage in the
structure tree."""
from __future__ import annotations

import ctypes
import functools
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from briefing import verapdf
from briefing.pdf import PdfWriter
from conftest import CONTENT, EDITIONS, MANIFEST, NAME, ROOT, edition_file, marked_spans, run_build, squash

SHEET_NAME = "iom-viet-nam-fact-sheet"
LAYOUTS = [f"{NAME}-facing", f"{NAME}-flip"]  # the briefing's other multilingual layouts
READING = ["ua1", "2a"]
# PDFs validated by a test of their own; the sweep at the end of the session takes the rest.
VALIDATED: set[Path] = set()


@pytest.fixture(scope="session")
def validator():
    """veraPDF, or a skip that names it (a failure where VERAPDF_REQUIRED is set, as in CI)."""
    if verapdf.executable() is None:
        if os.environ.get("VERAPDF_REQUIRED"):
            pytest.fail(f"VERAPDF_REQUIRED is set but {verapdf.missing_message()}")
        pytest.skip(f"veraPDF missing: {verapdf.missing_message()}")
    return verapdf


def _reading(out: Path, name: str) -> list[Path]:
    return [out / (f"{name}-{key}.pdf" if key else f"{name}.pdf") for key in EDITIONS]


def test_each_pdf_claims_what_it_is(built):
    for name in (NAME, SHEET_NAME):
        for path in _reading(built, name):
            assert verapdf.claims(path) == READING, path.name
        assert verapdf.claims(built / f"{name}-print.pdf") == ["ua1"]
    for layout in LAYOUTS:
        assert verapdf.claims(built / f"{layout}.pdf") == READING
        assert verapdf.claims(built / f"{layout}-print.pdf") == ["ua1"]
    # A booklet is an imposition without structure: it claims neither PDF/UA nor PDF/A.
    for name in (NAME, *LAYOUTS):
        assert verapdf.claims(built / f"{name}-booklet.pdf") == []


def test_verapdf_passes_every_pdf_under_every_claim(built, built_a5, validator):
    pdfs = sorted(built.glob("*.pdf")) + sorted(built_a5.glob("*.pdf"))
    VALIDATED.update(pdfs)
    verdicts = validator.validate(pdfs)
    checked = {(v.path.name, v.path.parent, v.flavour) for v in verdicts}
    for out in (built, built_a5):
        for name in (NAME, SHEET_NAME):
            for path in _reading(out, name):
                assert {(path.name, out, f) for f in READING} <= checked
    for name in (NAME, *LAYOUTS):
        assert (f"{name}-print.pdf", built, "ua1") in checked
    for layout in LAYOUTS:
        assert {(f"{layout}.pdf", out, f) for out in (built, built_a5) for f in READING} <= checked
    failures = [f"{v}: {p.field} {p.message}" for v in verdicts for p in v.problems]
    assert failures == []


def test_verapdf_failures_are_reported_one_line_per_rule(tmp_path, validator):
    """A PDF that claims PDF/UA-1 with no language and a picture without alternative text fails
    two rules, each reported once with its clause and description."""
    writer = PdfWriter([ROOT / "styles"])
    html = ('<html><head><title>t</title></head><body><p>x</p>'
            '<svg width="10" height="10"><rect width="10" height="10"/></svg></body></html>')
    document = writer.layout(html, tmp_path / "t.html")
    path = tmp_path / "bad.pdf"
    VALIDATED.add(path)  # invalid on purpose
    with open(path, "wb") as target:
        document.write_pdf(target, pdf_variant="pdf/ua-1")
    [verdict] = validator.validate([path])
    assert verdict.profile == "PDF/UA-1" and str(verdict) == "bad.pdf: PDF/UA-1: 2 failed rules"
    assert sorted(p.field.rsplit("-", 1)[0] for p in verdict.problems) == ["PDF/UA-1 7.2", "PDF/UA-1 7.3"]
    assert all(p.file == str(path) and "failed checks" in p.message for p in verdict.problems)


# --- PDF/X-4: veraPDF does not check it, so these are the requirements of ISO 15930-7 ---------

def _inside(inner, outer) -> bool:
    (a, b, c, d), (e, f, g, h) = ([float(v) for v in box] for box in (inner, outer))
    return e - 0.01 <= a < c <= g + 0.01 and f - 0.01 <= b < d <= h + 0.01


@pytest.mark.parametrize("name", [NAME, SHEET_NAME, *LAYOUTS])
def test_press_pdf_is_pdf_x4(built, name):
    with pikepdf.open(built / f"{name}-print.pdf") as pdf:
        assert not pdf.is_encrypted
        [intent] = pdf.Root.OutputIntents
        assert intent.S == "/GTS_PDFX"
        profile = intent.DestOutputProfile
        assert int(profile.N) == 4
        icc = profile.read_bytes()
        assert icc[36:40] == b"acsp" and icc[12:16] == b"prtr" and icc[16:20] == b"CMYK"  # an output profile
        assert str(intent.OutputConditionIdentifier) == "FOGRA39"
        assert str(intent.RegistryName) == "http://www.color.org"

        xmp = etree.fromstring(pdf.Root.Metadata.read_bytes())
        ns = {"pdfxid": "http://www.npes.org/pdfx/ns/id/", "xmpMM": "http://ns.adobe.com/xap/1.0/mm/"}
        assert xmp.findtext(".//pdfxid:GTS_PDFXVersion", namespaces=ns) == "PDF/X-4"
        assert xmp.findtext(".//xmpMM:DocumentID", namespaces=ns).startswith("uuid:")
        assert xmp.findtext(".//xmpMM:RenditionClass", namespaces=ns)
        assert pdf.docinfo.Trapped == pikepdf.Name("/False")
        assert str(pdf.docinfo.Title).strip()

        for page in pdf.pages:
            assert ("/TrimBox" in page) != ("/ArtBox" in page)
            assert _inside(page.TrimBox, page.BleedBox) and _inside(page.BleedBox, page.MediaBox)
            if "/Contents" not in page:
                continue  # a blank page where a flip book's halves meet
            # The design's colours are sRGB: DeviceRGB must be defined through DefaultRGB.
            spaces = page.Resources.ColorSpace
            assert spaces.DefaultRGB[0] == "/ICCBased" and int(spaces.DefaultRGB[1].N) == 3

        fonts = 0
        for page in pdf.pages:
            for font in page.Resources.get("/Font", {}).values():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.FontDescriptor
                    assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys()), font
                    fonts += 1
        assert fonts > 0


def test_booklet_carries_title_language_metadata_and_identifier(built):
    with pikepdf.open(built / f"{NAME}-booklet.pdf") as pdf:
        title = MANIFEST["title"]["vi"].replace("Việt Nam", "Việt\u00a0Nam")  # a no_break phrase
        assert str(pdf.docinfo.Title) == title
        assert str(pdf.Root.Lang) == "vi" and pdf.Root.ViewerPreferences.DisplayDocTitle
        assert len(pdf.trailer.ID) == 2
        with pdf.open_metadata() as xmp:
            assert xmp["dc:title"] == title
            assert xmp["dc:identifier"] == MANIFEST["identifier"]
            assert xmp.get("pdfuaid:part") is None and xmp.get("pdfaid:part") is None
        assert "/StructTreeRoot" not in pdf.Root and "/MarkInfo" not in pdf.Root


# --- The language of every passage in the structure tree ---------------------------------------

def _kids(element) -> list:
    kids = element.get("/K")
    return list(kids) if isinstance(kids, pikepdf.Array) else [] if kids is None else [kids]


def _structure(pdf: pikepdf.Pdf):
    """Every structure element, depth first: (element, the language it resolves to, its parent's,
    its page). The language is its own /Lang, or the nearest ancestor's, or the catalog's."""
    def walk(element, parent_lang, page):
        lang, page = str(element.get("/Lang", parent_lang)), element.get("/Pg", page)
        yield element, lang, parent_lang, page
        for kid in _kids(element):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                yield from walk(kid, lang, page)

    for element in _kids(pdf.Root.StructTreeRoot):
        yield from walk(element, str(pdf.Root.Lang), None)


def _marked_languages(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the language its structure element resolves to."""
    langs = {}
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        for element, lang, _, page in _structure(pdf):
            for kid in _kids(element):
                if isinstance(kid, int):
                    langs[pages[page.objgen], kid] = lang
                elif isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/MCR":
                    langs[pages[kid.get("/Pg", page).objgen], int(kid.MCID)] = lang
    return langs


def _marked_texts(path: Path) -> dict[tuple[int, int], str]:
    """(page index, MCID) -> the text drawn in that marked content, as PDFium reads it."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    texts: dict[tuple[int, int], str] = {}
    pdf = pdfium.PdfDocument(str(path))
    try:
        for index, page in enumerate(pdf):
            textpage = page.get_textpage()
            for obj in page.get_objects(max_depth=8):
                if obj.type != raw.FPDF_PAGEOBJ_TEXT:
                    continue
                mcid = raw.FPDFPageObj_GetMarkedContentID(obj.raw)
                size = raw.FPDFTextObj_GetText(obj.raw, textpage.raw, None, 0)
                buffer = (ctypes.c_ushort * (size // 2))()
                raw.FPDFTextObj_GetText(obj.raw, textpage.raw, buffer, size)
                if mcid >= 0:
                    texts[index, mcid] = texts.get((index, mcid), "") + bytes(buffer).decode("utf-16-le").rstrip("\0")
    finally:
        pdf.close()
    return texts


@functools.cache  # the single-language editions are read by two tests
def _passages(path: Path) -> list[tuple[str, str]]:
    """(squashed text, resolved language) of every marked passage in the structure tree."""
    langs, texts = _marked_languages(path), _marked_texts(path)
    return [(squash(texts[key]), lang) for key, lang in langs.items() if squash(texts.get(key, ""))]


@pytest.mark.parametrize("name", [NAME, SHEET_NAME])
def test_every_passage_of_the_bilingual_edition_resolves_to_its_language(built, name):
    """A passage found in one single-language edition and not in the other is in that language;
    its structure element must resolve to it. Names and numbers (in both) say nothing."""
    corpus = {lang: squash("".join(text for text, _ in _passages(built / f"{name}-{lang}.pdf")))
              for lang in ("vi", "en")}
    counted = {"vi": 0, "en": 0}
    wrong = []
    for text, lang in _passages(built / f"{name}.pdf"):
        if len(text) < 8:
            continue
        homes = [code for code, whole in corpus.items() if text in whole]
        if len(homes) == 1:
            counted[homes[0]] += 1
            if lang != homes[0]:
                wrong.append((text, lang, homes[0]))
    assert wrong == []
    least = 100 if name == NAME else 15
    assert counted["vi"] >= least and counted["en"] >= least, counted


@pytest.mark.parametrize("key", ["vi", "en"])
def test_single_language_edition_resolves_to_its_language(built, key):
    """Everything is in the edition's language, but for the titles of sources in another language,
    which the sources list cites as they are (and tags so), and the names the content marks as
    being in another language ([…]{lang=en}), which test_richtext.py checks."""
    cited = {squash(s["title"]): s["language"] for s in MANIFEST["sources"] if s["language"] != key}
    marked = {squash(name): lang for name, lang, _ in marked_spans(CONTENT)}
    passages = _passages(edition_file(built, key, "pdf"))
    assert len(passages) > 300
    other = [(text, lang) for text, lang in passages if lang != key]
    assert other, "the titles of sources in the other language are tagged with it"
    for text, lang in other:
        homes = [home for whole, home in {**cited, **marked}.items() if text in whole]
        assert homes and all(home == lang for home in homes), (text, lang)


def test_lang_is_set_only_where_it_changes(tmp_path):
    """The extension on WeasyPrint's tagging, on a small document: /Lang where a passage's language
    differs from its parent's, and nowhere else; headings, list items, table cells and links too."""
    html = """<html lang="vi"><head><title>t</title></head><body>
<h1>Tiêu đề</h1><h2 lang="en">Heading</h2>
<p>Xin chào <span lang="en">hello</span> bạn.</p>
<p lang="en">Hello <span lang="vi">Việt Nam</span> and <a href="#x">a link</a>.</p>
<ul><li lang="en">An item</li><li>Một mục</li></ul>
<table><tr><th scope="row" lang="en">Head</th><td>Ô</td></tr></table>
<p id="x">Cuối</p></body></html>"""
    writer = PdfWriter([ROOT / "styles"])
    path = tmp_path / "langs.pdf"
    writer.write_to(writer.layout(html, tmp_path / "langs.html"), path, "urn:test")
    with pikepdf.open(path) as pdf:
        elements = [(str(element.S), "/Lang" in element, lang, parent)
                    for element, lang, parent, _ in _structure(pdf)]
    own = [(s, lang, parent) for s, has_lang, lang, parent in elements if has_lang]
    resolved = [(s, lang) for s, _, lang, _ in elements]
    assert all(lang != parent for _, lang, parent in own)  # never a /Lang that repeats the parent's
    tags = sorted({(s, lang) for s, lang, _ in own})
    assert ("/H2", "en") in tags and ("/P", "en") in tags and ("/Span", "en") in tags
    assert ("/Span", "vi") in tags and ("/LI", "en") in tags and ("/TH", "en") in tags
    assert ("/H1", "vi") not in tags and ("/TD", "vi") not in tags
    # The link inside the English paragraph inherits English without a /Lang of its own.
    assert ("/Link", "en") in resolved and not any(s == "/Link" for s, _, _ in own)


@pytest.mark.last
def test_every_pdf_the_tests_made_passes_verapdf(tmp_path_factory, validator):
    """Every PDF any test build of this session wrote (run last: see conftest.py), under every
    standard it claims; a file that claims none must be a booklet."""
    base = tmp_path_factory.getbasetemp()
    pdfs = sorted(path for path in base.rglob("*.pdf") if path not in VALIDATED and path.stat().st_size)
    if not pdfs:
        pytest.skip("no other test made a PDF in this session")
    unclaimed = [path for path in pdfs if not verapdf.claims(path)]
    for path in unclaimed:  # only an imposition may claim nothing, and it has no structure to claim
        with pikepdf.open(path) as pdf:
            assert "/StructTreeRoot" not in pdf.Root, path
    verdicts = validator.validate(pdfs)
    failures = [f"{v.path.relative_to(base)}: {p.field} {p.message}" for v in verdicts for p in v.problems]
    assert failures == []
    assert {v.path for v in verdicts} == set(pdfs) - set(unclaimed)  # each claiming PDF got its verdicts


def _fact_sheet_pdfs(built: Path, out: Path) -> None:
    """Copies of the fact sheet's PDFs (validated where they were built), for `check` to read."""
    out.mkdir()
    for pdf in built.glob(f"{SHEET_NAME}*.pdf"):
        (out / pdf.name).write_bytes(pdf.read_bytes())
        VALIDATED.add(out / pdf.name)  # one of them is spoilt on purpose


def test_check_reports_each_pdf_and_each_problem(built, tmp_path, validator):
    """`build.py check`: a verdict line per PDF and standard, one line per problem, exit 6."""
    out = tmp_path / "out"
    _fact_sheet_pdfs(built, out)
    (out / f"{SHEET_NAME}-en.pdf").write_bytes(b"%PDF-1.7\nnot really")
    result = run_build("check", "--content", str(ROOT / "content" / SHEET_NAME), "--out", str(out))
    assert result.returncode == 6, result.stdout + result.stderr
    assert f"{SHEET_NAME}-vi.pdf: PDF/A-2A: 0 failed rules" in result.stdout
    assert f"{SHEET_NAME}-print.pdf: PDF/UA-1: 0 failed rules" in result.stdout
    assert f"{SHEET_NAME}-en.pdf: not a readable PDF" in result.stderr
    assert f"{SHEET_NAME}.epub: not built yet: run `make epub` first" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_without_verapdf_says_how_to_get_it(built, tmp_path):
    out = tmp_path / "out"
    _fact_sheet_pdfs(built, out)
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "check", "--content", str(ROOT / "content" / SHEET_NAME),
                             "--out", str(out)], capture_output=True, text=True, cwd=ROOT,
                            env=dict(os.environ, VERAPDF=str(tmp_path / "nowhere" / "verapdf")))
    assert result.returncode == 6
    assert f"veraPDF 1.28 is not at {tmp_path / 'nowhere' / 'verapdf'}" in result.stderr
    assert "Traceback" not in result.stderr
