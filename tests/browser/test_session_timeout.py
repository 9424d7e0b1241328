"""A practitioner writing an assessment section is warned before the session ends, can
stay signed in, and loses nothing they typed when it ends anyway: after signing in again
the form has their words back, unsaved until they save it.

The session is short here (settings) and the page's clock is moved on with Playwright's
clock rather than waited for; the server's session is ended by moving its expiry, as the
passing of the same time would."""

import re
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from assessments.assessments import services
from assessments.models import AssessmentSection
from tests.browser.conftest import BROWSER_TEST, axe_violations, screenshot, sign_in, sign_in_here
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.factories import FamilyFactory, PersonFactory, TeamFactory

pytestmark = BROWSER_TEST

SESSION_SECONDS = 60
WARNING_SECONDS = 30
WORRIES = "Mia has missed nine days of school since half term; mum says mornings are hard."
PUT_BACK = "We have put back what you typed. It is not saved yet."


@pytest.fixture
def short_session(settings):
    settings.SESSION_COOKIE_AGE = SESSION_SECONDS
    settings.SESSION_TIMEOUT_WARNING_SECONDS = WARNING_SECONDS


@pytest.fixture
def setting(short_session):
    north = make_locality("North")
    family = FamilyFactory(name="The Okafor family", owning_team=TeamFactory())
    today = timezone.localdate()
    mia = PersonFactory(
        given_name="Mia",
        family_name="Okafor",
        date_of_birth=today.replace(year=today.year - 9, day=1),
        families=[family],
    )
    episode = allocated_episode(north, family=family)
    assessment = services.assessment_start(
        by=north.worker, episode=episode, children=[mia], adults=[]
    )
    section = assessment.sections.get(key="signs_of_safety")
    return north, assessment, section


def section_url(live_server, assessment, section):
    return f"{live_server.url}/assessments/{assessment.uuid}/sections/{section.uuid}/"


def end_server_sessions():
    """The server's side of the session running out."""
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))


def worries(page):
    return page.get_by_label("What are we worried about?", exact=True)


def score(page, value):
    return page.get_by_role("group", name=re.compile("^On a scale of 0 to 10")).get_by_label(
        value, exact=True
    )


def type_into_the_section(page):
    worries(page).fill(WORRIES)
    score(page, "4").check()
    worries(page).focus()


def test_warned_before_the_end_stay_signed_in_then_a_save_after_the_end_loses_nothing(
    live_server, page, setting
):
    north, assessment, section = setting
    page.clock.install()
    sign_in(page, live_server, north.worker)
    page.goto(section_url(live_server, assessment, section))
    type_into_the_section(page)

    # Nothing shows until the warning period.
    dialog = page.get_by_role("dialog", name="You are about to be signed out")
    page.clock.fast_forward((SESSION_SECONDS - WARNING_SECONDS - 5) * 1000)
    page.wait_for_timeout(1500)
    assert not dialog.is_visible()

    page.clock.fast_forward(10 * 1000)
    dialog.wait_for()
    assert re.search(r"we will sign you out in \d+ seconds\.", dialog.inner_text())
    stay = dialog.get_by_role("button", name="Stay signed in")
    assert stay.evaluate("button => button === document.activeElement")
    assert dialog.get_by_role("button", name="Sign out").is_visible()
    assert dialog.locator("[aria-live=polite]").count() == 1
    assert axe_violations(page) == []
    screenshot(page, "session-timeout-warning")

    # Staying signed in, from the keyboard, moves the server's expiry on and gives focus
    # back to where it was.
    before = Session.objects.get().expire_date
    page.wait_for_timeout(1100)  # the expiry is stored to the second
    page.keyboard.press("Enter")  # on "Stay signed in", which has the focus
    dialog.wait_for(state="hidden")
    after = Session.objects.get().expire_date
    assert after > before
    assert after > timezone.now() + timedelta(seconds=SESSION_SECONDS - 10)
    assert worries(page).evaluate("field => field === document.activeElement")
    # And the page counts from the new expiry: no warning straight away.
    page.wait_for_timeout(1500)
    assert not dialog.is_visible()

    # Called away: the session ends on the server before the page notices, and Save is
    # turned away to the sign-in page.
    end_server_sessions()
    page.get_by_role("button", name="Save and come back later").click()
    page.wait_for_url(re.compile(r"/sign-in/\?next="))
    page.get_by_text("You were signed out before your work was saved").wait_for()
    page.get_by_text("What you typed is kept in this browser tab").wait_for()
    assert axe_violations(page) == []

    # Back on the form after signing in, with the words put back and not yet saved.
    sign_in_here(page, north.worker)
    page.wait_for_url(section_url(live_server, assessment, section))
    banner = page.locator(".govuk-notification-banner", has_text=PUT_BACK)
    banner.wait_for()
    assert worries(page).input_value() == WORRIES
    assert score(page, "4").is_checked()
    section.refresh_from_db()
    assert section.answers.get("worries") in (None, "")
    assert axe_violations(page) == []
    screenshot(page, "session-timeout-put-back")

    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("Saved: What we are worried about").wait_for()
    section = AssessmentSection.objects.get(pk=section.pk)
    assert section.answers["worries"] == WORRIES
    assert section.answers["scaling"] == 4

    # Put back once only: the form now shows what is saved, without the banner.
    page.goto(section_url(live_server, assessment, section))
    assert worries(page).input_value() == WORRIES
    assert page.get_by_text(PUT_BACK).count() == 0
    assert page.csp_violations == []


