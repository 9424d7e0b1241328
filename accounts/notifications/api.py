"""The API of the signed-in user's notifications (reminders and escalations): their own
only, whatever their role; anyone else's answers 404."""

import django_filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from accounts.api import UsesService
from accounts.models import Notification
from accounts.notifications import services
from audit.views import AuditedViewSetMixin


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
    AuditedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    permission_classes = [UsesService]
    serializer_class = NotificationSerializer
    filterset_class = NotificationFilter
    lookup_field = "uuid"

    def get_queryset(self):
        return services.notifications_for(self.request.user)

    @extend_schema(summary="Mark the notification read", request=None)
    @action(detail=True, methods=["post"])
    def read(self, request, uuid=None):
        notification = services.notification_mark_read(
            by=request.user, notification=self.get_object()
        )
        return Response(self.get_serializer(notification).data)
