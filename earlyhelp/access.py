"""The access policy: the one place that decides who may see and do what.

Views, the API, exports, search and background jobs ask this module; none of them checks
a role, a group or a guardian permission itself (DESIGN section 7).

Two questions, two functions:

- ``visible(user, queryset)``: which records of this kind may this user see? A queryset
  filter, so lists, counts and searches can never show more than a detail page would.
- ``can(user, permission, obj=None)``: may this user do this (to this record)?

``get_for_user`` and ``get_for_change`` turn those answers into 404 (may not know it
exists) and 403 (may see it but not change it).

It governs the directory (agencies, localities, teams, users), case records (people,
families, their memberships, relationships, notes and episodes) and the front door
(requests for support, their checks and decisions).

A case record belongs to its owning team: the team's members and managers, and the
locality managers of its locality, work on it. An episode opens it to its lead
professional and team, and to the locality managers of the episode's locality (who
allocate it). Triage officers see the family and people of a request they are screening.
Anyone else needs an explicit grant. TAF members arrive with the TAF (issue 5).
"""

from datetime import timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, IntegerField, OuterRef, Q
from django.db.models.functions import Cast, TruncDate
from django.http import Http404
from django.utils import timezone
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from accounts.models import Agency, Locality, Notification, Role, Team, User
from assessments.models import (
    Assessment,
    AssessmentSection,
    FamilyPlanDocument,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewProgress,
)
from audit import services as audit_services
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
from referrals.models import (
    OPEN_STATUSES,
    Decision,
    RequestAttachment,
    RequestForSupport,
    RequestPerson,
    ScreeningCheck,
)
from thresholds.models import LevelChange


class Permission(StrEnum):
    """What a user may do. The value is what the audit log and error messages name."""

    USE_SERVICE = "use_service"
    """Sign in and use the pages and API at all: any active user with at least one role."""

    CONFIGURE = "configure"
    """Configure agencies, localities, teams and users (admin pages and API writes).
    System administrators only; it grants no access to case records."""

    VIEW_TEAM_MEMBERS = "view_team_members"
    """See who belongs to a team: its members and managers, managers of teams in the same
    locality, system administrators, and anyone granted it on that team (guardian)."""

    VIEW_AUDIT_LOG = "view_audit_log"
    """Read the audit log. Superusers only for now: events carry search terms."""

    CREATE_CASE_RECORDS = "create_case_records"
    """Create people and families, and search for them: the practice roles that own work
    (practitioner, triage officer, locality manager, social worker)."""

    CHANGE_CASE_RECORD = "change_case_record"
    """Change the family record itself: family and person details, memberships and
    relationships, and end or remove any of them. The family's record is the lead
    professional's and the team's: the lead professional of its open episode, the members
    and managers of the team that owns it or works its open episode, the locality managers
    over either, triage officers screening a request for the family, and holders of a
    change grant (guardian ``cases.change_family`` / ``cases.change_person``). Partners
    (TAF members, users of a TAF member agency) and holders of a view grant only read it."""

    ADD_CASE_NOTE = "add_case_note"
    """Add a case note to a family: anyone who may change the record, and the partners
    working on its open episode (TAF members, users of a TAF member agency, while the
    membership is current). A view grant reads; it adds nothing."""

    VIEW_SENSITIVE = "view_sensitive"
    """See a person's sensitive fields, confidential addresses and restricted notes: the
    author, the managers of the owning team and the locality managers of its locality."""

    MERGE_PEOPLE = "merge_people"
    """Merge duplicate person records and undo a merge: locality managers, on records they
    may see."""

    SUBMIT_REQUEST = "submit_request"
    """Submit a request for support as a professional (pages and API): any practice role.
    Families use the public form, which needs no account."""

    MANAGE_EPISODE = "manage_episode"
    """Allocate and reallocate an episode, approve or decline its closure, flag it for
    discussion: the locality managers of its locality and the managers of its team."""

    WORK_ON_EPISODE = "work_on_episode"
    """Move an open episode on (assessing, plan in place), ask to close it, change its TAF,
    ask for a step up: its lead professional, and anyone who may manage it."""

    APPROVE_TRANSITION = "approve_transition"
    """Approve or decline a step up or step down: managers over the sending team."""

    RESPOND_TO_TRANSITION = "respond_to_transition"
    """Accept or not a step up or step down sent to a team: managers over the receiving
    team."""

    RUN_MEETING = "run_meeting"
    """Schedule a locality's allocation meetings, build the agenda, record attendance,
    decisions and minutes: the locality's managers and the meeting's chair."""

    VIEW_MEETING_MINUTES = "view_meeting_minutes"
    """Read a meeting's general minutes: the chair and the locality's managers. They are
    free text that cannot be proven free of family names, so attendees (who may not see
    every family on the agenda) read only the record kept on each agenda item whose family
    they may see."""

    UPDATE_PLAN_ACTION = "update_plan_action"
    """Say how an action of the agreed TAF plan is going (started, done, not done): those
    who may work on the episode, the action's owner, and the users of an agency that owns
    it while the agency is in the TAF."""

    SCREEN_REQUEST = "screen_request"
    """Claim, assign, match, check, tick indicators and decide: triage officers, on
    requests waiting for or in screening."""


