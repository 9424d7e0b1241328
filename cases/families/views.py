"""Pages for families and people. Thin: forms parse, services change, selectors read."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from accounts.models import Role
from accounts.views import ServiceUserMixin
from audit.models import AuditEvent
from audit.services import record_list, record_view
from cases import access_rules
from cases.families import forms, selectors, services
from cases.models import (
    CaseNote,
    Family,
    FamilyMembership,
    NoteType,
    Person,
    PersonMerge,
    Relationship,
)
from cases.people import search
from earlyhelp import access
from earlyhelp.confirm import confirmation_page
from earlyhelp.exceptions import ServiceError
from earlyhelp.forms import add_service_errors

Permission = access.Permission


class CaseWorkerMixin(ServiceUserMixin):
    """People who work on case records: the practice roles."""

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not access.has_role(user, *access.PRACTICE_ROLES):
            raise PermissionDenied("Case records are for practitioners and their managers.")
        return super().dispatch(request, *args, **kwargs)


def _family(request, uuid, *, for_change=False, permission=Permission.CHANGE_CASE_RECORD):
    """The family, if the user may see it (else 404); with `for_change`, 403 unless they
    may also do `permission` to it (change its record, or add a note)."""
    queryset = selectors.family_detail_for(request.user)
    if for_change:
        return access.get_for_change(request.user, queryset, permission, uuid=uuid)
    return access.get_for_user(request.user, queryset, uuid=uuid)


def _person(request, uuid, *, for_change=False):
    queryset = selectors.person_detail_for(request.user)
    if for_change:
        return access.get_for_change(
            request.user, queryset, Permission.CHANGE_CASE_RECORD, uuid=uuid
        )
    return access.get_for_user(request.user, queryset, uuid=uuid)


class FormPage(CaseWorkerMixin, View):
    """GET shows the form; POST validates it and calls `perform`, which calls a service.
    A refusal from the service is shown on the form, with everything typed kept."""

    template_name = None
    form_class = None

    def setup_objects(self):
        """Load the records the page is about (and check access) before the form."""

    def shown_records(self):
        """Records whose contents the page shows: showing them is a read, and audited."""
        return []

    def get_form_kwargs(self):
        return {}

    def get_context(self, **context):
        return context

    def perform(self, form):
        raise NotImplementedError

    def render_form(self, form, status=200):
        return render(self.request, self.template_name, self.get_context(form=form), status=status)

    def get(self, request, *args, **kwargs):
        self.setup_objects()
        for obj in self.shown_records():
            record_view(actor=request.user, obj=obj)
        return self.render_form(self.form_class(**self.get_form_kwargs()))

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.form_class(data=request.POST, **self.get_form_kwargs())
        if form.is_valid():
            try:
                return self.perform(form)
            except (ValidationError, ServiceError) as error:
                add_service_errors(form, error)
        return self.render_form(form)


# Families


class FamilyListView(CaseWorkerMixin, TemplateView):
    template_name = "cases/family_list.html"

    def get_context_data(self, **kwargs):
        families = selectors.families_for(self.request.user)
        query = self.request.GET.get("q", "").strip()
        if query:
            families = families.filter(name__icontains=query)
        page = Paginator(families, 50).get_page(self.request.GET.get("page"))
        record_list(
            actor=self.request.user, model=Family, objects=page.object_list, filters={"q": query}
        )
        return super().get_context_data(
            page_obj=page,
            query=query,
            may_create=access.can(self.request.user, Permission.CREATE_CASE_RECORDS),
            **kwargs,
        )


class FamilyCreateView(FormPage):
    template_name = "cases/family_form.html"
    form_class = forms.FamilyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(
            request.user, Permission.CREATE_CASE_RECORDS
        ):
            raise PermissionDenied("Your role cannot create family records.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "owning_team"}
        family = services.family_create(
            by=self.request.user, owning_team=form.cleaned_data["owning_team"], **fields
        )
        messages.success(self.request, f"{family.name} created")
        return redirect("cases:family-detail", uuid=family.uuid)


class FamilyEditView(FormPage):
    template_name = "cases/family_form.html"
    form_class = forms.FamilyForm

    def setup_objects(self):
        self.family = _family(self.request, self.kwargs["uuid"], for_change=True)

    def get_form_kwargs(self):
        return {"user": self.request.user, "instance": self.family}

    def shown_records(self):
        return [self.family]

    def get_context(self, **context):
        return {"family": self.family, **context}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.family_update(
            by=self.request.user,
            family=self.family,
            owning_team=form.cleaned_data["owning_team"],
            **fields,
        )
        messages.success(self.request, "Family details saved")
        return redirect("cases:family-detail", uuid=self.family.uuid)


class ChronologyFilter:
    """Filter the chronology by person and type, from the query string."""

    def __init__(self, request, family):
        members = {str(m.person.uuid): m.person for m in family.memberships.all()}
        self.person_options = sorted(members.items(), key=lambda item: item[1].full_name)
        self.person = members.get(request.GET.get("person", ""))
        chosen_type = request.GET.get("note_type", "")
        self.note_type = chosen_type if chosen_type in NoteType.values else ""
        self.type_options = NoteType.choices


class FamilyDetailView(CaseWorkerMixin, TemplateView):
    template_name = "cases/family_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        family = _family(self.request, self.kwargs["uuid"])
        record_view(actor=user, obj=family)
        chronology_filter = ChronologyFilter(self.request, family)
        chronology = list(
            selectors.notes_for(
                user,
                family,
                person=chronology_filter.person,
                note_type=chronology_filter.note_type,
                chronology=True,
            )
        )
        recent_notes = list(selectors.notes_for(user, family)[:5])
        memberships = list(family.memberships.all())
        may_change = access.can(user, Permission.CHANGE_CASE_RECORD, family)
        return super().get_context_data(
            family=family,
            current_members=[m for m in memberships if m.is_current],
            past_members=[m for m in memberships if not m.is_current],
            relationships=family.relationships.all(),
            episodes=family.episodes.all(),
            level_history=family.level_changes.all(),
            step_down_url=_step_down_url(user, family),
            chronology=chronology,
            chronology_filter=chronology_filter,
            recent_notes=recent_notes,
            readable_notes=_readable_notes(user, chronology + recent_notes),
            may_see_sensitive=access.can(user, Permission.VIEW_SENSITIVE, family),
            may_change=may_change,
            may_add_note=may_change or access.can(user, Permission.ADD_CASE_NOTE, family),
            may_create=access.can(user, Permission.CREATE_CASE_RECORDS),
            **kwargs,
        )


def _step_down_url(user, family):
    """Social workers ask for a family's step down to early help (when that page exists)."""
    if not access.has_role(user, Role.SOCIAL_WORKER):
        return None
    try:
        return reverse("transitions:step-down-request", args=[family.uuid])
    except NoReverseMatch:
        return None