def test_when_time_runs_out_the_page_signs_out_and_the_words_come_back(live_server, page, setting):
    north, assessment, section = setting
    page.clock.install()
    sign_in(page, live_server, north.worker)
    page.goto(section_url(live_server, assessment, section))
    type_into_the_section(page)

    page.clock.fast_forward((SESSION_SECONDS - WARNING_SECONDS + 1) * 1000)
    page.get_by_role("dialog", name="You are about to be signed out").wait_for()
    end_server_sessions()
    page.clock.fast_forward(WARNING_SECONDS * 1000)

    page.wait_for_url(re.compile(r"/sign-in/\?timed_out=1&next="))
    page.get_by_text("We signed you out for your security").wait_for()
    page.get_by_text("You had not used Early Help for 1 minute").wait_for()
    page.get_by_text("What you typed and had not saved is kept in this browser tab").wait_for()
    assert axe_violations(page) == []

    sign_in_here(page, north.worker)
    page.wait_for_url(section_url(live_server, assessment, section))
    page.get_by_text(PUT_BACK).wait_for()
    assert worries(page).input_value() == WORRIES
    assert score(page, "4").is_checked()
    assert page.csp_violations == []


def test_kept_words_go_on_sign_out_and_never_to_someone_else(live_server, page, setting):
    north, assessment, section = setting
    sign_in(page, live_server, north.worker)
    page.goto(section_url(live_server, assessment, section))
    type_into_the_section(page)
    end_server_sessions()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("You were signed out before your work was saved").wait_for()

    # A colleague signs in on the same browser tab and opens the same section.
    sign_in_here(page, north.colleague)
    page.wait_for_url(section_url(live_server, assessment, section))
    assert page.get_by_text(PUT_BACK).count() == 0
    assert WORRIES not in page.content()
    assert page.evaluate("() => sessionStorage.length") == 0
    page.get_by_role("button", name="Sign out").click()

    # The worker's words were forgotten, not held for them.
    sign_in(page, live_server, north.worker)
    page.goto(section_url(live_server, assessment, section))
    assert worries(page).input_value() == ""
    assert page.get_by_text(PUT_BACK).count() == 0

    # Signing out forgets kept words even for the same person.
    type_into_the_section(page)
    end_server_sessions()
    page.get_by_role("button", name="Save and come back later").click()
    page.get_by_text("You were signed out before your work was saved").wait_for()
    page.goto(f"{live_server.url}/sign-in/")
    sign_in_here(page, north.worker)
    page.wait_for_url(f"{live_server.url}/")
    assert page.evaluate("() => sessionStorage.length") == 1  # kept for the section page
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out").wait_for()
    assert page.evaluate("() => sessionStorage.length") == 0
    sign_in(page, live_server, north.worker)
    page.goto(section_url(live_server, assessment, section))
    assert worries(page).input_value() == ""
    assert page.get_by_text(PUT_BACK).count() == 0
