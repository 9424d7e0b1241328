import pytest
from django.db import connection
from django.db.utils import DatabaseError

from audit.models import AppendOnlyError, AuditAction, AuditEvent
from audit.services import record
from tests.database_roles import as_table_owner
from tests.factories import UserFactory


@pytest.fixture
def event(db):
    return record(actor=UserFactory(), action=AuditAction.VIEW)


def test_record_stores_who_what_and_where(rf, db):
    from audit import context

    user = UserFactory(email="who@example.org")
    request = rf.get("/directory/teams/", HTTP_USER_AGENT="Test browser", REMOTE_ADDR="127.0.0.9")
    token = context.set_current(context.context_from_request(request))
    try:
        event = record(actor=user, action=AuditAction.VIEW, obj=user, reason="checking")
    finally:
        context.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor, stored.actor_label, stored.action) == (user, "who@example.org", "view")
    assert (stored.object_type, stored.object_id) == ("accounts.user", str(user.pk))
    assert (stored.ip_address, stored.user_agent, stored.path) == (
        "127.0.0.9",
        "Test browser",
        "/directory/teams/",
    )
    assert stored.reason == "checking"


def test_orm_refuses_to_save_an_existing_event(event):
    event.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_orm_refuses_to_delete_an_event(event):
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_orm_refuses_queryset_update_and_delete(event):
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_update([event], ["reason"])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET reason = 'rewritten' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_trigger_refuses_raw_update_and_delete(event, statement):
    # As the tables' owner: the service's own role has no UPDATE or DELETE on the table at
    # all (test_database_roles), so the trigger is what stops the owner.
    assert connection.vendor == "postgresql"
    with pytest.raises(DatabaseError, match="append-only"):
        with as_table_owner() as cursor:
            cursor.execute(statement, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


@pytest.mark.postgres
def test_postgresql_still_accepts_new_events(event):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (occurred_at, actor_label, action, object_type,"
            " object_id, user_agent, path, reason, detail)"
            " VALUES (now(), 'raw', 'view', '', '', '', '', '', '{}')"
        )
    assert AuditEvent.objects.filter(actor_label="raw").count() == 1