# The guardian permission codename that grants VIEW_TEAM_MEMBERS on one team.
TEAM_MEMBERS_GRANT = "accounts.view_team_members"
# Explicit grants of access to one case record.
FAMILY_GRANT = "cases.view_family"
PERSON_GRANT = "cases.view_person"
# Explicit grants of change (which include reading): DESIGN section 7.
FAMILY_CHANGE_GRANT = "cases.change_family"
PERSON_CHANGE_GRANT = "cases.change_person"

PRACTICE_ROLES = (
    Role.PRACTITIONER,
    Role.TRIAGE_OFFICER,
    Role.LOCALITY_MANAGER,
    Role.SOCIAL_WORKER,
    Role.PARTNER_AGENCY_USER,
)
CASE_OWNING_ROLES = (
    Role.PRACTITIONER,
    Role.TRIAGE_OFFICER,
    Role.LOCALITY_MANAGER,
    Role.SOCIAL_WORKER,
)


def roles(user) -> frozenset[str]:
    """The user's role names, fetched once per user object."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def has_role(user, *wanted: Role) -> bool:
    return bool(roles(user) & {str(role) for role in wanted})


def is_system_administrator(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR) or bool(
        getattr(user, "is_superuser", False) and user.is_active
    )


def can(user, permission: Permission, obj=None) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    match permission:
        case Permission.USE_SERVICE:
            return bool(roles(user)) or user.is_superuser
        case Permission.CONFIGURE:
            return is_system_administrator(user)
        case Permission.VIEW_TEAM_MEMBERS:
            if obj is None:
                raise ValueError("VIEW_TEAM_MEMBERS is a question about one team")
            return _team_members_visible(user).filter(pk=obj.pk).exists()
        case Permission.VIEW_AUDIT_LOG:
            return user.is_superuser
        case Permission.CREATE_CASE_RECORDS:
            return has_role(user, *CASE_OWNING_ROLES)
        case Permission.CHANGE_CASE_RECORD:
            return has_role(user, *PRACTICE_ROLES) and _case_record_changeable(user, obj)
        case Permission.ADD_CASE_NOTE:
            family = _required(obj, permission)
            return has_role(user, *PRACTICE_ROLES) and _notes_addable(user, family)
        case Permission.VIEW_SENSITIVE:
            return _sees_sensitive(user, obj)
        case Permission.MERGE_PEOPLE:
            return has_role(user, Role.LOCALITY_MANAGER) and (
                obj is None or _case_record_visible(user, obj)
            )
        case Permission.SUBMIT_REQUEST:
            return has_role(user, *PRACTICE_ROLES)
        case Permission.MANAGE_EPISODE:
            return _manages_episode(user, _required(obj, permission))
        case Permission.WORK_ON_EPISODE:
            episode = _required(obj, permission)
            return episode.is_open and (
                episode.lead_professional_id == user.pk or _manages_episode(user, episode)
            )
        case Permission.APPROVE_TRANSITION:
            transition = _required(obj, permission)
            return transition.sending_team_id in _transition_managers(user, transition, "sending")
        case Permission.RESPOND_TO_TRANSITION:
            transition = _required(obj, permission)
            return transition.receiving_team_id in _transition_managers(
                user, transition, "receiving"
            )
        case Permission.RUN_MEETING:
            meeting_or_locality = _required(obj, permission)
            if isinstance(meeting_or_locality, AllocationMeeting):
                if meeting_or_locality.chair_id == user.pk:
                    return True
                meeting_or_locality = meeting_or_locality.locality
            return meeting_or_locality.pk in managed_locality_ids(user)
        case Permission.VIEW_MEETING_MINUTES:
            meeting = _required(obj, permission)
            return meeting.chair_id == user.pk or meeting.locality_id in managed_locality_ids(user)
        case Permission.UPDATE_PLAN_ACTION:
            action = _required(obj, permission)
            episode = action.plan.episode
            if not episode.is_open:
                return False
            if action.owner_user_id == user.pk:
                return True
            if action.owner_agency_id is not None and action.owner_agency_id == user.agency_id:
                # An agency's users, while the agency is in the TAF (its membership current).
                if user.agency_id in _taf_agency_ids(user, episode):
                    return True
            return can(user, Permission.WORK_ON_EPISODE, episode)
        case Permission.SCREEN_REQUEST:
            # Asked of a request already fetched through `visible`: no query of its own.
            return has_role(user, Role.TRIAGE_OFFICER) and (obj is None or obj.is_open)
    raise ValueError(f"Unknown permission {permission!r}")


def visible(user, queryset):
    """Filter `queryset` to the records `user` may see."""
    if not can(user, Permission.USE_SERVICE):
        return queryset.none()
    model = queryset.model
    if model in (Agency, Locality, Team):
        # The directory of organisations is open to every user of the service: a
        # practitioner must be able to find any agency, locality or team to contact.
        return queryset
    if model is User:
        return _users_visible(user, queryset)
    if model is Family:
        return _families_visible(user, queryset)
    if model is Person:
        return _people_visible(user, queryset)
    if model in (FamilyMembership, Relationship):
        return queryset.filter(family__in=_families_visible(user, Family.objects.all()))
    if model is CaseNote:
        return _notes_visible(user, queryset)
    if model in (Episode, Transition, LevelChange):
        return queryset.filter(family__in=_families_visible(user, Family.objects.all()))
    if model in (LeadProfessional, TafMember, AgendaItem):
        return queryset.filter(episode__family__in=_families_visible(user, Family.objects.all()))
    if model is AllocationMeeting:
        return _meetings_visible(user, queryset)
    if model is Assessment:
        return queryset.filter(episode__family__in=_families_visible(user, Family.objects.all()))
    if model is AssessmentSection:
        return queryset.filter(
            assessment__episode__family__in=_families_visible(user, Family.objects.all())
        )
    if model in (Plan, Review):
        return queryset.filter(episode__family__in=_families_visible(user, Family.objects.all()))
    if model in (PlanOutcome, PlanAction, FamilyPlanDocument):
        return queryset.filter(
            plan__episode__family__in=_families_visible(user, Family.objects.all())
        )
    if model is ReviewProgress:
        return queryset.filter(
            review__episode__family__in=_families_visible(user, Family.objects.all())
        )
    if model is Notification:
        # Notifications are their addressee's alone, whatever their role.
        return queryset.filter(user=user)
    if model is RequestForSupport:
        return _requests_visible(user, queryset)
    if model in (RequestPerson, RequestAttachment, ScreeningCheck, Decision):
        return queryset.filter(request__in=_requests_visible(user, RequestForSupport.objects.all()))
    raise NotImplementedError(f"The access policy does not govern {model.__name__} yet")


def case_team_ids(user) -> frozenset[int]:
    """Teams whose case records the user works on: teams they belong to or manage, and as
    a locality manager, every team in the localities of the teams they manage."""
    cached = getattr(user, "case_team_ids", None)
    if cached is None:
        own = Q(members=user) | Q(managers=user)
        if has_role(user, Role.LOCALITY_MANAGER):
            own |= Q(locality__in=_managed_localities(user))
        cached = frozenset(Team.objects.filter(own).values_list("pk", flat=True))
        user.case_team_ids = cached
    return cached


def _managed_localities(user):
    return Team.objects.filter(managers=user, locality__isnull=False).values("locality")


def managing_team_ids(user) -> frozenset[int]:
    """Teams the user manages, and as a locality manager, every team in their localities."""
    cached = getattr(user, "managing_team_ids", None)
    if cached is None:
        managed = Q(managers=user)
        if has_role(user, Role.LOCALITY_MANAGER):
            managed |= Q(locality__in=_managed_localities(user))
        cached = frozenset(Team.objects.filter(managed).values_list("pk", flat=True))
        user.managing_team_ids = cached
    return cached


def _granted_ids(user, codename, model):
    """Ids of `model` records granted to `user` by a guardian object permission, as a
    subquery. Content types come from Django's in-process cache, so unlike guardian's
    get_objects_for_user this costs no query of its own."""
    permission = codename.split(".", 1)[1]
    return (
        UserObjectPermission.objects.filter(
            user=user,
            permission__codename=permission,
            content_type=ContentType.objects.get_for_model(model),
        )
        .annotate(granted_pk=Cast("object_pk", IntegerField()))
        .values("granted_pk")
    )


def _families_visible(user, queryset):
    """Families whose case records the user may see (those they may change are
    `_families_changeable`)."""
    if not has_role(user, *PRACTICE_ROLES):
        return queryset.none()
    teams = case_team_ids(user)
    rule = (
        Q(owning_team__in=teams)
        | Q(pk__in=_granted_ids(user, FAMILY_GRANT, Family))
        | Q(pk__in=_granted_ids(user, FAMILY_CHANGE_GRANT, Family))
    )
    rule |= Q(pk__in=Episode.objects.open().filter(_working_on(user, teams)).values("family"))
    rule |= Q(pk__in=_recently_closed_episodes(user).values("family"))
    # A step up or step down waiting for a team, or accepted by it, is theirs to read.
    rule |= Q(
        pk__in=Transition.objects.filter(
            receiving_team__in=teams,
            status__in=[TransitionStatus.APPROVED, TransitionStatus.ACCEPTED],
        ).values("family")
    )
    if has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(pk__in=_open_requests().values("family"))
    return queryset.filter(rule)


def _working_on(user, teams):
    """Open episodes the user works on: as lead professional, in the episode's team, as a
    locality manager of its locality, or in its Team Around the Family (themselves, or
    their agency named as a member)."""
    rule = Q(team__in=teams) | Q(lead_professional=user) | Q(pk__in=_taf_episodes(user))
    if has_role(user, Role.LOCALITY_MANAGER):
        rule |= Q(locality__in=_managed_localities(user))
    return rule


def _taf_episodes(user):
    member = Q(user=user)
    if user.agency_id:
        member |= Q(user__isnull=True, agency_id=user.agency_id)
    return TafMember.objects.filter(member).current().values("episode")


def _taf_agency_ids(user, episode) -> frozenset[int]:
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
    if has_role(user, Role.LOCALITY_MANAGER):
        rule |= Q(locality__in=_managed_localities(user))
    return (
        Episode.objects.filter(status=EpisodeStatus.CLOSED, closed_at__gte=since)
        .annotate(closed_on=TruncDate("closed_at"))
        .filter(rule)
    )


def _meetings_visible(user, queryset):
    """Allocation meetings: the locality's managers, the chair and the attendees."""
    if not has_role(user, *PRACTICE_ROLES):
        return queryset.none()
    return queryset.filter(
        Q(locality__in=_managed_localities(user))
        | Q(chair=user)
        | Q(pk__in=AllocationMeeting.objects.filter(attendees__user=user).values("pk"))
    )


