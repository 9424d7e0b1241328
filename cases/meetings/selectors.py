"""Reads for the allocation meeting pages and PDFs, already filtered by the access policy
and prefetched, so a page costs the same number of queries however long its agenda."""

from django.db.models import Case, Count, F, Value, When
from django.utils import timezone

from accounts.models import AgencyType, Locality, Team, User
from cases.models import AgendaItem, AllocationMeeting, Episode, MeetingAttendee
from earlyhelp import access
from thresholds.models import Level


def meetings_for(user):
    """Meetings the user may see: upcoming ones first (soonest first), then past ones
    (latest first), with their number of agenda items."""
    now = timezone.now()
    is_past = Case(When(starts_at__lt=now, then=Value(1)), default=Value(0))
    return (
        access.visible(user, AllocationMeeting.objects.all())
        .select_related("locality", "chair")
        .annotate(
            item_count=Count("agenda_items", distinct=True),
            is_past=is_past,
            upcoming_order=Case(When(starts_at__gte=now, then=F("starts_at")), default=Value(None)),
        )
        .order_by("is_past", F("upcoming_order").asc(nulls_last=True), "-starts_at", "-id")
    )


def has_meetings(user) -> bool:
    """Whether the user chairs, attends or manages any meeting."""
    return access.visible(user, AllocationMeeting.objects.all()).exists()


# The menu shows Meetings to locality managers, and to those who chair or attend one. The
# answer for the latter is kept in the session (asked at sign-in, and again when it is a
# few minutes old), so the menu costs no query on every page.
MENU_SESSION_KEY = "meetings_in_menu"
MENU_RECHECK_SECONDS = 300


def remember_meetings_in_menu(session, user) -> bool:
    shown = has_meetings(user)
    session[MENU_SESSION_KEY] = [shown, timezone.now().timestamp()]
    return shown


def meetings_in_menu(request, user) -> bool:
    session = getattr(request, "session", None)
    if session is None:
        return has_meetings(user)
    stored = session.get(MENU_SESSION_KEY)
    age = timezone.now().timestamp() - stored[1] if stored else None
    if age is None or not 0 <= age < MENU_RECHECK_SECONDS:
        return remember_meetings_in_menu(session, user)
    return stored[0]


def meeting_detail_for(user):
    return access.visible(user, AllocationMeeting.objects.all()).select_related("locality", "chair")


def attendees_of(meeting):
    return (
        MeetingAttendee.objects.filter(meeting=meeting)
        .select_related("user", "user__agency", "agency")
        .order_by("attendance", "id")
    )


def agenda_of(meeting):
    return (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related(
            "episode",
            "episode__family",
            "episode__level",
            "lead_professional",
            "team",
            "decided_by",
        )
        .order_by("position", "id")
    )


def visible_episode_ids(user, meeting) -> frozenset[int]:
    """Episodes on the agenda whose family the user may see: the others are shown without
    the family's name (an attendee from another agency may not see every record)."""
    episodes = Episode.objects.filter(agenda_items__meeting=meeting)
    return frozenset(access.visible(user, episodes).values_list("pk", flat=True))


def schedulable_localities(user):
    return Locality.objects.filter(pk__in=access.managed_locality_ids(user)).order_by("name")


def practice_users():
    """Active users with a practice role: who may chair or attend."""
    return (
        User.objects.filter(
            is_active=True, groups__name__in=[str(r) for r in access.PRACTICE_ROLES]
        )
        .distinct()
        .order_by("full_name", "id")
    )


class DecisionChoices:
    """The choices of every decision form on one meeting page, fetched once for all items:
    the locality's teams and their members, children's social care teams, statutory levels."""

    def __init__(self, meeting):
        self.teams = list(
            Team.objects.current().filter(locality=meeting.locality_id).order_by("name")
        )
        team_names = {team.pk: team.name for team in self.teams}
        memberships = (
            Team.members.through.objects.filter(
                team__in=list(team_names),
                user__is_active=True,
                user__groups__name__in=[str(r) for r in access.PRACTICE_ROLES],
            )
            .select_related("user")
            .order_by("user__full_name", "user_id", "team__name")
            .distinct()
        )
        self.lead_teams = {}  # user pk -> [team pk, ...]
        self.leads = {}
        for membership in memberships:
            self.leads.setdefault(membership.user_id, membership.user)
            teams = self.lead_teams.setdefault(membership.user_id, [])
            if membership.team_id not in teams:
                teams.append(membership.team_id)
        self.lead_choices = [
            (
                str(pk),
                f"{user.get_full_name()} ({', '.join(team_names[t] for t in self.lead_teams[pk])})",
            )
            for pk, user in self.leads.items()
        ]
        self.team_choices = [(str(team.pk), team.name) for team in self.teams]
        self.social_care_teams = list(
            Team.objects.current()
            .filter(agency__agency_type=AgencyType.CHILDRENS_SOCIAL_CARE)
            .order_by("name")
        )
        self.social_care_choices = [(str(t.pk), t.name) for t in self.social_care_teams]
        self.levels = list(
            Level.objects.filter(framework__is_current=True, statutory=True).order_by("rank")
        )
        self.level_choices = [(str(level.pk), str(level)) for level in self.levels]
        self.by_kind = {
            "lead_professional": self.leads,
            "team": {t.pk: t for t in self.teams},
            "receiving_team": {t.pk: t for t in self.social_care_teams},
            "to_level": {level.pk: level for level in self.levels},
        }
