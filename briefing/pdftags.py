"""The language of each passage in the PDF structure tree (PDF/UA-1 7.2, WCAG 3.1.2).

WeasyPrint 70 writes the document's language into the catalog and nothing below it, so a screen
reader would read the English half of a bilingual edition with Vietnamese pronunciation. The
language is known exactly where WeasyPrint turns a box into a structure element: the box's computed
`lang` (the HTML `lang` attribute, inherited). So we extend that one point rather than guess
languages afterwards from text: each element built from a box remembers the box's language, and
once the tree is complete, an element gets `/Lang` only where its language differs from its
parent's (the catalog's `/Lang` for the top), which is what PDF/UA asks and keeps the file small.

WeasyPrint is pinned; `install` refuses any other version, because the two functions it wraps are
internal (weasyprint.pdf.tags._build_box_tree, weasyprint.pdf.add_tags).
"""
from __future__ import annotations

import functools

WEASYPRINT = "70.0"


def install() -> None:
    """Extend WeasyPrint's tagging with per-element languages; idempotent."""
    import weasyprint
    import weasyprint.pdf
    from weasyprint.pdf import tags

    if getattr(tags, "_briefing_langs", False):
        return
    if weasyprint.__version__ != WEASYPRINT:
        raise RuntimeError(f"briefing.pdftags extends WeasyPrint {WEASYPRINT}, not {weasyprint.__version__}: "
                           "check weasyprint/pdf/tags.py and update the extension with the pin")
    build_box_tree, add_tags = tags._build_box_tree, weasyprint.pdf.add_tags

    @functools.wraps(build_box_tree)
    def build_box_tree_with_lang(box, parent, pdf, *args):
        # The recursion inside goes through this wrapper too (it looks the name up in the module),
        # so every element is seen by the call made for its own box. Elements passed through from
        # children (html, body, page boxes) were marked by those calls already.
        lang = getattr(box, "style", None) and box.style["lang"]
        for element in build_box_tree(box, parent, pdf, *args):
            if lang and element.number not in pdf._briefing_langs:
                pdf._briefing_langs[element.number] = lang
            yield element

    @functools.wraps(add_tags)
    def add_tags_with_lang(pdf, document, *args):
        pdf._briefing_langs = {}
        add_tags(pdf, document, *args)
        mark_languages(pdf, pdf._briefing_langs, document.metadata.lang)

    tags._build_box_tree = build_box_tree_with_lang
    weasyprint.pdf.add_tags = add_tags_with_lang
    tags._briefing_langs = True


def mark_languages(pdf, langs: dict[int, str], document_lang: str | None) -> None:
    """Set /Lang on each structure element (by object number in `langs`) whose language differs
    from its parent's; elements without a known language inherit their parent's."""
    import pydyf

    def number(reference: bytes) -> int:  # pydyf writes references as b"12 0 R"
        return int(reference.split()[0])

    def effective(n: int) -> str | None:
        if n in langs:
            return langs[n]
        element = pdf.objects[n]
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            return document_lang  # the structure tree root
        return effective(number(element["P"]))

    for n, lang in langs.items():
        element = pdf.objects[n]
        if lang != effective(number(element["P"])):
            element["Lang"] = pydyf.String(lang)
