"""Triage pages (DESIGN section 5, step 2 "Screen"): the queue of open requests and the
screening page (deciding is `referrals.screening.decisions`). Thin: forms parse, services
change, selectors read.

The screening page is one page with several small forms; each posts to its own address,
and a form with errors re-renders the whole page with that form's errors and typed values.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.models import Role
from accounts.views import ServiceUserMixin
from audit.services import record_list
from cases.models import Family, FamilyMembership, Person
from cases.people import search
from cases.people import services as case_services
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.pages import (
    PageFormAction,
    RecordDetailView,
    RecordPage,
    ServiceActionView,
    ServiceFormView,
)
from earlyhelp.working_days import rag_status
from referrals.models import CHILD_ROLES, RequestForSupport
from referrals.requests import selectors as request_selectors
from referrals.screening import forms, selectors, services
from referrals.screening.filters import TriageQueueFilter
from thresholds import selectors as threshold_selectors

QUEUE_PAGE_SIZE = 50


class TriageOfficerMixin(ServiceUserMixin):
    """Only triage officers screen requests for support."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.has_role(request.user, Role.TRIAGE_OFFICER):
            raise PermissionDenied("Requests for support are screened by triage officers.")
        return super().dispatch(request, *args, **kwargs)


def screened_request(user, uuid, queryset=None):
    """The request, as screening reads it unless another queryset is given; 404 if the user
    may not see it."""
    queryset = selectors.screening_detail_for(user) if queryset is None else queryset
    return access.get_for_user(user, queryset, uuid=uuid)


# The queue


class TriageQueueView(TriageOfficerMixin, TemplateView):
    template_name = "referrals/triage_queue.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        queue = selectors.triage_queue_for(user)
        filterset = TriageQueueFilter(
            self.request.GET or None, queryset=queue, request=self.request
        )
        page = Paginator(filterset.qs, QUEUE_PAGE_SIZE).get_page(self.request.GET.get("page"))
        now = timezone.now()
        rows = []
        for item in page.object_list:
            children = [p for p in item.people.all() if p.role in CHILD_ROLES]
            rows.append(
                {
                    "request": item,
                    "rag": rag_status(item.due_at, now),
                    "urgency": item.get_urgency_display().split(":")[0],
                    "first_child": children[0] if children else None,
                    "other_children": max(len(children) - 1, 0),
                }
            )
        filters = {k: v for k, v in self.request.GET.items() if k != "page" and v}
        record_list(actor=user, model=RequestForSupport, objects=page.object_list, filters=filters)
        return super().get_context_data(
            filter=filterset,
            page_obj=page,
            rows=rows,
            overdue_count=queue.filter(due_at__lt=now).count(),
            **kwargs,
        )


class ClaimView(TriageOfficerMixin, ServiceActionView):
    def setup_objects(self):
        user = self.request.user
        self.item = screened_request(
            user, self.kwargs["uuid"], request_selectors.requests_for(user)
        )

    def perform(self):
        services.request_claim(by=self.request.user, request=self.item)
        return f"You are screening {self.item.reference}"

    def success_url(self):
        return reverse("referrals:screening", kwargs={"uuid": self.item.uuid})

    def failure_url(self):
        return reverse("referrals:triage-queue")


class AssignView(TriageOfficerMixin, ServiceFormView):
    template_name = "referrals/triage_assign.html"
    form_class = forms.AssignForm

    def setup_objects(self):
        user = self.request.user
        self.item = screened_request(
            user, self.kwargs["uuid"], request_selectors.requests_for(user)
        )

    def shown_records(self):
        return [self.item]

    def get_initial(self):
        return {"assigned_to": self.item.assigned_to_id}

    def get_context_data(self, **kwargs):
        return super().get_context_data(request_for_support=self.item, **kwargs)

    def perform(self, form):
        to = form.cleaned_data["assigned_to"]
        services.request_assign(by=self.request.user, request=self.item, to=to)
        messages.success(self.request, f"{self.item.reference} assigned to {to.get_full_name()}")
        return redirect("referrals:screening", uuid=self.item.uuid)


# The screening page


def _default_family_name(item):
    people = list(item.people.all())
    named = [p for p in people if p.role in CHILD_ROLES and p.family_name] or [
        p for p in people if p.family_name
    ]
    return f"{named[0].family_name} family" if named else ""


