"""The first thing anyone does: sign in, see their home page, sign out."""

import pytest

from accounts.models import Role
from tests.browser.conftest import BROWSER_TEST, axe_violations, screenshot, sign_in_here
from tests.factories import TeamFactory, UserFactory

pytestmark = BROWSER_TEST


@pytest.fixture
def practitioner():
    team = TeamFactory(name="Early Help North")
    return UserFactory.member_of(
        team,
        Role.PRACTITIONER,
        email="chloe.bennett@brackenshire.example",
        full_name="Chloe Bennett",
    )


def test_sign_in_see_home_and_sign_out(live_server, page, practitioner):
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/sign-in/?next=/"
    assert page.title().startswith("Sign in")
    assert axe_violations(page) == []
    screenshot(page, "sign-in")

    sign_in_here(page, practitioner)

    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Chloe Bennett"
    assert page.get_by_text("Early Help North").is_visible()
    assert page.get_by_text("Practitioner", exact=True).is_visible()
    # GOV.UK Frontend's JavaScript ran: the nonce let our scripts through CSP.
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    assert axe_violations(page) == []
    screenshot(page, "home")

    page.get_by_role("link", name="Directory").click()
    page.get_by_role("link", name="Teams", exact=True).click()
    page.get_by_label("Team or agency name").fill("north")
    page.get_by_role("button", name="Apply filters").click()
    assert page.locator(".app-count").inner_text() == "1 team"
    assert axe_violations(page) == []
    screenshot(page, "team-list")
    page.get_by_role("link", name="Early Help North").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Early Help North"
    assert page.get_by_role("link", name="Chloe Bennett").is_visible()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/signed-out/")
    assert page.get_by_role("heading", level=1).inner_text() == "You have signed out"
    page.goto(f"{live_server.url}/")
    assert "/sign-in/" in page.url
    assert page.csp_violations == []


def test_wrong_password_shows_the_error_summary_and_keeps_the_email(
    live_server, page, practitioner
):
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_label("Email address").fill(practitioner.email)
    page.get_by_label("Password").fill("not my password")
    page.get_by_role("button", name="Sign in").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter a correct email address and password" in summary.inner_text()
    assert page.title().startswith("Error: Sign in")
    assert page.get_by_label("Email address").input_value() == practitioner.email
    # The error summary takes focus so screen reader users hear it first.
    assert page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")
    summary.get_by_role("link").click()
    assert page.evaluate("document.activeElement.id") == "id_username"
    assert axe_violations(page) == []
    screenshot(page, "sign-in-error")


def test_api_documentation_renders_from_local_assets(live_server, page, practitioner):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{live_server.url}/sign-in/?next=/api/docs/")
    sign_in_here(page, practitioner)
    page.wait_for_url(f"{live_server.url}/api/docs/")
    page.get_by_text("/api/agencies/").first.wait_for()
    assert page.csp_violations == []
    assert all(url.startswith(live_server.url) for url in requested), requested
