"""Pages for families: their records, members, relationships, case notes and chronology.
Thin: forms parse, services change, selectors read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import NoReverseMatch, reverse
from django.views.generic import TemplateView

from accounts.models import Role
from audit.services import record_list, record_view
from cases.families import forms, selectors, services
from cases.models import CaseNote, Family, FamilyMembership, NoteType, Relationship
from cases.people import selectors as people_selectors
from earlyhelp import access
from earlyhelp.pages import CaseWorkerMixin, ConfirmActionView, CreateRecordPage, FormPage

Permission = access.Permission


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


class FamilyCreateView(CreateRecordPage):
    template_name = "cases/family_form.html"
    form_class = forms.FamilyForm
    refusal = "Your role cannot create family records."

    def form_kwargs(self):
        return {"user": self.request.user}

    def perform(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k != "owning_team"}
        family = services.family_create(
            by=self.request.user, owning_team=form.cleaned_data["owning_team"], **fields
        )
        messages.success(self.request, f"{family.name} created")
        return redirect("cases:family-detail", uuid=family.uuid)


class _FamilyFormPage(FormPage):
    """A form that changes a family (its details, notes, members or relationships)."""

    permission = Permission.CHANGE_CASE_RECORD

    def setup_objects(self):
        self.family = selectors.get_family(
            self.request.user, self.kwargs["uuid"], for_change=True, permission=self.permission
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(family=self.family, **kwargs)

    def back_to_family(self, message):
        """Say what was done, on the family's page."""
        messages.success(self.request, message)
        return redirect("cases:family-detail", uuid=self.family.uuid)


class FamilyEditView(_FamilyFormPage):
    template_name = "cases/family_form.html"
    form_class = forms.FamilyForm

    def form_kwargs(self):
        return {"user": self.request.user, "instance": self.family}

    def shown_records(self):
        return [self.family]

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        services.family_update(
            by=self.request.user,
            family=self.family,
            owning_team=form.cleaned_data["owning_team"],
            **fields,
        )
        return self.back_to_family("Family details saved")


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
        family = selectors.get_family(self.request.user, self.kwargs["uuid"])
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
        family = selectors.get_family(self.request.user, self.kwargs["uuid"])
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


class NoteAddView(_FamilyFormPage):
    template_name = "cases/note_form.html"
    form_class = forms.NoteForm
    permission = Permission.ADD_CASE_NOTE

    def form_kwargs(self):
        return {"family": self.family}

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
        return self.back_to_family("Note added")


class MemberAddView(_FamilyFormPage):
    """Add a person already known (chosen from search or their page) to a family."""

    template_name = "cases/member_form.html"
    form_class = forms.MembershipForm

    def setup_objects(self):
        super().setup_objects()
        person_uuid = self.request.GET.get("person") or self.request.POST.get("person")
        self.person = (
            people_selectors.get_person(self.request.user, person_uuid) if person_uuid else None
        )
        if self.person is None:
            raise Http404("Choose a person to add")

    def get_context_data(self, **kwargs):
        return super().get_context_data(person=self.person, **kwargs)

    def perform(self, form):
        services.family_member_add(
            by=self.request.user,
            family=self.family,
            person=self.person,
            joined_on=form.cleaned_data["joined_on"],
            lives_at_family_address=form.cleaned_data["lives_at_family_address"],
        )
        return self.back_to_family(f"{self.person.full_name} added to {self.family.name}")


class MemberLeaveView(_FamilyFormPage):
    template_name = "cases/member_leave.html"
    form_class = forms.LeaveForm

    def setup_objects(self):
        super().setup_objects()
        self.membership = get_object_or_404(
            FamilyMembership.objects.select_related("person"),
            pk=self.kwargs["pk"],
            family=self.family,
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(membership=self.membership, **kwargs)

    def perform(self, form):
        services.family_member_leave(
            by=self.request.user, membership=self.membership, left_on=form.cleaned_data["left_on"]
        )
        return self.back_to_family(f"{self.membership.person.full_name} has left the household")


class RelationshipAddView(_FamilyFormPage):
    template_name = "cases/relationship_form.html"
    form_class = forms.RelationshipForm

    def form_kwargs(self):
        return {"family": self.family}

    def perform(self, form):
        services.relationship_add(by=self.request.user, family=self.family, **form.cleaned_data)
        return self.back_to_family("Relationship added")


class RelationshipRemoveView(CaseWorkerMixin, ConfirmActionView):
    """GET asks "Are you sure?"; the POST from that page removes the relationship."""

    def setup_objects(self):
        self.family = selectors.get_family(self.request.user, self.kwargs["uuid"], for_change=True)
        self.relationship = get_object_or_404(
            Relationship.objects.select_related("from_person", "to_person"),
            pk=self.kwargs["pk"],
            family=self.family,
        )

    def shown_records(self):
        return [self.family]

    def confirmation(self):
        relationship = self.relationship
        return {
            "caption": self.family.name,
            "question": "Are you sure you want to remove this relationship?",
            "details": [
                (
                    "Relationship",
                    f"{relationship.from_person.full_name} is the "
                    f"{relationship.get_relationship_type_display().lower()} of "
                    f"{relationship.to_person.full_name}",
                )
            ],
            "explanation": "Remove a relationship only if it was recorded in error. "
            "The removal is kept in the record's history.",
            "button": "Remove the relationship",
            "cancel_url": self.success_url(),
        }

    def perform(self):
        services.relationship_remove(by=self.request.user, relationship=self.relationship)
        return "Relationship removed"

    def success_url(self):
        return reverse("cases:family-detail", args=[self.family.uuid])
