"""PDF rendering with WeasyPrint. Anything WeasyPrint logs as a warning fails the build."""
from __future__ import annotations

import hashlib
import logging
from contextlib import contextmanager
from pathlib import Path

from .errors import Problem, RenderError


class _Collector(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        # The one notice we tolerate: without libharfbuzz-subset0 WeasyPrint subsets with
        # fontTools, which is slower but correct. The Makefile installs the library where it can.
        if not record.getMessage().startswith("Using fontTools instead of HarfBuzz-Subset"):
            self.records.append(record)


@contextmanager
def _warnings_as_errors(source: str):
    """WeasyPrint only *logs* bad CSS or missing resources; collect them and fail instead."""
    logger = logging.getLogger("weasyprint")
    collector = _Collector()
    logger.addHandler(collector)
    try:
        yield
    finally:
        logger.removeHandler(collector)
    if collector.records:
        raise RenderError([Problem(source, None, None, "weasyprint", r.getMessage()) for r in collector.records])


class PdfWriter:
    """One writer per build: parsed fonts are shared across editions.

    roots: the folders resources may come from (see sandbox.ProjectFetcher).
    """

    def __init__(self, roots: list[Path]):
        from weasyprint.text.fonts import FontConfiguration  # heavy import: only when PDFs are built

        from .sandbox import ProjectFetcher
        self.font_config = FontConfiguration()
        self.fetcher = ProjectFetcher(roots)

    def layout(self, html: str, html_path: Path):
        """Lay out `html` (its links resolved relative to html_path); fails on any WeasyPrint warning
        and on any resource outside the allowed folders."""
        from weasyprint import HTML
        from weasyprint.urls import FatalURLFetchingError
        try:
            with _warnings_as_errors(str(html_path)):
                return HTML(string=html, base_url=str(html_path), url_fetcher=self.fetcher).render(
                    font_config=self.font_config)
        except FatalURLFetchingError as exc:
            raise RenderError([Problem(str(html_path), None, None, "resource", str(exc))]) from None

    @staticmethod
    def write_to(document, target, identifier: str) -> None:
        """Write a laid-out document to a path or file object."""
        # A stable /ID makes two builds of the same commit byte-identical.
        pdf_id = hashlib.sha256(identifier.encode("utf-8")).hexdigest()[:32].encode("ascii")
        with _warnings_as_errors(str(getattr(target, "name", "PDF"))):
            # PDF/UA-1: tagged structure, /Lang, title shown in the window, all fonts embedded.
            document.write_pdf(target, pdf_identifier=pdf_id, custom_metadata=True, pdf_variant="pdf/ua-1")
