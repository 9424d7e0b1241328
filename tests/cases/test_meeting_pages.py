"""The allocation meeting pages and PDFs: scheduling, the agenda, attendance, a decision
per item, minutes, who may do what, audit, and a fixed number of queries however long
the agenda or the list."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import AgencyType, Role
from audit.models import AuditEvent
from cases.episodes.services import episode_allocate, episode_flag, open_episode
from cases.meetings import pdf as meeting_pdf
from cases.meetings import services as meetings
from cases.meetings.views import _agenda_rows
from cases.models import (
    AgendaItem,
    AgendaReason,
    AllocationMeeting,
    EpisodeStatus,
    ItemDecision,
    MeetingAttendee,
)
from cases.transitions.models import Transition
from tests.factories import (
    AgencyFactory,
    FamilyFactory,
    LocalityFactory,
    TeamFactory,
    UserFactory,
)
from thresholds.models import Level


@pytest.fixture
def locality(db):
    return LocalityFactory(name="North Brackenford")


@pytest.fixture
def eh_team(locality):
    return TeamFactory(name="Early Help North", locality=locality)


@pytest.fixture
def manager(eh_team):
    return UserFactory(
        full_name="Morgan Hale",
        roles=[Role.LOCALITY_MANAGER],
        agency=eh_team.agency,
        manages=[eh_team],
    )


@pytest.fixture
def worker(eh_team):
    return UserFactory(
        full_name="Priya Shah", roles=[Role.PRACTITIONER], agency=eh_team.agency, teams=[eh_team]
    )


@pytest.fixture
def level3(db):
    return Level.objects.get(framework__is_current=True, rank=3)


@pytest.fixture
def make_episode(locality, eh_team, level3):
    def make(name, *, priority=False, at=None):
        family = FamilyFactory(name=name, owning_team=eh_team)
        return open_episode(
            by=None,
            family=family,
            locality=locality,
            level=level3,
            cause="front_door",
            priority=priority,
            at=at,
        )

    return make


@pytest.fixture
def meeting(manager, locality, make_episode):
    make_episode("The Mensah family")
    return meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        chair=manager,
        venue="Room 2, Brackenford Hub",
    )


def detail(meeting):
    return reverse("meetings:detail", args=[meeting.uuid])


def decide_url(item):
    return reverse("meetings:item-decide", args=[item.meeting.uuid, item.uuid])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# The list


def test_list_shows_visible_meetings_with_schedule_button(client, manager, meeting, worker):
    other = LocalityFactory(name="South Brackenford")
    other_manager = UserFactory(
        roles=[Role.LOCALITY_MANAGER], manages=[TeamFactory(locality=other)]
    )
    meetings.meeting_schedule(
        by=other_manager,
        locality=other,
        starts_at=timezone.now() + datetime.timedelta(days=3),
        chair=other_manager,
        venue="Elsewhere",
    )
    client.force_login(manager)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "North Brackenford" in page and "South Brackenford" not in page
    assert "Schedule a meeting" in page
    assert ">1<" in page  # one agenda item
    assert AuditEvent.objects.filter(
        actor=manager, action="list", object_type="cases.allocationmeeting"
    ).exists()

    client.force_login(worker)
    page = client.get(reverse("meetings:list")).content.decode()
    assert "North Brackenford" not in page and "Schedule a meeting" not in page


def test_list_orders_upcoming_first_then_past(client, manager, locality, meeting):
    soon = meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now() + datetime.timedelta(days=1),
        chair=manager,
        venue="A",
    )
    later = meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now() + datetime.timedelta(days=7),
        chair=manager,
        venue="B",
    )
    client.force_login(manager)
    response = client.get(reverse("meetings:list"))
    assert [m.pk for m in response.context["page_obj"].object_list] == [
        soon.pk,
        later.pk,
        meeting.pk,
    ]


# Scheduling


def schedule_data(locality, chair, day, **overrides):
    return {
        "locality": locality.pk,
        "date_day": day.day,
        "date_month": day.month,
        "date_year": day.year,
        "time": "10:30",
        "chair": chair.pk,
        "venue": "Room 2",
        **overrides,
    }


def test_schedule_builds_the_agenda_with_step_downs_first(client, manager, locality, make_episode):
    waiting = make_episode("The Clarke family", at=timezone.now() - datetime.timedelta(days=9))
    stepped_down = make_episode("The Begum family", priority=True)
    client.force_login(manager)
    day = timezone.localdate() + datetime.timedelta(days=2)
    response = client.post(reverse("meetings:schedule"), schedule_data(locality, manager, day))
    meeting = AllocationMeeting.objects.get()
    assert response.status_code == 302 and response.url == detail(meeting)
    assert "Meeting scheduled: 2 items on the agenda" in messages_of(response)
    assert timezone.localtime(meeting.starts_at).time() == datetime.time(10, 30)
    items = list(meeting.agenda_items.order_by("position"))
    assert [(i.episode, i.reason) for i in items] == [
        (stepped_down, AgendaReason.STEP_DOWN),
        (waiting, AgendaReason.AWAITING_ALLOCATION),
    ]
    page = client.get(detail(meeting)).content.decode()
    assert page.index("The Begum family") < page.index("The Clarke family")
    assert "Step-down from children&#x27;s social care" in page
    assert "9 days" in page


def test_schedule_errors_keep_what_was_typed(client, manager, locality):
    client.force_login(manager)
    day = timezone.localdate()
    response = client.post(
        reverse("meetings:schedule"),
        schedule_data(locality, manager, day, time="25:99", venue="Room <b>7</b>"),
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Enter the start time as hours and minutes" in page
    assert 'value="Room &lt;b&gt;7&lt;/b&gt;"' in page
    assert 'value="25:99"' in page
    assert not AllocationMeeting.objects.exists()

    response = client.post(reverse("meetings:schedule"), {"time": "10:00"})
    page = response.content.decode()
    assert "Enter the date of the meeting" in page
    assert "Enter the venue, or the link for an online meeting" in page


def test_only_locality_managers_schedule(client, worker, locality):
    client.force_login(worker)
    assert client.get(reverse("meetings:schedule")).status_code == 403
    day = timezone.localdate()
    response = client.post(reverse("meetings:schedule"), schedule_data(locality, worker, day))
    assert response.status_code == 403
    assert not AllocationMeeting.objects.exists()


def test_manager_cannot_schedule_for_another_locality(client, manager, worker):
    other = LocalityFactory()
    client.force_login(manager)
    day = timezone.localdate()
    response = client.post(reverse("meetings:schedule"), schedule_data(other, manager, day))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not AllocationMeeting.objects.exists()


# The meeting page


def test_meeting_page_is_audited(client, manager, meeting):
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "The Mensah family" in page and "Room 2, Brackenford Hub" in page
    assert AuditEvent.objects.filter(
        actor=manager, action="view", object_id=str(meeting.pk)
    ).exists()
    episode = meeting.agenda_items.get().episode
    event = AuditEvent.objects.get(actor=manager, action="list", object_type="cases.episode")
    assert event.detail["ids"] == [str(episode.pk)]


def test_add_and_remove_attendees(client, manager, meeting, worker):
    agency = AgencyFactory(name="Brackenford Primary")
    client.force_login(manager)
    url = reverse("meetings:attendee-add", args=[meeting.uuid])
    response = client.post(
        url,
        {
            "attendee-name": "Jo Fields",
            "attendee-agency": agency.pk,
            "attendee-attendance": "apologies",
        },
    )
    assert response.status_code == 302
    named = MeetingAttendee.objects.get(meeting=meeting, name="Jo Fields")
    assert named.agency == agency and named.attendance == "apologies"
    client.post(url, {"attendee-user": worker.pk, "attendee-attendance": "present"})
    assert MeetingAttendee.objects.filter(meeting=meeting, user=worker).exists()
    page = client.get(detail(meeting)).content.decode()
    assert "Jo Fields" in page and "Brackenford Primary" in page and "Priya Shah" in page

    # Nobody chosen: the error is shown and what was typed is kept.
    response = client.post(url, {"attendee-agency": agency.pk, "attendee-attendance": "present"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose a user, or enter the name of the person" in page
    assert f'<option value="{agency.pk}" selected>' in page

    # The same user twice.
    response = client.post(url, {"attendee-user": worker.pk, "attendee-attendance": "present"})
    assert "Priya Shah is already listed" in response.content.decode()

    remove = reverse("meetings:attendee-remove", args=[meeting.uuid, named.pk])
    response = client.post(remove)
    assert response.status_code == 302
    assert not MeetingAttendee.objects.filter(pk=named.pk).exists()


def test_allocate_through_the_page(client, manager, meeting, worker, eh_team):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "Priya Shah (Early Help North)" in page
    response = client.post(
        decide_url(item),
        {"decision": "allocate", "lead_professional": worker.pk, "team": eh_team.pk},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.decision == ItemDecision.ALLOCATE and item.decided_by == manager
    episode = item.episode
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ALLOCATED
    assert episode.lead_professional == worker and episode.team == eh_team
    page = client.get(detail(meeting)).content.decode()
    assert "Allocate a lead professional" in page and "Morgan Hale" in page
    assert decide_url(item) not in page


def test_allocate_takes_the_lead_professionals_only_team(client, manager, meeting, worker):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "allocate", "lead_professional": worker.pk})
    item.episode.refresh_from_db()
    assert item.episode.status == EpisodeStatus.ALLOCATED


def test_decision_errors_keep_the_items_values(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(decide_url(item), {"decision": "refer", "referred_to": "Family <Hub>"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert "Enter the reasons for the decision" in page
    assert f'href="#item-{item.uuid}-notes"' in page
    assert 'value="Family &lt;Hub&gt;"' in page
    assert re.search(r'value="refer" id="item-[^"]+" checked', page)
    item.refresh_from_db()
    assert not item.is_decided

    response = client.post(decide_url(item), {"decision": "allocate"})
    page = response.content.decode()
    assert "Choose the lead professional" in page


def test_no_further_action_closes_the_episode(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(
        decide_url(item), {"decision": "nfa", "notes": "Needs met by the school"}
    )
    assert response.status_code == 302
    item.episode.refresh_from_db()
    assert item.episode.status == EpisodeStatus.CLOSED


def test_refer_closes_the_episode(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(
        decide_url(item),
        {"decision": "refer", "referred_to": "Young carers", "notes": "Best fit"},
    )
    item.refresh_from_db()
    item.episode.refresh_from_db()
    assert item.referred_to == "Young carers"
    assert item.episode.status == EpisodeStatus.CLOSED


def test_deferred_item_comes_back_on_the_next_agenda(client, manager, meeting, locality):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    item.refresh_from_db()
    item.episode.refresh_from_db()
    assert item.decision == ItemDecision.DEFER
    assert item.episode.status == EpisodeStatus.AWAITING_ALLOCATION

    next_meeting = AllocationMeeting.objects.create(
        locality=locality,
        starts_at=timezone.now() + datetime.timedelta(days=14),
        chair=manager,
        venue="Room 2",
    )
    response = client.post(reverse("meetings:refresh-agenda", args=[next_meeting.uuid]))
    assert "1 item added to the agenda" in messages_of(response)
    assert next_meeting.agenda_items.get().episode == item.episode
    assert "The Mensah family" in client.get(detail(next_meeting)).content.decode()


def test_second_decision_is_refused_with_a_message(client, manager, meeting):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    response = client.post(decide_url(item), {"decision": "nfa", "notes": "Changed our minds"})
    assert response.status_code == 302
    assert "This item was already decided: defer to the next meeting" in messages_of(response)
    item.refresh_from_db()
    assert item.decision == ItemDecision.DEFER


def test_minutes_cannot_be_completed_with_undecided_items(client, manager, meeting):
    client.force_login(manager)
    url = reverse("meetings:minutes", args=[meeting.uuid])
    response = client.post(url, {"minutes": "We met.", "action": "complete"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 agenda item is not decided" in page
    assert "We met.</textarea>" in page
    meeting.refresh_from_db()
    assert not meeting.is_held

    response = client.post(url, {"minutes": "Draft so far", "action": "save"})
    assert "Minutes saved" in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.minutes == "Draft so far" and not meeting.is_held


def test_held_meeting_is_read_only(client, manager, meeting, worker):
    item = meeting.agenda_items.get()
    client.force_login(manager)
    client.post(decide_url(item), {"decision": "defer"})
    response = client.post(
        reverse("meetings:minutes", args=[meeting.uuid]),
        {"minutes": "Deferred the Mensah family.", "action": "complete"},
    )
    assert "Minutes completed: the meeting is held" in messages_of(response)
    meeting.refresh_from_db()
    assert meeting.is_held

    page = client.get(detail(meeting)).content.decode()
    assert "can no longer change" in page
    # Nothing in the page's main content changes it (the session timeout dialog, outside
    # it, has its sign-out form).
    assert "<form" not in page.split('id="main-content"')[1].split("</main>")[0]
    assert "Deferred the Mensah family." in page

    response = client.post(
        reverse("meetings:attendee-add", args=[meeting.uuid]),
        {"attendee-user": worker.pk, "attendee-attendance": "present"},
    )
    assert response.status_code == 302
    assert "can no longer change" in messages_of(response)[0]
    assert not meeting.attendees.filter(user=worker).exists()
    response = client.post(reverse("meetings:refresh-agenda", args=[meeting.uuid]))
    assert response.status_code == 302


# Who may do what


def test_attendee_sees_the_meeting_but_cannot_change_it(client, manager, meeting, eh_team):
    attendee = UserFactory(roles=[Role.PRACTITIONER], teams=[TeamFactory()])
    meetings.meeting_attendee_add(by=manager, meeting=meeting, user=attendee)
    item = meeting.agenda_items.get()
    client.force_login(attendee)
    response = client.get(detail(meeting))
    page = response.content.decode()
    assert response.status_code == 200
    # Not their family's record: the agenda shows it without the name.
    assert "The Mensah family" not in page
    assert "A family whose record you cannot see" in page
    assert decide_url(item) not in page
    posts = [
        (decide_url(item), {"decision": "defer"}),
        (reverse("meetings:attendee-add", args=[meeting.uuid]), {"attendee-name": "X"}),
        (reverse("meetings:refresh-agenda", args=[meeting.uuid]), {}),
        (reverse("meetings:minutes", args=[meeting.uuid]), {"minutes": "x"}),
        (
            reverse("meetings:attendee-remove", args=[meeting.uuid, meeting.attendees.first().pk]),
            {},
        ),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    item.refresh_from_db()
    assert not item.is_decided


def test_outsider_gets_404(client, meeting):
    outsider = UserFactory(roles=[Role.LOCALITY_MANAGER], manages=[TeamFactory()])
    client.force_login(outsider)
    item = meeting.agenda_items.get()
    for url in [
        detail(meeting),
        reverse("meetings:agenda-pdf", args=[meeting.uuid]),
        reverse("meetings:minutes-pdf", args=[meeting.uuid]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.post(decide_url(item), {"decision": "defer"}).status_code == 404
    assert "Mensah" not in client.get(reverse("meetings:list")).content.decode()


def test_step_up_needs_an_allocated_episode(client, manager, meeting, level3):
    social_care = TeamFactory(
        name="Children's Services North",
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )
    statutory = Level.objects.filter(framework__is_current=True, statutory=True).first()
    item = meeting.agenda_items.get()
    client.force_login(manager)
    response = client.post(
        decide_url(item),
        {
            "decision": "step_up",
            "receiving_team": social_care.pk,
            "to_level": statutory.pk,
            "notes": "Risk has grown",
        },
    )
    assert response.status_code == 200
    assert "Allocate the episode first" in response.content.decode()


def test_step_up_of_a_flagged_episode(client, manager, worker, eh_team, locality, make_episode):
    episode = make_episode("The Okafor family")
    episode_allocate(by=manager, episode=episode, lead_professional=worker, team=eh_team)
    episode_flag(by=manager, episode=episode, reason="Worries are growing")
    meeting = meetings.meeting_schedule(
        by=manager, locality=locality, starts_at=timezone.now(), chair=manager, venue="Room 2"
    )
    item = meeting.agenda_items.get()
    assert item.reason == AgendaReason.FLAGGED
    social_care = TeamFactory(
        name="Children's Services North",
        agency=AgencyFactory(agency_type=AgencyType.CHILDRENS_SOCIAL_CARE),
    )
    statutory = Level.objects.filter(framework__is_current=True, statutory=True).first()
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "Worries are growing" in page and "Children&#x27;s Services North" in page
    response = client.post(
        decide_url(item),
        {
            "decision": "step_up",
            "receiving_team": social_care.pk,
            "to_level": statutory.pk,
            "notes": "Risk has grown",
        },
    )
    assert response.status_code == 302, response.content.decode()
    transition = Transition.objects.get(episode=episode)
    assert transition.receiving_team == social_care and transition.status == "approved"


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
    meeting = meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now() - datetime.timedelta(hours=1),
        chair=manager,
        venue="<img src=x>",
    )
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
    fetcher = meeting_pdf.LocalFilesOnly(allowed_protocols=["file"])
    for url in ["https://example.com/x.css", "http://169.254.169.254/", "file:///etc/passwd"]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_meeting_page_escapes_user_text(client, manager, locality, make_episode):
    make_episode("<script>alert(1)</script> family")
    meeting = meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now(),
        chair=manager,
        venue="<script>bad()</script>",
    )
    client.force_login(manager)
    page = client.get(detail(meeting)).content.decode()
    assert "<script>alert(1)" not in page and "<script>bad()" not in page
    assert escape("<script>alert(1)</script> family") in page


# Query counts


@pytest.mark.parametrize("size", [2, 50])
def test_meeting_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, manager, worker, locality, make_episode, size
):
    for n in range(size):
        make_episode(f"Family {n}", priority=n % 3 == 0)
    meeting = meetings.meeting_schedule(
        by=manager,
        locality=locality,
        starts_at=timezone.now(),
        chair=manager,
        venue="Room 2",
    )
    for n in range(size):
        meetings.meeting_attendee_add(by=manager, meeting=meeting, name=f"Guest {n}")
    AgendaItem.objects.filter(meeting=meeting, position=1).update(
        decision="defer", decided_by=manager, decided_at=timezone.now()
    )
    client.force_login(manager)
    with django_assert_max_num_queries(22):
        response = client.get(detail(meeting))
    assert response.status_code == 200
    assert len(response.context["rows"]) == size
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:agenda-pdf", args=[meeting.uuid]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_list_query_count_does_not_grow(
    client, django_assert_max_num_queries, manager, locality, size
):
    start = timezone.now()
    for n in range(size):
        AllocationMeeting.objects.create(
            locality=locality,
            starts_at=start + datetime.timedelta(days=n - size // 2),
            chair=manager,
            venue="Room 2",
        )
    client.force_login(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:list"))
    assert response.status_code == 200


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
