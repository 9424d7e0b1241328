"""Pages for people: their records, search, and merging duplicates. Thin: forms parse,
services change, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from audit.models import AuditEvent
from audit.services import record_view
from cases import access_rules
from cases.families import selectors as family_selectors
from cases.families import services as family_services
from cases.models import Person, PersonMerge
from cases.people import forms, search, selectors, services
from earlyhelp import access
from earlyhelp.pages import CaseWorkerMixin, CreateRecordPage, FormPage

Permission = access.Permission


class PersonCreateView(CreateRecordPage):
    template_name = "cases/person_create.html"
    form_class = forms.PersonCreateForm
    refusal = "Your role cannot create person records."

    def setup_objects(self):
        family_uuid = self.request.GET.get("family") or self.request.POST.get("family")
        self.family = (
            family_selectors.get_family(self.request.user, family_uuid, for_change=True)
            if family_uuid
            else None
        )
        self.matches = []

    def form_kwargs(self):
        kwargs = {"user": self.request.user}
        if self.family and self.request.method == "GET":
            kwargs["initial"] = {
                "family_name": "",
                "owning_team": self.family.owning_team_id,
            }
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(family=self.family, matches=self.matches, **kwargs)

    def perform(self, form):
        data = dict(form.cleaned_data)
        owning_team = data.pop("owning_team")
        confirmed = data.pop("confirmed_not_duplicate")
        try:
            person = services.person_create(
                by=self.request.user,
                owning_team=owning_team,
                confirmed_not_duplicate=confirmed,
                **data,
            )
        except search.PossibleDuplicates as duplicates:
            self.matches = services.results_for(self.request.user, duplicates.matches)
            raise
        if self.family is not None:
            family_services.family_member_add(
                by=self.request.user,
                family=self.family,
                person=person,
                joined_on=timezone.localdate(),
            )
            messages.success(self.request, f"{person.full_name} added to {self.family.name}")
            return redirect("cases:family-detail", uuid=self.family.uuid)
        messages.success(self.request, f"Record created for {person.full_name}")
        return redirect("cases:person-detail", uuid=person.uuid)


class PersonDetailView(CaseWorkerMixin, TemplateView):
    template_name = "cases/person_detail.html"

    def get(self, request, *args, **kwargs):
        person = selectors.get_person(request.user, kwargs["uuid"])
        if person.is_merged:
            messages.info(
                request,
                f"The record you asked for was merged into this one on "
                f"{person.modified_at:%d %B %Y}.",
            )
            return redirect("cases:person-detail", uuid=person.merged_into.uuid)
        self.person = person
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user, person = self.request.user, self.person
        record_view(actor=user, obj=person)
        relationships = [
            (rel.relationship_type, rel, "from") for rel in person.relationships_from.all()
        ] + [(rel.relationship_type, rel, "to") for rel in person.relationships_to.all()]
        history = (
            AuditEvent.objects.filter(
                object_type="cases.person",
                object_id__in=[str(person.pk)]
                + [str(pk) for pk in person.merged_records.values_list("pk", flat=True)],
            )
            .exclude(action__in=["view", "list", "search"])
            .select_related("actor")[:20]
        )
        return super().get_context_data(
            person=person,
            current_memberships=[m for m in person.memberships.all() if m.is_current],
            past_memberships=[m for m in person.memberships.all() if not m.is_current],
            relationships=relationships,
            history=history,
            merges=selectors.merges_of(user, person),
            may_see_sensitive=access.can(user, Permission.VIEW_SENSITIVE, person),
            may_change=access.can(user, Permission.CHANGE_CASE_RECORD, person),
            may_merge=access.can(user, Permission.MERGE_PEOPLE, person),
            families_to_join=access_rules.changeable_families(
                user, family_selectors.families_for(user)
            ).exclude(memberships__person=person, memberships__left_on__isnull=True)[:50],
            **kwargs,
        )


class PersonEditView(FormPage):
    template_name = "cases/person_form.html"
    form_class = forms.PersonForm

    def setup_objects(self):
        self.person = selectors.get_person(self.request.user, self.kwargs["uuid"], for_change=True)
        if self.person.is_merged:
            raise Http404("This record was merged")

    def form_kwargs(self):
        return {"user": self.request.user, "instance": self.person, "include_owning_team": False}

    def shown_records(self):
        return [self.person]

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if not access.can(self.request.user, Permission.VIEW_SENSITIVE, self.person):
            for name in Person.SENSITIVE_FIELDS:
                fields.pop(name, None)
        services.person_update(by=self.request.user, person=self.person, **fields)
        messages.success(self.request, "Details saved")
        return redirect("cases:person-detail", uuid=self.person.uuid)

    def get_form(self, form_class=None):
        # What the user may not see is neither shown nor taken from what they send.
        form = super().get_form(form_class)
        if not access.can(self.request.user, Permission.VIEW_SENSITIVE, self.person):
            for name in Person.SENSITIVE_FIELDS:
                form.fields.pop(name, None)
        return form


class _PersonFormPage(FormPage):
    """A form that adds to a person's record through one service, then shows the record."""

    service = None
    success_message = ""

    def setup_objects(self):
        self.person = selectors.get_person(self.request.user, self.kwargs["uuid"], for_change=True)

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form):
        type(self).service(by=self.request.user, person=self.person, **form.cleaned_data)
        messages.success(self.request, self.success_message)
        return redirect("cases:person-detail", uuid=self.person.uuid)