def managed_locality_ids(user) -> frozenset[int]:
    """Localities the user manages as a locality manager."""
    cached = getattr(user, "managed_locality_ids", None)
    if cached is None:
        cached = frozenset()
        if has_role(user, Role.LOCALITY_MANAGER):
            cached = frozenset(
                pk for pk in _managed_localities(user).values_list("locality", flat=True) if pk
            )
        user.managed_locality_ids = cached
    return cached


def _manages_episode(user, episode):
    return episode.locality_id in managed_locality_ids(user) or (
        episode.team_id is not None and episode.team_id in managing_team_ids(user)
    )


def _transition_managers(user, transition, side):
    """Teams whose side of a transition the user may decide for. The early help side (the
    sender of a step up, the receiver of a step down) is decided by its team's managers or
    its locality's managers; the social care side only by the social care team's own
    managers, never by an early help locality manager."""
    early_help_side = (transition.direction == "up") == (side == "sending")
    if early_help_side:
        return managing_team_ids(user)
    return directly_managed_team_ids(user)


def directly_managed_team_ids(user) -> frozenset[int]:
    cached = getattr(user, "directly_managed_team_ids", None)
    if cached is None:
        cached = frozenset(Team.objects.filter(managers=user).values_list("pk", flat=True))
        user.directly_managed_team_ids = cached
    return cached


