"""TAF plan pages (DESIGN section 5, step 5): start the plan from the episode, write its
narrative, outcomes and actions, agree it, work its actions, start a new version. Reviews of
the plan are in `assessments.reviews.views`.

Thin: forms parse, services change, plan_selectors read. Pages that change the draft refuse
an agreed plan with a message; a refusal from a service shows on the form with everything
typed kept.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.template.defaultfilters import linebreaksbr
from django.urls import reverse
from django.utils.functional import cached_property

from assessments.documents.selectors import documents_for
from assessments.models import PLAN_MOVES, Plan, PlanAction, PlanOutcome, PlanStatus
from assessments.plans import checks, forms, selectors, services
from assessments.reviews import selectors as review_selectors
from assessments.reviews import services as review_services
from cases.episodes.forms import ConfirmForm
from cases.models import Episode
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from earlyhelp.pages import (
    CaseWorkerMixin,
    ConfirmActionView,
    PageFormAction,
    RecordDetailView,
    RecordMixin,
    RecordPage,
    ServiceActionView,
    ServiceFormView,
)

Permission = access.Permission


def plan_url(plan, anchor=""):
    """The plan page (at `anchor`)."""
    return reverse("plans:detail", args=[plan.uuid]) + anchor


def to_plan(plan, anchor=""):
    """Back to the plan page (at `anchor`)."""
    return redirect(plan_url(plan, anchor))


class StartView(CaseWorkerMixin, ServiceActionView):
    """POST: start the plan from the episode's approved assessment."""

    def setup_objects(self):
        self.episode = access.get_for_user(
            self.request.user, Episode.objects.all(), uuid=self.kwargs["uuid"]
        )

    def perform(self):
        self.plan = services.plan_create(by=self.request.user, episode=self.episode)
        return "Plan started: write it with the family and the TAF"

    def success_url(self):
        return reverse("plans:detail", kwargs={"uuid": self.plan.uuid})

    def failure_url(self):
        return reverse("episodes:detail", kwargs={"uuid": self.episode.uuid})


class PlanMixin(CaseWorkerMixin, RecordMixin):
    """Loads the plan the address names, for a user who may see it (else 404)."""

    record_selector = staticmethod(selectors.plans_for)

    def load(self):
        user = self.request.user
        self.plan = self.get_record()
        self.episode = self.plan.episode
        self.may_work = access.can(user, Permission.WORK_ON_EPISODE, self.episode)

    def shown_records(self):
        return [self.plan]

    def require_work(self):
        if not self.may_work:
            raise PermissionDenied("Only the lead professional or a manager can change the plan")

    def refuse_unless_draft(self):
        """A redirect with the reason when the plan is no longer a draft, else None."""
        if self.plan.is_editable:
            return None
        messages.error(
            self.request,
            "The plan is agreed: start a new version to change it"
            if self.plan.status == PlanStatus.AGREED
            else "This version of the plan has been replaced: change the current one",
        )
        return to_plan(self.plan)


# The plan page


class PlanPage(PlanMixin, RecordPage):
    template_name = "plans/plan_detail.html"
    record_selector = staticmethod(selectors.plan_detail_for)

    def render_page(self, **bound):
        user, plan, episode = self.request.user, self.plan, self.episode
        outcomes = list(plan.outcomes.all())
        actions = list(plan.actions.all())
        versions = selectors.versions_of(plan)
        draft = next((v for v in versions if v.status == PlanStatus.DRAFT), None)
        agreed = plan.status == PlanStatus.AGREED
        allowed = {
            "change": self.may_work and plan.is_editable,
            "agree": self.may_work and PLAN_MOVES.can_move(plan, PlanStatus.AGREED),
            "new_version": self.may_work and agreed and draft is None,
            "review": self.may_work and agreed and episode.status in review_services.REVIEWABLE,
            "family_plan": self.may_work and agreed,
        }
        status_forms = {}
        if agreed:
            for action in actions:
                if access.can(user, Permission.UPDATE_PLAN_ACTION, action):
                    key = f"status-{action.uuid}"
                    status_forms[action.pk] = bound.get(key) or forms.ActionStatusForm(
                        prefix=key, initial={"status": action.status}
                    )
        page_forms = {
            "agree": bound.get("agree") or forms.AgreeForm(prefix="agree"),
            "new_version": bound.get("new_version") or ConfirmForm(prefix="new-version"),
        }
        context = {
            "plan": plan,
            "episode": episode,
            "family": episode.family,
            "outcomes": outcomes,
            "actions": [(action, status_forms.get(action.pk)) for action in actions],
            "reviews": review_selectors.episode_reviews(episode),
            "versions": versions,
            "draft": draft if draft and draft.pk != plan.pk else None,
            "taf_members": list(selectors.current_taf_members(episode)),
            "allowed": allowed,
            "forms": page_forms,
            "error_forms": [form for form in bound.values() if form.errors],
            "documents": list(documents_for(user, plan)),
            "family_plan_request_url": reverse("assessments:family-plan-request", args=[plan.uuid]),
        }
        return render(self.request, self.template_name, context)


