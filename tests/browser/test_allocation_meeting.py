"""A locality manager schedules an allocation meeting, sees the episode awaiting
allocation on its agenda, records attendance, allocates a lead professional, completes
the minutes and downloads the agenda."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Role
from cases.episodes.services import open_episode
from cases.models import AllocationMeeting, EpisodeStatus
from tests.browser.conftest import BROWSER_TEST, axe_violations, fill_date, screenshot, sign_in
from tests.factories import (
    AgencyFactory,
    FamilyFactory,
    LocalityFactory,
    TeamFactory,
    UserFactory,
)
from thresholds.models import Level

pytestmark = BROWSER_TEST


@pytest.fixture
def north():
    locality = LocalityFactory(name="North Brackenford")
    team = TeamFactory(name="Early Help North", locality=locality)
    manager = UserFactory.manager_of(
        team,
        Role.LOCALITY_MANAGER,
        email="morgan.hale@brackenshire.example",
        full_name="Morgan Hale",
    )
    UserFactory.member_of(team, Role.PRACTITIONER, full_name="Priya Shah")
    family = FamilyFactory(name="The Mensah family", owning_team=team)
    episode = open_episode(
        by=None,
        family=family,
        locality=locality,
        level=Level.objects.get(framework__is_current=True, rank=3),
        cause="front_door",
        at=timezone.now() - datetime.timedelta(days=5),
    )
    AgencyFactory(name="Brackenford Primary School")
    return {"locality": locality, "manager": manager, "episode": episode}


def test_a_manager_runs_an_allocation_meeting(live_server, page, north):
    sign_in(page, live_server, north["manager"])

    page.goto(f"{live_server.url}/meetings/")
    page.get_by_role("heading", name="Allocation meetings").wait_for()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Schedule a meeting").click()

    # The form: errors keep what was typed.
    page.get_by_label("Venue or online link").fill("Room 2, Brackenford Hub")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.locator(".govuk-error-summary").wait_for()
    assert page.get_by_label("Venue or online link").input_value() == "Room 2, Brackenford Hub"
    assert axe_violations(page) == []

    # Started an hour ago, so its minutes can be completed today.
    starts = timezone.localtime() - datetime.timedelta(hours=1)
    fill_date(
        page.get_by_role("group", name="Date of the meeting"), starts.day, starts.month, starts.year
    )
    page.get_by_label("Start time").fill(f"{starts:%H:%M}")
    page.get_by_label("Locality").select_option(label="North Brackenford")
    page.get_by_role("button", name="Schedule the meeting").click()
    page.get_by_text("Meeting scheduled: 1 item on the agenda").wait_for()
    meeting = AllocationMeeting.objects.get()
    main = page.locator("main")
    assert "The Mensah family" in main.inner_text()
    assert "Awaiting allocation" in main.inner_text()
    assert axe_violations(page) == []

    # Attendance.
    page.get_by_text("Add an attendee").click()
    page.get_by_label("Or someone else: their full name").fill("Jo Fields")
    page.get_by_label("Their agency").select_option(label="Brackenford Primary School")
    page.get_by_label("Apologies").check()
    page.get_by_role("button", name="Add the attendee").click()
    page.get_by_text("Jo Fields added").wait_for()
    assert "Brackenford Primary School" in page.locator("#attendees + table").inner_text()

    # The decision: allocate a lead professional.
    item = meeting.agenda_items.get()
    card = page.locator(f"#item-{item.uuid}")
    card.get_by_label("Allocate a lead professional").check()
    card.get_by_label("Lead professional", exact=True).select_option(
        label="Priya Shah (Early Help North)"
    )
    card.get_by_label("Lead professional's team").select_option(label="Early Help North")
    card.get_by_label("Minute of the discussion").fill("Parents agreed to a TAF.")
    assert axe_violations(page) == []
    screenshot(page, "allocation-meeting")
    card.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Decision recorded: allocate a lead professional").wait_for()
    card = page.locator(f"#item-{item.uuid}")
    assert "Priya Shah, Early Help North" in card.inner_text()
    assert "Morgan Hale" in card.inner_text()
    assert "Parents agreed to a TAF." in card.inner_text()
    assert card.get_by_role("button", name="Record the decision").count() == 0

    # The general minutes (no family named there) complete the meeting.
    page.get_by_label("General minutes").fill("Quorate: early help and the school present.")
    page.get_by_role("button", name="Complete the minutes").click()
    page.get_by_text("Minutes completed: the meeting is held").wait_for()
    assert "can no longer change" in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert page.csp_violations == []

    # The agenda as a PDF.
    response = page.request.get(f"{live_server.url}/meetings/{meeting.uuid}/agenda.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.body().startswith(b"%PDF")

    episode = north["episode"]
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ALLOCATED
    assert episode.lead_professional.full_name == "Priya Shah"
    meeting.refresh_from_db()
    assert meeting.is_held
