"""Pictures: a publication with a raster photo, a JPEG cover photo, a PNG logo, an SVG map, a chart
and a decorative picture, checked in the PDF's structure tree, in the EPUB, and at the gates."""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import sys
import zipfile

import pikepdf
import pytest
import yaml
from lxml import etree
from PIL import Image, ImageDraw

from conftest import ROOT, run_build

sys.path.insert(0, str(ROOT))
from briefing import pictures  # noqa: E402
from briefing.check import epubcheck  # noqa: E402

NAME = "visit-briefing"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
ALT = {
    "cover": {"vi": "Ảnh bìa: bến cảng lúc bình minh", "en": "Cover photo: a harbour at dawn"},
    "logo": {"vi": "Biểu trưng của đơn vị xuất bản", "en": "The publisher’s logo"},
    "photo": {"vi": "Ảnh: những con thuyền trên sông", "en": "Photo: boats on a river"},
    "map": {"vi": "Bản đồ: văn phòng tại Hà Nội", "en": "Map: the office in Hanoi"},
    "chart": {"vi": "Biểu đồ cột: 120 người năm 2022, 180 người năm 2023.",
              "en": "Bar chart: 120 people in 2022, 180 in 2023."},
}
MAP_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200"><rect width="400" height="200" '
           'fill="#e8f0f8"/><circle cx="200" cy="100" r="60" fill="#0a5c9e"/>'
           '<text x="20" y="40" font-family="Noto Sans" font-size="20">Hà Nội</text></svg>')
PATTERN_SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 300 100"><g fill="none" stroke="#0a5c9e">'
               + "".join(f'<path d="M0 {10 + i * 8} Q 150 {i * 5} 300 {20 + i * 7}"/>' for i in range(10))
               + "</g></svg>")


