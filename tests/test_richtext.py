"""Inline markup and typography (issue 21), on real outputs: the markup test publication
(tests/publications/markup) in every edition, layout and medium, and the IOM pack's typography."""
from __future__ import annotations

import re
import zipfile
from decimal import Decimal
from pathlib import Path

import pymupdf  # the font of every span of text
import pikepdf
import pytest
import yaml
from babel.numbers import get_decimal_symbol, get_group_symbol, parse_decimal
from lxml import etree

from briefing import content as content_mod
from briefing import model as model_mod
from briefing.check import epubcheck
from briefing.i18n import Formatter
from briefing.kinds import facts as facts_kind
from briefing.richtext import Typography, parse, walk
from conftest import CONTENT, ROOT, SHEET, load_errors, marked_spans, pdf_pages, pdf_text, run_build, squash
from test_layouts import _page_of
from test_standards import _passages

MARKUP = ROOT / "tests" / "publications" / "markup"
NAME = "markup-test"
XHTML = {"x": "http://www.w3.org/1999/xhtml"}
TARGETS = {"https://vietnam.iom.int/vi", "https://vietnam.iom.int/en", "mailto:desk@example.org",
           "tel:+842438500100", "https://example.org/vi/rights", "https://example.org/en/rights",
           "https://example.org/vi/month", "https://example.org/en/month", "https://example.org/vi/news",
           "https://example.org/en/news", "https://example.org/vi/more", "https://example.org/en/more",
           "https://example.org/data",
           "https://example.org/notes/markup-test-publication-with-a-long-address/index.html"}


