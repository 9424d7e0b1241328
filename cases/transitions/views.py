"""Step up and step down pages (DESIGN section 5, step 6): ask, approve or decline, accept
or not. Thin: forms parse, services in cases.transitions.services change, selectors read.

The transition page shows several small forms; each posts to its own address, and a form
with errors re-renders the whole page with that form's errors and typed values.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from audit.services import record_list
from cases.models import Episode, Family
from cases.transitions import forms, selectors, services
from cases.transitions.models import TRANSITION_MOVES, Direction, Transition, TransitionStatus
from earlyhelp import access
from earlyhelp.pages import (
    CaseWorkerMixin,
    FormPage,
    PageFormAction,
    RecordDetailView,
    RecordPage,
)

Permission = access.Permission
PAGE_SIZE = 50


def episode_href(episode):
    """The episode's page, once the episode pages exist."""
    if episode is None:
        return None
    try:
        return reverse("episodes:detail", kwargs={"uuid": episode.uuid})
    except NoReverseMatch:
        return None


def _only(queryset):
    """The one choice, to preselect, when there is exactly one."""
    choices = list(queryset[:2])
    return choices[0].pk if len(choices) == 1 else None


# Asking


class StepUpRequestView(FormPage):
    """The lead professional (or a manager over the episode) asks for a step up."""

    template_name = "transitions/step_up_form.html"
    form_class = forms.StepUpForm

    def setup_objects(self):
        user = self.request.user
        self.episode = access.get_for_user(
            user,
            Episode.objects.select_related("family", "level", "team", "locality"),
            uuid=self.kwargs["uuid"],
        )
        if not access.can(user, Permission.WORK_ON_EPISODE, self.episode):
            raise PermissionDenied("Only the lead professional or a manager can ask for a step up")

    def shown_records(self):
        return [self.episode]

    def form_kwargs(self):
        if self.request.method == "POST":
            return {}
        return {"initial": {"to_level": _only(selectors.statutory_levels())}}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            episode=self.episode,
            family=self.episode.family,
            back_href=episode_href(self.episode)
            or reverse("cases:family-detail", kwargs={"uuid": self.episode.family.uuid}),
            **kwargs,
        )

    def perform(self, form):
        transition = services.step_up_request(
            by=self.request.user, episode=self.episode, **form.cleaned_data
        )
        messages.success(self.request, "Step up requested: a manager over your team approves it")
        return redirect("transitions:detail", uuid=transition.uuid)


class StepDownRequestView(FormPage):
    """Children's social care asks early help to take a family on."""

    template_name = "transitions/step_down_form.html"
    form_class = forms.StepDownForm

    def setup_objects(self):
        user = self.request.user
        self.family = access.get_for_user(
            user, Family.objects.select_related("owning_team"), uuid=self.kwargs["uuid"]
        )
        if not selectors.own_social_care_teams(user).exists():
            raise PermissionDenied("A step down is asked for by a children's social care team")

    def shown_records(self):
        return [self.family]

    def form_kwargs(self):
        kwargs = {"user": self.request.user}
        if self.request.method != "POST":
            kwargs["initial"] = {
                "from_level": _only(selectors.statutory_levels()),
                "sending_team": _only(selectors.own_social_care_teams(self.request.user)),
            }
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(family=self.family, **kwargs)

    def perform(self, form):
        transition = services.step_down_request(
            by=self.request.user, family=self.family, **form.cleaned_data
        )
        messages.success(self.request, "Step down requested: a manager over your team approves it")
        return redirect("transitions:detail", uuid=transition.uuid)


# The list


def row_for(transition, now):
    return {
        "transition": transition,
        "waiting_too_long": services.is_waiting_too_long(transition, now),
        "due_at": services.acceptance_due_at(transition),
    }


class TransitionListView(CaseWorkerMixin, TemplateView):
    template_name = "transitions/list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        waiting = selectors.waiting_for(user)
        filter_form = forms.TransitionFilterForm(self.request.GET or None)
        transitions = filter_form.filter(selectors.transitions_for(user))
        page = Paginator(transitions, PAGE_SIZE).get_page(self.request.GET.get("page"))
        shown = {t.pk: t for t in [*waiting, *page.object_list]}
        record_list(
            actor=user,
            model=Transition,
            objects=shown.values(),
            filters={k: v for k, v in self.request.GET.items() if k != "page"},
        )
        to_approve = [t for t in waiting if t.status == TransitionStatus.REQUESTED]
        to_accept = [t for t in waiting if t.status == TransitionStatus.APPROVED]
        return super().get_context_data(
            to_approve=[row_for(t, now) for t in to_approve],
            to_accept=[row_for(t, now) for t in to_accept],
            filter_form=filter_form,
            page_obj=page,
            rows=[row_for(t, now) for t in page.object_list],
            **kwargs,
        )


