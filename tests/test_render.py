"""Renderer guard rails: WeasyPrint warnings fail the build; catalogs compile; autoescape holds."""
from __future__ import annotations

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT))
from briefing.errors import RenderError  # noqa: E402
from briefing.i18n import Catalogs  # noqa: E402
from briefing.pdf import PdfWriter  # noqa: E402
from briefing.render import environment  # noqa: E402


def test_weasyprint_warning_fails_and_writes_nothing(tmp_path):
    target = tmp_path / "out.pdf"
    html = '<html lang="en"><head><style>p { colour: red }</style></head><body><p>x</p></body></html>'
    with pytest.raises(RenderError) as caught:
        writer = PdfWriter([ROOT / 'styles'])
        writer.write_to(writer.layout(html, tmp_path / "out.html"), target, "test")
    assert "colour" in str(caught.value)
    assert not target.exists() and not list(tmp_path.iterdir())


def test_catalogs_compile_and_vietnamese_header_is_right():
    po = (ROOT / "locale" / "vi" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in po and '"Language: vi\\n"' in po
    catalogs = Catalogs(ROOT / "locale", ["vi", "en"])
    assert not catalogs.problems
    assert catalogs.gettext("Contents", "vi") == "Mục lục"
    assert catalogs.gettext("Contents", "en") == "Contents"


def test_autoescape_keeps_markup_out():
    env = environment(ROOT / "templates", Catalogs(ROOT / "locale", ["vi", "en"]))
    item = {"text": {"en": '<script>alert(1)</script><img src="file:///etc/passwd">'}, "ours": []}
    out = env.get_template("macros.html").module.aligned(item, ["en"])
    assert "<script>" not in out and "&lt;script&gt;" in out and "<img" not in out


@pytest.mark.parametrize("ref,why", [
    ('<link rel="stylesheet" href="http://example.com/x.css">', "no network access"),
    ('<img src="https://example.com/x.png" alt="">', "no network access"),
    ('<img src="file:///etc/passwd" alt="">', "/etc/passwd: it is outside"),
    ('<link rel="stylesheet" href="../../../../../../etc/hosts">', "/etc/hosts: it is outside"),
])
def test_resources_outside_the_project_are_refused(tmp_path, ref, why):
    writer = PdfWriter([ROOT / "styles"])
    html = f'<html lang="en"><head><title>t</title>{ref}</head><body><p>x</p></body></html>'
    with pytest.raises(RenderError) as caught:
        writer.layout(html, ROOT / "styles" / "page.html")
    assert why in str(caught.value) and "refused to load" in str(caught.value)


def test_project_resources_load(tmp_path):
    writer = PdfWriter([ROOT / "styles"])
    from briefing import brand
    html = ('<html lang="en"><head><title>t</title><link rel="stylesheet" href="print.css">'
            f'<style>{brand.default().css(ROOT / "styles")}</style></head><body><p>x</p></body></html>')
    assert len(writer.layout(html, ROOT / "styles" / "page.html").pages) == 1
