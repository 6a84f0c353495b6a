"""Print page numbers in the e-book: a reader who cites "p. 12" means the same page in both.

Each EPUB follows one printed edition, the A4 PDF of the same edition (the bilingual book follows
the columns edition). That edition is laid out as for its PDF, with its passages marked
(macros.passage), and the page each passage starts on is read from the layout (facing.measure,
which knows where a passage's first line is); so is the page of every element with an id. A
page-break marker goes before the first passage that starts on each page; a page that begins
inside a passage gets its marker before the next passage, together with that one's page. A part
the e-book moves (the colophon, which print has on the title page's back) keeps its own page's
marker, out of order, as print page lists allow.
"""
from __future__ import annotations

import json
from pathlib import Path

import lxml.html

from .cache import cached, key

# Where a marker may not stand before an element, it goes first inside it: an <ol> holds only <li>,
# a row only cells.
HOLDERS = {"ol", "ul", "dl", "table", "thead", "tbody", "tr"}


def starts(model, env, edition, out_dir: Path, writer) -> dict[str, int]:
    """The printed page each passage (by its mark) and each element with an id ("#id") of
    `edition` starts on, in its A4 PDF. Cached under the HTML and the print styles: most EPUB
    builds lay nothing out, and a change to epub.css none."""
    from . import pdf
    html, sheets = pdf.reference(model, env, out_dir, edition, passages=True)
    name = key(html, files=sheets, packages=("weasyprint",))
    path = out_dir / edition.filename(model.name, "html")
    data = cached(out_dir / ".cache" / f"pages-{name}.json",
                  lambda: json.dumps(_read(writer().layout(html, path)), sort_keys=True).encode("utf-8"),
                  lambda data: data.startswith(b"{"))
    return json.loads(data)


def _read(document) -> dict[str, int]:
    from .facing import measure
    found = {passage.id: passage.page + 1 for passage in measure(document).passages}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            found.setdefault(f"#{anchor}", number)
    return found


def mark(documents: list[tuple[str, dict, str]], pages: dict[str, int]):
    """documents (file, titles, body) with a page-break marker where each printed page begins, and
    the passages' marks taken out; and (file, page) of every marker, in order, for the page list."""
    marked, placed, done, last = [], [], set(), 0
    for file_name, titles, body in documents:
        root = lxml.html.fragment_fromstring(body, create_parent="div")
        for element in list(root.iter()):
            if not isinstance(element.tag, str):
                continue
            passage = element.attrib.pop("data-passage", None)
            element.attrib.pop("data-keep", None)
            page = pages.get(passage) or pages.get(f"#{element.get('id')}")
            if page is None or page in done:
                continue
            if page < last:  # a part the e-book puts elsewhere (the colophon, at the back): its page alone
                numbers = [page]
            else:  # the front matter is the e-book's own (cover, title page, contents): not marked
                numbers = range(last + 1 if last else page, page + 1)
                last = page
            for number in numbers:
                _insert(element, number)
                placed.append((file_name, number))
                done.add(number)
        marked.append((file_name, titles, _inner(root)))
    return marked, placed


def _insert(element, number: int) -> None:
    marker = lxml.html.Element("span", {"epub:type": "pagebreak", "role": "doc-pagebreak", "id": f"page-{number}",
                                        "aria-label": str(number)})
    parent = element.getparent()
    if parent is None or parent.tag not in HOLDERS:
        element.addprevious(marker)
        return
    target = element  # an item or a row: the marker goes first in it, or in its first cell
    while target.tag in HOLDERS and len(target):
        target = target[0]
    target.insert(0, marker)
    marker.tail, target.text = target.text, None


def _inner(root) -> str:
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)
