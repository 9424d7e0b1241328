"""The access policy's rules for case records: families, people, their memberships,
relationships, notes and episodes, allocation meetings, and steps up and down (see
earlyhelp.access).

A family's case records are open to its owning team, to those working its open episode
(lead professional, team, locality managers, the Team Around the Family), for a while to
those who worked it when it closed, to a team sent a step up or step down, to triage
officers screening a request for it, and to holders of a grant. Every other case record is
visible when its family is: its rule is its path to the family.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Role, Team
from cases.models import (
    AgendaItem,
    AllocationMeeting,
    CaseNote,
    Episode,
    EpisodeStatus,
    Family,
    FamilyMembership,
    LeadProfessional,
    Person,
    Relationship,
    TafMember,
)
from cases.transitions.models import Transition, TransitionStatus
from earlyhelp import access
from earlyhelp.access import Permission
from referrals.models import OPEN_STATUSES, RequestForSupport, RequestPerson

# Visibility.

# A grant of change includes reading (DESIGN section 7).
FAMILY_GRANTS = (access.FAMILY_GRANT, access.FAMILY_CHANGE_GRANT)
PERSON_GRANTS = (access.PERSON_GRANT, access.PERSON_CHANGE_GRANT)


def families_visible(user, queryset):
    """Families whose case records the user may see (those they may change are
    `changeable_families`)."""
    if not access.has_role(user, *access.PRACTICE_ROLES):
        return queryset.none()
    teams = access.case_team_ids(user)
    rule = Q(owning_team__in=teams) | Q(pk__in=access.granted_ids(user, FAMILY_GRANTS, Family))
    rule |= Q(pk__in=Episode.objects.open().filter(_working_on(user, teams)).values("family"))
    rule |= Q(pk__in=_recently_closed_episodes(user).values("family"))
    # A step up or step down waiting for a team, or accepted by it, is theirs to read.
    rule |= Q(
        pk__in=Transition.objects.filter(
            receiving_team__in=teams,
            status__in=[TransitionStatus.APPROVED, TransitionStatus.ACCEPTED],
        ).values("family")
    )
    if access.has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(pk__in=_open_requests().values("family"))
    return queryset.filter(rule)


def _working_on(user, teams):
    """Open episodes the user works on: as lead professional, in the episode's team, as a
    locality manager of its locality, or in its Team Around the Family (themselves, or
    their agency named as a member)."""
    rule = Q(team__in=teams) | Q(lead_professional=user) | Q(pk__in=_taf_episodes(user))
    if access.has_role(user, Role.LOCALITY_MANAGER):
        rule |= Q(locality__in=access.managed_localities(user))
    return rule


def _taf_episodes(user):
    member = Q(user=user)
    if user.agency_id:
        member |= Q(user__isnull=True, agency_id=user.agency_id)
    return TafMember.objects.filter(member).current().values("episode")


def taf_agency_ids(user, episode) -> frozenset[int]:
    """Agencies currently in the episode's TAF, fetched once per user and episode."""
    cache = user.__dict__.setdefault("_taf_agency_ids", {})
    if episode.pk not in cache:
        cache[episode.pk] = frozenset(
            TafMember.objects.filter(episode=episode, agency__isnull=False)
            .current()
            .values_list("agency", flat=True)
        )
    return cache[episode.pk]


def _recently_closed_episodes(user):
    """Closed episodes the user led or was in the TAF of when they closed, or manages (who
    may reopen them), still readable for a while.

    Only the lead professional and the TAF memberships current at closure count: closing
    ends them on the day it closes, so a membership still current the day before the
    closure (ended on or after the closing day) was there when it closed. Someone removed
    while the episode was open does not regain read access when it closes."""
    since = timezone.now() - timedelta(days=settings.CLOSED_EPISODE_READ_DAYS)
    member = Q(user=user)
    if user.agency_id:
        member |= Q(user__isnull=True, agency_id=user.agency_id)
    at_closure = TafMember.objects.filter(member, episode=OuterRef("pk")).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("closed_on"))
    )
    lead_at_closure = LeadProfessional.objects.filter(user=user, episode=OuterRef("pk")).filter(
        Q(ended_at__isnull=True) | Q(ended_at__gte=OuterRef("closed_at"))
    )
    rule = (
        Exists(lead_at_closure)
        | Exists(at_closure)
        | Q(team__in=Team.objects.filter(managers=user).values("pk"))
    )
    if access.has_role(user, Role.LOCALITY_MANAGER):
        rule |= Q(locality__in=access.managed_localities(user))
    return (
        Episode.objects.filter(status=EpisodeStatus.CLOSED, closed_at__gte=since)
        .annotate(closed_on=TruncDate("closed_at"))
        .filter(rule)
    )


def _open_requests():
    return RequestForSupport.objects.filter(status__in=OPEN_STATUSES)