def _photo(path, size, fmt="JPEG"):
    """A synthetic picture with detail, so that scaling and compression have work to do."""
    img = Image.new("RGB", size, "#8fb3d9")
    draw = ImageDraw.Draw(img)
    for i in range(0, size[0], max(size[0] // 20, 1)):
        draw.ellipse((i, size[1] // 4 + i % 97, i + size[0] // 8, size[1] // 2 + i % 97), fill="#2e6ea6")
    img.save(path, fmt, **({"quality": 90} if fmt == "JPEG" else {}))


def _figure(key, image, size, **extra):
    return {"figure": {"image": image, "size": size, "alt": ALT[key],
                       "caption": {"vi": f"Chú thích {key}.", "en": f"Caption {key}."}, **extra}}


def make_publication(folder):
    """The starter (one section of each kind, the figure one a chart), with pictures added."""
    result = run_build("new", str(folder))
    assert result.returncode == 0, result.stderr
    images = folder / "images"
    images.mkdir()
    _photo(images / "cover.jpg", (2560, 3600))      # 301 dpi across a bled A4 cover
    _photo(images / "photo.jpg", (2400, 1600))      # 339 dpi at full width (180 mm)
    logo = Image.new("RGBA", (800, 280), (0, 0, 0, 0))
    ImageDraw.Draw(logo).rectangle((0, 0, 280, 280), fill="#ffffff")
    logo.save(images / "logo.png")
    (images / "map.svg").write_text(MAP_SVG, encoding="utf-8")
    (images / "pattern.svg").write_text(PATTERN_SVG, encoding="utf-8")

    manifest = folder / "publication.yaml"
    data = yaml.safe_load(manifest.read_text(encoding="utf-8"))
    data["cover_image"] = {"image": "images/cover.jpg", "alt": ALT["cover"]}
    data["logo"] = {"image": "images/logo.png", "alt": ALT["logo"]}
    manifest.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    prose = folder / "prose.yaml"
    data = yaml.safe_load(prose.read_text(encoding="utf-8"))
    data["paragraphs"] += [
        _figure("photo", "images/photo.jpg", "full", credit={"vi": "Ảnh: nhóm biên soạn", "en": "Photo: the editors"}),
        _figure("map", "images/map.svg", "column"),
        {"figure": {"image": "images/pattern.svg", "size": "column", "decorative": True}},
    ]
    prose.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def pictured(tmp_path_factory):
    base = tmp_path_factory.mktemp("pictures")
    folder = make_publication(base / NAME)
    out = base / "out"
    result = run_build("pdf", "epub", "--content", str(folder), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr
    return folder, out


def _figures(pdf_path) -> list[tuple[str, str]]:
    """(tag, Alt) of every Figure in the structure tree, in document order, and every Artifact-less image."""
    found = []
    with pikepdf.open(pdf_path) as pdf:
        def walk(node):
            if isinstance(node, pikepdf.Array):
                for child in node:
                    walk(child)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    found.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node.K)
        walk(pdf.Root.StructTreeRoot.K)
    return found


def _image_count(pdf_path) -> int:
    with pikepdf.open(pdf_path) as pdf:
        return sum(1 for page in pdf.pages for _, obj in page.images.items())


@pytest.mark.parametrize("edition,lang", [("", "vi"), ("vi", "vi"), ("en", "en")])
def test_pdf_tags_every_picture_as_a_figure_with_alt_in_its_language(pictured, edition, lang):
    _, out = pictured
    pdf = out / (f"{NAME}-{edition}.pdf" if edition else f"{NAME}.pdf")
    # Document order: cover photo and logo, chart section, photo and map in the prose, logo on the back.
    # The decorative pattern is no Figure: WeasyPrint draws it as a background, an artifact.
    assert _figures(pdf) == [ALT[k][lang] for k in ("cover", "logo", "chart", "photo", "map", "logo")]
    with pikepdf.open(pdf) as doc:
        assert str(doc.Root.Lang) == lang
        patterns = [p for p in doc.pages if any("/Pattern" in str(k) for k in p.Resources.keys())]
        assert patterns, "the decorative picture is drawn (as a pattern-filled background)"


def test_press_pdf_runs_the_cover_photo_into_the_bleed(pictured):
    """The very corner of the bleed shows the photo, not the blue page behind it."""
    import pypdfium2 as pdfium
    folder, _ = pictured
    out = folder.parent / "press"
    assert run_build("print", "--content", str(folder), "--out", str(out)).returncode == 0
    with pikepdf.open(out / f"{NAME}-print.pdf") as pdf:
        trim, bleed, media = ([float(v) for v in pdf.pages[0][box]] for box in ("/TrimBox", "/BleedBox", "/MediaBox"))
        assert trim[0] > bleed[0] >= media[0]  # there is a bleed
    doc = pdfium.PdfDocument(out / f"{NAME}-print.pdf")
    try:
        image = doc[0].render(scale=1).to_pil().convert("RGB")
    finally:
        doc.close()
    # 1 pt in from the bleed box's corner (the media box adds a slug for the crop marks around it):
    # inside the 3 mm bleed, outside the trim box.
    corner = round(bleed[0] - media[0]) + 1, round(media[3] - bleed[3]) + 1
    assert image.getpixel(corner) == pytest.approx((0x8f, 0xb3, 0xd9), abs=12)


@pytest.mark.parametrize("edition,langs", [("", ("vi", "en")), ("vi", ("vi",)), ("en", ("en",))])
def test_epub_holds_the_pictures_with_alt_per_edition(pictured, edition, langs):
    _, out = pictured
    path = out / (f"{NAME}-{edition}.epub" if edition else f"{NAME}.epub")
    problems = epubcheck(path)
    assert not problems, "\n".join(map(str, problems))
    with zipfile.ZipFile(path) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        items = {i.get("href"): i.get("media-type") for i in opf.iter("{http://www.idpf.org/2007/opf}item")}
        pictures = {href: kind for href, kind in items.items() if href.startswith("images/") and href != "images/cover.png"}
        # photo, map, pattern and logo; the cover photo lives in the cover image, the chart in its page.
        assert sorted(pictures.values()) == ["image/jpeg", "image/png", "image/svg+xml", "image/svg+xml"]
        photo = next(h for h, k in pictures.items() if k == "image/jpeg")
        with Image.open(io.BytesIO(book.read(f"EPUB/{photo}"))) as img:
            assert max(img.size) == 1600 and not img.getexif()  # scaled down for reading, metadata gone
        prose = etree.fromstring(book.read("EPUB/prose.xhtml"))
        imgs = prose.findall(".//x:figure/x:img", XHTML)
        lang = langs[0]
        assert [(i.get("alt"), i.get("lang")) for i in imgs[:2]] == [(ALT["photo"][lang], lang), (ALT["map"][lang], lang)]
        assert (imgs[2].get("alt"), imgs[2].get("role")) == ("", "presentation")
        captions = prose.findall(".//x:figure/x:figcaption/x:p", XHTML)
        assert [c.get("lang") for c in captions] == list(langs) * 2
        figure = etree.fromstring(book.read("EPUB/figure.xhtml")).find(".//x:figure", XHTML)
        chart = figure.find(".//{http://www.w3.org/2000/svg}svg")
        assert chart.get("aria-hidden") == "true"  # its text alternative is in the page, in every language
        alt = figure.findall(".//x:div[@class='visually-hidden']/x:p", XHTML)
        assert [(p.get("lang"), p.text) for p in alt] == [(l, ALT["chart"][l]) for l in langs]
        (page,) = [i for i in opf.iter("{http://www.idpf.org/2007/opf}item") if i.get("href") == "figure.xhtml"]
        assert page.get("properties") == "svg"
        back = etree.fromstring(book.read("EPUB/contact.xhtml")).find(".//x:img", XHTML)
        assert back.get("alt") == ALT["logo"][lang]


def test_daisy_ace_finds_no_violation_in_a_book_with_every_kind_of_picture(pictured, ace):
    """Photo, map, decorative pattern, logo, and the chart drawn into its page."""
    _, out = pictured
    assert ace(out / f"{NAME}.epub") == []


def test_chart_labels_follow_the_edition(pictured):
    """The chart is drawn per edition, its text real text in the edition's languages: in the
    e-book it is part of the page, so that it takes the reader's font size and colours."""
    _, out = pictured
    charts = {}
    for edition in ("vi", "en"):
        with zipfile.ZipFile(out / f"{NAME}-{edition}.epub") as book:
            assert not [n for n in book.namelist() if re.match(r"EPUB/images/pic-.*\.svg$", n)]
            page = etree.fromstring(book.read("EPUB/figure.xhtml"))
            (svg,) = page.iter("{http://www.w3.org/2000/svg}svg")
            charts[edition] = [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")]
            assert not list(svg.iter("{http://www.w3.org/2000/svg}style", "{http://www.w3.org/2000/svg}script"))
            assert all(e.get("id").startswith("pic-") for e in svg.iter() if e.get("id"))
    assert "người" in charts["vi"] and "people" in charts["en"]


def test_pictures_are_reproducible(pictured, tmp_path):
    """Charts, scaled EPUB images and all: a second build, with an empty cache, is byte-identical."""
    folder, first = pictured
    second = tmp_path / "again"
    assert run_build("pdf", "epub", "--content", str(folder), "--out", str(second)).returncode == 0
    made = sorted(p.name for p in first.iterdir() if p.suffix in (".pdf", ".epub"))
    assert len(made) == 6
    for name in made:
        assert hashlib.sha256((first / name).read_bytes()).digest() == \
            hashlib.sha256((second / name).read_bytes()).digest(), name


# --- the gates: one clear message with file, line, column and field; exit 3; nothing written ---

def _break(folder, change):
    images = folder / "images"
    prose = folder / "prose.yaml"
    text = prose.read_text(encoding="utf-8")
    if change == "missing":
        text = text.replace("images/photo.jpg", "images/nowhere.jpg")
    elif change == "outside":
        text = text.replace("images/photo.jpg", "../elsewhere.jpg")
        _photo(folder.parent / "elsewhere.jpg", (2400, 1600))
    elif change == "gif":
        Image.new("RGB", (2400, 1600)).save(images / "photo.jpg", "GIF")
    elif change == "corrupt":
        data = (images / "photo.jpg").read_bytes()
        (images / "photo.jpg").write_bytes(data[: len(data) // 3])
    elif change in ("low", "low-draft"):
        _photo(images / "photo.jpg", (1000, 667))
    elif change == "script":
        (images / "map.svg").write_text(MAP_SVG.replace("<rect", "<script>alert(1)</script><rect"), encoding="utf-8")
    elif change == "external":
        (images / "map.svg").write_text(MAP_SVG.replace("<rect", '<image href="https://example.org/x.png" width="9" height="9"/><rect'),
                                        encoding="utf-8")
    elif change == "font":
        (images / "map.svg").write_text(MAP_SVG.replace('font-family="Noto Sans"', 'font-family="Arial"'), encoding="utf-8")
    elif change == "no-alt":
        data = yaml.safe_load(text)
        del next(p["figure"] for p in data["paragraphs"] if "figure" in p)["alt"]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    elif change == "decorative-chart":
        (folder / "figure.yaml").write_text((folder / "figure.yaml").read_text(encoding="utf-8") + "decorative: true\n",
                                            encoding="utf-8")
    prose.write_text(text, encoding="utf-8")


def _line(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


@pytest.mark.parametrize("change,file,needle,field,message", [
    ("missing", "prose.yaml", "images/nowhere.jpg", "image", "images/nowhere.jpg is missing from"),
    ("outside", "prose.yaml", "../elsewhere.jpg", "image", "../elsewhere.jpg is outside the publication folder"),
    ("gif", "prose.yaml", "images/photo.jpg", "image", "images/photo.jpg is a GIF image; use PNG, JPEG or SVG"),
    ("corrupt", "prose.yaml", "images/photo.jpg", "image", "images/photo.jpg cannot be read as an image"),
    ("low", "prose.yaml", "images/photo.jpg", "image",
     "images/photo.jpg prints at 141 dpi (1000 × 667 px at 180 mm wide); print needs 300 dpi"),
    ("script", "prose.yaml", "images/map.svg", "image", "images/map.svg contains a <script> element (line 1)"),
    ("external", "prose.yaml", "images/map.svg", "image", "images/map.svg refers to 'https://example.org/x.png'"),
    ("font", "prose.yaml", "images/map.svg", "image", "images/map.svg sets text in 'Arial'"),
    ("no-alt", "prose.yaml", "images/photo.jpg", "alt", "is missing: describe the picture in every language"),
    ("decorative-chart", "figure.yaml", "decorative: true", "decorative", "a chart carries information"),
])
def test_gates(tmp_path, change, file, needle, field, message):
    folder = make_publication(tmp_path / NAME)
    _break(folder, change)
    out = tmp_path / "out"
    result = run_build("pdf", "--content", str(folder), "--out", str(out))
    assert result.returncode == 3, result.stderr
    assert "Traceback" not in result.stderr and not out.exists()
    lines = [l.strip() for l in result.stderr.splitlines()[1:]]
    assert len(lines) == 1, result.stderr  # one problem, one line
    line = _line(folder / file, needle)
    assert re.match(rf"{re.escape(str(folder / file))}:{line}:\d+: \[\S*\b{field}\] ", lines[0]), lines[0]
    assert message in lines[0]


def test_low_resolution_is_a_warning_in_a_draft(tmp_path):
    folder = make_publication(tmp_path / NAME)
    _break(folder, "low-draft")
    result = run_build("pdf", "--draft", "--edition", "en", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr
    assert re.search(r"warning: .*prose\.yaml:\d+:\d+: \[paragraphs\[\d+\]\.figure\.image\] images/photo\.jpg "
                     r"prints at 141 dpi", result.stderr), result.stderr


def test_an_svg_may_embed_a_raster(tmp_path):
    """Embedded (data:) PNG or JPEG is part of the SVG itself, not another file: it passes the gate."""
    import base64
    folder = make_publication(tmp_path / NAME)
    buf = io.BytesIO()
    Image.new("RGB", (4, 4), "#0a5c9e").save(buf, "PNG")
    embedded = f'<image href="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}" width="40" height="40"/>'
    (folder / "images" / "map.svg").write_text(MAP_SVG.replace("<rect", embedded + "<rect"), encoding="utf-8")
    result = run_build("html", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 0, result.stderr


def test_a_picture_without_image_or_chart_is_an_error(tmp_path):
    folder = make_publication(tmp_path / NAME)
    figure = folder / "figure.yaml"
    data = yaml.safe_load(figure.read_text(encoding="utf-8"))
    del data["chart"]
    figure.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_build("html", "--content", str(folder), "--out", str(tmp_path / "out"))
    assert result.returncode == 3 and "Traceback" not in result.stderr, result.stderr
    assert "figure.yaml:1:1: needs image (a file) or chart (numbers)" in result.stderr


@pytest.mark.parametrize("svg,refused", [
    # Escapes are decoded by the CSS parser before they are judged.
    ('<style>@\\69mport "http://example.org/a.css";</style>', "loads fonts or stylesheets"),
    ('<style>rect { fill: u\\72l(http://example.org/p.svg#x) }</style>', "refers to 'http://example.org/p.svg#x' in its CSS"),
    ('<style>@font-face { font-family: X; src: url(x.woff2) }</style>', "loads fonts or stylesheets"),
    ('<rect style="fill: u\\72l(http://example.org/p)" width="1" height="1"/>', "in its style attribute"),
    # Presentation attributes hold URLs as well as style does.
    ('<rect filter="url(http://example.org/f.svg#blur)" width="1" height="1"/>', "in its filter attribute"),
    ('<rect mask="url(&quot;http://example.org/m&quot;)" width="1" height="1"/>', "in its mask attribute"),
    ('<rect fill="url(#local)" width="1" height="1"/>', None),  # a gradient of the same file
])
def test_the_svg_gate_reads_css_as_a_browser_would(tmp_path, svg, refused):
    path = tmp_path / "map.svg"
    path.write_text(MAP_SVG.replace("<rect", svg + "<rect", 1), encoding="utf-8")
    image, error, _ = pictures._svg(path, "images/map.svg")
    if refused is None:
        assert error is None and image is not None
    else:
        assert image is None and refused in error and "images/map.svg" in error


def test_an_svg_with_a_dtd_is_refused_at_its_line(tmp_path):
    path = tmp_path / "map.svg"
    path.write_text('<?xml version="1.0"?>\n<!DOCTYPE svg [\n<!ENTITY x SYSTEM "file:///etc/passwd">\n]>\n'
                    + MAP_SVG.replace("</text>", "&x;</text>", 1), encoding="utf-8")
    image, error, _ = pictures._svg(path, "images/map.svg")
    assert image is None and error == "images/map.svg has a DOCTYPE (line 2); an SVG needs none: delete it"
    assert "root:" not in error


def test_print_charts_are_written_without_a_doctype(built):
    """matplotlib writes the SVG 1.1 DOCTYPE; the picture gate refuses one in an image, and
    EPUBCheck 4.2 rejected it in a book (OPF-073, HTM-003)."""
    from briefing import brand, chart
    data = chart.svg({"type": "bar", "values": [1, 2], "labels": ["a", "b"], "texts": [["1"], ["2"]], "unit": None,
                      "colours": brand.default().colours},
                     "full", built / ".cache")
    assert b"<!DOCTYPE" not in data and etree.fromstring(data).tag == "{http://www.w3.org/2000/svg}svg"