def _readable_notes(user, notes):
    """Ids of restricted notes this user may read (unrestricted ones anyone may)."""
    return {
        note.pk
        for note in notes
        if note.is_restricted and access.can(user, Permission.VIEW_SENSITIVE, note)
    }


class NoteListView(CaseWorkerMixin, TemplateView):
    template_name = "cases/note_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        family = _family(self.request, self.kwargs["uuid"])
        note_filter = ChronologyFilter(self.request, family)
        notes = selectors.notes_for(
            user, family, person=note_filter.person, note_type=note_filter.note_type
        )
        page = Paginator(notes, 50).get_page(self.request.GET.get("page"))
        record_list(
            actor=user,
            model=CaseNote,
            objects=page.object_list,
            filters={"family": str(family.uuid), **self.request.GET.dict()},
        )
        return super().get_context_data(
            family=family,
            page_obj=page,
            chronology_filter=note_filter,
            readable_notes=_readable_notes(user, page.object_list),
            **kwargs,
        )


class _FamilyFormPage(FormPage):
    """A form that changes a family (its notes, members or relationships)."""

    permission = Permission.CHANGE_CASE_RECORD

    def setup_objects(self):
        self.family = _family(
            self.request, self.kwargs["uuid"], for_change=True, permission=self.permission
        )

    def get_form_kwargs(self):
        return {"family": self.family}

    def get_context(self, **context):
        return {"family": self.family, **context}


