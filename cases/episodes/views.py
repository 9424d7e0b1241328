"""Episode pages (DESIGN section 5, steps 3 to 6): the episode page with its actions,
"My cases", and managers' caseloads. Thin: forms parse, services change, selectors read.

The episode page is one page with several small forms; each posts to its own address,
and a form with errors re-renders the whole page with that form's errors and typed values.
The page offers only the actions the access policy allows; the services check again.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.generic import TemplateView

from assessments.assessments import selectors as assessment_selectors
from assessments.plans import selectors as plan_selectors
from audit.services import record_list
from cases.episodes import forms, selectors, services
from cases.models import WORKING_STATUSES, Episode, EpisodeStatus
from cases.transitions.models import Direction, TransitionStatus
from cases.transitions.services import is_waiting_too_long
from earlyhelp import access, working_days
from earlyhelp.confirm import confirmation_page
from earlyhelp.pages import (
    CaseWorkerMixin,
    PageFormAction,
    RecordDetailView,
    RecordPage,
    record_views,
)

Permission = access.Permission
PAGE_SIZE = 50


def url_or_none(name, *args):
    """The address of a page another part of the service may not provide yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


# The episode page


class EpisodePage(CaseWorkerMixin, RecordPage):
    """Builds the episode page; the views that post a form re-render it on errors."""

    template_name = "episodes/episode_detail.html"
    record_selector = staticmethod(selectors.episode_detail_for)

    def load(self):
        user = self.request.user
        self.episode = self.get_record()
        self.may_manage = access.can(user, Permission.MANAGE_EPISODE, self.episode)
        self.may_work = access.can(user, Permission.WORK_ON_EPISODE, self.episode)

    def shown_records(self):
        return [self.episode]

    def available_actions(self):
        """The actions to offer this user now. The services decide; this only hides
        buttons that could not work."""
        episode, status = self.episode, self.episode.status
        reopen_from = timezone.now() - timedelta(days=settings.EPISODE_REOPEN_DAYS)
        return {
            "allocate": self.may_manage and status == EpisodeStatus.AWAITING_ALLOCATION,
            "reallocate": self.may_manage and status in WORKING_STATUSES,
            "start_assessment": self.may_work
            and status in (EpisodeStatus.ALLOCATED, EpisodeStatus.PLAN_IN_PLACE),
            "flag": self.may_work and episode.is_open,
            "change_level": self.may_manage and episode.is_open,
            "taf_add": self.may_work,
            "taf_end": self.may_work,
            "request_closure": self.may_work
            and status
            in (EpisodeStatus.ALLOCATED, EpisodeStatus.ASSESSING, EpisodeStatus.PLAN_IN_PLACE),
            "approve_closure": self.may_manage and status == EpisodeStatus.CLOSING,
            "decline_closure": self.may_manage and status == EpisodeStatus.CLOSING,
            "reopen": self.may_manage
            and status == EpisodeStatus.CLOSED
            and episode.closed_at >= reopen_from,
        }

    def make_action_form(self, key, data=None):
        """The action's form, with a prefix of its own so ids differ between forms."""
        user, episode = self.request.user, self.episode
        reason = {
            "decline_closure": (
                "Why is the episode not closing yet?",
                services.DECLINE_CLOSURE_REASON_MESSAGE,
            ),
            "reopen": ("Why is the episode reopening?", services.REOPEN_REASON_MESSAGE),
        }
        kwargs = {"prefix": key.replace("_", "-")}
        match key:
            case "allocate":
                return forms.AllocateForm(data, user=user, episode=episode, **kwargs)
            case "reallocate":
                initial = {
                    "lead_professional": episode.lead_professional_id,
                    "team": episode.team_id,
                }
                return forms.ReallocateForm(
                    data, user=user, episode=episode, initial=initial, **kwargs
                )
            case "flag":
                return forms.FlagForm(data, initial={"reason": episode.flag_reason}, **kwargs)
            case "change_level":
                return forms.ChangeLevelForm(data, initial={"level": episode.level_id}, **kwargs)
            case "taf_add":
                return forms.TafMemberForm(data, user=user, **kwargs)
            case "request_closure":
                return forms.RequestClosureForm(data, **kwargs)
            case "decline_closure" | "reopen":
                label, required = reason[key]
                return forms.ReasonForm(data, label=label, required_message=required, **kwargs)
        return forms.ConfirmForm(data, **kwargs)

    def render_page(self, *, open_form=None, **bound):
        episode = self.episode
        now = timezone.now()
        actions = self.available_actions()
        page_forms = {
            key: bound.get(key) or self.make_action_form(key)
            for key, allowed in actions.items()
            if allowed and key != "taf_end"
        }
        members = list(episode.taf_members.all())
        transitions = list(episode.transitions.all())
        due = selectors.assessment_due_at(episode)
        assessment = assessment_selectors.latest_for_episode(episode)
        agreed_plan, draft_plan = plan_selectors.episode_plans(episode)
        pending_step_up = any(t.direction == Direction.UP and t.is_pending for t in transitions)
        context = {
            "episode": episode,
            "family": episode.family,
            "actions": actions,
            "forms": page_forms,
            "open_form": open_form,
            "error_forms": [form for form in bound.values() if form.errors],
            "status_changes": list(episode.status_changes.all()),
            "lead_history": list(episode.lead_history.all()),
            "current_members": [m for m in members if m.is_current],
            "past_members": [m for m in members if not m.is_current],
            "transitions": [(t, is_waiting_too_long(t, now)) for t in transitions],
            "stepped_down_by": next(
                (
                    t
                    for t in transitions
                    if t.direction == Direction.DOWN and t.status != TransitionStatus.DECLINED
                ),
                None,
            ),
            "assessment_due": due,
            "assessment": assessment,
            "may_start_assessment": assessment_selectors.may_start(
                may_work=self.may_work, episode=episode, latest=assessment
            ),
            "assessment_rag": working_days.rag_status(due, now) if due else None,
            "plan": agreed_plan,
            "draft_plan": draft_plan,
            "may_start_plan": plan_selectors.may_start_plan(
                may_work=self.may_work,
                episode=episode,
                assessment=assessment,
                agreed=agreed_plan,
                draft=draft_plan,
            ),
            "step_up_url": url_or_none("transitions:step-up-request", episode.uuid)
            if self.may_work and episode.is_open and not pending_step_up
            else None,
            "reopen_days": settings.EPISODE_REOPEN_DAYS,
            "transition_pages": url_or_none("transitions:list") is not None,
        }
        return render(self.request, self.template_name, context)