def _required(obj, permission):
    if obj is None:
        raise ValueError(f"{permission.value} is a question about one record")
    return obj


def _open_requests():
    return RequestForSupport.objects.filter(status__in=OPEN_STATUSES)


def _people_visible(user, queryset):
    if not has_role(user, *PRACTICE_ROLES):
        return queryset.none()
    families = _families_visible(user, Family.objects.all())
    rule = (
        Q(owning_team__in=case_team_ids(user))
        | Q(pk__in=FamilyMembership.objects.filter(family__in=families).values("person"))
        | Q(pk__in=_granted_ids(user, PERSON_GRANT, Person))
        | Q(pk__in=_granted_ids(user, PERSON_CHANGE_GRANT, Person))
    )
    if has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(
            pk__in=RequestPerson.objects.filter(request__status__in=OPEN_STATUSES).values(
                "matched_person"
            )
        )
    return queryset.filter(rule)


def _notes_visible(user, queryset):
    """Notes of visible families. Restricted ones are listed too (the chronology must not
    hide that something happened) but their content is for VIEW_SENSITIVE only."""
    return queryset.filter(family__in=_families_visible(user, Family.objects.all()))


def _requests_visible(user, queryset):
    """Requests for support: the requester sees their own (status and outcome, not the
    case); triage officers see those waiting for or in screening, and those they screened
    or decided; anyone to whom the family's records are open sees the family's requests.
    Analysts and administrators see none."""
    if not has_role(user, *PRACTICE_ROLES):
        return queryset.none()
    rule = Q(requested_by=user) | Q(family__in=_families_visible(user, Family.objects.all()))
    if has_role(user, Role.TRIAGE_OFFICER):
        # The requests they screened stay theirs to look back on: the request and decision,
        # not the family, which closes to them with the decision.
        rule |= Q(status__in=OPEN_STATUSES) | Q(assigned_to=user) | Q(decision__decided_by=user)
    return queryset.filter(rule)


