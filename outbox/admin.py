from django.contrib import admin

from earlyhelp import access
from earlyhelp.admin import ReadOnlyAdmin
from outbox.models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Read-only: background jobs and whether the broker has taken them. A job waiting with
    many attempts means the broker (Redis) or the beat relay is down."""

    list_display = ["created_at", "task_name", "args", "attempts", "sent_at", "last_error"]
    list_filter = [("sent_at", admin.EmptyFieldListFilter), "task_name"]
    search_fields = ["task_name", "last_error"]
    date_hierarchy = "created_at"
    read_permission = access.Permission.CONFIGURE
