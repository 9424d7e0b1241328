"""The agenda and minutes of an allocation meeting as PDFs: a template rendered to HTML
(autoescaped, with its own print stylesheet inline) and converted by WeasyPrint.

The converter fetches nothing from the network: only files inside the project."""

from pathlib import Path
from urllib.parse import unquote, urlparse

import weasyprint
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Attendance


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


def meeting_context(meeting, attendees, rows):
    """What both PDFs show: rows are the meeting page's agenda rows (item, shown or not)."""
    return {
        "meeting": meeting,
        "present": [a for a in attendees if a.attendance == Attendance.PRESENT],
        "apologies": [a for a in attendees if a.attendance == Attendance.APOLOGIES],
        "rows": rows,
        "printed_at": timezone.now(),
        "council_name": settings.COUNCIL_NAME,
    }


def agenda_html(context) -> str:
    return render_to_string("meetings/agenda_pdf.html", context)


def minutes_html(context) -> str:
    return render_to_string("meetings/minutes_pdf.html", context)
