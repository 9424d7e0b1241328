"""The allocation meeting's agenda and minutes PDFs: audited, escaped, offline, and saying
what the meeting decided."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEvent
from cases.meetings import pdf as meeting_pdf
from cases.meetings import services as meetings
from cases.meetings.views import _agenda_rows
from earlyhelp.pdf import local_files_fetcher
from tests.cases.episode_helpers import schedule_meeting

# PDFs


@pytest.mark.parametrize("kind", ["agenda", "minutes"])
def test_pdfs_download_and_are_audited(client, manager, meeting, kind):
    client.force_login(manager)
    response = client.get(reverse(f"meetings:{kind}-pdf", args=[meeting.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{kind}-')
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        actor=manager, action="print", object_id=str(meeting.pk), detail__document=kind
    ).exists()


def test_pdf_html_escapes_user_text(manager, locality, make_episode):
    make_episode("<script>alert(1)</script> family")
    meeting = schedule_meeting(manager, locality, hours=-1, venue="<img src=x>")
    item = meeting.agenda_items.get()
    meetings.agenda_item_decide(
        by=manager, item=item, decision="nfa", notes="<b>no</b> further action"
    )
    context = meeting_pdf.meeting_context(
        meeting, list(meeting.attendees.all()), _agenda_rows(manager, meeting)
    )
    for html in (meeting_pdf.agenda_html(context), meeting_pdf.minutes_html(context)):
        assert escape("<script>alert(1)</script> family") in html
        assert "<script>" not in html and "<img" not in html
    assert escape("<b>no</b> further action") in meeting_pdf.minutes_html(context)
    assert meeting_pdf.html_to_pdf(meeting_pdf.minutes_html(context)).startswith(b"%PDF")


def test_pdf_fetches_nothing_from_the_network():
    fetcher = local_files_fetcher()
    for url in ["https://example.com/x.css", "http://169.254.169.254/", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_pdfs_say_what_the_meeting_decided(client, manager, worker, eh_team, meeting):
    import io

    from pypdf import PdfReader

    item = meeting.agenda_items.get()
    meetings.agenda_item_decide(
        by=manager, item=item, decision="allocate", lead_professional=worker, team=eh_team
    )
    meetings.meeting_record_minutes(
        by=manager, meeting=meeting, minutes="Quorate: health, school and police present."
    )
    client.force_login(manager)

    def text(kind):
        response = client.get(reverse(f"meetings:{kind}-pdf", args=[meeting.uuid]))
        reader = PdfReader(io.BytesIO(response.content))
        return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)

    agenda = text("agenda")
    assert "The Mensah family" in agenda and "Room 2, Brackenford Hub" in agenda
    minutes = text("minutes")
    assert "Quorate: health, school and police present." in minutes
    assert "Priya Shah" in minutes and "Allocate" in minutes