class EpisodeDetailView(EpisodePage, RecordDetailView):
    """The episode page, with no form open."""


class EpisodeActionView(PageFormAction, EpisodePage):
    """POST one of the episode page's forms: on success back to the page, else show it.
    GET shows the episode page with that form open (links from lists point here)."""

    action = None
    permission = Permission.WORK_ON_EPISODE
    refusal = "Only the lead professional or a manager can do this"
    # An action whose form's fields are its service's arguments, and whose success message
    # is the same whatever came of it, names the two; the others write their own `perform`.
    service = None
    done = ""

    def check(self):
        if not access.can(self.request.user, self.permission, self.episode):
            raise PermissionDenied(self.refusal)

    def get(self, request, uuid, **kwargs):
        self.load()
        self.check()
        return self.show_page(open_form=self.action)

    def post(self, request, uuid, **kwargs):
        self.load()
        self.check()
        return self.submit()

    def make_form(self, data):
        return self.make_action_form(self.action, data)

    def perform(self, form):
        self.service(by=self.request.user, episode=self.episode, **form.cleaned_data)
        return self.done

    def success_url(self):
        return reverse("episodes:detail", kwargs={"uuid": self.episode.uuid})

    def render_invalid(self, form):
        return self.show_page(open_form=self.action, **{self.action: form})


class _ManagerAction(EpisodeActionView):
    permission = Permission.MANAGE_EPISODE
    refusal = "Only a manager of the episode's locality or team can do this"


class AllocateView(_ManagerAction):
    action = "allocate"
    service = staticmethod(services.episode_allocate)
    done = "Allocated to"

    def perform(self, form):
        super().perform(form)
        return f"{self.done} {form.cleaned_data['lead_professional'].get_full_name()}"


class ReallocateView(AllocateView):
    action = "reallocate"
    service = staticmethod(services.episode_reallocate)
    done = "Reallocated to"


class StartAssessmentView(EpisodeActionView):
    action = "start_assessment"
    service = staticmethod(services.episode_start_assessment)
    done = "Assessment started"


class FlagView(EpisodeActionView):
    action = "flag"
    service = staticmethod(services.episode_flag)
    done = "Flagged for discussion at the next allocation meeting"


class ChangeLevelView(_ManagerAction):
    action = "change_level"
    service = staticmethod(services.episode_change_level)

    def perform(self, form):
        super().perform(form)
        return f"Level changed to {form.cleaned_data['level'].name}"


class TafMemberAddView(EpisodeActionView):
    action = "taf_add"

    def perform(self, form):
        member = services.taf_member_add(
            by=self.request.user, episode=self.episode, **form.cleaned_data
        )
        return f"{member.name} added to the Team Around the Family"


