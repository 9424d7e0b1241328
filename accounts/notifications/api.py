"""The API of the signed-in user's notifications (reminders and escalations): their own
only, whatever their role; anyone else's answers 404."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers

from accounts.api import UsesService
from accounts.models import Notification
from accounts.notifications import services
from audit.views import AuditedViewSetMixin
from earlyhelp.api_actions import service_action
from earlyhelp.viewsets import RecordViewSet


class NotificationSerializer(serializers.ModelSerializer):
    link = serializers.CharField(read_only=True, help_text="A path in the service")

    class Meta:
        model = Notification
        fields = ["uuid", "subject", "body", "link", "created_at", "emailed_at", "read_at"]
        read_only_fields = fields


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(
        method="filter_unread", label="true for unread only, false for read only"
    )

    class Meta:
        model = Notification
        fields = ["unread"]

    def filter_unread(self, queryset, name, value):
        return queryset.filter(read_at__isnull=value)


@extend_schema_view(
    list=extend_schema(summary="Your notifications, unread first, then newest first"),
    retrieve=extend_schema(summary="One of your notifications"),
)
class NotificationViewSet(
    AuditedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, RecordViewSet
):
    permission_classes = [UsesService]
    detail_serializer_class = NotificationSerializer
    filterset_class = NotificationFilter

    def detail_queryset(self):
        return services.notifications_for(self.request.user)

    @service_action("Mark the notification read")
    def read(self, request, notification):
        return services.notification_mark_read(by=request.user, notification=notification)