class PersonBirthView(_PersonFormPage):
    template_name = "cases/person_birth.html"
    form_class = forms.BirthForm
    service = staticmethod(services.person_record_birth)
    success_message = "Birth recorded"


class PersonNameAddView(_PersonFormPage):
    template_name = "cases/person_name_form.html"
    form_class = forms.OtherNameForm
    service = staticmethod(services.person_name_add)
    success_message = "Name added"


class PersonAddressAddView(_PersonFormPage):
    template_name = "cases/person_address_form.html"
    form_class = forms.AddressForm
    service = staticmethod(services.person_address_add)
    success_message = "Address added"


SEARCH_RESULTS_SHOWN = 50


class SearchView(CaseWorkerMixin, TemplateView):
    """Do we already know this person? Also the way to pick someone to add to a family
    (?family=) or to merge into a record (?merge_into=)."""

    template_name = "cases/search.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        params = self.request.GET
        family = (
            family_selectors.get_family(self.request.user, params["family"])
            if params.get("family")
            else None
        )
        merge_into = (
            selectors.get_person(self.request.user, params["merge_into"])
            if params.get("merge_into")
            else None
        )
        searched = any(key in params for key in forms.SearchForm.base_fields) or any(
            key.startswith("date_of_birth_") for key in params
        )
        form = forms.SearchForm(data=params if searched else None)
        results, total = None, 0
        if searched and form.is_valid():
            criteria = search.Criteria(**form.cleaned_data)
            results = services.search_people(by=user, criteria=criteria)
            total = len(results)
            results = results[:SEARCH_RESULTS_SHOWN]
        return super().get_context_data(
            form=form,
            results=results,
            total=total,
            family=family,
            merge_into=merge_into,
            may_create=access.can(user, Permission.CREATE_CASE_RECORDS),
            may_change_family=bool(family)
            and access.can(user, Permission.CHANGE_CASE_RECORD, family),
            **kwargs,
        )


class MergeView(FormPage):
    """Merge a duplicate into this record (locality managers)."""

    template_name = "cases/merge_form.html"
    form_class = forms.MergeForm

    def setup_objects(self):
        self.survivor = selectors.get_person(self.request.user, self.kwargs["uuid"])
        duplicate_uuid = self.request.GET.get("duplicate") or self.request.POST.get("duplicate")
        if not duplicate_uuid:
            raise Http404("Choose the duplicate record")
        self.duplicate = selectors.get_person(self.request.user, duplicate_uuid)
        for person in (self.survivor, self.duplicate):
            if not access.can(self.request.user, Permission.MERGE_PEOPLE, person):
                raise PermissionDenied("Only locality managers can merge records.")

    def shown_records(self):
        return [self.survivor, self.duplicate]

    def get_context_data(self, **kwargs):
        return super().get_context_data(survivor=self.survivor, duplicate=self.duplicate, **kwargs)

    def perform(self, form):
        merge = services.person_merge(
            by=self.request.user,
            survivor=self.survivor,
            duplicate=self.duplicate,
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            self.request,
            f"Records merged. If this was a mistake, undo it from the record's history "
            f"(merge {merge.uuid}).",
        )
        return redirect("cases:person-detail", uuid=self.survivor.uuid)


class MergeUndoView(FormPage):
    template_name = "cases/merge_undo.html"
    form_class = forms.UndoMergeForm

    def setup_objects(self):
        self.merge = get_object_or_404(
            PersonMerge.objects.select_related("survivor", "duplicate"), uuid=self.kwargs["uuid"]
        )
        selectors.get_person(self.request.user, self.merge.survivor.uuid)
        if not access.can(self.request.user, Permission.MERGE_PEOPLE, self.merge.survivor):
            raise PermissionDenied("Only locality managers can undo a merge.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(merge=self.merge, **kwargs)

    def perform(self, form):
        services.person_merge_undo(
            by=self.request.user, merge=self.merge, reason=form.cleaned_data["reason"]
        )
        messages.success(self.request, "Merge undone: the two records are separate again")
        return redirect("cases:person-detail", uuid=self.merge.duplicate.uuid)


def family_membership_redirect(request, uuid):
    """From a person's page: add them to the family chosen in the select."""
    family_uuid = request.GET.get("family")
    if not family_uuid:
        messages.error(request, "Choose a family")
        return redirect("cases:person-detail", uuid=uuid)
    return redirect(reverse("cases:member-add", args=[family_uuid]) + f"?person={uuid}")
