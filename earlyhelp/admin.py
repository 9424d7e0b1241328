"""The admin site, opened to system administrators by the access policy, not by is_staff."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from audit.models import AuditAction
from audit.services import record
from earlyhelp import access


class EarlyHelpAdminSite(admin.AdminSite):
    site_header = "Early Help administration"
    site_title = "Early Help administration"
    index_title = "Configure agencies, localities, teams and users"

    def has_permission(self, request):
        user = request.user
        return access.can(user, access.Permission.CONFIGURE) or access.can(
            user, access.Permission.VIEW_AUDIT_LOG
        )

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not an administrator: sending them to sign in would loop.
            raise PermissionDenied("The administration pages are for system administrators.")
        # One sign-in page for the whole service, with its lockout and audit.
        return redirect_to_login(request.GET.get("next", "/admin/"), settings.LOGIN_URL)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the service writes itself: shown to the users the access policy lets hold
    `read_permission`, never added, changed or deleted here."""

    read_permission = None

    def _may_read(self, request):
        return access.can(request.user, self.read_permission)

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


class ConfigurationAdmin(admin.ModelAdmin):
    """Directory records: system administrators add and change them; nothing is deleted.

    Every save is audited with the admin's own description of what changed.
    """

    def _may_configure(self, request):
        return access.can(request.user, access.Permission.CONFIGURE)

    def has_module_permission(self, request):
        return self._may_configure(request)

    def has_view_permission(self, request, obj=None):
        return self._may_configure(request)

    def has_add_permission(self, request):
        return self._may_configure(request)

    def has_change_permission(self, request, obj=None):
        return self._may_configure(request)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if not change and hasattr(obj, "created_by"):
            obj.created_by = request.user
        if hasattr(obj, "modified_by"):
            obj.modified_by = request.user
        super().save_model(request, obj, form, change)

    def log_addition(self, request, obj, message):
        record(actor=request.user, action=AuditAction.CREATE, obj=obj, detail={"admin": message})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        record(actor=request.user, action=AuditAction.CHANGE, obj=obj, detail={"admin": message})
        return super().log_change(request, obj, message)
