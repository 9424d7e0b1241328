"""Filters for the directory, shared by the pages and the API so both answer alike."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q

from accounts.models import Agency, AgencyType, Locality, Team, User
from earlyhelp import access
from earlyhelp.forms import FilterForm


class _UUIDChoiceField(django_filters.fields.ModelChoiceField):
    """A choice by UUID: a malformed UUID is an invalid choice like any other."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except ValidationError as error:
            if error.code == "invalid_choice":
                raise
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from error


class UUIDChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = _UUIDChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("to_field_name", "uuid")
        super().__init__(*args, **kwargs)


class _SearchFilterMixin:
    def filter_search(self, queryset, name, value):
        query = Q()
        for field in self.search_fields:
            query |= Q(**{f"{field}__icontains": value.strip()})
        return queryset.filter(query)


class AgencyFilter(_SearchFilterMixin, django_filters.FilterSet):
    search_fields = ["name"]
    q = django_filters.CharFilter(label="Name", method="filter_search")
    agency_type = django_filters.ChoiceFilter(
        label="Type",
        choices=AgencyType.choices,
        empty_label="All types",
        error_messages={"invalid_choice": "Select a type of agency from the list"},
    )

    class Meta:
        model = Agency
        form = FilterForm
        fields = ["q", "agency_type"]


class LocalityFilter(_SearchFilterMixin, django_filters.FilterSet):
    search_fields = ["name", "code"]
    q = django_filters.CharFilter(label="Name", method="filter_search")

    class Meta:
        model = Locality
        form = FilterForm
        fields = ["q"]


class TeamFilter(_SearchFilterMixin, django_filters.FilterSet):
    search_fields = ["name", "agency__name"]
    q = django_filters.CharFilter(label="Team or agency name", method="filter_search")
    agency = UUIDChoiceFilter(
        queryset=Agency.objects.current(),
        empty_label="All agencies",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    locality = UUIDChoiceFilter(
        queryset=Locality.objects.current(),
        empty_label="All localities",
        error_messages={"invalid_choice": "Select a locality from the list"},
    )

    class Meta:
        model = Team
        form = FilterForm
        fields = ["q", "agency", "locality"]


class UserFilter(_SearchFilterMixin, django_filters.FilterSet):
    search_fields = ["full_name", "email", "job_title"]
    q = django_filters.CharFilter(label="Name, email or job title", method="filter_search")
    agency = UUIDChoiceFilter(
        queryset=Agency.objects.current(),
        empty_label="All agencies",
        error_messages={"invalid_choice": "Select an agency from the list"},
    )
    team = UUIDChoiceFilter(
        field_name="teams",
        queryset=Team.objects.current(),
        empty_label="All teams",
        widget=forms.Select,
        error_messages={"invalid_choice": "Select a team from the list"},
    )

    class Meta:
        model = User
        form = FilterForm
        fields = ["q", "agency", "team"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Filtering by a team would reveal its membership: offer only the teams whose
        # members this user may see.
        user = getattr(self.request, "user", None)
        self.filters["team"].queryset = access.team_members_visible_to(user).filter(
            archived_on__isnull=True
        )