class NoteAddView(_FamilyFormPage):
    template_name = "cases/note_form.html"
    form_class = forms.NoteForm
    permission = Permission.ADD_CASE_NOTE

    def perform(self, form):
        data = form.cleaned_data
        services.note_add(
            by=self.request.user,
            family=self.family,
            subjects=list(data["subjects"]),
            note_type=data["note_type"],
            occurred_at=data["occurred_at"],
            summary=data["summary"],
            body=data["body"],
            is_significant=data["is_significant"],
            is_restricted=data["is_restricted"],
        )
        messages.success(self.request, "Note added")
        return redirect("cases:family-detail", uuid=self.family.uuid)


class MemberAddView(FormPage):
    """Add a person already known (chosen from search or their page) to a family."""

    template_name = "cases/member_form.html"
    form_class = forms.MembershipForm

    def setup_objects(self):
        self.family = _family(self.request, self.kwargs["uuid"], for_change=True)
        person_uuid = self.request.GET.get("person") or self.request.POST.get("person")
        self.person = _person(self.request, person_uuid) if person_uuid else None
        if self.person is None:
            raise Http404("Choose a person to add")

    def get_context(self, **context):
        return {"family": self.family, "person": self.person, **context}

    def perform(self, form):
        services.family_member_add(
            by=self.request.user,
            family=self.family,
            person=self.person,
            joined_on=form.cleaned_data["joined_on"],
            lives_at_family_address=form.cleaned_data["lives_at_family_address"],
        )
        messages.success(self.request, f"{self.person.full_name} added to {self.family.name}")
        return redirect("cases:family-detail", uuid=self.family.uuid)


class MemberLeaveView(FormPage):
    template_name = "cases/member_leave.html"
    form_class = forms.LeaveForm

    def setup_objects(self):
        self.family = _family(self.request, self.kwargs["uuid"], for_change=True)
        self.membership = get_object_or_404(
            FamilyMembership.objects.select_related("person"),
            pk=self.kwargs["pk"],
            family=self.family,
        )

    def get_context(self, **context):
        return {"family": self.family, "membership": self.membership, **context}

    def perform(self, form):
        services.family_member_leave(
            by=self.request.user, membership=self.membership, left_on=form.cleaned_data["left_on"]
        )
        messages.success(self.request, f"{self.membership.person.full_name} has left the household")
        return redirect("cases:family-detail", uuid=self.family.uuid)


class RelationshipAddView(_FamilyFormPage):
    template_name = "cases/relationship_form.html"
    form_class = forms.RelationshipForm

    def perform(self, form):
        data = form.cleaned_data
        services.relationship_add(
            by=self.request.user,
            family=self.family,
            from_person=data["from_person"],
            to_person=data["to_person"],
            relationship_type=data["relationship_type"],
            description=data["description"],
            has_parental_responsibility=data["has_parental_responsibility"],
        )
        messages.success(self.request, "Relationship added")
        return redirect("cases:family-detail", uuid=self.family.uuid)


class RelationshipRemoveView(CaseWorkerMixin, View):
    """GET asks "Are you sure?"; the POST from that page removes the relationship."""

    def load(self, uuid, pk):
        family = _family(self.request, uuid, for_change=True)
        relationship = get_object_or_404(
            Relationship.objects.select_related("from_person", "to_person"), pk=pk, family=family
        )
        return family, relationship

    def get(self, request, uuid, pk):
        family, relationship = self.load(uuid, pk)
        record_view(actor=request.user, obj=family)
        return confirmation_page(
            request,
            caption=family.name,
            question="Are you sure you want to remove this relationship?",
            details=[
                (
                    "Relationship",
                    f"{relationship.from_person.full_name} is the "
                    f"{relationship.get_relationship_type_display().lower()} of "
                    f"{relationship.to_person.full_name}",
                )
            ],
            explanation="Remove a relationship only if it was recorded in error. "
            "The removal is kept in the record's history.",
            button="Remove the relationship",
            cancel_url=reverse("cases:family-detail", args=[family.uuid]),
        )

    def post(self, request, uuid, pk):
        family, relationship = self.load(uuid, pk)
        services.relationship_remove(by=request.user, relationship=relationship)
        messages.success(request, "Relationship removed")
        return redirect("cases:family-detail", uuid=family.uuid)


# People


