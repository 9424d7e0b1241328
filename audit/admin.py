from django.contrib import admin

from audit.models import AuditEvent
from earlyhelp import access
from earlyhelp.admin import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    """Read-only. Events carry search terms about children, so only superusers see them."""

    list_display = [
        "occurred_at",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "ip_address",
    ]
    list_filter = ["action", "object_type"]
    search_fields = ["actor_label", "object_id", "reason"]
    date_hierarchy = "occurred_at"
    list_select_related = ["actor"]
    read_permission = access.Permission.VIEW_AUDIT_LOG
