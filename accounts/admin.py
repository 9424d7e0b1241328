from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from accounts.models import Agency, Locality, Team, User
from earlyhelp.admin import ConfigurationAdmin


@admin.register(Agency)
class AgencyAdmin(ConfigurationAdmin):
    list_display = ["name", "agency_type", "email", "archived_on"]
    list_filter = ["agency_type", ("archived_on", admin.EmptyFieldListFilter)]
    search_fields = ["name"]
    fields = ["name", "agency_type", "email", "phone", "archived_on"]


@admin.register(Locality)
class LocalityAdmin(ConfigurationAdmin):
    list_display = ["name", "code", "archived_on"]
    search_fields = ["name", "code"]
    fields = ["name", "code", "archived_on"]


@admin.register(Team)
class TeamAdmin(ConfigurationAdmin):
    list_display = ["name", "agency", "locality", "archived_on"]
    list_filter = ["locality", "agency__agency_type"]
    list_select_related = ["agency", "locality"]
    search_fields = ["name", "agency__name"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["managers", "members"]
    fields = ["name", "agency", "locality", "email", "phone", "managers", "members", "archived_on"]


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ["email", "full_name"]


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ConfigurationAdmin, DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    ordering = ["full_name"]
    list_display = ["full_name", "email", "agency", "job_title", "is_active", "last_login"]
    list_filter = ["is_active", "groups", "agency__agency_type"]
    list_select_related = ["agency"]
    search_fields = ["full_name", "email", "job_title"]
    autocomplete_fields = ["agency"]
    filter_horizontal = ["groups"]
    readonly_fields = ["last_login", "date_joined"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Person", {"fields": ["full_name", "job_title", "phone", "agency"]}),
        (
            "Roles and status",
            {
                "fields": ["groups", "is_active"],
                "description": "Roles decide what the user can do. Deactivate people who "
                "leave: accounts are never deleted, so the audit trail stays whole.",
            },
        ),
        ("History", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["email", "full_name", "usable_password", "password1", "password2"],
            },
        ),
    ]

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is not None and request.user.is_superuser:
            # Only a superuser may hand out superuser or Django admin rights.
            fieldsets = [*fieldsets, ("Superuser", {"fields": ["is_staff", "is_superuser"]})]
        return fieldsets
