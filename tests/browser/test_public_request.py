"""A parent asks for help without signing in, corrects a mistake, and gets a reference."""

from django.core import mail

from referrals.models import RequestForSupport
from tests.browser.conftest import BROWSER_TEST, axe_violations, screenshot

pytestmark = BROWSER_TEST


def test_a_parent_asks_for_help_and_gets_a_reference(live_server, page):
    page.goto(f"{live_server.url}/")
    page.get_by_role("link", name="Ask for help for your family").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Ask for help for your family"
    assert axe_violations(page) == []

    page.get_by_label("A parent or carer").check()
    page.get_by_label("Your name").fill("Grace Mensah-Boateng")
    person = page.locator("#person-1")
    person.get_by_label("First name").fill("Kojo")
    page.get_by_label("What is worrying you?").fill("Kojo has stopped going to school.")
    page.get_by_role("button", name="Send").click()

    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert page.title().startswith("Error:")
    # Everything typed is still there.
    assert page.get_by_label("Your name").input_value() == "Grace Mensah-Boateng"
    assert page.locator("#person-1").get_by_label("First name").input_value() == "Kojo"
    assert page.get_by_label("What is worrying you?").input_value().startswith("Kojo has")
    assert axe_violations(page) == []
    assert not RequestForSupport.objects.exists()
    assert mail.outbox == []

    page.get_by_label("Your email address").fill("grace@example.org")
    page.get_by_label("How are you related to the child?").fill("Mum")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Within a few days").check()
    page.get_by_label("School attendance").check()
    page.get_by_role("button", name="Send").click()

    page.wait_for_url(f"{live_server.url}/request-support/sent/")
    request = RequestForSupport.objects.get()
    assert request.reference in page.locator("main").inner_text()
    assert axe_violations(page) == []
    assert page.csp_violations == []
    screenshot(page, "public-request-sent")
