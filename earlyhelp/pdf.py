"""Turning a rendered template into a PDF with WeasyPrint (the allocation meeting's agenda
and minutes, the family's copy of their plan).

The templates are autoescaped and carry their print stylesheet inline; the converter
fetches nothing from the network: only files inside the project."""

from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings


class LocalFilesOnly(weasyprint.URLFetcher):
    """Refuse every URL but a file inside the project (a stylesheet, a font, a logo)."""

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        root = Path(settings.BASE_DIR).resolve()
        if parsed.scheme != "file" or not Path(unquote(parsed.path)).resolve().is_relative_to(root):
            raise ValueError(f"PDFs fetch nothing outside the project: {url}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    return weasyprint.HTML(
        string=html,
        base_url=Path(settings.BASE_DIR).as_uri() + "/",
        url_fetcher=LocalFilesOnly(allowed_protocols=["file"]),
    ).write_pdf()
