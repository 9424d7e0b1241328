"""The threshold framework API, read-only: /api/thresholds/, /current/ and /{uuid}/.

The framework is public information, so reads need no sign-in and no access-policy rule.
Only published versions are listed; drafts live in the admin. Writes happen through the
admin and the import command, both of which use the services.
"""

from django.http import Http404
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from earlyhelp.viewsets import ListAndDetailMixin
from thresholds import selectors
from thresholds.serializers import FrameworkSerializer, FrameworkSummarySerializer


class FrameworkViewSet(ListAndDetailMixin, viewsets.ReadOnlyModelViewSet):
    """Published versions of the thresholds of need, newest first."""

    permission_classes = [AllowAny]
    lookup_field = "uuid"
    list_serializer_class = FrameworkSummarySerializer
    detail_serializer_class = FrameworkSerializer

    def list_queryset(self):
        return selectors.published_frameworks()

    def detail_queryset(self):
        return selectors.with_contents(self.list_queryset())

    @action(detail=False, methods=["get"])
    def current(self, request):
        """The current version, with its levels, domains and indicators."""
        framework = selectors.current_framework()
        if framework is None:
            raise Http404("No threshold framework has been published yet.")
        return Response(FrameworkSerializer(framework, context={"request": request}).data)
