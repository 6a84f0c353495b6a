"""The live preview's builder: one publication, one edition at a time, in a warm process.

WeasyPrint is imported and the fonts are loaded once (one PdfWriter); templates are compiled once
and again only when they change (Jinja checks their dates); the model is built again on every
change, which takes a tenth of a second. A build has two steps, so that the editor sees at once
that the text arrived: the edition's HTML (with the print stylesheets), then its pages, laid out
by WeasyPrint and drawn as PNG by PDFium. A problem (bad YAML, a bad template) is kept as lines
in the form the command line prints; the last good HTML and pages stay.

Everything is written into one folder, which is all the server shows: the HTML, the pages, and
copies of the stylesheets, fonts and pictures the HTML links to.
"""
from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError
from .pipeline import PROJECT, Progress, _model, resource_roots

SCALE = 1.5  # PDFium's scale: 1.5 px per point, a page 893 px wide


@dataclass
class Result:
    """What the page shows. version changes with every result; pages are file names in the folder."""
    version: int = 0
    edition: str = ""
    editions: list[str] = field(default_factory=list)
    html: str | None = None
    pages: list[dict] = field(default_factory=list)  # {"src", "text"}
    focus: int = 0                 # the page that holds the last edited passage
    changed: str = ""              # how that passage begins (the HTML preview scrolls to it)
    errors: list[str] = field(default_factory=list)
    building: str = ""             # "", "html" or "pages"
    builds: int = 0                # how many builds have started: several quick saves make one