class PlanDetailView(PlanPage, RecordDetailView):
    """The plan page."""


class PlanActionView(PageFormAction, PlanPage):
    """POST one of the plan page's forms: on success to the plan the service answers with
    (for a new version, the new one), else the page again with the form's errors."""

    form_class = ConfirmForm

    def post(self, request, uuid):
        self.load()
        self.require_work()
        return self.submit()

    def success_url(self):
        return plan_url(self.result)


class AgreeView(PlanActionView):
    form_key = prefix = "agree"
    form_class = forms.AgreeForm

    def perform(self, form):
        self.result = services.plan_agree(
            by=self.request.user, plan=self.plan, agreed_on=form.cleaned_data["agreed_on"]
        )
        return f"Plan agreed. The next review is due on {self.result.next_review_on:%-d %B %Y}."


class NewVersionView(PlanActionView):
    form_key, prefix = "new_version", "new-version"

    def perform(self, form):
        self.result = services.plan_new_version(by=self.request.user, plan=self.plan)
        return (
            f"Version {self.result.version} started. Version {self.plan.version} stays in force "
            "until the new one is agreed."
        )


class ActionStatusView(PlanMixin, ServiceActionView):
    """POST how an action of the agreed plan is going."""

    def setup_objects(self):
        self.load()
        # 404 for an action the user may not see, 403 if they may not say how it is going:
        # before the form is read.
        self.action = access.get_for_change(
            self.request.user,
            PlanAction.objects.filter(plan=self.plan).select_related("plan__episode"),
            Permission.UPDATE_PLAN_ACTION,
            uuid=self.kwargs["action_uuid"],
        )

    def perform(self):
        form = forms.ActionStatusForm(self.request.POST, prefix=f"status-{self.action.uuid}")
        if not form.is_valid():
            raise ServiceError(checks.ACTION_STATUS_MESSAGE)
        action = services.plan_action_set_status(
            by=self.request.user, action=self.action, status=form.cleaned_data["status"]
        )
        return f"{action.description[:60]}: {action.get_status_display().lower()}"

    def success_url(self):
        return plan_url(self.plan, "#actions")


# The draft's pages


class PlanFormPage(PlanMixin, ServiceFormView):
    """A form about the plan, for someone who may work on it; when the plan is not in the
    state the form needs, a redirect to the plan with the reason."""

    def get(self, request, *args, **kwargs):
        return self.refusal() or super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        return self.refusal() or super().post(request, *args, **kwargs)

    def refusal(self):
        self.load()
        self.require_work()
        return self.refuse_unless_ready()

    def refuse_unless_ready(self):
        """A redirect with the reason when the plan is not in the state the form needs."""
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            plan=self.plan, episode=self.episode, family=self.episode.family, **kwargs
        )


class DraftFormPage(PlanFormPage):
    """A form that changes the draft: refused with a message once the plan is agreed."""

    def refuse_unless_ready(self):
        return self.refuse_unless_draft()


class PlanEditView(DraftFormPage):
    """The narrative, with the revision the page was opened at: a save over someone
    else's shows their words and keeps yours."""

    template_name = "plans/plan_form.html"
    form_class = forms.PlanForm
    stale = False

    def get_initial(self):
        plan = self.plan
        return {
            "worries": plan.worries,
            "working_well": plan.working_well,
            "family_words": plan.family_words,
            "contingency": plan.contingency,
            "revision": plan.revision,
        }

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if "data" in kwargs:
            kwargs["data"] = kwargs["data"].copy()  # its revision is updated if shown again
        return kwargs

    def perform(self, form):
        try:
            services.plan_update(
                by=self.request.user,
                plan=self.plan,
                expected_revision=form.cleaned_data["revision"],
                worries=form.cleaned_data["worries"],
                working_well=form.cleaned_data["working_well"],
                family_words=form.cleaned_data["family_words"],
                contingency=form.cleaned_data["contingency"],
            )
        except ServiceError:
            self.stale = True  # someone saved it since: their words are shown beside yours
            raise
        messages.success(self.request, "Plan saved")
        return to_plan(self.plan)

    def form_invalid(self, form):
        # The page shows what was typed, at the revision now saved, so saving again works.
        self.plan = Plan.objects.select_related("modified_by", "episode__family").get(
            pk=self.plan.pk
        )
        form.data["revision"] = str(self.plan.revision)
        saved = self.plan
        stale_rows = [
            (label, linebreaksbr(value or "Not written"))
            for label, value in (
                ("What we are worried about", saved.worries),
                ("What is working well", saved.working_well),
                ("The family's own words", saved.family_words),
                ("What happens if things do not improve", saved.contingency),
            )
        ]
        context = self.get_context_data(form=form, stale=self.stale, stale_rows=stale_rows)
        return self.render_to_response(context)


