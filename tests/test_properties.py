"""Property-based: any Unicode in any text field either builds or fails cleanly, never crashes."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import CONTENT, run_build

LANGS = ("vi", "en")


def _text_fields() -> list[tuple[str, tuple]]:
    """(file, path) of every text in every language, across the content folder."""
    fields = []

    def walk(file, value, path):
        if isinstance(value, dict):
            for key, child in value.items():
                if key in LANGS and isinstance(child, str):
                    fields.append((file, path + (key,)))
                else:
                    walk(file, child, path + (key,))
        elif isinstance(value, list):
            for i, child in enumerate(value):
                walk(file, child, path + (i,))

    for path in sorted(CONTENT.glob("*.yaml")):
        walk(path.name, yaml.safe_load(path.read_text(encoding="utf-8")), ())
    return fields


FIELDS = _text_fields()
SPECIAL = ["مرحبا بالعالم", "שלום", "🙂🇻🇳", "e\u0301\u0323\u0302", "a\u200bb", "\u202eRTL override",
           "tab\there", "bell\u0007", "NUL\u0000", "<script>alert(1)</script>", "{{ 7*7 }}", "&amp; &lt;", ""]
TEXT = st.one_of(st.sampled_from(SPECIAL),
                 st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=TEXT)
def test_any_text_builds_or_fails_cleanly(field, text):
    file, path = field
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(CONTENT, content)
        data = yaml.safe_load((content / file).read_text(encoding="utf-8"))
        node = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = text
        (content / file).write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        result = run_build("html", "epub", "--content", str(content), "--out", str(Path(tmp) / "out"))
    assert result.returncode in (0, 3), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    if result.returncode == 3:
        assert result.stderr.startswith("error: content has") and f"{file}:" in result.stderr


def test_markup_in_content_stays_text(tmp_path):
    """`<script>` or an `<img>` pointing at a local file appears as text in every output."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    evil = '<script>alert(1)</script> <img src="file:///etc/passwd">'
    path = content / "timeline.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("    en: >-\n      IOM began operations", f"    en: >-\n      {evil} IOM began operations", 1),
                    encoding="utf-8")
    out = tmp_path / "out"
    result = run_build("html", "pdf", "epub", "--content", str(content), "--out", str(out))
    assert result.returncode == 0, result.stderr
    html = (out / "iom-viet-nam-briefing-en.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert '<img src="file:///etc/passwd">' not in html and "&lt;img src=" in html
    from pypdf import PdfReader
    pdf_text = "".join(p.extract_text() for p in PdfReader(out / "iom-viet-nam-briefing-en.pdf").pages)
    assert "<script>alert(1)</script>" in pdf_text
    import zipfile
    with zipfile.ZipFile(out / "iom-viet-nam-briefing-en.epub") as book:
        timeline = book.read("EPUB/timeline.xhtml").decode("utf-8")
    from lxml import etree
    root = etree.fromstring(timeline.encode("utf-8"))
    ns = {"x": "http://www.w3.org/1999/xhtml"}
    assert not root.findall(".//x:script", ns) and not root.findall(".//x:img", ns)
    assert "<script>alert(1)</script>" in "".join(root.itertext())
