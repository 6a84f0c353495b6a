"""What a proof-reader checks on a made PDF, page by page: how much of each page is empty, where
the hyphens fall, and whether any character lies outside the trimmed page. The build prints it,
records it, and `make preview` writes it beside the contact sheets (issue 24)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from .typeset import BLANK_LIMIT, Hyphenation, Page


@dataclass
class Proof:
    pages: int
    blank: list[float]                  # per page, in the PDF's order
    over: list[int]                     # pages (1-based) over the blank limit that end no section
    hyphenation: Hyphenation
    off_page: list[str] = field(default_factory=list)   # "p3: 'x'" for every character outside

    def __str__(self) -> str:
        over = "; ".join(f"page {n}: {self.blank[n - 1]:.0%} blank" for n in self.over)
        parts = [f"{self.pages} pages", over or f"no page over {BLANK_LIMIT:.0%} blank", str(self.hyphenation)]
        if self.off_page:
            parts.append(f"{len(self.off_page)} characters off the page ({', '.join(self.off_page[:3])}…)")
        return ", ".join(parts)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["blank"] = [round(b, 3) for b in self.blank]
        return data

    @classmethod
    def from_dict(cls, data: dict) -> "Proof":
        return cls(**{**data, "hyphenation": Hyphenation(**data["hyphenation"])})


def write(data: dict, path: Path) -> Path:
    """The proof of one PDF as JSON, page by page, for `make preview`."""
    import json

    from .outputs import atomic_path
    pages = [{"page": n, "blank": b, "over_limit": n in data["over"]} for n, b in enumerate(data["blank"], 1)]
    text = json.dumps({"summary": str(Proof.from_dict(data)), "blank_limit": BLANK_LIMIT, **data, "blank": pages},
                      indent=1, ensure_ascii=False)
    with atomic_path(path) as tmp:
        tmp.write_text(text + "\n", encoding="utf-8")
    return path


def proof(measured: list[Page], hyphenation: Hyphenation, order=None) -> Proof:
    """The proof of a laid-out document. order(i) -> the PDF page index of layout page i, for a PDF
    whose pages are reordered after the layout (the flip book)."""
    order = order or (lambda i: i)
    # Pages the reordering adds (a flip book's blanks where its halves meet) are empty by design.
    blank = [1.0] * (max(map(order, range(len(measured))), default=-1) + 1)
    over = []
    for i, page in enumerate(measured):
        blank[order(i)] = page.blank
        if page.over:
            over.append(order(i) + 1)
    return Proof(len(blank), blank, sorted(over), hyphenation)


def off_page(pdf: Path) -> list[str]:
    """Every visible character of the PDF whose box is not inside its page's TrimBox (the page, for
    a PDF without bleed), half a point of tolerance."""
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(str(pdf))
    outside = []
    try:
        for number, page in enumerate(document, 1):
            left, bottom, right, top = page.get_trimbox()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                char = text.get_text_range(i, 1)
                if not char.strip():
                    continue
                x0, y0, x1, y1 = text.get_charbox(i)
                if x0 < left - 0.5 or y0 < bottom - 0.5 or x1 > right + 0.5 or y1 > top + 0.5:
                    outside.append(f"p{number}: {char!r}")
    finally:
        document.close()
    return outside