def _outcome_values(form):
    data = form.cleaned_data
    return {
        "description": data["description"],
        "people": list(data["people"]),
        "need": data["need"],
        "area": data["area"],
        "baseline": data["baseline"],
        "target": data["target"],
    }


class OutcomeView(DraftFormPage):
    """Add an outcome, or change one (the address names it)."""

    template_name = "plans/outcome_form.html"
    form_class = forms.OutcomeForm

    def setup_objects(self):
        self.outcome = None
        if "outcome_uuid" in self.kwargs:
            self.outcome = access.get_for_user(
                self.request.user,
                PlanOutcome.objects.filter(plan=self.plan).prefetch_related("people"),
                uuid=self.kwargs["outcome_uuid"],
            )

    def get_initial(self):
        return forms.OutcomeForm.initial_from(self.outcome) if self.outcome else {}

    def form_kwargs(self):
        return {"family": self.episode.family}

    def get_context_data(self, **kwargs):
        return super().get_context_data(outcome=self.outcome, **kwargs)

    def perform(self, form):
        if self.outcome is None:
            services.plan_outcome_add(by=self.request.user, plan=self.plan, **_outcome_values(form))
            messages.success(self.request, "Outcome added")
        else:
            services.plan_outcome_change(
                by=self.request.user, outcome=self.outcome, **_outcome_values(form)
            )
            messages.success(self.request, "Outcome changed")
        return to_plan(self.plan, "#outcomes")


class RemoveView(PlanMixin, ConfirmActionView):
    """Remove an outcome or an action (the address names it) from the draft: GET asks
    "Are you sure?", the POST from that page removes it."""

    model = None
    lookup_kwarg = anchor = removed = None
    what = None

    def remove(self, part):
        raise NotImplementedError

    def setup_objects(self):
        self.load()
        self.require_work()
        return self.refuse_unless_draft()

    @cached_property
    def part(self):
        return access.get_for_user(
            self.request.user,
            self.model.objects.filter(plan=self.plan),
            uuid=self.kwargs[self.lookup_kwarg],
        )

    def confirmation(self):
        return {
            "caption": f"{self.episode.family.name}: TAF plan",
            "question": f"Are you sure you want to remove this {self.what}?",
            "details": [(self.what.capitalize(), self.part.description)],
            "explanation": self.explanation,
            "button": f"Remove the {self.what}",
            "cancel_url": plan_url(self.plan, self.anchor),
        }

    def perform(self):
        self.remove(self.part)
        return self.removed

    def success_url(self):
        return plan_url(self.plan, self.anchor)


class OutcomeRemoveView(RemoveView):
    model, lookup_kwarg, anchor, removed = (
        PlanOutcome,
        "outcome_uuid",
        "#outcomes",
        "Outcome removed",
    )
    what = "outcome"
    explanation = "Its actions stay in the plan, no longer linked to an outcome."

    def remove(self, part):
        services.plan_outcome_remove(by=self.request.user, outcome=part)


class ActionView(DraftFormPage):
    """Add an action, or change one (the address names it)."""

    template_name = "plans/action_form.html"
    form_class = forms.ActionForm

    def setup_objects(self):
        self.action = None
        if "action_uuid" in self.kwargs:
            self.action = access.get_for_user(
                self.request.user,
                PlanAction.objects.filter(plan=self.plan),
                uuid=self.kwargs["action_uuid"],
            )

    def get_initial(self):
        return forms.ActionForm.initial_from(self.action) if self.action else {}

    def form_kwargs(self):
        return {"plan": self.plan}

    def get_context_data(self, **kwargs):
        return super().get_context_data(action=self.action, **kwargs)

    def perform(self, form):
        values = {
            "description": form.cleaned_data["description"],
            "due_on": form.cleaned_data["due_on"],
            "outcome": form.cleaned_data["outcome"],
            **form.owner(),
        }
        if self.action is None:
            services.plan_action_add(by=self.request.user, plan=self.plan, **values)
            messages.success(self.request, "Action added")
        else:
            services.plan_action_change(by=self.request.user, action=self.action, **values)
            messages.success(self.request, "Action changed")
        return to_plan(self.plan, "#actions")


class ActionRemoveView(RemoveView):
    model, lookup_kwarg, anchor, removed = PlanAction, "action_uuid", "#actions", "Action removed"
    what = "action"
    explanation = "The action is taken out of this draft of the plan."

    def remove(self, part):
        services.plan_action_remove(by=self.request.user, action=part)
