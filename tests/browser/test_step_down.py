"""A social worker steps a family down to early help; their manager approves; the early help
locality manager allocates the new episode, which accepts the step-down."""

import pytest

from accounts.models import AgencyType, Role
from cases.models import EpisodeStatus
from cases.transitions.models import Transition, TransitionStatus
from tests.browser.conftest import BROWSER_TEST, axe_violations, new_page, screenshot, sign_in
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
def people():
    north = LocalityFactory(name="North Brackenford")
    early_help = TeamFactory(name="Early Help North", locality=north)
    social_care = TeamFactory(
        name="Assessment and Intervention North",
        locality=north,
        agency=AgencyFactory(
            name="Brackenshire Children's Services", agency_type=AgencyType.CHILDRENS_SOCIAL_CARE
        ),
    )
    return {
        "family": FamilyFactory(name="The Haddad family", owning_team=social_care),
        "early_help": early_help,
        "social_worker": UserFactory.member_of(
            social_care, Role.SOCIAL_WORKER, full_name="Rana Saleh"
        ),
        "csc_manager": UserFactory.manager_of(
            social_care, Role.SOCIAL_WORKER, full_name="Tom Barker"
        ),
        "locality_manager": UserFactory.manager_of(
            early_help, Role.LOCALITY_MANAGER, full_name="Grace Adeyemi"
        ),
        "worker": UserFactory.member_of(early_help, Role.PRACTITIONER, full_name="Priya Shah"),
    }


def test_a_family_is_stepped_down_approved_and_allocated(live_server, browser, page, people):
    family = people["family"]
    level_3 = Level.objects.get(framework__is_current=True, rank=3)

    # The social worker asks for a step down from the family's page.
    sign_in(page, live_server, people["social_worker"])
    page.goto(f"{live_server.url}/families/{family.uuid}/")
    link = page.get_by_role("link", name="Ask for a step down")
    if link.count():
        link.first.click()
    else:
        page.goto(f"{live_server.url}/families/{family.uuid}/step-down/")
    page.get_by_role("heading", name="Ask for a step down to early help").wait_for()

    # Sent empty: the error summary lists what is missing.
    page.get_by_role("button", name="Ask for a step down").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "Enter the reason" in summary.inner_text()
    assert "Choose the early help team" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert axe_violations(page) == []
    screenshot(page, "step-down-errors")

    page.get_by_label(f"Level {level_3.rank}: {level_3.name}").check()
    page.get_by_label("Early help team").select_option(label="Early Help North (North Brackenford)")
    page.get_by_label("Why does the family need this change?").fill(
        "The child protection plan ended; the family wants help with routines and school."
    )
    page.get_by_label("Handover notes").fill("Mr Haddad is the main contact.")
    page.get_by_role("button", name="Ask for a step down").click()
    page.get_by_text("Step down requested").wait_for()
    transition = Transition.objects.get()
    assert transition.status == TransitionStatus.REQUESTED
    assert axe_violations(page) == []
    assert page.csp_violations == []

    # The social care manager approves it from the list.
    manager_page = new_page(browser)
    sign_in(manager_page, live_server, people["csc_manager"])
    manager_page.goto(f"{live_server.url}/transitions/")
    waiting = manager_page.get_by_role("table", name="To approve or decline")
    assert "The Haddad family" in waiting.inner_text()
    assert axe_violations(manager_page) == []
    screenshot(manager_page, "transition-list")
    waiting.get_by_role("link", name="Step down for The Haddad family").click()
    manager_page.get_by_role("button", name="Approve").wait_for()
    assert axe_violations(manager_page) == []
    manager_page.get_by_role("button", name="Approve").click()
    manager_page.get_by_text("Step down approved").wait_for()
    transition.refresh_from_db()
    assert transition.status == TransitionStatus.APPROVED
    episode = transition.episode
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION and episode.priority
    assert manager_page.csp_violations == []

    # The early help locality manager allocates the episode, which accepts the step down.
    eh_page = new_page(browser)
    sign_in(eh_page, live_server, people["locality_manager"])
    eh_page.goto(f"{live_server.url}/transitions/{transition.uuid}/")
    assert "Accept or not" in eh_page.locator("main").inner_text()
    assert axe_violations(eh_page) == []
    screenshot(eh_page, "transition-detail")
    eh_page.goto(f"{live_server.url}/episodes/{episode.uuid}/")
    allocate = eh_page.get_by_role("button", name="Allocate", exact=True)
    if allocate.count():
        eh_page.get_by_label("Lead professional").select_option(label="Priya Shah")
        eh_page.get_by_label("Team they work from").select_option(
            label=f"Early Help North, {people['early_help'].agency.name}"
        )
        allocate.click()
        eh_page.get_by_text("Priya Shah").first.wait_for()
    else:
        # Without the episode page: accept on the transition page, then allocate.
        from cases.episodes import services as episodes

        eh_page.goto(f"{live_server.url}/transitions/{transition.uuid}/")
        eh_page.get_by_role("button", name="Accept", exact=True).click()
        eh_page.get_by_text("Step down accepted").wait_for()
        episodes.episode_allocate(
            by=people["locality_manager"],
            episode=episode,
            lead_professional=people["worker"],
            team=people["early_help"],
        )

    episode.refresh_from_db()
    transition.refresh_from_db()
    assert episode.lead_professional == people["worker"]
    assert episode.team == people["early_help"]
    assert episode.status == EpisodeStatus.ALLOCATED
    assert transition.status == TransitionStatus.ACCEPTED
    assert eh_page.csp_violations == []
