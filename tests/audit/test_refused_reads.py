"""A refused read of a record that exists is audited: who, which record, refused.

A 404 on a real family (page or API) writes an event that survives the refusal; a 404 on a
UUID that names nothing writes none (there is nothing it refers to).
"""

import uuid

import pytest
from django.db import transaction
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from audit.services import record_refused
from cases.models import Family
from tests.conftest import client_for
from tests.factories import FamilyFactory


@pytest.fixture
def family(team):
    return FamilyFactory(owning_team=team, name="Hughes")


def refusals():
    return list(AuditEvent.objects.filter(action=AuditAction.REFUSED))


def _assert_one_refusal(user, family, path, status=404):
    (event,) = refusals()
    assert (event.actor, event.actor_label) == (user, user.email)
    assert (event.object_type, event.object_id) == ("cases.family", str(family.pk))
    assert event.path == path
    assert event.detail["status"] == status
    assert event.detail["lookup"] == {"uuid": str(family.uuid)}


def _assert_hidden_and_audited(response, user, family, path):
    assert response.status_code == 404
    assert "Hughes" not in response.content.decode()
    _assert_one_refusal(user, family, path)


def test_a_partner_users_404_on_a_real_family_page_is_audited(client, outsider, family):
    path = reverse("cases:family-detail", args=[family.uuid])
    response = client_for(client, outsider).get(path)
    _assert_hidden_and_audited(response, outsider, family, path)


def test_a_partner_users_404_on_a_real_family_in_the_api_is_audited(api_client, outsider, family):
    api_client.force_authenticate(outsider)
    path = f"/api/families/{family.uuid}/"
    response = api_client.get(path)
    _assert_hidden_and_audited(response, outsider, family, path)


def test_a_refused_change_through_the_api_is_audited_too(api_client, outsider, family):
    api_client.force_authenticate(outsider)
    path = f"/api/families/{family.uuid}/"
    response = api_client.patch(path, {"name": "Changed"})
    assert response.status_code == 404
    assert Family.objects.get(pk=family.pk).name == "Hughes"
    _assert_one_refusal(outsider, family, path)


@pytest.mark.parametrize("api", [False, True])
def test_a_404_on_a_uuid_that_names_nothing_writes_no_refusal(
    client, api_client, outsider, family, api
):
    missing = uuid.uuid4()
    if api:
        api_client.force_authenticate(outsider)
        response = api_client.get(f"/api/families/{missing}/")
    else:
        response = client_for(client, outsider).get(reverse("cases:family-detail", args=[missing]))
    assert response.status_code == 404
    assert refusals() == []


def test_the_team_reading_its_family_writes_a_view_not_a_refusal(client, practitioner, family):
    response = client_for(client, practitioner).get(
        reverse("cases:family-detail", args=[family.uuid])
    )
    assert response.status_code == 200
    assert refusals() == []
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, object_id=str(family.pk)).exists()


def test_in_a_request_the_refusal_outlives_the_rollback_of_the_views_transaction(
    rf, outsider, family
):
    """A view that refuses inside a transaction rolls it back; the event is written after."""
    from audit.middleware import AuditContextMiddleware

    def view(request):
        with transaction.atomic():
            record_refused(actor=outsider, model=Family, lookup={"uuid": family.uuid}, status=404)
            assert refusals() == []  # kept back until the response is ready
            raise RuntimeError("the view's refusal rolls its transaction back")

    def get_response(request):
        try:
            view(request)
        except RuntimeError:
            pass
        from django.http import HttpResponseNotFound

        return HttpResponseNotFound()

    request = rf.get("/somewhere/")
    response = AuditContextMiddleware(get_response)(request)
    assert response.status_code == 404
    (event,) = refusals()
    assert (event.actor, event.object_id, event.path) == (outsider, str(family.pk), "/somewhere/")


def test_outside_a_request_the_refusal_is_written_at_once(outsider, family):
    assert record_refused(actor=outsider, model=Family, lookup={"uuid": family.uuid}, status=404)
    assert len(refusals()) == 1
    assert not record_refused(
        actor=outsider, model=Family, lookup={"uuid": "not a uuid"}, status=404
    )
    assert len(refusals()) == 1
