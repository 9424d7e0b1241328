"""Withdrawing a request not yet decided: by its requester or by the front door."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from earlyhelp.exceptions import ServiceError
from referrals.models import RequestForSupport, Status
from referrals.requests import services as request_services
from tests.factories import TeamFactory, UserFactory
from tests.referrals.screening_helpers import decide_no_further_action, make_triage_officer

pytestmark = pytest.mark.django_db


def test_the_requester_withdraws_their_request_and_is_not_emailed_about_it(
    practitioner, request_for_support, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = request_services.request_withdraw(
            by=practitioner, request=request_for_support, reason="Sent twice by mistake."
        )

    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.outcome_summary == "Withdrawn: Sent twice by mistake."
    assert mail.outbox == []
    event = AuditEvent.objects.filter(object_id=str(request_for_support.pk)).latest("pk")
    assert event.action == AuditAction.CHANGE and event.detail["step"] == "withdraw"


def test_a_triage_officer_withdraws_a_duplicate_and_the_requester_is_told(
    team, practitioner, request_for_support, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        request_services.request_withdraw(
            by=make_triage_officer(team),
            request=request_for_support,
            reason="Repeats EH-2026-000101, which is being screened.",
        )

    [message] = mail.outbox
    assert message.to == [practitioner.email]
    assert "withdrawn" in message.subject
    assert "Repeats EH-2026-000101" in message.body


def test_nobody_else_withdraws_a_request(colleague, request_for_support):
    with pytest.raises(PermissionDenied):
        request_services.request_withdraw(by=colleague, request=request_for_support, reason="No")


def test_a_reason_is_needed(practitioner, request_for_support):
    with pytest.raises(ValidationError) as error:
        request_services.request_withdraw(by=practitioner, request=request_for_support, reason=" ")
    assert error.value.message_dict == {"withdrawn_reason": ["Enter why the request is withdrawn"]}


def test_a_decided_request_cannot_be_withdrawn(team, practitioner, request_for_support):
    officer = make_triage_officer(team)
    decide_no_further_action(officer, request_for_support)
    with pytest.raises(ServiceError, match="can no longer be withdrawn"):
        request_services.request_withdraw(
            by=practitioner, request=request_for_support, reason="Late"
        )


def test_the_page_keeps_the_typed_reason_on_an_error_and_withdraws(
    client, practitioner, request_for_support
):
    client.force_login(practitioner)
    url = reverse("referrals:request-withdraw", args=[request_for_support.uuid])
    detail = reverse("referrals:request-detail", args=[request_for_support.uuid])
    assert url in client.get(detail).content.decode()

    page = client.post(url, {"withdrawn_reason": ""}).content.decode()
    assert "govuk-error-summary" in page and "Enter why the request is withdrawn" in page

    response = client.post(url, {"withdrawn_reason": "The family moved away."})
    assert response.status_code == 302 and response.url == detail
    assert RequestForSupport.objects.get(pk=request_for_support.pk).status == Status.WITHDRAWN
    assert "Withdraw this request" not in client.get(detail).content.decode()


def test_strangers_do_not_learn_the_request_exists(client, request_for_support):
    client.force_login(UserFactory(roles=["practitioner"], teams=[TeamFactory()]))
    url = reverse("referrals:request-withdraw", args=[request_for_support.uuid])
    assert client.post(url, {"withdrawn_reason": "x"}).status_code == 404


def test_the_api_withdraws(api_client, team, request_for_support):
    api_client.force_authenticate(make_triage_officer(team))
    url = f"/api/requests/{request_for_support.uuid}/withdraw/"

    assert api_client.post(url, {}).status_code == 400
    response = api_client.post(url, {"withdrawn_reason": "Duplicate of another request."})

    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "withdrawn"
    assert response.json()["withdrawn_reason"] == "Duplicate of another request."
    again = api_client.post(url, {"withdrawn_reason": "Again"})
    assert again.status_code == 400
    assert "can no longer be withdrawn" in again.json()["message"]


def test_the_api_does_not_tell_strangers_the_request_exists(
    api_client, colleague, request_for_support
):
    # Those who may not see it get 404 whatever they sent: not a 400 about the missing
    # reason, which would tell them a request with this id exists.
    url = f"/api/requests/{request_for_support.uuid}/withdraw/"
    for stranger in (colleague, UserFactory(roles=["practitioner"], teams=[TeamFactory()])):
        api_client.force_authenticate(stranger)
        response = api_client.post(url, {})
        assert response.status_code == 404, response.json()
        assert "withdrawn_reason" not in str(response.json())
    assert AuditEvent.objects.filter(
        action=AuditAction.REFUSED, object_id=str(request_for_support.pk)
    ).exists()
    assert RequestForSupport.objects.get(pk=request_for_support.pk).status != Status.WITHDRAWN