def _families_changeable(user, queryset):
    """Families whose record the user may change (CHANGE_CASE_RECORD): not those they only
    read, as a partner in the TAF, through a view grant, a closed episode kept readable, or
    a step up or step down sent to their team."""
    if not has_role(user, *PRACTICE_ROLES):
        return queryset.none()
    teams = case_team_ids(user)
    working = Q(team__in=teams) | Q(lead_professional=user)
    if has_role(user, Role.LOCALITY_MANAGER):
        working |= Q(locality__in=_managed_localities(user))
    rule = (
        Q(owning_team__in=teams)
        | Q(pk__in=_granted_ids(user, FAMILY_CHANGE_GRANT, Family))
        | Q(pk__in=Episode.objects.open().filter(working).values("family"))
    )
    if has_role(user, Role.TRIAGE_OFFICER):
        # The front door: a household being screened is linked, created and completed.
        rule |= Q(pk__in=_open_requests().values("family"))
    return queryset.filter(rule)


def changeable_families(user, queryset):
    """Filter `queryset` to the families whose record the user may change."""
    return _families_changeable(user, queryset)


def _case_record_changeable(user, obj):
    """Part of a record the user may change (DESIGN section 7). Every rule here is also a
    rule of `visible`, so what the user may change they may see."""
    if obj is None:
        raise ValueError("This permission is a question about one record")
    if isinstance(obj, Family):
        return _families_changeable(user, Family.objects.filter(pk=obj.pk)).exists()
    if isinstance(obj, Person):
        return _person_changeable(user, obj)
    if hasattr(obj, "family_id"):
        return _families_changeable(user, Family.objects.filter(pk=obj.family_id)).exists()
    return False


