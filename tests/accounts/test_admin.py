import pytest
from django.urls import reverse

from accounts.models import Agency, Role
from audit.models import AuditEvent
from tests.factories import UserFactory


def test_system_administrator_reaches_the_admin_without_is_staff(client, system_administrator):
    assert not system_administrator.is_staff
    client.force_login(system_administrator)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Agencies" in page and "Teams" in page and "Users" in page
    assert "Audit events" not in page


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_other_roles_are_refused(client, db, role):
    client.force_login(UserFactory(roles=[role]))
    response = client.get(reverse("admin:accounts_agency_changelist"), follow=True)
    assert response.status_code == 403
    assert "for system administrators" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_service_sign_in(client, db):
    response = client.get(reverse("admin:accounts_agency_changelist"), follow=True)
    assert response.redirect_chain[-1][0] == "/sign-in/?next=/admin/accounts/agency/"
    assert response.status_code == 200


def test_adding_an_agency_in_the_admin_is_audited(client, system_administrator):
    client.force_login(system_administrator)
    response = client.post(
        reverse("admin:accounts_agency_add"),
        {"name": "Kingsmere College", "agency_type": "school", "email": "", "phone": ""},
    )
    assert response.status_code == 302
    agency = Agency.objects.get(name="Kingsmere College")
    assert agency.created_by == system_administrator
    event = AuditEvent.objects.for_object(agency).get()
    assert (event.action, event.actor) == ("create", system_administrator)


def test_nothing_can_be_deleted_in_the_admin(client, system_administrator):
    agency = system_administrator.agency
    client.force_login(system_administrator)
    response = client.get(reverse("admin:accounts_agency_delete", args=[agency.pk]))
    assert response.status_code == 403
    assert Agency.objects.filter(pk=agency.pk).exists()


def test_audit_log_is_read_only_for_superusers(client, db):
    superuser = UserFactory(is_superuser=True)
    AuditEvent.objects.create(action="view", actor_label="someone@example.org")
    client.force_login(superuser)
    changelist = client.get(reverse("admin:audit_auditevent_changelist"))
    assert changelist.status_code == 200
    assert "someone@example.org" in changelist.content.decode()
    event = AuditEvent.objects.get(actor_label="someone@example.org")
    assert client.get(reverse("admin:audit_auditevent_delete", args=[event.pk])).status_code == 403


def test_system_administrator_cannot_make_a_superuser(client, system_administrator):
    target = UserFactory()
    client.force_login(system_administrator)
    page = client.get(reverse("admin:accounts_user_change", args=[target.pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="groups"' in page
