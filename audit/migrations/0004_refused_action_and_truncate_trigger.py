"""Refused reads are audited; on PostgreSQL TRUNCATE of the audit log is refused too.

A row trigger (0002) never fires for TRUNCATE, which empties the table at once. This adds a
statement-level BEFORE TRUNCATE trigger. The application's database role has no TRUNCATE,
UPDATE or DELETE privilege on the table at all (audit.database_roles); the trigger also
stops the owner, unless the owner first disables it on purpose (README, production notes).
"""

from django.db import migrations, models

CREATE = """
CREATE OR REPLACE FUNCTION audit_event_refuse_truncate() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER audit_event_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_refuse_truncate();
"""

DROP = """
DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_event_refuse_truncate();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0003_alter_auditevent_action'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='action',
            field=models.CharField(choices=[('view', 'Viewed'), ('list', 'Listed'), ('create', 'Created'), ('change', 'Changed'), ('archive', 'Archived'), ('delete', 'Deleted'), ('export', 'Exported'), ('print', 'Printed'), ('search', 'Searched'), ('break_glass', 'Break-glass access'), ('grant', 'Granted access'), ('revoke', 'Revoked access'), ('sign_in', 'Signed in'), ('sign_in_failed', 'Sign-in failed'), ('sign_out', 'Signed out'), ('token_issued', 'API token issued'), ('merge', 'Merged'), ('unmerge', 'Merge undone'), ('refused', 'Refused access')], editable=False, max_length=30),
        ),
        migrations.RunPython(create_trigger, drop_trigger),
    ]
