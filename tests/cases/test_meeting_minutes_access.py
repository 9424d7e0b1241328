"""Issue 13, finding 1: an allocation meeting's record of each family is kept on the
family's agenda item (the decision, its notes and the minute of the discussion) and shown
only to readers who may see that family: on the meeting page, in both PDFs and in the API.
The general minutes are free text that cannot be proven free of names, so only the chair
and the locality's managers read them. Attendees reach their meetings from the menu."""

import datetime
import io
import json

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.models import AgencyType, Role, User
from cases.episodes.services import open_episode
from cases.meetings import services as meetings
from cases.models import AllocationMeeting, TafMember
from tests.cases.episode_helpers import schedule_meeting
from tests.factories import AgencyFactory, FamilyFactory, LocalityFactory, TeamFactory, UserFactory
from thresholds.models import Level

# What the meeting recorded about each family. Family A is seen only by the locality's
# early help staff; family B also by the police and housing officers in its TAF.
A_NAME = "The Hughes family"
A_NOTES = "Mother wants specialist domestic abuse support first"
A_SERVICE = "Brackenshire Domestic Abuse Service"
A_DISCUSSION = "Police called to the Hughes home twice in March"
B_NAME = "The Okafor family"
B_NOTES = "Waiting for the school view and consent to share with health"
B_DISCUSSION = "Health visitor to call Ms Okafor before the next meeting"
GENERAL = "Quorate: early help, police and housing. Hughes family discussed first."


@pytest.fixture
def north(db):
    locality = LocalityFactory(name="North Brackenford")
    team = TeamFactory(name="Early Help North", locality=locality)
    manager = UserFactory(
        full_name="Morgan Hale", roles=[Role.LOCALITY_MANAGER], agency=team.agency, manages=[team]
    )
    level = Level.objects.get(framework__is_current=True, rank=3)

    def episode(name):
        return open_episode(
            by=None,
            family=FamilyFactory(name=name, owning_team=team),
            locality=locality,
            level=level,
            cause="front_door",
        )

    family_a, family_b = episode(A_NAME), episode(B_NAME)
    police = UserFactory(
        full_name="Sam Police",
        roles=[Role.PARTNER_AGENCY_USER],
        agency=AgencyFactory(name="Brackenshire Police", agency_type=AgencyType.POLICE),
    )
    housing = UserFactory(
        full_name="Rhys Housing",
        roles=[Role.PARTNER_AGENCY_USER],
        agency=AgencyFactory(name="Brackenshire Homes", agency_type=AgencyType.HOUSING),
    )
    for officer in (police, housing):
        TafMember.objects.create(episode=family_b, user=officer, role="TAF member")
    practitioner = UserFactory(
        full_name="Priya Shah", roles=[Role.PRACTITIONER], agency=team.agency, teams=[team]
    )
    return {
        "locality": locality,
        "team": team,
        "manager": manager,
        "practitioner": practitioner,
        "police": police,
        "housing": housing,
        "a": family_a,
        "b": family_b,
    }


def meeting_under_way(north):
    """A meeting the locality manager chairs, started an hour ago, nothing decided yet."""
    return schedule_meeting(north["manager"], north["locality"], hours=-1, venue="Room 2")


def held_meeting(north, *, chair):
    manager = north["manager"]
    meeting = meetings.meeting_schedule(
        by=manager,
        locality=north["locality"],
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        chair=chair,
        venue="Room 2, Brackenford Hub",
    )
    meetings.meeting_attendee_add(by=manager, meeting=meeting, user=north["housing"])
    meetings.meeting_attendee_add(
        by=manager, meeting=meeting, user=north["police"], attendance="apologies"
    )
    items = {item.episode_id: item for item in meeting.agenda_items.all()}
    meetings.agenda_item_decide(
        by=manager,
        item=items[north["a"].pk],
        decision="refer",
        referred_to=A_SERVICE,
        notes=A_NOTES,
        discussion=A_DISCUSSION,
    )
    meetings.agenda_item_decide(
        by=manager,
        item=items[north["b"].pk],
        decision="defer",
        notes=B_NOTES,
        discussion=B_DISCUSSION,
    )
    meetings.meeting_record_minutes(by=manager, meeting=meeting, minutes=GENERAL, complete=True)
    return meeting