class PersonCreateView(FormPage):
    template_name = "cases/person_create.html"
    form_class = forms.PersonCreateForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can(
            request.user, Permission.CREATE_CASE_RECORDS
        ):
            raise PermissionDenied("Your role cannot create person records.")
        return super().dispatch(request, *args, **kwargs)

    def setup_objects(self):
        family_uuid = self.request.GET.get("family") or self.request.POST.get("family")
        self.family = _family(self.request, family_uuid, for_change=True) if family_uuid else None
        self.matches = []

    def get_form_kwargs(self):
        kwargs = {"user": self.request.user}
        if self.family and self.request.method == "GET":
            kwargs["initial"] = {
                "family_name": "",
                "owning_team": self.family.owning_team_id,
            }
        return kwargs

    def get_context(self, **context):
        return {"family": self.family, "matches": self.matches, **context}

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
            services.family_member_add(
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
        person = _person(request, kwargs["uuid"])
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
            merges=selectors.merges_for(user, person),
            may_see_sensitive=access.can(user, Permission.VIEW_SENSITIVE, person),
            may_change=access.can(user, Permission.CHANGE_CASE_RECORD, person),
            may_merge=access.can(user, Permission.MERGE_PEOPLE, person),
            families_to_join=access_rules.changeable_families(
                user, selectors.families_for(user)
            ).exclude(memberships__person=person, memberships__left_on__isnull=True)[:50],
            **kwargs,
        )


class PersonEditView(FormPage):
    template_name = "cases/person_form.html"
    form_class = forms.PersonForm

    def setup_objects(self):
        self.person = _person(self.request, self.kwargs["uuid"], for_change=True)
        if self.person.is_merged:
            raise Http404("This record was merged")

    def get_form_kwargs(self):
        return {"user": self.request.user, "instance": self.person, "include_owning_team": False}

    def shown_records(self):
        return [self.person]

    def get_context(self, **context):
        return {"person": self.person, **context}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        if not access.can(self.request.user, Permission.VIEW_SENSITIVE, self.person):
            for name in Person.SENSITIVE_FIELDS:
                fields.pop(name, None)
        services.person_update(by=self.request.user, person=self.person, **fields)
        messages.success(self.request, "Details saved")
        return redirect("cases:person-detail", uuid=self.person.uuid)

    def render_form(self, form, status=200):
        if not access.can(self.request.user, Permission.VIEW_SENSITIVE, self.person):
            for name in Person.SENSITIVE_FIELDS:
                form.fields.pop(name, None)
        return super().render_form(form, status)

    def post(self, request, *args, **kwargs):
        self.setup_objects()
        form = self.form_class(data=request.POST, **self.get_form_kwargs())
        if not access.can(request.user, Permission.VIEW_SENSITIVE, self.person):
            for name in Person.SENSITIVE_FIELDS:
                form.fields.pop(name, None)
        if form.is_valid():
            try:
                return self.perform(form)
            except (ValidationError, ServiceError) as error:
                add_service_errors(form, error)
        return self.render_form(form)


class _PersonFormPage(FormPage):
    """A form that adds to a person's record through one service, then shows the record."""

    service = None
    success_message = ""

    def setup_objects(self):
        self.person = _person(self.request, self.kwargs["uuid"], for_change=True)

    def get_context(self, **context):
        return {"person": self.person, **context}

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
        family = _family(self.request, params["family"]) if params.get("family") else None
        merge_into = (
            _person(self.request, params["merge_into"]) if params.get("merge_into") else None
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
        self.survivor = _person(self.request, self.kwargs["uuid"])
        duplicate_uuid = self.request.GET.get("duplicate") or self.request.POST.get("duplicate")
        if not duplicate_uuid:
            raise Http404("Choose the duplicate record")
        self.duplicate = _person(self.request, duplicate_uuid)
        for person in (self.survivor, self.duplicate):
            if not access.can(self.request.user, Permission.MERGE_PEOPLE, person):
                raise PermissionDenied("Only locality managers can merge records.")

    def shown_records(self):
        return [self.survivor, self.duplicate]

    def get_context(self, **context):
        return {"survivor": self.survivor, "duplicate": self.duplicate, **context}

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
        _person(self.request, self.merge.survivor.uuid)
        if not access.can(self.request.user, Permission.MERGE_PEOPLE, self.merge.survivor):
            raise PermissionDenied("Only locality managers can undo a merge.")

    def get_context(self, **context):
        return {"merge": self.merge, **context}

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
