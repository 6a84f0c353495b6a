"""The brand file (brand.yml) and the papers: a second organisation's fact sheet on US Letter, with
its own colours, logo and font, read back from its PDFs and EPUBs; the covers of every press PDF,
in every size, against their bleed; and a brand that would print illegible text, refused."""
from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pikepdf
import pymupdf
import pytest

from conftest import ROOT, run_build
from test_blocks import _trim

from briefing import brand as brand_mod
from briefing.check import epubcheck

BRANDED = ROOT / "tests" / "publications" / "branded"
BRIEFING = ROOT / "content" / "iom-viet-nam-briefing"
DEFAULT_BLUE = "#0a5c9e"
PT = 72
LETTER, HALF_LETTER = (8.5 * PT, 11 * PT), (5.5 * PT, 8.5 * PT)


@pytest.fixture(scope="session")
def branded(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("branded")
    result = run_build("all", "--content", str(BRANDED), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


@pytest.fixture(scope="session")
def letter(tmp_path_factory) -> Path:
    """The briefing pack on Letter, for one build (`make pdf print booklet PAPER=letter`)."""
    out = tmp_path_factory.mktemp("letter")
    result = run_build("pdf", "print", "booklet", "--paper", "letter", "--content", str(BRIEFING), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def _hex(rgb) -> str:
    return "#" + "".join(f"{round(c * 255):02x}" for c in rgb)


def _colours(path: Path) -> dict[str, str]:
    """Every colour a PDF fills, strokes or sets text in, with where it was first seen."""
    seen = {}
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, 1):
            for drawing in page.get_drawings():
                for key in ("fill", "color"):
                    if drawing.get(key) is not None:
                        seen.setdefault(_hex(drawing[key]), f"p{number} {key} {drawing['rect']}")
            for block in page.get_text("dict")["blocks"]:
                for line in block.get("lines", []):
                    for span in line["spans"]:
                        seen.setdefault(f"#{span['color']:06x}", f"p{number} text {span['text'][:30]!r}")
    return seen


def test_every_colour_of_the_branded_pdfs_is_the_brands(branded):
    """Every shape and every text span of every edition and the press PDF is in one of the
    brand's colours (the crop marks in registration black), and IOM's blue appears nowhere."""
    brand, problems = brand_mod.load(BRANDED)
    assert not problems
    allowed = set(brand.colours.values()) | {"#231f20"}  # the crop marks' black (CMYK K 100%) as PyMuPDF shows it
    assert brand.colours["accent"] == "#c8102e" and brand.families["headings"] == "DejaVu Sans Condensed"
    pdfs = sorted(branded.glob("*.pdf"))
    assert len(pdfs) == 4
    used = set()
    for path in pdfs:
        colours = _colours(path)
        used |= set(colours)
        assert DEFAULT_BLUE not in colours, path.name
        strangers = {c: where for c, where in colours.items() if c not in allowed}
        assert not strangers, f"{path.name}: {strangers}"
    assert {"#c8102e", "#222222", "#5e5e5e", "#ffffff"} <= used


def test_the_branded_pdfs_embed_the_brands_font_and_show_its_logo(branded):
    with pymupdf.open(branded / "branded-fact-sheet.pdf") as doc:
        fonts = {font[3] for page in doc for font in page.get_fonts()}
        assert any("DejaVu-Sans" in name for name in fonts) and not any("Noto-Sans" in name for name in fonts), fonts
        spans = [span for block in doc[0].get_text("dict")["blocks"] for line in block.get("lines", [])
                 for span in line["spans"]]
        title = max(spans, key=lambda span: span["size"])  # the masthead's title, a heading
        assert "DejaVu-Sans" in title["font"] and "IOM" in title["text"], title
        # The logo's red triangle, in the masthead's top right.
        triangles = [d for d in doc[0].get_drawings() if _hex(d.get("fill") or (0, 0, 0)) == "#c8102e"
                     and d["rect"].x0 > doc[0].rect.width / 2 and d["rect"].y1 < 80]
        assert triangles


def test_the_branded_epubs_carry_the_brand_and_pass_epubcheck(branded):
    books = sorted(branded.glob("*.epub"))
    assert len(books) == 3
    for book in books:
        with zipfile.ZipFile(book) as z:
            css = z.read("EPUB/style/book.css").decode("utf-8")
            names = z.namelist()
        assert "#c8102e" in css and DEFAULT_BLUE not in css and "var(" not in css
        assert '"DejaVu Sans Condensed", "Noto Sans", sans-serif' in css
        assert {"EPUB/fonts/brand-DejaVuSansCondensed.woff2", "EPUB/fonts/brand-DejaVuSansCondensed-Bold.woff2"} \
            <= set(names)
        assert any(name.startswith("EPUB/fonts/") and name.endswith("LICENSE.txt") for name in names)
        assert epubcheck(book) == [], book.name


def _box(page, name: str) -> tuple[float, ...]:
    return tuple(float(v) for v in page[name]) if name in page else ()


def _size(box) -> tuple[float, float]:
    return box[2] - box[0], box[3] - box[1]


def test_letter_editions_press_pdfs_and_booklets_have_letter_sizes(branded, letter):
    """MediaBox, TrimBox and BleedBox of every Letter PDF, to half a point: the pages 8.5 × 11 in,
    the press PDF's trim the same with 0.125 in of bleed, the booklet half-letter pages 2-up on
    Letter landscape."""
    checked = 0
    for path in sorted(branded.glob("*.pdf")) + sorted(letter.glob("*.pdf")):
        with pikepdf.open(path) as pdf:
            for page in pdf.pages:
                media, trim, bleed = _box(page, "/MediaBox"), _box(page, "/TrimBox"), _box(page, "/BleedBox")
                if path.name.endswith("-booklet.pdf"):
                    assert _size(media) == pytest.approx((LETTER[1], LETTER[0]), abs=0.5), path.name
                elif path.name.endswith("-print.pdf"):
                    assert _size(trim) == pytest.approx(LETTER, abs=0.5) and trim[:2] == pytest.approx((0, 0), abs=0.5)
                    assert bleed == pytest.approx((-9, -9, LETTER[0] + 9, LETTER[1] + 9), abs=0.5), path.name
                    assert media[0] < bleed[0] - 14 and media[3] > bleed[3] + 14  # the slug for the marks
                else:
                    assert _size(media) == pytest.approx(LETTER, abs=0.5), path.name
                checked += 1
    assert checked > 100
    # The booklet's pages are half-letter before imposition: read one from its press of pages.
    with pymupdf.open(letter / "iom-viet-nam-briefing-booklet.pdf") as doc:
        assert doc[0].rect.width == pytest.approx(LETTER[1], abs=0.5)


def _colour_outside_the_bleed(path: Path) -> list[str]:
    """Every page of a press PDF, drawn at 36 dpi as a printer's RIP would image it (clips and all):
    a pixel of colour beyond the BleedBox, where only the crop marks' grey-to-black and white paper
    may be. A shape's box is no proof: a cover picture is clipped to its frame."""
    import numpy
    found = []
    with pymupdf.open(path) as doc:
        for number, page in enumerate(doc, 1):
            bleed = _trim(doc, page, "BleedBox")
            pix = page.get_pixmap(matrix=pymupdf.Matrix(0.5, 0.5), alpha=False)
            rgb = numpy.frombuffer(pix.samples, numpy.uint8).reshape(pix.height, pix.stride)[:, :pix.width * 3]
            rgb = rgb.reshape(pix.height, pix.width, 3).astype(int)
            coloured = rgb.max(axis=2) - rgb.min(axis=2) > 24  # neither white nor the marks' grey
            coloured[int(bleed.y0 / 2) - 1:int(bleed.y1 / 2) + 2, int(bleed.x0 / 2) - 1:int(bleed.x1 / 2) + 2] = False
            for y, x in numpy.argwhere(coloured)[:1]:
                found.append(f"{path.name} p{number}: #{bytes(rgb[y, x].astype(numpy.uint8)).hex()} at ({2 * x}, {2 * y}) "
                             f"pt, outside the bleed {bleed}")
    return found


def test_every_press_cover_stops_at_the_bleed_in_every_size(built, built_a5, letter, branded):
    """A4, A5 and Letter, every layout and the fact sheets: no colour beyond the BleedBox, so the
    crop marks outside it stand on white paper; and the cover colour reaches the bleed."""
    presses = [*built.glob("*-print.pdf"), *built_a5.glob("*-print.pdf"), *letter.glob("*-print.pdf"),
               *branded.glob("*-print.pdf")]
    assert len(presses) >= 12
    problems = [problem for path in sorted(presses) for problem in _colour_outside_the_bleed(path)]
    assert problems == []
    for out in (built, built_a5, letter):
        with pymupdf.open(out / "iom-viet-nam-briefing-print.pdf") as doc:
            bleed = _trim(doc, doc[0], "BleedBox")
            pix = doc[0].get_pixmap(alpha=False)
            for x in (bleed.x0 + 1, bleed.x1 - 2):  # every corner of the bleed is the cover's colour or art
                for y in (bleed.y0 + 1, bleed.y1 - 2):
                    pixel = pix.pixel(int(x), int(y))
                    assert max(pixel) - min(pixel) > 24, (out.name, x, y, pixel)


# --- brands that cannot print ------------------------------------------------------------------

def _copy(tmp_path: Path, brand_text: str | None = None, **replace: str) -> Path:
    folder = tmp_path / "branded"
    shutil.copytree(BRANDED, folder)
    path = folder / "_brand.yml"
    text = brand_text if brand_text is not None else path.read_text(encoding="utf-8")
    for old, new in replace.items():
        assert old in text, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return folder


def _line(folder: Path, needle: str) -> int:
    return next(i for i, line in enumerate((folder / "_brand.yml").read_text().splitlines(), 1) if needle in line)


def test_a_pale_primary_is_refused_at_its_line_with_the_colours_and_the_ratio(tmp_path):
    folder = _copy(tmp_path, **{'delta-red: "#c8102e"': 'delta-red: "#ffd400"'})
    result = run_build("pdf", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr
    line = _line(folder, '"#ffd400"')
    assert f"{folder / '_brand.yml'}:{line}:" in result.stderr
    assert re.search(r"color\.primary #ffd400 on the white paper #ffffff has a contrast of 1\.\d\d:1 where it is "
                     r"headings", result.stderr), result.stderr
    assert "on defaults.briefing.tint #f9e4e7" in result.stderr  # a box's kicker, on the box's fill
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))


@pytest.mark.parametrize("change,where,message", [
    ({"foreground: charcoal": "forground: charcoal"}, "forground", "[color.forground] is not a brand.yml field"),
    ({'secondary: "#5e5e5e"': "secondary: greyish"}, "greyish", "'greyish' is not a colour"),
    ({"source: file\n      files:\n        - path: brand/fonts/DejaVuSansCondensed.ttf\n"
      "        - path: brand/fonts/DejaVuSansCondensed-Bold.ttf\n          weight: bold": "source: google"},
     "source: google", "source: google fetches fonts"),
    ({"path: brand/fonts/DejaVuSansCondensed.ttf": "path: ../../../styles/fonts/NotoSans-Regular.ttf"},
     "NotoSans-Regular", "is outside the brand file's folder"),
    ({"medium: brand/logo.svg": "medium: https://example.org/logo.svg"}, "example.org",
     "is an address; the builder reaches no network"),
    ({"headings: DejaVu Sans Condensed": "headings: Comic Sans"}, "Comic Sans",
     "the family 'Comic Sans' is not one of the brand's font files"),
    ({'foreground: charcoal': 'foreground: "rgba(0, 0, 0, 0.5)"'}, "rgba", "is transparent"),
])
def test_a_brand_problem_is_one_line_at_its_place(tmp_path, change, where, message):
    folder = _copy(tmp_path, **change)
    brand, problems = brand_mod.load(folder)
    assert brand is None
    text = "\n".join(map(str, problems))
    assert message in text, text
    assert f"{folder / '_brand.yml'}:{_line(folder, where)}:" in text


def test_a_font_needs_its_licence_beside_it_and_every_character(tmp_path):
    folder = _copy(tmp_path)
    (folder / "brand" / "fonts" / "LICENSE.txt").unlink()
    _, problems = brand_mod.load(folder)
    assert "has no licence beside it" in "\n".join(map(str, problems))

    folder = _copy(tmp_path / "glyph")
    about = folder / "about.yaml"
    about.write_text(about.read_text(encoding="utf-8").replace("Liên Hợp Quốc", "Liên Hợp Quốc Ω", 1),
                     encoding="utf-8")
    (folder / "translations.lock").unlink()  # an original changed: its translations start afresh
    result = run_build("html", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "GREEK CAPITAL LETTER OMEGA" in result.stderr and "about.yaml:" in result.stderr


def test_the_manifests_paper_and_one_builds_paper(tmp_path):
    """paper: letter in the manifest; PAPER=a4 makes one build on A4; a fact sheet has no A5."""
    out = tmp_path / "a4"
    result = run_build("pdf", "--paper", "a4", "--edition", "en", "--content", str(BRANDED), "--out", str(out))
    assert result.returncode == 0, result.stderr
    with pikepdf.open(out / "branded-fact-sheet-en.pdf") as pdf:
        assert _size(_box(pdf.pages[0], "/MediaBox")) == pytest.approx((595.3, 841.9), abs=0.5)
    result = run_build("pdf", "--paper", "a5", "--edition", "en", "--content", str(BRANDED),
                       "--out", str(tmp_path / "a5"))
    assert result.returncode == 0 and "a fact-sheet is printed on a4 or letter, not a5: made on letter" in result.stdout

    folder = tmp_path / "sheet"
    shutil.copytree(BRANDED, folder)
    manifest = folder / "publication.yaml"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("paper: letter", "paper: a5"), encoding="utf-8")
    result = run_build("html", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 3 and "[paper] a fact sheet is printed on a4 or letter" in result.stderr


def test_a_brand_logo_needs_its_alternative_text(tmp_path):
    folder = _copy(tmp_path)
    manifest = folder / "publication.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(re.sub(r"\nlogo:\n  alt:\n.*\n.*\n", "\n", text), encoding="utf-8")
    result = run_build("html", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 3
    assert "[logo] is missing: the brand has a logo" in result.stderr and "logo: {alt: {…}}" in result.stderr


def test_the_stylesheets_take_every_colour_from_the_brand():
    """No colour is written in styles/ but in the default brand file: a hex colour, a named one, or
    rgb()."""
    named = r"\b(white|black|red|blue|green|grey|gray|navy|silver|orange|yellow|purple)\b"
    for sheet in sorted((ROOT / "styles").glob("*.css")):
        css = re.sub(r"/\*.*?\*/", "", sheet.read_text(encoding="utf-8"), flags=re.S)
        assert not re.search(r"#[0-9a-fA-F]{3,8}\b", css), sheet.name
        assert not re.search(r"rgba?\(|hsla?\(", css), sheet.name
        values = " ".join(re.findall(r"(?:color|background|border[-a-z]*)\s*:\s*([^;}]+)", css))
        assert not re.search(named, values), (sheet.name, re.findall(named, values))
    assert brand_mod.default().colours["accent"] == DEFAULT_BLUE
