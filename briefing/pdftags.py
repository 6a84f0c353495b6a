"""The language of each passage in the PDF structure tree (PDF/UA-1 7.2, WCAG 3.1.2), and the
structure WeasyPrint 70 leaves out: list bodies, header scopes and notes.

WeasyPrint 70 writes the document's language into the catalog and nothing below it, so a screen
reader would read the English half of a bilingual edition with Vietnamese pronunciation. The
language is known exactly where WeasyPrint turns a box into a structure element: the box's computed
`lang` (the HTML `lang` attribute, inherited). So we extend that one point rather than guess
languages afterwards from text: each element built from a box remembers the box's language, and
once the tree is complete, an element gets `/Lang` only where its language differs from its
parent's (the catalog's `/Lang` for the top), which is what PDF/UA asks and keeps the file small.

Three more gaps are filled at the same points:
- a list item whose content is blocks (a paragraph, the parallel columns) gets those blocks inside
  an LBody, since an LI holds only Lbl and LBody (PDF/UA-1 7.2);
- a TH gets /Scope, Column or Row from its HTML scope (PDF/UA-1 7.5);
- a footnote (the element of class "footnote", briefing/render.py) is a Note with a unique /ID
  (PDF/UA-1 7.9).

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
            _complete(element, box, pdf)
            yield element

    @functools.wraps(add_tags)
    def add_tags_with_lang(pdf, document, *args):
        pdf._briefing_langs = {}
        pdf._briefing_ids = set()
        add_tags(pdf, document, *args)
        wrap_list_bodies(pdf)
        mark_languages(pdf, pdf._briefing_langs, document.metadata.lang)

    tags._build_box_tree = build_box_tree_with_lang
    weasyprint.pdf.add_tags = add_tags_with_lang
    tags._briefing_langs = True


def _complete(element, box, pdf) -> None:
    """A header cell's scope, and a footnote's Note tag with an /ID unique in the file (a note
    split over two pages is two elements)."""
    import pydyf

    html = getattr(box, "element", None)
    if html is None or "::" in (box.element_tag or ""):
        return
    if element["S"] == "/TH" and "A" in element:
        element["A"]["Scope"] = "/Row" if html.get("scope") == "row" else "/Column"
    elif element["S"] == "/Span" and "footnote" in (html.get("class") or "").split():
        ident, n = html.get("id"), 1
        while ident in pdf._briefing_ids:
            n += 1
            ident = f"{html.get('id')}-{n}"
        pdf._briefing_ids.add(ident)
        element["S"] = "/Note"
        element["ID"] = pydyf.String(ident)


def _number(reference: bytes) -> int:  # pydyf writes references as b"12 0 R"
    return int(reference.split()[0])


def wrap_list_bodies(pdf) -> None:
    """Put the kids of each LI other than its Lbl into one LBody (a list item of paragraphs)."""
    import pydyf

    for element in list(pdf.objects):
        if not isinstance(element, dict) or element.get("S") != "/LI":
            continue
        kids = list(element["K"])
        loose = [k for k in kids if not isinstance(k, int)
                 and pdf.objects[_number(k)].get("S") not in ("/Lbl", "/LBody")]
        if not loose:
            continue
        body = pydyf.Dictionary({"Type": "/StructElem", "S": "/LBody", "K": pydyf.Array(loose),
                                 "Pg": element["Pg"], "P": element.reference})
        pdf.add_object(body)
        for kid in loose:
            pdf.objects[_number(kid)]["P"] = body.reference
        first = kids.index(loose[0])
        element["K"] = pydyf.Array([k for k in kids[:first] if k not in loose] + [body.reference] +
                                   [k for k in kids[first:] if k not in loose])


def mark_languages(pdf, langs: dict[int, str], document_lang: str | None) -> None:
    """Set /Lang on each structure element (by object number in `langs`) whose language differs
    from its parent's; elements without a known language inherit their parent's."""
    import pydyf

    def effective(n: int) -> str | None:
        if n in langs:
            return langs[n]
        element = pdf.objects[n]
        if not isinstance(element, dict) or element.get("Type") != "/StructElem":
            return document_lang  # the structure tree root
        return effective(_number(element["P"]))

    for n, lang in langs.items():
        element = pdf.objects[n]
        if lang != effective(_number(element["P"])):
            element["Lang"] = pydyf.String(lang)
