"""Threshold frameworks in the admin: drafts are edited here; published versions are read-only.

A council edits a draft (imported, or copied from a published version), then publishes it
with the "Publish" action. Both actions go through the services, which audit them.
"""

from django.contrib import admin, messages
from django.utils.translation import ngettext

from earlyhelp import access
from earlyhelp.admin import ConfigurationAdmin
from earlyhelp.exceptions import ServiceError
from thresholds import services
from thresholds.models import Domain, Framework, Indicator, Level


def _editable(framework):
    return framework is None or not framework.is_published


class FrameworkPartInline(admin.TabularInline):
    """Rows of a framework version: editable by system administrators while it is a draft."""

    extra = 0

    def _may_configure(self, request):
        return access.can(request.user, access.Permission.CONFIGURE)

    def has_view_permission(self, request, obj=None):
        return self._may_configure(request)

    def has_add_permission(self, request, obj=None):
        return self._may_configure(request) and _editable(obj)

    def has_change_permission(self, request, obj=None):
        return self._may_configure(request) and _editable(obj)

    def has_delete_permission(self, request, obj=None):
        # A draft's rows can go; nothing has been decided with them yet.
        return self._may_configure(request) and obj is not None and _editable(obj)


class LevelInline(FrameworkPartInline):
    model = Level
    fields = ["rank", "name", "description", "colour", "statutory"]


class DomainInline(FrameworkPartInline):
    model = Domain
    fields = ["position", "key", "name", "description"]


class IndicatorInline(FrameworkPartInline):
    model = Indicator
    fields = ["position", "text", "domain", "level"]

    def get_formset(self, request, obj=None, **kwargs):
        request._threshold_framework = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only this version's levels and domains.
        framework = getattr(request, "_threshold_framework", None)
        if db_field.name in ("level", "domain"):
            model = Level if db_field.name == "level" else Domain
            kwargs["queryset"] = model.objects.filter(framework=framework)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("level", "domain")


@admin.register(Framework)
class FrameworkAdmin(ConfigurationAdmin):
    list_display = ["name", "version", "status_label", "published_at", "source_name"]
    readonly_fields = ["version", "status_label", "published_at", "published_by", "source_name"]
    fields = ["name", "description", *readonly_fields]
    inlines = [LevelInline, DomainInline, IndicatorInline]
    actions = ["publish", "copy_to_draft"]

    @admin.display(description="Status")
    def status_label(self, obj):
        return obj.get_status_display()

    def has_change_permission(self, request, obj=None):
        # Published versions are frozen: decisions made with them keep them as they were.
        return super().has_change_permission(request, obj) and _editable(obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.version = services.next_version()
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in formset.deleted_objects:
            instance.delete()
        for instance in instances:
            instance.framework = form.instance
            instance.save()
        formset.save_m2m()

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Publication and copying are changes: only those who configure may make them.
        if not self._may_configure(request):
            actions.pop("publish", None)
            actions.pop("copy_to_draft", None)
        return actions

    @admin.action(description="Publish the selected draft as the current framework")
    def publish(self, request, queryset):
        drafts = list(queryset)
        if len(drafts) != 1:
            self.message_user(request, "Choose exactly one draft to publish.", messages.ERROR)
            return
        try:
            framework = services.framework_publish(by=request.user, framework=drafts[0])
        except ServiceError as error:
            self.message_user(request, error.message, messages.ERROR)
            return
        self.message_user(
            request, f"Version {framework.version} is now the current framework.", messages.SUCCESS
        )

    @admin.action(description="Copy the selected versions to new drafts")
    def copy_to_draft(self, request, queryset):
        drafts = [
            services.framework_copy_to_draft(by=request.user, framework=framework)
            for framework in queryset.order_by("version")
        ]
        self.message_user(
            request,
            ngettext(
                "Made draft version %(versions)s.",
                "Made draft versions %(versions)s.",
                len(drafts),
            )
            % {"versions": ", ".join(str(draft.version) for draft in drafts)},
            messages.SUCCESS,
        )
