"""From a teacher's request, through screening, to a level 3 decision that opens an
episode awaiting allocation in the family's locality."""

import datetime

import pytest

from accounts.models import Role
from cases.models import Episode
from referrals.models import Decision, RequestForSupport
from tests.browser.conftest import (
    BROWSER_TEST,
    axe_violations,
    fill_date,
    new_page,
    screenshot,
    sign_in,
)
from tests.factories import (
    FamilyFactory,
    LocalityFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)
from thresholds.models import Indicator

pytestmark = BROWSER_TEST


@pytest.fixture
def people():
    north = LocalityFactory(name="North Brackenford")
    family_team = TeamFactory(name="Early Help North", locality=north)
    family = FamilyFactory(name="The Mensah family", owning_team=family_team)
    PersonFactory(
        given_name="Kojo",
        family_name="Mensah",
        date_of_birth=datetime.date(2016, 5, 12),
        owning_team=family_team,
        families=[family],
    )
    school = TeamFactory(name="Brackenford Primary pastoral team")
    front_door = TeamFactory(name="Front door (MASH)")
    return {
        "family": family,
        "teacher": UserFactory.member_of(
            school,
            Role.PRACTITIONER,
            email="sam.teacher@brackenford.example",
            full_name="Sam Okoro",
        ),
        "officer": UserFactory.member_of(
            front_door,
            Role.TRIAGE_OFFICER,
            email="asha.patel@brackenshire.example",
            full_name="Asha Patel",
        ),
    }


def test_a_request_is_screened_and_opens_an_episode_awaiting_allocation(
    live_server, browser, page, people
):
    # A teacher asks for support.
    sign_in(page, live_server, people["teacher"])
    page.goto(f"{live_server.url}/requests/new/")
    page.get_by_label("Your agency").select_option(label=people["teacher"].agency.name)
    child = page.locator("#person-1")
    child.get_by_label("Child or young person").check()
    child.get_by_label("First name").fill("Kojo")
    child.get_by_label("Last name").fill("Mensah")
    fill_date(child, 12, 5, 2016)
    page.get_by_label("Neglect").check()
    page.get_by_label("School attendance").check()
    page.get_by_label("What are you worried about?").fill(
        "Kojo arrives hungry most days and has missed 30% of sessions this term."
    )
    page.get_by_label("Given", exact=True).check()
    page.get_by_label("If consent was given, who gave it?").fill("Ama Mensah, mother")
    page.get_by_label("Both: assessment and support").check()
    fill_date(page.get_by_role("group", name="If consent was given, on what date"), 20, 11, 2026)
    page.get_by_label("Soon: help is needed within a few days").check()
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Request for support sent").wait_for()
    request = RequestForSupport.objects.get()
    assert request.reference in page.locator("main").inner_text()

    # A triage officer claims it from the queue.
    officer_page = new_page(browser)
    sign_in(officer_page, live_server, people["officer"])
    officer_page.get_by_role("link", name="Triage queue").click()
    assert request.reference in officer_page.locator("table").inner_text()
    assert axe_violations(officer_page) == []
    officer_page.get_by_role("button", name="Claim").click()
    officer_page.get_by_role("heading", level=1).filter(has_text=request.reference).wait_for()

    # Screening: the child is known; matching links the family.
    officer_page.get_by_role("button", name="This is them").first.click()
    officer_page.get_by_text("The Mensah family").first.wait_for()
    assert axe_violations(officer_page) == []

    # Threshold indicators give the suggested level.
    level_3 = Indicator.objects.filter(framework__is_current=True, level__rank=3).order_by("pk")
    for indicator in level_3[:2]:
        officer_page.locator(f'input[name="indicators"][value="{indicator.pk}"]').check()
    officer_page.get_by_role("button", name="Save indicators").click()
    suggested = officer_page.locator(".app-suggested-level")
    suggested.wait_for()
    assert level_3[0].level.name in suggested.inner_text()
    screenshot(officer_page, "screening")

    # The decision: early help with a TAF, at the suggested level.
    officer_page.get_by_role("button", name="Decide").click()
    assert axe_violations(officer_page) == []
    officer_page.get_by_role("button", name="Record the decision").click()
    assert officer_page.locator(".govuk-error-summary").is_visible()
    officer_page.get_by_label("Early help with a Team Around the Family (level 3)").check()
    officer_page.get_by_label("Reasons for the decision").fill(
        "Neglect and poor attendance together: needs several agencies around the family."
    )
    officer_page.get_by_role("button", name="Record the decision").click()
    officer_page.get_by_text("Opened, awaiting allocation").wait_for()
    assert "North Brackenford" in officer_page.locator("main").inner_text()
    assert axe_violations(officer_page) == []
    assert officer_page.csp_violations == []
    screenshot(officer_page, "decision")

    episode = Episode.objects.get()
    assert episode.family == people["family"]
    assert episode.status == "awaiting_allocation"
    assert episode.locality.name == "North Brackenford"
    assert Decision.objects.get().level.rank == 3
    officer_page.context.close()

    # The teacher sees the outcome, not the case.
    page.goto(f"{live_server.url}/requests/{request.uuid}/")
    text = page.locator("main").inner_text()
    assert "Decided" in text and "Team Around the Family" in text
    assert level_3[0].text not in text
    assert axe_violations(page) == []
