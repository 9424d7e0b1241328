"""Helpers that let views and API views record reads in one line."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions as api_exceptions

from audit import services


class AuditedDetailMixin:
    """For a DetailView: records a view event for the object shown, or the refusal."""

    def get_object(self, queryset=None):
        try:
            obj = super().get_object(queryset)
        except Http404:
            if self.pk_url_kwarg in self.kwargs:
                lookup = {"pk": self.kwargs[self.pk_url_kwarg]}
            else:
                lookup = {self.get_slug_field(): self.kwargs.get(self.slug_url_kwarg)}
            model = (queryset if queryset is not None else self.get_queryset()).model
            services.record_refused(actor=self.request.user, model=model, lookup=lookup, status=404)
            raise
        services.record_view(actor=self.request.user, obj=obj)
        return obj


class AuditedListMixin:
    """For a ListView: records which records the page listed and the filters used."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        services.record_list(
            actor=self.request.user,
            model=self.model or self.get_queryset().model,
            objects=context["object_list"],
            filters=self.request.GET.dict(),
        )
        return context


class AuditedViewSetMixin:
    """For a DRF viewset: records retrieve as a view and list as a list of what was sent."""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        services.record_view(actor=request.user, obj=self._audited_object)
        return response

    def get_object(self):
        try:
            self._audited_object = super().get_object()
        except (Http404, PermissionDenied, api_exceptions.PermissionDenied) as refusal:
            lookup_url_kwarg = self.lookup_url_kwarg or self.lookup_field
            services.record_refused(
                actor=self.request.user,
                model=self.get_queryset().model,
                lookup={self.lookup_field: self.kwargs.get(lookup_url_kwarg)},
                status=404 if isinstance(refusal, Http404) else 403,
            )
            raise
        return self._audited_object

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        services.record_list(
            actor=self.request.user,
            model=queryset.model,
            objects=page if page is not None else queryset,
            filters=self.request.query_params.dict(),
        )
        return page