def people_visible(user, queryset):
    if not access.has_role(user, *access.PRACTICE_ROLES):
        return queryset.none()
    families = families_visible(user, Family.objects.all())
    rule = (
        Q(owning_team__in=access.case_team_ids(user))
        | Q(pk__in=FamilyMembership.objects.filter(family__in=families).values("person"))
        | Q(pk__in=access.granted_ids(user, PERSON_GRANTS, Person))
    )
    if access.has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(pk__in=_matched_in_screening())
    return queryset.filter(rule)


def _matched_in_screening():
    return RequestPerson.objects.filter(request__status__in=OPEN_STATUSES).values("matched_person")


def meetings_visible(user, queryset):
    """Allocation meetings: the locality's managers, the chair and the attendees."""
    if not access.has_role(user, *access.PRACTICE_ROLES):
        return queryset.none()
    return queryset.filter(
        Q(locality__in=access.managed_localities(user))
        | Q(chair=user)
        | Q(pk__in=AllocationMeeting.objects.filter(attendees__user=user).values("pk"))
    )


# Change.


def changeable_families(user, queryset):
    """Families whose record the user may change (CHANGE_CASE_RECORD): not those they only
    read, as a partner in the TAF, through a view grant, a closed episode kept readable, or
    a step up or step down sent to their team."""
    if not access.has_role(user, *access.PRACTICE_ROLES):
        return queryset.none()
    teams = access.case_team_ids(user)
    working = Q(team__in=teams) | Q(lead_professional=user)
    if access.has_role(user, Role.LOCALITY_MANAGER):
        working |= Q(locality__in=access.managed_localities(user))
    rule = (
        Q(owning_team__in=teams)
        | Q(pk__in=access.granted_ids(user, access.FAMILY_CHANGE_GRANT, Family))
        | Q(pk__in=Episode.objects.open().filter(working).values("family"))
    )
    if access.has_role(user, Role.TRIAGE_OFFICER):
        # The front door: a household being screened is linked, created and completed.
        rule |= Q(pk__in=_open_requests().values("family"))
    return queryset.filter(rule)


def owned_by_own_team(user, record):
    """A family or person owned by one of the user's case teams: the first rule of both
    `families_visible`/`people_visible` and `changeable_families`, answered from memory."""
    return access.has_role(user, *access.PRACTICE_ROLES) and (
        record.owning_team_id in access.case_team_ids(user)
    )


def _case_record_changeable(user, obj):
    """Part of a record the user may change (DESIGN section 7). Every rule here is also a
    rule of `visible`, so what the user may change they may see."""
    if obj is None:
        raise ValueError("This permission is a question about one record")
    if isinstance(obj, Family):
        return owned_by_own_team(user, obj) or (
            changeable_families(user, Family.objects.filter(pk=obj.pk)).exists()
        )
    if isinstance(obj, Person):
        return _person_changeable(user, obj)
    if hasattr(obj, "family_id"):
        return changeable_families(user, Family.objects.filter(pk=obj.family_id)).exists()
    return False


def _person_changeable(user, person):
    """A person's record: their owning team's, that of anyone who may change a family they
    belong to, a change grant's holder's, and a triage officer's screening them."""
    if owned_by_own_team(user, person):
        return True
    rule = Q(
        pk__in=FamilyMembership.objects.filter(
            family__in=changeable_families(user, Family.objects.all())
        ).values("person")
    ) | Q(pk__in=access.granted_ids(user, access.PERSON_CHANGE_GRANT, Person))
    if access.has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(pk__in=_matched_in_screening())
    return Person.objects.filter(rule, pk=person.pk).exists()


def _notes_addable(user, family):
    """ADD_CASE_NOTE: those who may change the family's record, and the partners in the
    Team Around the Family of its open episode (current memberships only). Both are rules
    of `visible` too."""
    if owned_by_own_team(user, family):
        return True
    rule = Q(pk__in=changeable_families(user, Family.objects.filter(pk=family.pk))) | Q(
        pk__in=Episode.objects.open().filter(pk__in=_taf_episodes(user)).values("family")
    )
    return Family.objects.filter(rule, pk=family.pk).exists()


def _sees_sensitive(user, obj):
    """Authors of a note, creators of a record, managers over its owning team, and the lead
    professional of the family's open episode (DESIGN section 7).

    Asked of records the user already sees (fetched through `visible`); what it needs is
    fetched once per user, so lists stay at a fixed number of queries.
    """
    if obj is None:
        raise ValueError("VIEW_SENSITIVE is a question about one record")
    if isinstance(obj, CaseNote):
        return (
            obj.author_id == user.pk
            or obj.family.owning_team_id in access.managing_team_ids(user)
            or obj.family_id in _led_family_ids(user)
        )
    if obj.created_by_id == user.pk or obj.owning_team_id in access.managing_team_ids(user):
        return True
    if isinstance(obj, Family):
        return obj.pk in _led_family_ids(user)
    if isinstance(obj, Person):
        return obj.pk in _led_person_ids(user)
    return False


