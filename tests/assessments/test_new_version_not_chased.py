"""Issue 13, finding 12: a draft new version of an approved assessment is not chased. While
version 1 is in force, the new version is not overdue: no reminder, no escalation to the
managers, no "Overdue" tag, and neither My cases nor caseloads counts the episode's
assessment as overdue. Only a first assessment not yet approved is chased."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from accounts.models import Notification
from assessments import reminders
from assessments.assessments import services
from cases.episodes import selectors as episode_selectors
from tests.assessments.assessment_helpers import built_assessment
from tests.assessments.plan_helpers import built_agreed_plan, family_of_three
from tests.cases.episode_helpers import make_locality
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
# A Monday morning; everything is set up then, and looked at two months later.
START = datetime.datetime(2026, 1, 12, 9, 0, tzinfo=LONDON)
LATER = START + datetime.timedelta(days=60)


@pytest.fixture
def clock(time_machine):
    time_machine.move_to(START, tick=False)
    return time_machine


@pytest.fixture
def north(clock):
    return make_locality("North")


def start_first(place, name):
    """A first assessment, started and never approved."""
    return built_assessment(place, family_of_three(name))


def new_version_with_plan_in_force(place):
    plan = built_agreed_plan(place, family=family_of_three("Okafor"))
    first = plan.episode.assessments.get()
    return services.assessment_new_version(by=place.worker, assessment=first)


def new_version_before_the_plan(place):
    """Version 1 approved, no plan yet (the episode is still assessing), a new draft."""
    first = built_assessment(
        place, family_of_three("Hughes"), approved=True, decided_by=place.manager
    )
    return services.assessment_new_version(by=place.worker, assessment=first)


OVERDUE_TAG = ' <strong class="govuk-tag govuk-tag--red">Overdue</strong>'


def due_text(assessment):
    return f"{assessment.due_at.astimezone(LONDON):%-d %B %Y}"


def assessment_keys(user):
    return set(
        Notification.objects.filter(user=user, key__startswith="assessment").values_list(
            "key", flat=True
        )
    )


def test_a_new_version_is_not_reminded_or_escalated_but_a_first_assessment_is(
    north, clock, django_capture_on_commit_callbacks
):
    in_force = new_version_with_plan_in_force(north)
    before_plan = new_version_before_the_plan(north)
    first = start_first(north, "Patel")
    assert in_force.version == before_plan.version == 2

    clock.move_to(LATER, tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.send_due_reminders(today=LATER.date())

    assert counts["assessment_overdue"] == 1
    assert counts["assessment_escalated"] == 1
    assert counts["assessment_due"] == 0
    assert assessment_keys(north.worker) == {
        f"assessment-overdue:{first.uuid}:{first.due_at.astimezone(LONDON).date()}"
    }
    assert assessment_keys(north.manager) == {
        f"assessment-escalated:{first.uuid}:{first.due_at.astimezone(LONDON).date()}"
    }
    assert first.is_overdue
    assert not in_force.is_overdue and not before_plan.is_overdue


def test_a_new_version_is_not_due_soon_either(north, clock, django_capture_on_commit_callbacks):
    """Not chased at all: no "due soon" reminder for a new version."""
    new = new_version_with_plan_in_force(north)
    due_day = new.due_at.astimezone(LONDON).date()
    clock.move_to(new.due_at - datetime.timedelta(days=2), tick=False)

    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders.send_due_reminders(today=due_day - datetime.timedelta(days=2))

    assert counts["assessment_due"] == 0
    assert assessment_keys(north.worker) == set()


def test_pages_do_not_flag_a_new_version_as_overdue(client, north, clock):
    in_force = new_version_with_plan_in_force(north)
    before_plan = new_version_before_the_plan(north)
    first = start_first(north, "Patel")
    clock.move_to(LATER, tick=False)

    client_for(client, north.worker)
    for assessment in (in_force, before_plan):
        page = client.get(f"/assessments/{assessment.uuid}/").content.decode()
        assert "Overdue" not in page
        # The episode page may flag the plan's review, never this assessment.
        page = client.get(f"/episodes/{assessment.episode.uuid}/").content.decode()
        assert due_text(assessment) in page
        assert due_text(assessment) + OVERDUE_TAG not in page
    assert "Overdue" in client.get(f"/assessments/{first.uuid}/").content.decode()
    page = client.get(f"/episodes/{first.episode.uuid}/").content.decode()
    assert due_text(first) + OVERDUE_TAG in page

    my_cases = client.get("/my-cases/")
    # (Okafor's TAF review is overdue by now: that is flagged, as it should be.)
    rows = my_cases.context["rows"]
    flagged = {e.family.name for e, due in rows if due.label == "Assessment" and due.is_overdue}
    assert flagged == {"Patel family"}
    assert {e.family.name for e, due in rows if due.label == "Assessment"} == {"Patel family"}

    client_for(client, north.manager)
    caseloads = client.get("/caseloads/")
    data = caseloads.context["data"]
    assert data.overdue_count == 1
    assert [episode.family.name for episode in data.overdue] == ["Patel family"]
    assert episode_selectors.next_due_work(before_plan.episode).label != "Assessment"