def _pdf_text(content):
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def bodies(client, api, user, meeting):
    """Every place the meeting is shown, as `user` reads it: (where, text)."""
    client.force_login(user)
    api.force_authenticate(User.objects.get(pk=user.pk))
    page = client.get(reverse("meetings:detail", args=[meeting.uuid]))
    minutes_pdf = client.get(reverse("meetings:minutes-pdf", args=[meeting.uuid]))
    agenda_pdf = client.get(reverse("meetings:agenda-pdf", args=[meeting.uuid]))
    detail = api.get(f"/api/meetings/{meeting.uuid}/")
    items = api.get("/api/agenda-items/", {"meeting": str(meeting.uuid)})
    for response in (page, minutes_pdf, agenda_pdf, detail, items):
        assert response.status_code == 200
    return [
        ("page", page.content.decode()),
        ("minutes.pdf", _pdf_text(minutes_pdf.content)),
        ("agenda.pdf", _pdf_text(agenda_pdf.content)),
        # The raw JSON and its decoded text (no escape can hide a name from the search).
        ("api meeting", detail.content.decode() + json.dumps(detail.json(), ensure_ascii=False)),
        ("api agenda items", items.content.decode() + json.dumps(items.json(), ensure_ascii=False)),
    ]


def _contains(body, text):
    return text in body or escape(text) in body


A_RECORD = [A_NAME, A_NOTES, A_SERVICE, A_DISCUSSION]
B_RECORD = [B_NAME, B_NOTES, B_DISCUSSION]
PER_ITEM_PLACES = {"page", "minutes.pdf", "api meeting", "api agenda items"}


@pytest.mark.parametrize("attendee", ["police", "housing"])  # apologies, present
def test_other_agency_attendee_reads_only_the_families_they_may_see(north, attendee):
    meeting = held_meeting(north, chair=north["manager"])
    user = north[attendee]
    for where, body in bodies(Client(), APIClient(), user, meeting):
        for text in A_RECORD:
            assert not _contains(body, text), (where, text)
        # The general minutes name a family despite the hint: they are not shown at all.
        assert not _contains(body, GENERAL), where
        assert "Hughes" not in body, where
        if where in PER_ITEM_PLACES:
            for text in B_RECORD:
                assert _contains(body, text), (where, text)
        else:  # the agenda names the family it may see, without the decision's notes
            assert _contains(body, B_NAME), where


@pytest.mark.parametrize("reader", ["manager", "practitioner"])
def test_chair_and_locality_manager_read_everything(north, reader):
    # The practitioner chairs; the locality manager runs it too without chairing.
    meeting = held_meeting(north, chair=north["practitioner"])
    for where, body in bodies(Client(), APIClient(), north[reader], meeting):
        if where in PER_ITEM_PLACES:
            for text in A_RECORD + B_RECORD:
                assert _contains(body, text), (where, reader, text)
        else:
            assert _contains(body, A_NAME) and _contains(body, B_NAME), where
        if where != "agenda.pdf" and where != "api agenda items":
            assert _contains(body, GENERAL), (where, reader)


def test_api_minutes_field_is_null_for_an_attendee(north):
    meeting = held_meeting(north, chair=north["manager"])
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=north["housing"].pk))
    body = api.get(f"/api/meetings/{meeting.uuid}/").json()
    assert body["minutes"] is None
    [item] = body["agenda_items"]
    assert item["episode"]["uuid"] == str(north["b"].uuid)
    assert item["decision_notes"] == B_NOTES and item["discussion"] == B_DISCUSSION
    api.force_authenticate(User.objects.get(pk=north["manager"].pk))
    assert api.get(f"/api/meetings/{meeting.uuid}/").json()["minutes"] == GENERAL


def test_page_hides_the_decision_of_a_family_the_reader_may_not_see(north):
    meeting = held_meeting(north, chair=north["manager"])
    client = Client()
    client.force_login(north["police"])
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "A family whose record you cannot see" in page
    assert "Refer to a named service" not in page
    assert "Defer to the next meeting" in page
    assert "seen by the chair and the locality" in page


def test_minutes_form_tells_the_chair_not_to_name_families(north):
    meeting = meeting_under_way(north)
    client = Client()
    client.force_login(north["manager"])
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Do not name families here" in page
    assert "Minute of the discussion" in page


def test_decide_api_records_the_discussion(north):
    meeting = meeting_under_way(north)
    item = meeting.agenda_items.get(episode=north["b"])
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=north["manager"].pk))
    response = api.post(
        f"/api/agenda-items/{item.uuid}/decide/",
        {"decision": "defer", "notes": B_NOTES, "discussion": B_DISCUSSION},
        format="json",
    )
    assert response.status_code == 200, response.json()
    item.refresh_from_db()
    assert item.discussion == B_DISCUSSION and response.json()["discussion"] == B_DISCUSSION