class ScreeningPage(TriageOfficerMixin, RecordPage):
    """Builds the screening page; the views that post a form re-render it on errors."""

    template_name = "referrals/screening.html"
    record_selector = staticmethod(selectors.screening_detail_for)

    def load(self):
        self.item = self.get_record()
        self.can_screen = access.can(self.request.user, access.Permission.SCREEN_REQUEST, self.item)

    def shown_records(self):
        return [self.item]

    def render_page(self, **bound):
        user = self.request.user
        item = self.item
        framework = threshold_selectors.current_framework()
        people = list(item.people.all())
        visible_people = set(
            selectors.matched_people_visible(user, item).values_list("pk", flat=True)
        )
        person_forms = bound.get("person_forms", {})
        duplicates = bound.get("duplicates", {})
        people_rows = []
        for person in people:
            row = {"request_person": person, "visible": person.matched_person_id in visible_people}
            if person.matched_person_id is None and self.can_screen:
                row["candidates"] = services.screening_candidates(by=user, request_person=person)
                row["create_form"] = person_forms.get(person.pk) or forms.CreatePersonForm(
                    user=user, auto_id=f"person-{person.pk}-%s"
                )
                row["duplicates"] = duplicates.get(person.pk, [])
            people_rows.append(row)

        matched_ids = [p.matched_person_id for p in people if p.matched_person_id]
        households = []
        if matched_ids and item.family_id is None:
            memberships = FamilyMembership.objects.filter(
                person__in=matched_ids, left_on__isnull=True
            ).select_related("family")
            households = list({m.family.pk: m.family for m in memberships}.values())
        family_visible = (
            item.family_id is not None
            and access.visible(user, Family.objects.filter(pk=item.family_id)).exists()
        )

        indicators = list(item.indicators.all())
        checks = list(item.checks.all())
        answer_forms = bound.get("answer_forms", {})
        check_rows = [
            {
                "check": check,
                "answer_form": None
                if check.is_answered or not self.can_screen
                else answer_forms.get(check.pk)
                or forms.AnswerForm(auto_id=f"check-{check.uuid}-%s"),
            }
            for check in checks
        ]
        context = {
            "request_for_support": item,
            "can_screen": self.can_screen,
            "rag": rag_status(item.due_at),
            "people_rows": people_rows,
            "households": households,
            "family_visible": family_visible,
            "known_to": selectors.known_to(user, item),
            "check_rows": check_rows,
            "framework": framework,
            "ticked_indicators": indicators,
            "suggested_level": services.suggested_level(indicators),
            "check_form": bound.get("check_form") or forms.CheckForm(prefix="check"),
            "consent_form": bound.get("consent_form")
            or forms.ConsentForm(prefix="consent", initial=forms.ConsentForm.initial_for(item)),
            "notes_form": bound.get("notes_form")
            or forms.NotesForm(initial={"screening_notes": item.screening_notes}),
            "family_form": bound.get("family_form")
            or forms.CreateFamilyForm(
                user=user, prefix="family", initial={"name": _default_family_name(item)}
            ),
            "indicators_form": None,
        }
        if framework is not None:
            context["indicators_form"] = bound.get("indicators_form") or forms.IndicatorsForm(
                framework=framework, initial={"indicators": [i.pk for i in indicators]}
            )
        context["error_forms"] = [
            form
            for form in [
                context["check_form"],
                context["consent_form"],
                context["notes_form"],
                context["family_form"],
                context["indicators_form"],
                *person_forms.values(),
                *answer_forms.values(),
            ]
            if form is not None and form.is_bound
        ]
        return render(self.request, self.template_name, context)


class ScreeningView(ScreeningPage, RecordDetailView):
    """The screening page."""


class ScreeningFormView(PageFormAction, ScreeningPage):
    """POST one of the screening page's forms: on success back to the page, else show it."""

    def post(self, request, uuid, **kwargs):
        self.load()
        return self.submit()

    def success_url(self):
        return reverse("referrals:screening", kwargs={"uuid": self.item.uuid})


class ScreeningActionView(TriageOfficerMixin, ServiceActionView):
    """A button on the screening page: back to it, saying what came of it."""

    def setup_objects(self):
        self.item = screened_request(self.request.user, self.kwargs["uuid"])

    def success_url(self):
        return reverse("referrals:screening", kwargs={"uuid": self.item.uuid})


