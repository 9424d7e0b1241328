"""The lead professional starts the Early Help Assessment from the episode, fills two
sections on the pages, submits it, and a manager approves it. Then the lead professional
writes the TAF plan, agrees it, records a review, and downloads the family's PDF copy."""

import io
import re

import pytest
from django.utils import timezone
from pypdf import PdfReader

from assessments.models import (
    Assessment,
    AssessmentStatus,
    Plan,
    PlanStatus,
    Review,
)
from tests.assessments.assessment_helpers import complete_everything
from tests.browser.conftest import BROWSER_TEST, axe_violations, screenshot, sign_in
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.dates import years_before
from tests.factories import FamilyFactory, PersonFactory, TeamFactory

pytestmark = BROWSER_TEST

CHILD_DEVELOPMENT = [
    "Health",
    "Education and learning",
    "Emotional and behavioural development",
    "Identity",
    "Family and social relationships",
    "Social presentation",
    "Self-care skills",
]


@pytest.fixture
def setting():
    north = make_locality("North")
    family = FamilyFactory(name="The Okafor family", owning_team=TeamFactory())
    today = timezone.localdate()
    PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=years_before(today, 9),
        families=[family],
    )
    PersonFactory(given_name="Grace", family_name="Okafor", record_type="adult", families=[family])
    return north, allocated_episode(north, family=family)


def task(page, name):
    return page.locator(".govuk-task-list__item").filter(
        has=page.get_by_role("link", name=name, exact=True)
    )