@pytest.fixture(scope="module")
def markup(tmp_path_factory) -> Path:
    """Every output of the markup test publication: editions, layouts, press PDFs, booklets, EPUBs."""
    out = tmp_path_factory.mktemp("markup")
    result = run_build("all", "print", "booklet", "--content", str(MARKUP), "--out", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


# --- the parser and the typography, on their own ---------------------------------------------

@pytest.mark.parametrize("typed,printed", [
    ('He said "hello" and it\'s fine', "He said “hello” and it’s fine"),
    ("the migrants' work, the '90s", "the migrants’ work, the ’90s"),
    ("LOD - hai công ty", "LOD – hai công ty"),
    ("châu Á - Thái Bình Dương", "châu Á – Thái Bình Dương"),
    ("Assistant-Minister, COVID-19, 1987-2015, 2015-1987", "Assistant-Minister, COVID-19, 1987–2015, 2015-1987"),
    ("tel +84-24-3850-0100", "tel +84-24-3850-0100"),
    ("wait... what", "wait… what"),
    ("IOM đã \u00a0hỗ trợ, two  spaces", "IOM đã\u00a0hỗ trợ, two spaces"),
    ("50 % of 20 km", "50\u00a0% of 20\u00a0km"),
    ('a \\"straight\\" and \\\' mark', "a \"straight\" and ' mark"),
    ("<script>{{ 7*7 }}</script> &amp; `code`", "<script>{{ 7*7 }}</script> &amp; `code`"),
    ("1. not a list, # not a heading", "1. not a list, # not a heading"),
    ("marked * here, [sic]", "marked * here, [sic]"),
])
def test_typography(typed, printed):
    rich, problems = parse(typed)
    assert (str(rich), problems) == (printed, [])


def test_quotes_follow_the_language_and_phrases_never_break():
    rich, _ = parse('"a" in Viet Nam', Typography(quotes="«»“”", nobreak=("Viet Nam",)))
    assert str(rich) == "«a» in Viet\u00a0Nam"


def test_parsed_form_holds_every_construct():
    rich, problems = parse("*e* **s** [l](https://x.org){lang=en} [w]{lang=fr} m^2^ a\\\nb")
    assert problems == []
    assert [n["tag"] for n in walk(rich.nodes)] == ["em", "strong", "a", "span", "sup", "br"]
    assert str(rich) == "e s l w m² a b"  # the plain form: outline, metadata, alt text


@pytest.mark.parametrize("typed,message", [
    ("[x](javascript:alert(1))", "only https, http, mailto, tel links are allowed"),
    ("[x](file:///etc/passwd)", "only https, http, mailto, tel links are allowed"),
    ("[x](page.html)", "only https, http, mailto, tel links are allowed"),
    ("[unclosed link", "has an unclosed ["),
    ("a ] alone", "has a ] with no [ before it"),
    ("[x](not a url)", "is neither a link"),
    ("[x]{lang=en", "is neither a link"),
    ("[x]{lang=english-language}", "is not a BCP 47 language tag"),
    ("[x]{.red}", "only lang may be set"),
    ('an "unclosed quotation', 'has a " with no partner'),
    ("[*emphasis* in a link](https://x.org)", "a link's text cannot hold other markup"),
])
def test_bad_markup_is_reported(typed, message):
    _, problems = parse(typed)
    assert any(message in p for p in problems), problems


def _broken(tmp_path, file, old, new) -> str:
    return load_errors(tmp_path, MARKUP, file, old, new)


@pytest.mark.parametrize("file,old,new,expected", [
    ("prose.yaml", "(https://vietnam.iom.int/vi)", "(javascript:alert(1))",
     "prose.yaml:10:9: [paragraphs[1].vi] link to “javascript:alert(1)”: only https"),
    ("timeline.yaml", "[a link](https://example.org/en/month)", "[a link(https://example.org/en/month)",
     "timeline.yaml:14:9: [entries[1].en] has an unclosed ["),
    ("speech.yaml", "Thưa *quý vị*,", "Thưa [quý vị]{lang=vi_VN},",
     "speech.yaml:19:9: [paragraphs[0].vi] {lang=vi_VN} is not a BCP 47 language tag"),
    ("article.yaml", "[Cổng dữ liệu di cư](https://example.org/data){lang=vi}", "Cổng dữ liệu di cư",
     "article.yaml:15:9: [paragraphs[0].en] has 0 links where vi has 1 link (example.org)"),
    ("article.yaml", "(https://example.org/en/news)", "(https://elsewhere.org/en/news)",
     "[paragraphs[1].en] has 2 links (elsewhere.org, example.org) where vi has 2 links (example.org, example.org)"),
    ("prose.yaml", "[Médecins Sans Frontières]{lang=fr}.\n    en", "Médecins Sans Frontières.\n    en",
     "[paragraphs[3].en] marks 1 passage(s) as {lang=fr} where vi marks 0"),
    ("publication.yaml", "url: https://example.org/notes/", "url: ftp://example.org/notes/", "sources[0].url"),
    ("timeline.yaml", "date: 2024-09-07", "date: 2024-08-31",
     "timeline.yaml:15:11: [entries[2].date] 2024-08-31 comes after 2024-09; entries must be in chronological order"),
    ("timeline.yaml", "date: 2024-09\n", "date: 2024-13\n",
     "timeline.yaml:11:11: [entries[1].date] 2024-13 is not a date (write YYYY-MM-DD or YYYY-MM)"),
    ("facts.yaml", "value: 2.75\n    format: number", "value: 2.75\n    format: year",
     "[facts[2].value] a year is a whole number, without a scale"),
])
def test_bad_markup_is_a_content_error_at_file_and_line(tmp_path, file, old, new, expected):
    assert expected in _broken(tmp_path, file, old, new)


# --- numbers and dates --------------------------------------------------------------------------

def _parse_back(printed: str, locale: str) -> Decimal:
    """A printed figure read back: its number, times the unit word's value in the locale's compact
    patterns (the pattern "0 triệu" says that triệu is 10^6)."""
    from babel import Locale
    number = re.match(rf"[\d{re.escape(get_group_symbol(locale))}{re.escape(get_decimal_symbol(locale))}]+",
                      printed)[0]
    value = parse_decimal(number, locale=locale, strict=True)
    word = printed[len(number):].strip()
    if not word:
        return value
    units = {pattern.suffix[0].strip(): int(magnitude)
             for forms in Locale.parse(locale).compact_decimal_formats["long"].values()
             for magnitude, pattern in forms.items() if pattern.pattern.count("0") == 1}
    return value * units[word]


def _every_fact():
    folders = [CONTENT, SHEET, MARKUP]
    for folder in folders:
        for path in sorted(folder.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("kind") == "facts":
                for fact in data["facts"]:
                    yield path.relative_to(ROOT).as_posix(), fact


@pytest.mark.parametrize("locale", ["vi_VN", "en_GB"])
@pytest.mark.parametrize("style", ["number", "compact"])
def test_every_fact_prints_the_number_written(locale, style):
    """Every fact of every shipped and test publication, in every format and language, read back."""
    formatter = Formatter(locale)
    checked = 0
    for where, fact in _every_fact():
        for value in facts_kind.values(fact):
            printed = getattr(formatter, style)(value)
            assert _parse_back(printed, locale) == value, (where, value, printed)
            checked += 1
    assert checked >= 15
    assert Formatter(locale).compact(3600000) in ("3.6 million", "3,6 triệu")


# --- the markup test publication, built ---------------------------------------------------------

def _spans(pdf: Path) -> list[tuple[str, str]]:
    """(text, font name) of every span of text, in page order."""
    with pymupdf.open(pdf) as doc:
        return [(span["text"], span["font"]) for page in doc for block in page.get_text("dict")["blocks"]
                for line in block.get("lines", []) for span in line["spans"]]


def test_emphasis_and_strong_are_set_in_their_fonts(markup):
    spans = _spans(markup / f"{NAME}.pdf")

    def font(text):
        found = [f for t, f in spans if text in t]
        assert found, text
        return found[0]

    assert "Italic" in font("nhấn mạnh") and "Bold" not in font("nhấn mạnh")
    assert "Bold" in font("chữ đậm") and "Italic" not in font("chữ đậm")
    # The second language is upright too (issue 24): emphasis is italic, strong bold, in every language.
    assert "Italic" not in font("Đây là")
    assert "Italic" in font("emphasis") and "Bold" not in font("emphasis")
    assert font("strong text") == "Noto-Serif-Bold"


def _links(pdf: Path) -> list[pikepdf.Dictionary]:
    with pikepdf.open(pdf) as doc:
        return [(str(a.get("/A", {}).get("/URI", "")), str(a.get("/Contents", "")))
                for page in doc.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]


@pytest.mark.parametrize("edition", ["", "-facing", "-flip", "-print"])
def test_links_are_annotations_with_alternative_text(markup, edition):
    links = _links(markup / f"{NAME}{edition}.pdf")
    assert {uri for uri, _ in links if uri} == TARGETS
    assert all(contents for _, contents in links)  # PDF/UA-1 7.18.5: every link has /Contents
    with pikepdf.open(markup / f"{NAME}{edition}.pdf") as doc:
        from test_standards import _structure
        objrs = [kid for element, *_ in _structure(doc) if element.S == "/Link"
                 for kid in (element.K if isinstance(element.K, pikepdf.Array) else [element.K])
                 if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
        # each web, mail and phone link's annotation belongs to a Link structure element
        assert len([o for o in objrs if "/A" in o.Obj]) == len([uri for uri, _ in links if uri])


def test_single_language_editions_link_to_their_own_pages(markup):
    for lang, other in (("vi", "en"), ("en", "vi")):
        expected = {t for t in TARGETS if not re.search(rf"/{other}(/|$)", t)}
        assert {u for u, _ in _links(markup / f"{NAME}-{lang}.pdf") if u} == expected


def test_paper_editions_print_each_links_target(markup):
    printed = squash("(https://vietnam.iom.int/vi)"), squash("(desk@example.org)"), squash("(+842438500100)")
    for paper in (f"{NAME}-print.pdf", f"{NAME}-booklet.pdf", f"{NAME}-facing-print.pdf"):
        text = squash(pdf_text(markup / paper))
        assert all(p in text for p in printed), paper
        # A link whose text is its address is not printed twice.
        assert text.count(squash("desk@example.org")) == text.count(squash("(desk@example.org)")) + 1, paper
    screen = squash(pdf_text(markup / f"{NAME}.pdf"))
    assert not any(p in screen for p in printed)
    assert squash("https://example.org/notes/markup-test-publication-with-a-long-address/index.html") in screen


def _span_texts(folder: Path) -> list[tuple[str, str, str]]:
    """(squashed text, its language, the language around it) of every {lang=…} span."""
    return [(squash(text), lang, around) for text, lang, around in marked_spans(folder)]


def _wrong_spans(pdf: Path, spans) -> tuple[int, list]:
    """How many marked passages hold a part of a span, and those that resolve to another language
    than the span's (as the whole line around an unmarked name does: a screen reader reads the
    name in the line's language)."""
    checked, wrong = 0, []
    for text, lang in _passages(pdf):
        for span, span_lang, _ in spans:
            pieces = {span[i:i + 10] for i in range(len(span) - 9)}
            if text in span and len(text) >= 4 or any(piece in text for piece in pieces):
                checked += 1
                if lang != span_lang:
                    wrong.append((text, lang, span_lang))
    return checked, wrong


@pytest.mark.parametrize("edition", ["", "-vi", "-en", "-facing", "-flip", "-print"])
def test_spans_resolve_to_their_language_in_the_pdf(markup, edition):
    spans = _span_texts(MARKUP)
    assert {lang for _, lang, _ in spans} == {"en", "vi", "fr"}
    checked, wrong = _wrong_spans(markup / f"{NAME}{edition}.pdf", spans)
    assert checked >= 2 and wrong == []


@pytest.mark.parametrize("key", ["", "-facing", "-flip", "-vi"])
def test_iom_names_in_another_language_resolve_to_it(built, key):
    """The English names in the Vietnamese text of the IOM pack are read as English."""
    spans = _span_texts(CONTENT)
    assert len(spans) >= 2 and all((lang, around) == ("en", "vi") for _, lang, around in spans)
    checked, wrong = _wrong_spans(built / f"iom-viet-nam-briefing{key}.pdf", spans)
    assert checked >= 2 and wrong == []


def test_epub_carries_the_markup(markup):
    for suffix in ("", "-vi", "-en"):
        problems = epubcheck(markup / f"{NAME}{suffix}.epub")
        assert not problems, "\n".join(map(str, problems))
    with zipfile.ZipFile(markup / f"{NAME}.epub") as book:
        prose = etree.fromstring(book.read("EPUB/prose.xhtml"))
        timeline = etree.fromstring(book.read("EPUB/timeline.xhtml"))
        sources = etree.fromstring(book.read("EPUB/sources.xhtml"))
    assert "nhấn mạnh" in [e.text for e in prose.iterfind(".//x:em", XHTML)]
    assert "chữ đậm" in [e.text for e in prose.iterfind(".//x:strong", XHTML)]
    hrefs = {a.get("href") for a in prose.iterfind(".//x:a", XHTML)}
    assert {"https://vietnam.iom.int/vi", "mailto:desk@example.org", "tel:+842438500100"} <= hrefs
    spans = {(s.get("lang"), s.get("{http://www.w3.org/XML/1998/namespace}lang"), s.text)
             for s in prose.iterfind(".//x:span[@lang]", XHTML)}
    assert ("en", "en", "Intergovernmental Committee for European Migration") in spans
    assert ("fr", "fr", "Médecins Sans Frontières") in spans
    assert [s.text for s in prose.iterfind(".//x:sup", XHTML)][:1] == ["2"]
    assert prose.findall(".//x:br", XHTML)
    # the entries' dates, and the years they are under (a heading each)
    assert {t.get("datetime") for t in timeline.iterfind(".//x:time", XHTML)} == {"2023", "2024", "2024-09", "2024-09-07"}
    assert "7 tháng 9, 2024" in [t.text for t in timeline.iterfind(".//x:time", XHTML)]
    assert "7 September 2024" in [t.text for t in timeline.iterfind(".//x:time", XHTML)]
    url = "https://example.org/notes/markup-test-publication-with-a-long-address/index.html"
    assert url in {a.get("href") for a in sources.iterfind(".//x:a", XHTML)}
    assert "Accessed 20 November 2026" in " ".join(sources.itertext())


def test_facing_keeps_passages_with_markup_in_step(markup):
    pages = pdf_pages(markup / f"{NAME}-facing.pdf")
    model = model_mod.build(content_mod.load(MARKUP))
    contents = next(i for i, text in enumerate(pages) if squash("Mục lục") in text)
    left = contents + 1
    checked = 0
    for section in model.sections:
        items = [b["value"] for b in section.get("blocks", []) if b["type"] == "paragraph"] + \
            section.get("entries", []) + section.get("paragraphs", [])
        for item in items:
            left = _page_of(pages, item["text"]["vi"], left)
            right = _page_of(pages, item["text"]["en"], left + 1)
            assert right == left + 1, item["text"]["en"]
            checked += 1
    assert checked >= 8


# --- the IOM pack's typography, in what readers get ----------------------------------------------

def test_no_straight_quote_or_spaced_hyphen_in_any_edition(built):
    texts = {pdf.name: pdf_text(pdf) for pdf in sorted(built.glob("iom-viet-nam-*.pdf"))}
    for epub in sorted(built.glob("iom-viet-nam-*.epub")):
        with zipfile.ZipFile(epub) as book:
            texts[epub.name] = " ".join(" ".join(etree.fromstring(book.read(n)).itertext())
                                        for n in book.namelist() if n.endswith(".xhtml"))
    assert len(texts) >= 15
    for name, text in texts.items():
        assert '"' not in text and "'" not in text, name
        assert not re.search(r"\w - \w", text), (name, re.search(r".{20}\w - \w.{20}", text))
    assert "“Overview" in texts["iom-viet-nam-briefing-en.pdf"]
