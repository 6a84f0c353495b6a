"""The only resources WeasyPrint may load: files inside the project's styles/, templates/ and
the content folder. No network access is ever attempted."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import FatalURLFetchingError, URLFetcher


class ProjectFetcher(URLFetcher):
    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols={"file", "data"})
        self.roots = [Path(root).resolve() for root in roots]

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":  # inline data carries nothing from outside
            return super().fetch(url, headers)
        if scheme != "file":
            raise FatalURLFetchingError(f"refused to load {url}: only files inside the project may be used "
                                        "(no network access)")
        # resolve() also collapses `..`, so an escape lands outside every root and is refused.
        path = Path(unquote(urlsplit(url).path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            allowed = ", ".join(str(root) for root in self.roots)
            raise FatalURLFetchingError(f"refused to load {path}: it is outside {allowed}")
        return super().fetch(url, headers)