def _person_changeable(user, person):
    """A person's record: their owning team's, that of anyone who may change a family they
    belong to, a change grant's holder's, and a triage officer's screening them."""
    if person.owning_team_id in case_team_ids(user):
        return True
    rule = Q(
        pk__in=FamilyMembership.objects.filter(
            family__in=_families_changeable(user, Family.objects.all())
        ).values("person")
    ) | Q(pk__in=_granted_ids(user, PERSON_CHANGE_GRANT, Person))
    if has_role(user, Role.TRIAGE_OFFICER):
        rule |= Q(
            pk__in=RequestPerson.objects.filter(request__status__in=OPEN_STATUSES).values(
                "matched_person"
            )
        )
    return Person.objects.filter(rule, pk=person.pk).exists()


def _notes_addable(user, family):
    """ADD_CASE_NOTE: those who may change the family's record, and the partners in the
    Team Around the Family of its open episode (current memberships only). Both are rules
    of `visible` too."""
    rule = Q(pk__in=_families_changeable(user, Family.objects.filter(pk=family.pk))) | Q(
        pk__in=Episode.objects.open().filter(pk__in=_taf_episodes(user)).values("family")
    )
    return Family.objects.filter(rule, pk=family.pk).exists()


def _case_record_visible(user, obj):
    if obj is None:
        raise ValueError("This permission is a question about one record")
    return visible(user, type(obj).objects.filter(pk=obj.pk)).exists()


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
            or obj.family.owning_team_id in managing_team_ids(user)
            or obj.family_id in _led_family_ids(user)
        )
    if obj.created_by_id == user.pk or obj.owning_team_id in managing_team_ids(user):
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


def _team_members_visible(user):
    """Teams whose membership `user` may see."""
    teams = Team.objects.all()
    if is_system_administrator(user):
        return teams
    own = Q(members=user) | Q(managers=user)
    managed_localities = Team.objects.filter(managers=user, locality__isnull=False).values(
        "locality"
    )
    in_managed_locality = (
        Q(locality__in=managed_localities)
        if has_role(user, Role.LOCALITY_MANAGER)
        else Q(pk__in=[])
    )
    granted = get_objects_for_user(
        user, TEAM_MEMBERS_GRANT, klass=Team, use_groups=False, with_superuser=False
    ).values("pk")
    return teams.filter(own | in_managed_locality | Q(pk__in=granted)).distinct()


def _users_visible(user, queryset):
    """Colleagues: oneself, one's agency, and the members and managers of teams one may see."""
    if is_system_administrator(user):
        return queryset
    teams = _team_members_visible(user).values("pk")
    rule = Q(pk=user.pk) | Q(teams__in=teams) | Q(managed_teams__in=teams)
    if user.agency_id:
        rule |= Q(agency_id=user.agency_id)
    return queryset.filter(pk__in=User.objects.filter(rule).values("pk"))


def team_members_visible_to(user):
    """The teams whose members and managers `user` may see (for list pages and the API)."""
    return _team_members_visible(user)


def get_for_user(user, queryset, **lookup):
    """The record, if the user may see it; otherwise 404 so its existence is not revealed."""
    try:
        return visible(user, queryset).get(**lookup)
    except (queryset.model.DoesNotExist, ValidationError, ValueError, TypeError) as error:
        # A refused read of a record that exists is audited (one that does not, is not).
        audit_services.record_refused(actor=user, model=queryset.model, lookup=lookup, status=404)
        raise Http404(f"No {queryset.model._meta.verbose_name} found") from error


def get_for_change(user, queryset, permission: Permission, **lookup):
    """The record for changing: 404 if the user may not see it, 403 if they may not change it."""
    obj = get_for_user(user, queryset, **lookup)
    require(user, permission, obj)
    return obj


def require(user, permission: Permission, obj):
    """403 (audited) unless the user may do this to a record they can already see: asked
    by a view before it reads the body, so a refusal never depends on what was sent."""
    if not can(user, permission, obj):
        audit_services.record_refused(
            actor=user,
            model=type(obj),
            lookup={"pk": obj.pk},
            status=403,
            permission=permission.value,
        )
        raise PermissionDenied(
            f"You do not have permission to {permission.value.replace('_', ' ')}"
        )


def grant_team_members_view(*, to_user, team):
    assign_perm(TEAM_MEMBERS_GRANT, to_user, team)


def revoke_team_members_view(*, from_user, team):
    remove_perm(TEAM_MEMBERS_GRANT, from_user, team)
