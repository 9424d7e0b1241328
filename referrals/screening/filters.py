"""Filters of the triage queue, shared by the page and the API."""

import django_filters
from django.db.models import Q
from django.utils import timezone

from accounts.models import Locality
from earlyhelp.forms import FilterForm
from referrals.models import OPEN_STATUSES, Urgency

ASSIGNED_CHOICES = [("me", "Assigned to me"), ("unassigned", "Not assigned")]
NO_LOCALITY = "none"


class LocalityChoiceFilter(django_filters.ChoiceFilter):
    """A locality by id, or "none" for requests whose locality is not known yet."""

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        if value == NO_LOCALITY:
            return qs.filter(locality__isnull=True)
        return qs.filter(locality_id=value)


def locality_choices():
    return [
        (str(pk), name) for pk, name in Locality.objects.order_by("name").values_list("pk", "name")
    ] + [(NO_LOCALITY, "Not known yet")]


class TriageQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        choices=[(str(s), s.label) for s in OPEN_STATUSES], empty_label="Any"
    )
    urgency = django_filters.ChoiceFilter(
        choices=[(u.value, u.label.split(":")[0]) for u in Urgency], empty_label="Any"
    )
    locality = LocalityChoiceFilter(choices=locality_choices, empty_label="Any")
    assigned = django_filters.ChoiceFilter(
        choices=ASSIGNED_CHOICES, method="filter_assigned", empty_label="Anyone or no one"
    )
    overdue = django_filters.BooleanFilter(method="filter_overdue", label="Overdue only")

    class Meta:
        fields = ["status", "urgency", "locality", "assigned", "overdue"]
        form = FilterForm

    def filter_assigned(self, queryset, name, value):
        if value == "me":
            return queryset.filter(assigned_to=self.request.user)
        if value == "unassigned":
            return queryset.filter(assigned_to__isnull=True)
        return queryset

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)
