"""Facing pages in step: one language on the left-hand pages, the other opposite, passage by passage.

CSS paged media has one flow per document, so each language is laid out in a document of its own
and the pages are put together afterwards (WeasyPrint's Document.copy, which builds the structure
tree, the outline and the links from the pages it is given):

1. measure: lay out each language's sections once, at the page's measure, and read every
   passage's height from that layout (one layout per language, not one per passage);
2. pack: fill spreads greedily, so that the taller language of each group of passages fits;
3. lay out each language again with a page break before the passages that start a spread, and
   check that every passage starts on the same spread in both; a passage that drifted starts a
   spread of its own and the two are laid out again (at most RETRIES times);
4. interleave: front (cover, title page, contents), then verso 1, recto 1, verso 2, …, then the
   back (sources, back cover). Folios are set by CSS counters per part, so that every page shows
   its place in the whole; the contents give each section's spread.

A passage is an element the section templates mark with data-passage (macros.passage); the same
id in every language. data-keep="next" keeps a heading with what follows.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from .errors import Problem, RenderError

FORCED = {"page", "left", "right", "recto", "verso"}
RETRIES = 3
EPSILON = 0.5  # CSS px: rounding in the layout
MIN_START = 0.25  # of a page: room enough to start a passage taller than a page
# A passage that may break (a timeline entry, a paragraph, not a figure) starts on a spread and runs
# on to the next rather than leave a page of either language emptier than the proof allows
# (typeset.BLANK_LIMIT), if both pages have room for a few of its lines.
SPLIT_ROOM = 0.35
SPLIT_MIN = 0.1


@dataclass
class Passage:
    id: str
    keep: bool          # a heading: never the last thing on a spread
    forced: bool        # the layout starts it on a new page anyway (a section, a full-page figure)
    page: int           # where it starts in the layout it was measured in
    height: float       # in CSS px, the space it takes up to the next passage
    breakable: bool = False  # it may run from one page on to the next (break-inside: auto)


@dataclass
class Plan:
    """Spread of every passage, and where each language needs a page break to get there."""
    start: dict[str, int]
    breaks: list[set[str]] = field(default_factory=lambda: [set(), set()])


@dataclass
class Measured:
    passages: list[Passage]
    capacity: float       # height of the text block
    filled: list[float]   # per page: how far down the passages reach


def measure(document) -> Measured:
    """The passages of a laid-out document, in order, with the height each takes."""
    fragments: dict[str, list[tuple[int, float, float, float]]] = {}
    flags: dict[str, tuple[bool, bool]] = {}
    seen: set[int] = set()
    placed: set[tuple[int, int]] = set()
    pending = [False]  # a forced break was met, for the next passage

    from weasyprint.formatting_structure.boxes import BlockLevelBox

    def walk(box, page):
        element = getattr(box, "element", None)
        # An element's own block boxes: not its lines and text, nor its ::marker or ::before.
        own = element is not None and isinstance(box, BlockLevelBox) and "::" not in (box.element_tag or "")
        first = own and id(element) not in seen
        if first:
            seen.add(id(element))
            if box.style["break_before"] in FORCED:
                pending[0] = True
        passage = element.get("data-passage") if own else None
        # A table is a wrapper box and its table box, one element: count it once a page. A fragment
        # with no line in it (its lines held over to the next page by orphans) is not where it starts.
        if passage is not None and (id(element), page) not in placed and _has_lines(box):
            placed.add((id(element), page))
            top = box.border_box_y()
            fragments.setdefault(passage, []).append((page, top, top + box.border_height(), box.margin_bottom))
            if passage not in flags:
                flags[passage] = (element.get("data-keep") == "next", pending[0], box.style["break_inside"] == "auto")
                pending[0] = False
        for child in getattr(box, "children", ()):
            walk(child, page)
        if first and box.style["break_after"] in FORCED:
            pending[0] = True

    tops = []
    for number, page in enumerate(document.pages):
        tops.append(page._page_box.content_box_y())
        walk(page._page_box, number)
    capacity = min((page._page_box.height for page in document.pages), default=0.0)
    ids = list(fragments)
    passages = []
    for i, pid in enumerate(ids):
        frags = fragments[pid]
        following = fragments[ids[i + 1]][0] if i + 1 < len(ids) else None
        if len(frags) == 1 and following is not None and following[0] == frags[0][0]:
            height = following[1] - frags[0][1]  # includes the collapsed gap to the next passage
        else:
            height = sum(bottom - top for _, top, bottom, _ in frags) + frags[-1][3]
        keep, forced, breakable = flags[pid]
        passages.append(Passage(pid, keep, forced, frags[0][0], height, breakable))
    filled = [0.0] * len(document.pages)
    for frags in fragments.values():
        for page, _, bottom, _ in frags:
            filled[page] = max(filled[page], bottom - tops[page])
    return Measured(passages, capacity, filled)


def _has_lines(box) -> bool:
    """Whether a fragment shows anything: a line, a picture, or a picture drawn as its background."""
    from weasyprint.formatting_structure.boxes import LineBox, ReplacedBox
    stack = [box]
    while stack:
        box = stack.pop()
        if isinstance(box, (LineBox, ReplacedBox)) or any(
                kind != "none" for kind, _ in getattr(box, "style", {}).get("background_image", ())):
            return True
        stack.extend(getattr(box, "children", ()))
    return False


def pack(sides: list[list[Passage]], capacity: float, fresh: set[str] = frozenset(),
         whole: set[str] = frozenset()) -> Plan:
    """Greedy spreads: each passage goes on the current spread if it fits in both languages (with
    the passages a heading keeps with it), else on the next one. fresh: passages that must start
    a spread. A passage taller than the space left on a page continues on the following pages of
    its language, and the next passage starts on the spread where the longer one ends. whole:
    passages that may not start on one spread and run on to the next unless taller than a page."""
    count = len(sides[0])
    page = [0, 0]        # the page each language's flow has reached
    used = [0.0, 0.0]    # and how much of it is filled
    plan = Plan({})
    for k in range(count):
        spread = max(page)
        filled = [used[i] if page[i] == spread else 0.0 for i in (0, 1)]
        empty = not any(filled)
        chain = k
        while chain + 1 < count and sides[0][chain].keep:
            chain += 1
        run = [sum(side[j].height for j in range(k, chain + 1)) for side in sides]
        if any(r > capacity + EPSILON for r in run):
            # Taller than a page anyway: it starts here and runs on, if a fair part of a page is left.
            fits = all(capacity - filled[i] >= capacity * MIN_START for i in (0, 1))
        else:
            fits = all(filled[i] + run[i] <= capacity + EPSILON for i in (0, 1))
            if not fits and all(side[chain].breakable for side in sides) and sides[0][chain].id not in whole:
                # It starts here and runs on if moving it would leave a page emptier than the proof
                # allows, and there is room on both pages for its headings and a few lines.
                heads = [sum(side[j].height for j in range(k, chain)) for side in sides]
                fits = (any(capacity - filled[i] > capacity * SPLIT_ROOM for i in (0, 1))
                        and all(capacity - filled[i] - heads[i] >= capacity * SPLIT_MIN for i in (0, 1)))
        if not empty and (sides[0][k].forced or sides[0][k].id in fresh or not fits):
            spread += 1
            filled = [0.0, 0.0]
        plan.start[sides[0][k].id] = spread
        for i, side in enumerate(sides):
            if page[i] < spread and not side[k].forced:
                plan.breaks[i].add(side[k].id)
            total = filled[i] + side[k].height
            over = max(0, math.ceil((total - EPSILON) / capacity) - 1) if capacity else 0
            page[i], used[i] = spread + over, total - over * capacity
    return plan


def stylesheet(breaks: set[str], first_folio: int, step: int) -> str:
    """The CSS that places one language's passages: a page break before each passage that starts
    a spread, and folios counted through the whole (each page of a side is every other page)."""
    rules = [f'[data-passage="{pid}"] {{ break-before: page; }}' for pid in sorted(breaks)]
    rules.append(f"@page {{ counter-increment: page {step}; }}")
    rules.append(f"@page :first {{ counter-reset: page {first_folio}; counter-increment: none; }}")
    return "\n".join(rules)


@dataclass
class Facing:
    document: object          # the whole edition, ready to write
    spreads: int
    relayouts: int            # extra layouts of both languages because a passage drifted
    blank: float              # share of the left- and right-hand pages' text block left empty


def compose(layout, render, sections: list[str], shown_as: str) -> Facing:
    """The facing-page edition. layout(html, css) lays out HTML with extra CSS; render(part,
    **context) gives the HTML of a part of templates/facing.html; sections: the section ids."""
    # The contents' page numbers are known only at the end; wide stand-ins take their room.
    front = layout(render("front", toc_pages=dict.fromkeys([*sections, "sources"], ["888", "888"])), "")
    pad = len(front.pages) % 2 == 0  # the first spread's left-hand page must be an even page
    first = len(front.pages) + pad + 1  # its folio

    htmls = [render("verso"), render("recto")]
    measured = [measure(layout(html, stylesheet(set(), first + i, 2))) for i, html in enumerate(htmls)]
    sides = [m.passages for m in measured]
    if [p.id for p in sides[0]] != [p.id for p in sides[1]]:
        raise RenderError([Problem(shown_as, None, None, "facing", "the two languages have different passages: "
                                   "check the section templates' data-passage marks")])
    capacity = min(m.capacity for m in measured)
    fresh: set[str] = set()  # passages that start a spread
    whole: set[str] = set()  # passages not to be split over two spreads
    for attempt in range(RETRIES + 1):
        plan = pack(sides, capacity, fresh, whole)
        docs = [layout(html, stylesheet(plan.breaks[i], first + i, 2)) for i, html in enumerate(htmls)]
        final = [measure(doc) for doc in docs]
        placed = [{p.id: p.page for p in m.passages} for m in final]
        drifted = [pid for pid in plan.start if placed[0][pid] != placed[1][pid]]
        # Landed a spread later than planned in both languages (a note at a page foot takes room
        # the plan did not count): planned there, what follows it fills its spread.
        late = [pid for pid in plan.start if placed[0][pid] == placed[1][pid] > plan.start[pid]]
        if not drifted and (not late or attempt == RETRIES):
            break
        if not drifted:
            fresh.add(late[0])
            continue
        # A passage can take more room laid out in place than it did when measured (a split leaves
        # space at a page foot): the larger height counts, and neither the drifted passage nor the
        # one before it is split over two spreads again. If it drifts once more, it starts a spread
        # of its own, in both languages.
        if drifted[0] in whole:
            fresh.add(drifted[0])
        sides = [[replace(p, height=max(p.height, laid.height)) for p, laid in zip(side, again.passages)]
                 for side, again in zip(sides, final)]
        ids = [p.id for p in sides[0]]
        whole.update(ids[max(0, ids.index(drifted[0]) - 1):ids.index(drifted[0]) + 1])
    else:
        raise RenderError([Problem(shown_as, None, None, "facing",
                                   f"passage {drifted[0]} (section.number) starts on page {placed[0][drifted[0]] + 1} of one "
                                   f"language and {placed[1][drifted[0]] + 1} of the other, even on a spread of its "
                                   "own: is it much longer in one language?")])

    spreads = max(len(doc.pages) for doc in docs)
    # An empty page pads the front to an odd count, and the side that ends a page earlier.
    blank = layout(render("blank"), "").pages[0] if pad or len(docs[0].pages) != len(docs[1].pages) else None
    middle = []
    for s in range(spreads):
        middle += [doc.pages[s] if s < len(doc.pages) else blank for doc in docs]
    back_first = first + len(middle)
    # The back's first page is a left- or right-hand page as its folio says, so that its running
    # heads are on the outer edge and its back cover falls on a left-hand page (print.css).
    side = "left" if back_first % 2 == 0 else "right"
    back = layout(render("back"), f"html {{ break-before: {side}; }}\n"
                                  f"@page :first {{ counter-reset: page {back_first}; counter-increment: none; }}")
    # Each language's title in the contents gives its own page: the left-hand one, or the one opposite.
    toc = {sid: [str(first + 2 * placed[0][sid]), str(first + 2 * placed[0][sid] + 1)] for sid in sections}
    toc["sources"] = [str(back_first)] * 2
    front = layout(render("front", toc_pages=toc), "")
    if len(front.pages) + pad + 1 != first:
        raise RenderError([Problem(shown_as, None, None, "facing", "the contents changed length with their page numbers")])
    pages = front.pages + ([blank] if pad else []) + middle + back.pages
    used = sum(sum(m.filled) for m in final)
    empty = 1 - used / (capacity * 2 * spreads) if spreads and capacity else 0.0
    return Facing(front.copy(pages), spreads, attempt, empty)