def _led_family_ids(user) -> frozenset[int]:
    """Families whose open episode the user leads."""
    cached = getattr(user, "led_family_ids", None)
    if cached is None:
        cached = frozenset(
            Episode.objects.open().filter(lead_professional=user).values_list("family", flat=True)
        )
        user.led_family_ids = cached
    return cached


def _led_person_ids(user) -> frozenset[int]:
    cached = getattr(user, "led_person_ids", None)
    if cached is None:
        cached = frozenset(
            FamilyMembership.objects.filter(family__in=_led_family_ids(user)).values_list(
                "person", flat=True
            )
        )
        user.led_person_ids = cached
    return cached


def manages_episode(user, episode):
    return episode.locality_id in access.managed_locality_ids(user) or (
        episode.team_id is not None and episode.team_id in access.managing_team_ids(user)
    )


# Checks.


def _change_case_record(user, obj):
    return access.has_role(user, *access.PRACTICE_ROLES) and _case_record_changeable(user, obj)


def _add_case_note(user, obj):
    family = access.one_record(obj, Permission.ADD_CASE_NOTE)
    return access.has_role(user, *access.PRACTICE_ROLES) and _notes_addable(user, family)


def _merge_people(user, obj):
    return access.has_role(user, Role.LOCALITY_MANAGER) and (
        obj is None or _case_record_visible(user, obj)
    )


def _case_record_visible(user, obj):
    if obj is None:
        raise ValueError("This permission is a question about one record")
    return access.sees(user, obj)


def _manage_episode(user, obj):
    return manages_episode(user, access.one_record(obj, Permission.MANAGE_EPISODE))


def _work_on_episode(user, obj):
    episode = access.one_record(obj, Permission.WORK_ON_EPISODE)
    return episode.is_open and (
        episode.lead_professional_id == user.pk or manages_episode(user, episode)
    )


def _run_meeting(user, obj):
    meeting_or_locality = access.one_record(obj, Permission.RUN_MEETING)
    if isinstance(meeting_or_locality, AllocationMeeting):
        if meeting_or_locality.chair_id == user.pk:
            return True
        meeting_or_locality = meeting_or_locality.locality
    return meeting_or_locality.pk in access.managed_locality_ids(user)


def _view_meeting_minutes(user, obj):
    meeting = access.one_record(obj, Permission.VIEW_MEETING_MINUTES)
    return meeting.chair_id == user.pk or meeting.locality_id in access.managed_locality_ids(user)


def _transition_managers(user, transition, side):
    """Teams whose side of a transition the user may decide for. The early help side (the
    sender of a step up, the receiver of a step down) is decided by its team's managers or
    its locality's managers; the social care side only by the social care team's own
    managers, never by an early help locality manager."""
    early_help_side = (transition.direction == "up") == (side == "sending")
    if early_help_side:
        return access.managing_team_ids(user)
    return access.directly_managed_team_ids(user)


def _approve_transition(user, obj):
    transition = access.one_record(obj, Permission.APPROVE_TRANSITION)
    return transition.sending_team_id in _transition_managers(user, transition, "sending")


def _respond_to_transition(user, obj):
    transition = access.one_record(obj, Permission.RESPOND_TO_TRANSITION)
    return transition.receiving_team_id in _transition_managers(user, transition, "receiving")


def register():
    access.register_rules(
        {
            Family: families_visible,
            Person: people_visible,
            FamilyMembership: "family",
            Relationship: "family",
            # Restricted notes are listed too (the chronology must not hide that something
            # happened) but their content is for VIEW_SENSITIVE only.
            CaseNote: "family",
            Episode: "family",
            LeadProfessional: "episode__family",
            TafMember: "episode__family",
            AgendaItem: "episode__family",
            AllocationMeeting: meetings_visible,
            Transition: "family",
        }
    )
    access.register_shortcuts({Family: owned_by_own_team, Person: owned_by_own_team})
    access.register_checks(
        {
            Permission.CHANGE_CASE_RECORD: _change_case_record,
            Permission.ADD_CASE_NOTE: _add_case_note,
            Permission.VIEW_SENSITIVE: _sees_sensitive,
            Permission.MERGE_PEOPLE: _merge_people,
            Permission.MANAGE_EPISODE: _manage_episode,
            Permission.WORK_ON_EPISODE: _work_on_episode,
            Permission.RUN_MEETING: _run_meeting,
            Permission.VIEW_MEETING_MINUTES: _view_meeting_minutes,
            Permission.APPROVE_TRANSITION: _approve_transition,
            Permission.RESPOND_TO_TRANSITION: _respond_to_transition,
        }
    )
