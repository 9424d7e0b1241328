from django.contrib import admin

from audit.models import AuditEvent
from earlyhelp import access


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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

    def _may_read(self, request):
        return access.can(request.user, access.Permission.VIEW_AUDIT_LOG)

    def has_module_permission(self, request):
        return self._may_read(request)

    def has_view_permission(self, request, obj=None):
        return self._may_read(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
