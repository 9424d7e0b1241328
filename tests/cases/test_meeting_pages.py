"""The allocation meeting pages: the list, scheduling, attendees, who may see a meeting,
and query counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from audit.models import AuditEvent
from cases.meetings import services as meetings
from cases.models import AgendaItem, AgendaReason, AllocationMeeting, MeetingAttendee
from tests.cases.episode_helpers import schedule_meeting
from tests.cases.meeting_page_helpers import decide_url, detail, messages_of
from tests.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory

# The list


def test_list_shows_visible_meetings_with_schedule_button(client, manager, meeting, worker):
    other = LocalityFactory(name="South Brackenford")
    other_manager = UserFactory(
        roles=[Role.LOCALITY_MANAGER], manages=[TeamFactory(locality=other)]
    )
    schedule_meeting(other_manager, other, days=3, venue="Elsewhere")
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
    soon = schedule_meeting(manager, locality, days=1, venue="A")
    later = schedule_meeting(manager, locality, days=7, venue="B")
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


def test_meeting_page_escapes_user_text(client, manager, locality, make_episode):
    make_episode("<script>alert(1)</script> family")
    meeting = schedule_meeting(manager, locality, venue="<script>bad()</script>")
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
    meeting = schedule_meeting(manager, locality, venue="Room 2")
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