class TafMemberEndView(EpisodeActionView):
    """GET asks "Are you sure?"; the POST from that page ends the membership."""

    action = "taf_end"

    def load_member(self, member_uuid):
        self.load()
        self.check()
        self.member = next(
            (m for m in self.episode.taf_members.all() if m.uuid == member_uuid), None
        )
        if self.member is None:
            raise Http404("No TAF member found")

    def post(self, request, uuid, member_uuid):
        self.load_member(member_uuid)
        return self.submit()

    def get(self, request, uuid, member_uuid):
        self.load_member(member_uuid)
        record_views(request.user, self.shown_records())
        member = self.member
        agency = member.agency or (member.user.agency if member.user_id else None)
        details = [("Name", member.name), ("Role in the TAF", member.role)]
        if agency:
            details.insert(1, ("Agency", agency.name))
        return confirmation_page(
            request,
            caption=self.episode.family.name,
            question=f"Are you sure you want to remove {member.name} from the Team Around "
            "the Family?",
            details=details,
            explanation="From today they no longer see the family's records through the TAF. "
            "They stay listed as a past member.",
            button="Remove from the TAF",
            cancel_url=reverse("episodes:detail", args=[self.episode.uuid]) + "#taf",
            error=""
            if member.is_current
            else f"{member.name} has already left the Team Around the Family",
        )

    def perform(self, form):
        services.taf_member_end(by=self.request.user, member=self.member)
        return f"{self.member.name} has left the Team Around the Family"


class RequestClosureView(EpisodeActionView):
    action = "request_closure"

    def perform(self, form):
        data = form.cleaned_data
        services.episode_request_closure(
            by=self.request.user,
            episode=self.episode,
            reason=data["closure_reason"],
            summary=data["closure_summary"],
            outcomes_achieved=data["outcomes_achieved"],
            family_feedback=data["family_feedback"],
        )
        return "Closure requested: a manager will approve or decline it"


class ApproveClosureView(_ManagerAction):
    action = "approve_closure"
    service = staticmethod(services.episode_approve_closure)
    done = "Closure approved: the episode is closed"


class DeclineClosureView(_ManagerAction):
    action = "decline_closure"
    service = staticmethod(services.episode_decline_closure)
    done = "Closure declined: the episode stays open"


class ReopenView(_ManagerAction):
    action = "reopen"
    service = staticmethod(services.episode_reopen)
    done = "Episode reopened"


# My cases


class MyCasesView(CaseWorkerMixin, TemplateView):
    """Episodes the user leads, and those whose Team Around the Family they are in."""

    template_name = "episodes/my_cases.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        showing = "taf" if self.request.GET.get("list") == "taf" else "led"
        led = selectors.my_led_episodes(user)
        taf = selectors.my_taf_episodes(user)
        episodes = taf if showing == "taf" else led
        page = Paginator(episodes, PAGE_SIZE).get_page(self.request.GET.get("page"))
        now = timezone.now()
        rows = [(episode, selectors.next_due_work(episode, now)) for episode in page.object_list]
        record_list(actor=user, model=Episode, objects=page.object_list, filters={"list": showing})
        return super().get_context_data(
            showing=showing,
            page_obj=page,
            rows=rows,
            led_count=page.paginator.count if showing == "led" else led.count(),
            taf_count=page.paginator.count if showing == "taf" else taf.count(),
            **kwargs,
        )


# Caseloads


class CaseloadsView(CaseWorkerMixin, TemplateView):
    """Managers' view of their localities' and teams' open episodes."""

    template_name = "episodes/caseloads.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if (
            user.is_authenticated
            and access.has_role(user, *access.PRACTICE_ROLES)
            and not selectors.is_manager(user)
        ):
            raise PermissionDenied("Caseloads are for locality and team managers.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        form = forms.CaseloadFilterForm(self.request.GET or None, user=user)
        locality = team = None
        if form.is_bound and form.is_valid():
            locality = form.cleaned_data["locality"]
            team = form.cleaned_data["team"]
        episodes = selectors.caseload_episodes(user, locality=locality, team=team)
        data = selectors.caseloads(episodes)
        now = timezone.now()
        record_list(
            actor=user,
            model=Episode,
            objects=[*data.awaiting, *data.overdue, *data.reviews_overdue],
            filters={k: v for k, v in self.request.GET.items() if v},
        )
        return super().get_context_data(
            form=form,
            data=data,
            overdue_rows=[(e, selectors.next_due_work(e, now)) for e in data.overdue],
            review_rows=[(e, selectors.next_due_work(e, now)) for e in data.reviews_overdue],
            list_limit=selectors.LIST_LIMIT,
            **kwargs,
        )
