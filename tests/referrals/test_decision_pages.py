"""The triage decision pages: deciding a screened request, the reasons and consent a
decision needs, and what the referrer sees after."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditAction, AuditEvent
from cases.models import Episode, EpisodeStatus
from referrals.models import Decision
from referrals.screening.decisions import services as decisions
from tests.form_pages import shown_again_with_errors
from tests.referrals.screening_helpers import level
from tests.referrals.triage_page_helpers import decide_data, indicators_at, screened, screening_url

pytestmark = pytest.mark.django_db


def test_decide_taf_opens_an_episode(officer_client, triage_officer, practitioner, team):
    item = screened(practitioner, triage_officer, team)
    page = officer_client.get(screening_url(item, "decide"))
    assert page.status_code == 200
    assert page.context["form"]["level"].value() == level(3).pk

    response = officer_client.post(screening_url(item, "decide"), decide_data())
    assert response.status_code == 302
    assert response.url == screening_url(item, "decision")
    decision = Decision.objects.get(request=item)
    episode = Episode.objects.get(opened_from_request=item)
    assert decision.episode == episode
    assert episode.status == EpisodeStatus.AWAITING_ALLOCATION

    detail = officer_client.get(response.url)
    assert detail.status_code == 200
    assert "awaiting allocation" in detail.content.decode()
    # Deciding again is not offered.
    again = officer_client.get(screening_url(item, "decide"))
    assert again.status_code == 302
    assert again.url == screening_url(item, "decision")


def test_decide_without_consent_keeps_typed_values(
    officer_client, triage_officer, practitioner, team
):
    item = screened(
        practitioner,
        triage_officer,
        team,
        consent="not_given",
        consent_given_by="",
        consent_covers="",
        consent_not_given_reason="Mum said no",
    )
    page = officer_client.get(screening_url(item, "decide"))
    assert "Early help is voluntary" in page.content.decode()

    response = officer_client.post(
        screening_url(item, "decide"), decide_data(rationale="My careful reasons")
    )
    html = shown_again_with_errors(response)
    assert escape(decisions.CONSENT_REFUSAL) in html
    assert response.context["form"].errors["outcome"] == [decisions.CONSENT_REFUSAL]
    assert "My careful reasons" in html
    assert not Decision.objects.filter(request=item).exists()


def test_decide_a_different_level_needs_a_reason(
    officer_client, triage_officer, practitioner, team
):
    item = screened(practitioner, triage_officer, team)
    response = officer_client.post(
        screening_url(item, "decide"), decide_data(outcome="single_agency", level=level(2).pk)
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "level_override_reason" in form.errors
    response = officer_client.post(
        screening_url(item, "decide"),
        decide_data(outcome="single_agency", level=level(2).pk, level_override_reason="Less"),
    )
    assert "single_agency" in response.context["form"].errors
    assert 'value="single_agency" checked' in response.content.decode()


def test_referrer_sees_the_outcome_not_the_case(
    client, officer_client, triage_officer, practitioner, team
):
    item = screened(practitioner, triage_officer, team)
    officer_client.post(screening_url(item, "decide"), decide_data())
    client.force_login(practitioner)
    response = client.get(reverse("referrals:request-detail", kwargs={"uuid": item.uuid}))
    assert response.status_code == 200
    html = response.content.decode()
    item.refresh_from_db()
    assert item.outcome_summary in html
    assert "Decided" in html
    indicator = indicators_at(3)[0]
    assert indicator.text not in html
    assert "Episode" not in html
    assert "awaiting allocation" not in html.lower()
    assert client.get(screening_url(item, "decision")).status_code == 403


def test_decision_page_audited(officer_client, triage_officer, practitioner, team):
    item = screened(practitioner, triage_officer, team)
    officer_client.post(screening_url(item, "decide"), decide_data())
    before = AuditEvent.objects.filter(actor=triage_officer, action=AuditAction.VIEW).count()
    officer_client.get(screening_url(item, "decision"))
    after = AuditEvent.objects.filter(actor=triage_officer, action=AuditAction.VIEW).count()
    assert after == before + 1
