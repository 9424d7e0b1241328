"""The agenda and minutes of an allocation meeting as PDFs: a template rendered to HTML
(autoescaped, with its own print stylesheet inline) and converted by WeasyPrint
(`earlyhelp.pdf`, which fetches nothing from the network)."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from cases.models import Attendance

# The converter is shared with the family plan PDF; the meeting views use it from here.
from earlyhelp.pdf import html_to_pdf  # noqa: F401


def meeting_context(meeting, attendees, rows, *, show_minutes=False):
    """What both PDFs show: rows are the meeting page's agenda rows (item, shown or not);
    the general minutes only for those the access policy lets read them."""
    return {
        "meeting": meeting,
        "show_minutes": show_minutes,
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
