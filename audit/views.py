"""Helpers that let views and API views record reads in one line."""

from . import services


class AuditedDetailMixin:
    """For a DetailView: records a view event for the object shown."""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
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
        self._audited_object = super().get_object()
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