# The transition page and its actions


class TransitionPage(CaseWorkerMixin, RecordPage):
    """Builds the transition page; the views that post a form re-render it on errors."""

    template_name = "transitions/detail.html"
    record_selector = staticmethod(selectors.transition_detail_for)

    def load(self):
        user = self.request.user
        self.transition = self.get_record()
        transition = self.transition
        self.can_approve = TRANSITION_MOVES.can_move(
            transition, TransitionStatus.APPROVED
        ) and access.can(user, Permission.APPROVE_TRANSITION, transition)
        self.can_respond = TRANSITION_MOVES.can_move(
            transition, TransitionStatus.ACCEPTED
        ) and access.can(user, Permission.RESPOND_TO_TRANSITION, transition)

    def shown_records(self):
        return [self.transition]

    def render_page(self, **bound):
        transition = self.transition
        context = {
            "transition": transition,
            "is_step_up": transition.direction == Direction.UP,
            "due_at": services.acceptance_due_at(transition),
            "waiting_too_long": services.is_waiting_too_long(transition),
            "episode_href": episode_href(transition.episode),
            "bounced_back_by": list(transition.bounced_back_by.all()),
            "can_approve": self.can_approve,
            "can_respond": self.can_respond,
        }
        if self.can_approve:
            context["approve_form"] = bound.get("approve_form") or forms.ApproveForm()
            context["decline_form"] = bound.get("decline_form") or forms.DeclineForm()
        if self.can_respond:
            context["accept_form"] = bound.get("accept_form") or forms.AcceptForm()
            context["reject_form"] = bound.get("reject_form") or forms.RejectForm()
        context["error_forms"] = [form for form in bound.values() if form.errors]
        return render(self.request, self.template_name, context)


class TransitionDetailView(TransitionPage, RecordDetailView):
    """The transition page."""


class TransitionActionView(PageFormAction, TransitionPage):
    """POST one action: on success back to the page, else show the form's errors."""

    permission = None
    denied = ""

    def allowed(self):
        return access.can(self.request.user, self.permission, self.transition)

    def post(self, request, uuid):
        self.load()
        if not self.allowed():
            raise PermissionDenied(self.denied)
        return self.submit()

    def success_url(self):
        return reverse("transitions:detail", kwargs={"uuid": self.transition.uuid})

    def render_invalid(self, form):
        # Show the form that failed even if the transition has moved on meanwhile.
        if self.form_key in ("approve_form", "decline_form"):
            self.can_approve = True
        else:
            self.can_respond = True
        return super().render_invalid(form)


class ApproveView(TransitionActionView):
    form_key = "approve_form"
    form_class = forms.ApproveForm
    permission = Permission.APPROVE_TRANSITION
    denied = "Only a manager over the sending team can approve this"

    def perform(self, form):
        transition = services.transition_approve(by=self.request.user, transition=self.transition)
        if transition.direction == Direction.DOWN:
            return (
                "Step down approved: the family is waiting for allocation in "
                f"{transition.receiving_team.locality.name}"
            )
        return f"Step up approved: waiting for {transition.receiving_team.name} to accept it"


class DeclineView(TransitionActionView):
    form_key = "decline_form"
    form_class = forms.DeclineForm
    permission = Permission.APPROVE_TRANSITION
    denied = "Only a manager over the sending team can decline this"

    def perform(self, form):
        services.transition_decline(
            by=self.request.user,
            transition=self.transition,
            reason=form.cleaned_data["reason"],
        )
        return f"{self.transition.get_direction_display()} declined"


class AcceptView(TransitionActionView):
    form_key = "accept_form"
    form_class = forms.AcceptForm
    permission = Permission.RESPOND_TO_TRANSITION
    denied = "Only a manager over the receiving team can accept this"

    def perform(self, form):
        transition = services.transition_accept(
            by=self.request.user, transition=self.transition, notes=form.cleaned_data["notes"]
        )
        if transition.direction == Direction.UP:
            return "Step up accepted: the early help episode is closed as stepped up"
        return "Step down accepted: allocate the family a lead professional"


class RejectView(TransitionActionView):
    form_key = "reject_form"
    form_class = forms.RejectForm
    permission = Permission.RESPOND_TO_TRANSITION
    denied = "Only a manager over the receiving team can respond to this"

    def perform(self, form):
        services.transition_reject(
            by=self.request.user,
            transition=self.transition,
            reason=form.cleaned_data["reason"],
        )
        return f"{self.transition.get_direction_display()} not accepted: the sending team keeps it"
