from django.contrib import admin

from earlyhelp import access
from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only: background jobs and whether the broker has taken them. A job waiting with
    many attempts means the broker (Redis) or the beat relay is down."""

    list_display = ["created_at", "task_name", "args", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "created_at"

    def has_module_permission(self, request):
        return access.can(request.user, access.Permission.CONFIGURE)

    def has_view_permission(self, request, obj=None):
        return access.can(request.user, access.Permission.CONFIGURE)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
