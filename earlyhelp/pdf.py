"""Turning a rendered template into a PDF with WeasyPrint (the allocation meeting's agenda
and minutes, the family's copy of their plan).

The templates are autoescaped and carry their print stylesheet inline; the converter
fetches nothing from the network: only files inside the project.

WeasyPrint is imported when the first PDF is made: it takes about a second to import (half
of loading every URL), which every web worker, test worker and management command paid
on starting although most of them never make a PDF."""

import functools
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings


@functools.cache
def _local_files_only():
    import weasyprint

    class LocalFilesOnly(weasyprint.URLFetcher):
        """Refuse every URL but a file inside the project (a stylesheet, a font, a logo)."""

        def fetch(self, url, headers=None):
            parsed = urlparse(url)
            root = Path(settings.BASE_DIR).resolve()
            inside = Path(unquote(parsed.path)).resolve().is_relative_to(root)
            if parsed.scheme != "file" or not inside:
                raise ValueError(f"PDFs fetch nothing outside the project: {url}")
            return super().fetch(url, headers)

    return LocalFilesOnly


def local_files_fetcher():
    """A WeasyPrint URL fetcher that fetches only files inside the project."""
    return _local_files_only()(allowed_protocols=["file"])


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(
        string=html,
        base_url=Path(settings.BASE_DIR).as_uri() + "/",
        url_fetcher=local_files_fetcher(),
    ).write_pdf()