@pytest.mark.parametrize("size", [2, 50])
def test_attendee_reads_the_meeting_in_queries_that_do_not_grow(
    north, django_assert_max_num_queries, size
):
    """Half the families on the agenda are hidden from the attendee: the page, the minutes
    PDF and the API still ask which they may see once for the whole agenda."""
    level = Level.objects.get(framework__is_current=True, rank=3)
    for n in range(size):
        episode = open_episode(
            by=None,
            family=FamilyFactory(name=f"Family {n}", owning_team=north["team"]),
            locality=north["locality"],
            level=level,
            cause="front_door",
        )
        if n % 2:
            TafMember.objects.create(episode=episode, user=north["housing"], role="TAF member")
    meeting = meeting_under_way(north)
    meetings.meeting_attendee_add(by=north["manager"], meeting=meeting, user=north["housing"])
    meeting.agenda_items.update(
        decision="defer",
        decision_notes="Notes",
        discussion="Discussed",
        decided_by=north["manager"],
        decided_at=timezone.now(),
    )
    client = Client()
    client.force_login(north["housing"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("meetings:detail", args=[meeting.uuid]))
    assert len(response.context["rows"]) == size + 2
    assert sum(row["shown"] for row in response.context["rows"]) == size // 2 + 1
    with django_assert_max_num_queries(15):
        assert client.get(reverse("meetings:minutes-pdf", args=[meeting.uuid])).status_code == 200
    api = APIClient()
    api.force_authenticate(User.objects.get(pk=north["housing"].pk))
    with django_assert_max_num_queries(10):
        body = api.get(f"/api/meetings/{meeting.uuid}/").json()
    assert len(body["agenda_items"]) == size // 2 + 1


# Finding 12 (part): attendees reach their meetings from the menu


def _menu_links(client, user):
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    return 'class="govuk-service-navigation__link" href="/meetings/"' in page


def test_attendees_and_managers_have_meetings_in_the_menu(north):
    client = Client()
    assert not _menu_links(client, north["police"])
    held_meeting(north, chair=north["manager"])
    assert _menu_links(client, north["police"])  # apologies
    assert _menu_links(client, north["housing"])  # present
    assert _menu_links(client, north["manager"])
    outsider = UserFactory(roles=[Role.PARTNER_AGENCY_USER])
    assert not _menu_links(client, outsider)


def test_meeting_list_shows_an_attendee_only_their_meetings_without_family_names(north):
    attended = held_meeting(north, chair=north["manager"])
    other = AllocationMeeting.objects.create(
        locality=north["locality"],
        starts_at=timezone.now() + datetime.timedelta(days=7),
        chair=north["manager"],
        venue="Hall B",
    )
    client = Client()
    client.force_login(north["housing"])
    response = client.get(reverse("meetings:list"))
    page = response.content.decode()
    assert [m.pk for m in response.context["page_obj"].object_list] == [attended.pk]
    assert str(other.uuid) not in page
    for text in A_RECORD + B_RECORD + [GENERAL]:
        assert not _contains(page, text), text


def test_upgrade_moves_lines_naming_a_family_to_its_agenda_item(north):
    """Migration cases.0005: minutes written before the rule (a line per family) are split."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "cases.migrations.0005_move_family_lines_out_of_general_minutes"
    )
    meeting = held_meeting(north, chair=north["manager"])
    old_minutes = "\n".join(
        [
            "North Brackenford early help allocation meeting.",
            f"{A_NAME}: Refer to a named service. {A_NOTES}",
            f"Okafor family: Defer to the next meeting. {B_NOTES}",
            "Next meeting in a week.",
        ]
    )
    AllocationMeeting.objects.filter(pk=meeting.pk).update(minutes=old_minutes)
    migration.move_family_lines(apps, None)
    meeting.refresh_from_db()
    assert meeting.minutes == (
        "North Brackenford early help allocation meeting.\nNext meeting in a week."
    )
    items = {item.episode_id: item for item in meeting.agenda_items.all()}
    assert items[north["a"].pk].discussion == (
        f"{A_DISCUSSION}\n{A_NAME}: Refer to a named service. {A_NOTES}"
    )
    assert items[north["b"].pk].discussion.endswith(
        f"Okafor family: Defer to the next meeting. {B_NOTES}"
    )
    # The police officer, who may see only the Okafor family, reads neither line in full.
    client = Client()
    client.force_login(north["police"])
    page = client.get(reverse("meetings:detail", args=[meeting.uuid])).content.decode()
    assert "Hughes" not in page and _contains(page, "Okafor family: Defer to the next meeting")
