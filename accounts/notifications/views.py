"""The signed-in user's notifications: reminders and escalations from the daily job."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import ListView

from accounts.models import Notification
from accounts.notifications import services
from accounts.views import ServiceUserMixin
from audit.views import AuditedListMixin
from earlyhelp import access


def local_path(link: str) -> str | None:
    """`link` if it is a path in this service, else None: never redirect off-site."""
    if (
        not link
        or not link.startswith("/")
        or link.startswith(("//", "/\\"))
        or not url_has_allowed_host_and_scheme(link, allowed_hosts=set())
    ):
        return None
    return link


class NotificationListView(ServiceUserMixin, AuditedListMixin, ListView):
    model = Notification
    template_name = "notifications/list.html"
    context_object_name = "notifications"
    paginate_by = 50

    def get_queryset(self):
        return services.notifications_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["unread_count"] = services.unread_count(self.request.user)
        return context


class NotificationReadView(ServiceUserMixin, View):
    """Mark one read and go to what it is about (POST only)."""

    def post(self, request, uuid):
        notification = access.get_for_user(request.user, Notification.objects.all(), uuid=uuid)
        services.notification_mark_read(by=request.user, notification=notification)
        return redirect(local_path(notification.link) or reverse("notifications:list"))


class NotificationReadAllView(ServiceUserMixin, View):
    def post(self, request):
        marked = services.notifications_mark_all_read(by=request.user)
        if marked:
            messages.success(
                request, f"{marked} notification{'s' if marked != 1 else ''} marked as read"
            )
        return redirect("notifications:list")