class MatchView(ScreeningActionView):
    """ "This is them" (person = a record's uuid) or "Not a match" (person empty)."""

    def setup_objects(self):
        super().setup_objects()
        self.request_person = get_object_or_404(self.item.people.all(), pk=self.kwargs["person_pk"])
        self.person = None
        chosen = self.request.POST.get("person", "").strip()
        if chosen:
            try:
                self.person = Person.objects.get(uuid=chosen)
            except (Person.DoesNotExist, ValidationError):
                raise Http404("No person found") from None

    def perform(self):
        services.screening_match_person(
            by=self.request.user, request_person=self.request_person, person=self.person
        )
        name = self.request_person.full_name
        if self.person:
            return f"{name} matched to a record"
        return f"{name} is no longer matched to a record"


class CreatePersonView(ScreeningFormView):
    def make_form(self, data):
        self.request_person = get_object_or_404(self.item.people.all(), pk=self.kwargs["person_pk"])
        return forms.CreatePersonForm(
            data=data, user=self.request.user, auto_id=f"person-{self.request_person.pk}-%s"
        )

    def perform(self, form):
        try:
            services.screening_create_person(
                by=self.request.user,
                request_person=self.request_person,
                owning_team=form.cleaned_data["owning_team"],
                confirmed_not_duplicate=form.cleaned_data["confirmed_not_duplicate"],
            )
        except search.PossibleDuplicates as error:
            # Listed under the form, each with "This is them".
            self.duplicates = case_services.results_for(self.request.user, error.matches)
            raise
        return "Record created and matched"

    def bound(self, form):
        return {
            "person_forms": {self.request_person.pk: form},
            "duplicates": {self.request_person.pk: getattr(self, "duplicates", [])},
        }


class FamilyLinkView(ScreeningActionView):
    def perform(self):
        family = Family.objects.filter(uuid=self.request.POST.get("family") or None).first()
        if family is None:
            raise ServiceError(services.CHOOSE_A_MATCHED_HOUSEHOLD)
        services.screening_link_family(by=self.request.user, request=self.item, family=family)
        return f"Request linked to {family.name}"


class FamilyCreateView(ScreeningFormView):
    form_key = "family_form"

    def make_form(self, data):
        return forms.CreateFamilyForm(data=data, user=self.request.user, prefix="family")

    def perform(self, form):
        services.screening_create_family(
            by=self.request.user,
            request=self.item,
            owning_team=form.cleaned_data["owning_team"],
            name=form.cleaned_data["name"],
        )
        return "Family record created and linked to the request"


class CheckAddView(ScreeningFormView):
    form_key = "check_form"
    form_class, prefix = forms.CheckForm, "check"

    def perform(self, form):
        services.screening_check_add(
            by=self.request.user, request=self.item, **form.service_fields()
        )
        return "Check added"


class CheckAnswerView(ScreeningFormView):
    def make_form(self, data):
        self.check = get_object_or_404(self.item.checks.all(), uuid=self.kwargs["check_uuid"])
        return forms.AnswerForm(data=data, auto_id=f"check-{self.check.uuid}-%s")

    def perform(self, form):
        services.screening_check_answer(
            by=self.request.user, check=self.check, answer=form.cleaned_data["answer"]
        )
        return "Answer saved"

    def bound(self, form):
        return {"answer_forms": {self.check.pk: form}}


class ConsentView(ScreeningFormView):
    form_key = "consent_form"
    form_class, prefix = forms.ConsentForm, "consent"

    def perform(self, form):
        services.screening_record_consent(
            by=self.request.user, request=self.item, **form.cleaned_data
        )
        return "Consent recorded"


class NotesView(ScreeningFormView):
    form_key = "notes_form"
    form_class = forms.NotesForm

    def perform(self, form):
        services.screening_notes_save(
            by=self.request.user, request=self.item, notes=form.cleaned_data["screening_notes"]
        )
        return "Screening notes saved"


class IndicatorsView(ScreeningFormView):
    form_key = "indicators_form"

    def make_form(self, data):
        framework = threshold_selectors.current_framework()
        if framework is None:
            raise Http404("No threshold framework is published")
        return forms.IndicatorsForm(data=data, framework=framework)

    def perform(self, form):
        level = services.screening_indicators_set(
            by=self.request.user, request=self.item, indicators=form.cleaned_data["indicators"]
        )
        if level:
            return f"Indicators saved. Suggested level: {level.name}"
        return "Indicators saved. No indicator is ticked"

    def success_url(self):
        return super().success_url() + "#indicators"