class Live:
    def __init__(self, content_dir: Path, folder: Path, locale_dir: Path | None = None):
        from .pdf import PdfWriter
        self.content_dir, self.folder = Path(content_dir).resolve(), Path(folder).resolve()
        self.locale_dir = locale_dir or PROJECT / "locale"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.cache = self.folder / ".cache"
        self.writer = PdfWriter(resource_roots(self.content_dir), self.content_dir)
        self.env = None
        self.catalogs_key = None
        self.texts: dict[str, list[str]] = {}
        self.laid_out = ""  # the HTML of the last columns edition laid out (links relative to the project)
        self.drawn: list[tuple[bytes, str]] = []  # each page's pixels and file, as last drawn
        self.result = Result()

    def build(self, edition: str, on_step) -> None:
        """Build `edition` ("main", a layout or a language) into the folder; on_step() is called when
        the HTML is ready and when the pages are. Never raises for what an editor can get wrong."""
        result = self.result
        result.builds += 1
        result.edition, result.building = edition, "html"
        try:
            model, catalogs = _model(self.content_dir, Progress(quiet=True), self.locale_dir, strict=False,
                                     cache_dir=self.cache)
            env = self._environment(catalogs)
            result.editions = [ed.key or "main" for ed in model.editions]
            chosen = next((ed for ed in model.editions if (ed.key or "main") == edition), model.editions[0])
            result.edition = chosen.key or "main"
            changed = self._changed(model)
            if changed is not None:
                result.changed = changed
            result.html = self._write(f"preview-{result.version + 1}.html", self._html(model, env, chosen), "preview-")
            result.errors, result.building = [], "pages"
            result.version += 1
            on_step()
            from .pdf import lay_out
            self.laid_out, document = lay_out(model, env, self.writer, chosen, PROJECT, self.cache)
            result.pages, result.focus = self._pages(document, changed, result.version + 1)
            result.version += 1
        except BuildError as exc:
            result.errors = [str(p) for p in exc.problems]
            result.version += 1
        except Exception as exc:  # noqa: BLE001 - the preview shows it and waits for the next save
            result.errors = [f"internal error: {type(exc).__name__}: {exc}"]
            result.version += 1
        finally:
            result.building = ""
        on_step()

    def _environment(self, catalogs):
        """Templates compiled once; again when the catalogs change (a new translation)."""
        from .render import environment
        stamp = sorted((str(path), path.stat().st_mtime_ns) for path in self.locale_dir.rglob("*.po*"))
        if self.env is None or stamp != self.catalogs_key:
            self.env = environment(PROJECT / "templates", catalogs, self.cache / "templates")
            self.catalogs_key = stamp
        return self.env

    def _changed(self, model) -> str | None:
        """How the first text that differs from the last build's begins (where the editor is): its
        words up to the first markup, else None."""
        texts = _texts(model.sections)
        before, self.texts = self.texts, texts
        if not before:
            return None
        for key, now in texts.items():
            old = before.get(key, [])
            for i, text in enumerate(now):
                if i >= len(old) or old[i] != text:
                    return " ".join(re.split(r"[*\[\]_{}<>`^\\]", text)[0].split())[:60]
        return None

    def _html(self, model, env, edition) -> bytes:
        """The edition's columns (the multilingual edition's, for facing and flip) with the print
        stylesheets: as if in the project folder, so that they link styles/…, which is copied into
        the folder, as the pictures are (media/…)."""
        from . import pdf, pictures
        columns = edition if edition.layout == "columns" else model.editions[0]

        def srcs(langs):
            found = pictures.print_srcs(model, langs, PROJECT, self.cache)  # a chart: inline, as data
            for ident, pic in model.pictures.items():
                if pic["image"]:
                    image = model.images[pic["image"]]
                    found[ident] = self._copy(image.path, f"media/{image.digest[:16]}.{image.extension}")
            return found

        for source in sorted((PROJECT / "styles").rglob("*")):
            if source.is_file():
                self._copy(source, source.relative_to(PROJECT).as_posix())
        return pdf.reference(model, env, PROJECT, columns, srcs)[0].encode("utf-8")

    def _copy(self, source: Path, name: str) -> str:
        target = self.folder / name
        if not target.exists() or target.stat().st_mtime < source.stat().st_mtime:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        return name

    def _pages(self, document, changed: str | None, version: int) -> tuple[list[dict], int]:
        """Each page as PNG, with its text (the image's alternative), and the page of `changed`. A
        page drawn exactly as before keeps its file: encoding PNG is most of the drawing, and an
        edit moves a page or two."""
        import pypdfium2 as pdfium
        pdf = pdfium.PdfDocument(document.write_pdf())
        pages, drawn, focus = [], [], 0
        try:
            for number, page in enumerate(pdf):
                text = " ".join(page.get_textpage().get_text_range().split())
                bitmap = page.render(scale=SCALE)
                pixels = bytes(bitmap.buffer)
                same = self.drawn[number] if number < len(self.drawn) and self.drawn[number][0] == pixels else None
                name = same[1] if same else f"page-{version}-{number + 1}.png"
                if not same:
                    bitmap.to_pil().save(self.folder / name, compress_level=1)
                drawn.append((pixels, name))
                pages.append({"src": name, "text": text, "width": bitmap.width, "height": bitmap.height})
                if changed and not focus and _squash(changed)[:30] in _squash(text):
                    focus = number
        finally:
            pdf.close()
        self.drawn = drawn
        kept = {name for _, name in drawn}
        for old in self.folder.glob("page-*.png"):
            if old.name not in kept:
                old.unlink(missing_ok=True)
        return pages, focus

    def _write(self, name: str, data: bytes, prefix: str) -> str:
        """A new file in the folder (a new name: no browser shows a stale copy), the old ones gone."""
        (self.folder / name).write_bytes(data)
        for old in self.folder.glob(f"{prefix}*"):
            if old.name != name:
                old.unlink(missing_ok=True)
        return name


def _texts(sections: list[dict]) -> dict[str, list[str]]:
    """Every string of every section, in order, by section id."""
    found = {}
    for section in sections:
        strings = []

        def walk(value):
            if isinstance(value, str):
                strings.append(str(value))
            elif isinstance(value, dict):
                for child in value.values():
                    walk(child)
            elif isinstance(value, (list, tuple)):
                for child in value:
                    walk(child)
        walk(section)
        found[section["id"]] = strings
    return found


def _squash(text: str) -> str:
    import unicodedata
    return "".join(unicodedata.normalize("NFC", text).split())