def test_an_assessment_is_approved_then_a_plan_agreed_reviewed_and_printed(
    live_server, browser, page, setting
):
    north, episode = setting
    sign_in(page, live_server, north.worker)
    page.goto(f"{live_server.url}/episodes/{episode.uuid}/")
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_label(re.compile("^Mia Okafor")).check()
    page.get_by_label("Grace Okafor").check()
    page.get_by_role("button", name="Start the assessment").click()
    page.get_by_role("heading", name="Early Help Assessment", level=1).wait_for()
    assessment = Assessment.objects.get(episode=episode)
    assert page.url.endswith(f"/assessments/{assessment.uuid}/")
    assert axe_violations(page) == []

    # The child's developmental needs: a rating and a narrative for each area.
    page.get_by_role("link", name="The child's developmental needs for Mia Okafor").click()
    assert axe_violations(page) == []
    for label in CHILD_DEVELOPMENT:
        page.get_by_role("group", name=label, exact=True).get_by_label("Some need").check()
        page.get_by_label(f"{label}: why", exact=True).fill(f"What we found about {label.lower()}")
    page.get_by_role("button", name="Save and mark as complete").click()
    page.get_by_text("Completed: The child's developmental needs for Mia Okafor").wait_for()

    # Signs of Safety: three questions in words and a score.
    page.get_by_role("link", name="What we are worried about and what is working well").click()
    page.get_by_label("What are we worried about?", exact=True).fill("Mia misses school.")
    page.get_by_label("What is working well?", exact=True).fill("Grace walks her to school.")
    page.get_by_label("What needs to happen?", exact=True).fill("A routine for mornings.")
    page.get_by_role("group", name=re.compile("^On a scale of 0 to 10")).get_by_label(
        "6", exact=True
    ).check()
    page.get_by_role("button", name="Save and mark as complete").click()
    page.get_by_text("Completed: What we are worried about").wait_for()

    for name in (
        "The child's developmental needs for Mia Okafor",
        "What we are worried about and what is working well",
    ):
        assert task(page, name).locator(".govuk-task-list__status").inner_text() == "Completed"
    assert "Not yet started" in task(page, "Parenting capacity for Grace Okafor").inner_text()
    screenshot(page, "assessment-task-list")

    # The rest through the services, to save time; then submit on the page.
    complete_everything(north.worker, assessment)
    page.reload()
    page.get_by_role("button", name="Submit for approval").click()
    page.get_by_text("Assessment submitted for approval").wait_for()

    # A manager approves.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, north.manager)
    page.goto(f"{live_server.url}/assessments/{assessment.uuid}/")
    page.get_by_role("button", name="Approve").click()
    page.get_by_text("Assessment approved").wait_for()
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert assessment.decided_by == north.manager
    assert page.csp_violations == []

    # The lead professional writes the TAF plan with the family.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server, north.worker)
    page.goto(f"{live_server.url}/episodes/{episode.uuid}/")
    page.get_by_role("button", name="Start the plan").click()
    page.get_by_text("Plan started").wait_for()
    plan = Plan.objects.get(episode=episode)
    assert page.url.endswith(f"/plans/{plan.uuid}/")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/plans/{plan.uuid}/edit/")
    page.get_by_label("The family's own words").fill("We want calmer mornings.")
    page.get_by_label("What happens if things do not improve").fill("We meet again sooner.")
    page.get_by_role("button", name=re.compile("^Save")).click()
    page.get_by_text("Plan saved").wait_for()

    page.get_by_role("button", name="Add an outcome").click()
    page.get_by_role("button", name=re.compile("^(Add|Save)")).click()  # nothing filled in
    page.locator(".govuk-error-summary").get_by_text("Enter what will be different").wait_for()
    assert axe_violations(page) == []
    page.get_by_label("What will be different?").fill("Mia gets to school on time")
    page.get_by_label(re.compile("^Mia Okafor")).check()
    page.get_by_label("What need does it answer?").fill("School attendance")
    page.get_by_label("Getting a good education").check()
    page.get_by_role("group", name=re.compile("^Where are things now")).get_by_label(
        "3", exact=True
    ).check()
    page.get_by_role("group", name=re.compile("^Where does the family want")).get_by_label(
        "8", exact=True
    ).check()
    page.get_by_role("button", name=re.compile("^(Add|Save)")).click()
    page.get_by_text("Outcome added").wait_for()

    page.get_by_role("button", name="Add an action").click()
    page.get_by_label("What will be done?").fill("A morning routine chart on the fridge")
    page.get_by_label("A person who uses this service").check()
    page.get_by_label("The person").select_option(label=north.worker.get_full_name())
    due = timezone.localdate() + timezone.timedelta(days=14)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("button", name=re.compile("^(Add|Save)")).click()
    page.get_by_text("Action added").wait_for()

    page.get_by_role("button", name="Agree the plan").click()
    page.get_by_text("Plan agreed. The next review is due on").wait_for()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    assert axe_violations(page) == []
    screenshot(page, "plan-agreed")

    # A review: progress on the outcome, the views and the decision to continue.
    page.get_by_role("button", name="Record a review").click()
    assert axe_violations(page) == []
    page.get_by_role("group", name="How is it going?").get_by_label(re.compile("^Amber")).check()
    page.get_by_role("group", name=re.compile("^Scaling score now")).get_by_label(
        "5", exact=True
    ).check()
    page.get_by_label("The child's views").fill("I like the sticker chart.")
    page.get_by_label("The family's views").fill("Mornings are calmer.")
    page.get_by_label("Continue with the plan").check()
    page.get_by_role("button", name=re.compile("^(Record|Save)")).click()
    page.get_by_role("heading", name=re.compile("review", re.IGNORECASE), level=1).wait_for()
    review = Review.objects.get(plan=plan)
    assert page.url.endswith(f"/reviews/{review.uuid}/")
    assert review.progress.get().score == 5
    assert axe_violations(page) == []

    # The family's copy, made in the background and downloaded.
    page.goto(f"{live_server.url}/plans/{plan.uuid}/")
    page.get_by_role("button", name="Make the family plan").click()
    page.get_by_text(re.compile("The family plan PDF is (ready|being prepared)")).wait_for()
    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("^Download the family plan")).click()
    pdf = download_info.value.path().read_bytes()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "Mia gets to school on time" in text
    assert "A morning routine chart on the fridge" in text
    assert "We want calmer mornings." in text
    assert page.csp_violations == []
