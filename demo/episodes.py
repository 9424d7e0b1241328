"""Demo episodes, allocation meetings, step up and step down (``manage.py seed_demo``).

Runs after the front door (``demo.requests``). In each of the four localities it adds
episodes in every state, worked through the real services as the demo users
(``cases.episodes.services``, ``meetings`` and ``transitions``), so permissions, the level
history, the status history and the audit events are as if typed in:

- awaiting allocation, allocated, assessing (flagged for discussion), plan in place (one
  with its level lowered, one with it raised), closing (a closure waiting for the locality
  manager's approval), and closed for several reasons;
- lead professionals from the locality's early help team, and in the North from health
  visiting and a school's pastoral team; Teams Around the Family with users of other
  agencies and named contacts at schools, housing and voluntary services;
- a past allocation meeting (held last week: attendance, apologies, every item decided:
  allocate, refer, no further action, defer; minutes complete) and an upcoming one (next
  week: agenda built, attendees, nothing decided), chaired by the locality manager.

Then step up and step down: a step up waiting for a manager's approval (North), one
approved and waiting too long for social care (South, flagged), one accepted (South: the
episode closed as stepped up); step-downs from Assessment and Intervention North by the
demo social worker: one approved (first on North's next agenda), one accepted and allocated,
and a family stepped down about four months ago and now stepped up again (a bounce-back).

Services stamp ``now``; each step is then moved back to its place in the story with a
queryset update (``_Clock.stamp``): status changes, level history, lead professionals, TAF
dates, the episode's dates and transition dates. Audit events keep the time of seeding.

Deterministic: the families come, in primary key order, from each locality team's demo
families the front door left alone; the words from fixed lists picked by
``random.Random(EPISODES_SEED)``. Idempotent: a story is skipped when its family already
has an episode or a transition, and a meeting when its locality already has one at that
venue, so running the seed again creates nothing. The services queue no email here, and
any that might go to the dummy backend.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from guardian.shortcuts import assign_perm

from accounts.models import Agency, Locality, Team, User
from cases.episodes import level_history
from cases.episodes import services as episode_services
from cases.meetings import services as meeting_services
from cases.models import (
    AllocationMeeting,
    ClosureReason,
    Episode,
    EpisodeStatusChange,
    Family,
    LeadProfessional,
    OutcomesAchieved,
    TafMember,
)
from cases.transitions import services as transition_services
from cases.transitions.models import Transition
from demo.families import LOCALITY_TEAMS
from demo.requests import _no_email
from earlyhelp import access
from thresholds.models import Framework, LevelChange, LevelChangeCause

EPISODES_SEED = 20261124

LOCALITY_CODES = ("north", "south", "east", "west")
SOCIAL_CARE_TEAMS = {
    "north": "Assessment and Intervention North",
    "south": "Assessment and Intervention South",
}
SOCIAL_WORKER = "social.worker@brackenshire.example"
# Decides for social care: approves its step-downs, accepts step ups.
SOCIAL_CARE_MANAGER = "csc.manager@brackenshire.example"
TRIAGE = "triage@brackenshire.example"
PRACTITIONERS = {
    "north": "practitioner@brackenshire.example",
    "south": "practitioner.south@brackenshire.example",
    "east": "practitioner.east@brackenshire.example",
    "west": "practitioner.west@brackenshire.example",
}
MANAGERS = {code: f"manager.{code}@brackenshire.example" for code in LOCALITY_CODES}
HEALTH_VISITOR = "health.visitor@bchnt.example"
TEACHER = "teacher@harrowgate.example"
POLICE = "officer@wexmoor-police.example"
HOUSING = "housing@brackenshirehomes.example"

VENUES = {
    "north": ("Harrowgate Family Hub, meeting room 2", "Online (Teams), North panel link"),
    "south": ("Fenbridge Children's Centre, the Willow Room", "Online (Teams), South panel link"),
    "east": ("Millbrook Family Hub, first floor", "Online (Teams), East panel link"),
    "west": ("West Area Office, conference room", "Online (Teams), West panel link"),
}
# A named person from an agency at each locality's meetings, and a school contact.
PANEL_GUESTS = {
    "north": ("Helen Marsh", "Harrowgate Primary School"),
    "south": ("Owen Pritchard", "Kingsmere College"),
    "east": ("Joanne Hollis", "Millbrook Academy"),
    "west": ("Bernie Cole", "Family Action Brackenshire"),
}
SCHOOL_CONTACTS = {
    "north": ("Mrs Helen Marsh", "St Aidan's Church of England Primary School", "Headteacher"),
    "south": ("Mr Owen Pritchard", "Kingsmere College", "Head of Year 9"),
    "east": ("Ms Joanne Hollis", "Millbrook Academy", "Designated safeguarding lead"),
    "west": ("Mrs Anita Desai", "Harrowgate Primary School", "Family support worker, school"),
}
# The domestic abuse adviser who joins a TAF when abuse is disclosed.
SAFE_HAVEN_IDVA = ("Lorna Baptiste", "Safe Haven Domestic Abuse Service")

# Why the front door opened each kind of episode (the first line of its history).
OPENING = {
    "attendance": "Early help decision: school attendance below 80% and the family "
    "asking for help with morning routines.",
    "behaviour": "Early help decision: behaviour at home and school escalating; parents "
    "asking for support with boundaries.",
    "housing": "Early help decision: rent arrears, risk of eviction and the children "
    "sharing one room in a damp flat.",
    "mental_health": "Early help decision: parent's low mood affecting the children's care; "
    "GP involved, family consents to a TAF.",
    "young_carer": "Early help decision: eldest child caring for a parent with MS and "
    "missing school.",
    "domestic_abuse": "Early help decision: standard-risk domestic incident, mother asking "
    "for support for herself and the children.",
    "early_years": "Early help decision: toddler's speech delay and mum isolated after a "
    "move; health visitor referral.",
    "neglect": "Early help decision: home conditions and the children's hygiene raised by "
    "school; parents willing to work with a TAF.",
    "finance": "Early help decision: debt, food bank use and the gas cut off; family "
    "asking for practical help.",
    "exploitation": "Early help decision: 14-year-old missing after school twice, new older "
    "friends; parents worried.",
}
FLAG_REASONS = [
    "Assessment overdue: the family cancelled two home visits; need a plan to engage them.",
    "School reports attendance falling again; TAF cannot agree who leads on it.",
    "Housing not attending TAF meetings; eviction hearing next month.",
    "Lead professional leaving the team: needs reallocating before the next review.",
]
MEETING_REFERRALS = [
    (
        "Brackenshire Carers' Centre young carers project",
        "The needs are about the young "
        "carer's role; the Carers' Centre can assess and support without a TAF.",
    ),
    (
        "Safe Haven Domestic Abuse Service outreach",
        "Mother wants specialist domestic abuse "
        "support first; Safe Haven will offer outreach and refer back if needed.",
    ),
    (
        "Family Action parenting programme",
        "Single-agency parenting support is enough; the "
        "school will keep an eye and refer back if things do not improve.",
    ),
    (
        "Brackenshire Homes tenancy sustainment",
        "The need is the tenancy; the housing officer will work with the family directly.",
    ),
]
MEETING_NFA = [
    "Family already receiving support from the school's pastoral team; no further action "
    "for early help, school to refer back if needed.",
    "Family has declined early help after a conversation with the lead practitioner; "
    "information about the family hub given.",
    "Needs met by universal services: health visitor's extra visits already arranged.",
    "Situation resolved since the request: family moved in with grandparents.",
]
MEETING_DISCUSSIONS = [  # one per decision of last week's meeting, in order
    "Parents attended the screening call and agreed to a Team Around the Family; the school "
    "will join it.",
    "The referrer confirmed the family prefers a specialist service to a TAF.",
    "The lead practitioner described the conversation with the family and the support "
    "already in place.",
    "Discussed what is missing before a decision can be made; the referrer to be asked.",
]
MEETING_DEFER = [
    "Waiting for the school's view and consent to share with health: back next meeting.",
    "Family away until the end of the month; discuss again at the next meeting.",
    "Need more information from the referrer about the incident: back next meeting.",
    "No capacity in the team this week; priority for allocation at the next meeting.",
]
CLOSURES = {
    "north": (
        ClosureReason.CONSENT_WITHDRAWN,
        OutcomesAchieved.NO,
        "The family withdrew consent after the assessment; mum feels the school's "
        "support is enough. Signposted to the family hub and the school nurse.",
    ),
    "south": (
        ClosureReason.MOVED_AWAY,
        OutcomesAchieved.PARTLY,
        "The family moved to another county; their early help team has the plan "
        "and the assessment, and the new school has been told.",
    ),
    "east": (
        ClosureReason.STEPPED_DOWN,
        OutcomesAchieved.YES,
        "Stepped down to universal services: attendance is back to 96%, the school "
        "and health visitor continue their usual contact.",
    ),
    "west": (
        ClosureReason.REFERRED_ELSEWHERE,
        OutcomesAchieved.PARTLY,
        "Referred to CAMHS for the eldest's anxiety; the rest of the plan is done "
        "and the family agreed to close.",
    ),
}
ACHIEVED = (
    "Outcomes achieved: routines settled, attendance above 95% and the rent arrears on a "
    "repayment plan. The family feels able to manage and knows how to ask again."
)
FAMILY_FEEDBACK = [
    '"Having one person to ring made all the difference."',
    '"We didn\'t want help at first, but the meetings helped us all talk."',
    '"The kids are happier and so am I."',
    "",
]


@dataclass
class _Context:
    now: datetime.datetime
    users: dict
    localities: dict
    teams: dict
    agencies: dict
    levels: dict
    pools: dict

    @classmethod
    def load(cls, now):
        emails = [
            *PRACTITIONERS.values(),
            *MANAGERS.values(),
            SOCIAL_WORKER,
            SOCIAL_CARE_MANAGER,
            TRIAGE,
            HEALTH_VISITOR,
            TEACHER,
            POLICE,
            HOUSING,
        ]
        users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        missing = sorted(set(emails) - set(users))
        if missing:
            raise LookupError(f"Demo users missing: {', '.join(missing)}: seed them first")
        framework = Framework.objects.get(is_current=True)
        teams = {team.name: team for team in Team.objects.select_related("agency", "locality")}
        localities = {loc.code: loc for loc in Locality.objects.all()}
        return cls(
            now=now,
            users=users,
            localities=localities,
            teams=teams,
            agencies={agency.name: agency for agency in Agency.objects.all()},
            levels={level.rank: level for level in framework.levels.all()},
            pools={code: _pool(teams[LOCALITY_TEAMS[code]]) for code in LOCALITY_CODES},
        )

    def user(self, email):
        return self.users[email]

    def team(self, code):
        return self.teams[LOCALITY_TEAMS[code]]


def _pool(team):
    """The team's demo families the front door did not touch, in a stable order: its
    requests' families, the episodes its decisions opened and the history it made up."""
    touched = Episode.objects.filter(
        Q(opened_from_request__isnull=False) | Q(status_changes__isnull=True)
    ).values("family")
    from referrals.models import RequestForSupport

    requested = RequestForSupport.objects.filter(family__isnull=False).values("family")
    return list(
        Family.objects.filter(owning_team=team)
        .exclude(pk__in=touched)
        .exclude(pk__in=requested)
        .order_by("pk")
    )


class _Clock:
    """Moves what the services stamped `now` back to when it happened in the story."""

    def __init__(self):
        self.start = timezone.now()

    def stamp(self, family, when):
        start = self.start
        episodes = Episode.objects.filter(family=family)
        EpisodeStatusChange.objects.filter(episode__in=episodes, changed_at__gte=start).update(
            changed_at=when
        )
        LevelChange.objects.filter(family=family, changed_at__gte=start).update(changed_at=when)
        lead = LeadProfessional.objects.filter(episode__in=episodes)
        lead.filter(started_at__gte=start).update(started_at=when)
        lead.filter(ended_at__gte=start).update(ended_at=when)
        taf = TafMember.objects.filter(episode__in=episodes)
        taf.filter(started_on__gte=start.date()).update(started_on=when.date())
        taf.filter(ended_on__gte=start.date()).update(ended_on=when.date())
        for field in ("opened_at", "allocated_at", "closure_requested_at", "closed_at"):
            episodes.filter(**{f"{field}__gte": start}).update(**{field: when})
        transitions = Transition.objects.filter(family=family)
        for field in ("requested_at", "approved_at", "responded_at"):
            transitions.filter(**{f"{field}__gte": start}).update(**{field: when})


class _Story:
    """One family's episode, told step by step, each step at its own time."""

    def __init__(self, ctx, clock, code, family):
        self.ctx, self.clock, self.code, self.family = ctx, clock, code, family
        self.episode = None

    def at(self, days_ago, hour=10):
        moment = timezone.localtime(self.ctx.now) - datetime.timedelta(days=days_ago)
        return moment.replace(hour=hour, minute=0, second=0, microsecond=0)

    def _done(self, days_ago, hour=10):
        self.clock.stamp(self.family, self.at(days_ago, hour))
        if self.episode is not None:
            self.episode = Episode.objects.get(pk=self.episode.pk)

    def open(self, days_ago, rank, opening):
        self.episode = episode_services.open_episode(
            by=self.ctx.user(TRIAGE),
            family=self.family,
            locality=self.ctx.localities[self.code],
            level=self.ctx.levels[rank],
            cause=LevelChangeCause.FRONT_DOOR,
            reason=OPENING[opening],
            at=self.at(days_ago, 11),
        )
        self._done(days_ago, 11)
        return self

    def allocate(self, days_ago, lead=None, team=None):
        lead = self.ctx.user(lead or PRACTITIONERS[self.code])
        team = team or self.ctx.team(self.code)
        self.episode = episode_services.episode_allocate(
            by=self.ctx.user(MANAGERS[self.code]),
            episode=self.episode,
            lead_professional=lead,
            team=team,
            reason="Allocated by the locality manager",
        )
        self._done(days_ago)
        return self

    @property
    def lead(self):
        return self.episode.lead_professional

    def assess(self, days_ago):
        episode_services.episode_start_assessment(by=self.lead, episode=self.episode)
        self._done(days_ago)
        return self

    def plan(self, days_ago):
        episode_services.episode_plan_agreed(by=self.lead, episode=self.episode)
        self._done(days_ago, 14)
        return self

    def taf(self, days_ago, role, user=None, contact=None, ended_days_ago=None):
        """Add a user, or a named contact (name, agency name), to the TAF."""
        if user is not None:
            member = episode_services.taf_member_add(
                by=self.lead, episode=self.episode, role=role, user=self.ctx.user(user)
            )
        else:
            name, agency = contact
            member = episode_services.taf_member_add(
                by=self.lead,
                episode=self.episode,
                role=role,
                agency=self.ctx.agencies[agency],
                contact_name=name,
                contact_phone="01632 960 " + f"{400 + len(name):03d}",
            )
        self._done(days_ago)
        if ended_days_ago is not None:
            member.refresh_from_db()
            episode_services.taf_member_end(
                by=self.lead, member=member, ended_on=self.at(ended_days_ago).date()
            )
        return self

    def flag(self, days_ago, reason):
        episode_services.episode_flag(by=self.lead, episode=self.episode, reason=reason)
        self._done(days_ago)
        return self

    def change_level(self, days_ago, rank, reason):
        episode_services.episode_change_level(
            by=self.ctx.user(MANAGERS[self.code]),
            episode=self.episode,
            level=self.ctx.levels[rank],
            reason=reason,
        )
        self._done(days_ago, 15)
        return self

    def request_closure(self, days_ago, reason, outcomes, summary, feedback=""):
        episode_services.episode_request_closure(
            by=self.lead,
            episode=self.episode,
            reason=reason,
            summary=summary,
            outcomes_achieved=outcomes,
            family_feedback=feedback,
        )
        self._done(days_ago, 16)
        return self

    def approve_closure(self, days_ago):
        episode_services.episode_approve_closure(
            by=self.ctx.user(MANAGERS[self.code]), episode=self.episode
        )
        self._done(days_ago, 9)
        return self


def _stories(ctx, code, offset, count):
    """The next `count` families of the locality's pool not used yet, or None for those
    that already have an episode or a transition (seeded before)."""
    pool = ctx.pools[code][offset : offset + count]
    found = []
    for family in pool:
        used = family.episodes.exists() or family.transitions.exists()
        found.append(None if used else family)
    found += [None] * (count - len(found))
    return found


def seed_episodes(*, stdout=None, now: datetime.datetime | None = None) -> int:
    """Create the demo episodes, meetings and transitions not there yet; return how many
    episodes were created. Call it outside any transaction (see ``seed_front_door``)."""
    now = now or timezone.now()
    before = (
        Episode.objects.count(),
        AllocationMeeting.objects.count(),
        Transition.objects.count(),
    )
    with _no_email(), transaction.atomic():
        ctx = _Context.load(now)
        clock = _Clock()
        rng = random.Random(EPISODES_SEED)
        for code in LOCALITY_CODES:
            _past_meeting(ctx, clock, code, rng)
            _locality_episodes(ctx, clock, code, rng)
        _step_ups(ctx, clock)
        _step_downs(ctx, clock)
        for code in LOCALITY_CODES:
            _upcoming_meeting(ctx, code)
    episodes = Episode.objects.count() - before[0]
    meetings = AllocationMeeting.objects.count() - before[1]
    transitions = Transition.objects.count() - before[2]
    if stdout is not None and (episodes or meetings or transitions):
        stdout.write(
            f"Demo episodes: {episodes} new episodes, {meetings} new allocation meetings, "
            f"{transitions} new step ups and step downs"
        )
    return episodes


# Each locality ------------------------------------------------------------------------

PAST_MEETING_FAMILIES = 4
LOCALITY_FAMILIES = 7


def _past_meeting(ctx, clock, code, rng):
    """Last week's meeting: four new episodes, allocated, referred, closed and deferred."""
    venue = VENUES[code][0]
    locality = ctx.localities[code]
    if AllocationMeeting.objects.filter(locality=locality, venue=venue).exists():
        return
    families = _stories(ctx, code, 0, PAST_MEETING_FAMILIES)
    if None in families:
        return
    manager = ctx.user(MANAGERS[code])
    openings = rng.sample(sorted(OPENING), 4)
    stories = []
    for family, opening, days_ago, rank in zip(
        families, openings, (16, 12, 10, 9), (3, 2, 2, 3), strict=True
    ):
        stories.append(_Story(ctx, clock, code, family).open(days_ago, rank, opening))
    starts_at = stories[0].at(7, 10)
    meeting = meeting_services.meeting_schedule(
        by=manager, locality=locality, starts_at=starts_at, chair=manager, venue=venue
    )
    # The agenda as it was last week: only these four (what the front door opened since
    # is for next week's meeting).
    mine = [story.episode.pk for story in stories]
    meeting.agenda_items.exclude(episode__in=mine).delete()
    _attendees(ctx, code, meeting, manager)
    items = {item.episode_id: item for item in meeting.agenda_items.all()}
    referred, why = rng.choice(MEETING_REFERRALS)
    decisions = [
        dict(
            decision="allocate",
            notes="Family agreed to a TAF; lead professional from the locality team.",
            lead_professional=ctx.user(PRACTITIONERS[code]),
            team=ctx.team(code),
        ),
        dict(decision="refer", notes=why, referred_to=referred),
        dict(decision="nfa", notes=rng.choice(MEETING_NFA)),
        dict(decision="defer", notes=rng.choice(MEETING_DEFER)),
    ]
    # What was said about each family is kept on its agenda item, read only by those who
    # may see the family; the general minutes name no family.
    for minute, (story, decision, discussion) in enumerate(
        zip(stories, decisions, MEETING_DISCUSSIONS, strict=True)
    ):
        item = meeting_services.agenda_item_decide(
            by=manager, item=items[story.episode.pk], discussion=discussion, **decision
        )
        decided_at = starts_at + datetime.timedelta(minutes=10 + 12 * minute)
        type(item).objects.filter(pk=item.pk).update(decided_at=decided_at)
        clock.stamp(story.family, decided_at)
    general = [
        f"{meeting.locality.name} early help allocation meeting.",
        "Quorate: early help, housing and a partner from education or the voluntary sector "
        "present; police sent apologies.",
        "Four families discussed: see each agenda item.",
        "Next meeting in a week; deferred items carried forward.",
    ]
    meeting_services.meeting_record_minutes(
        by=manager, meeting=meeting, minutes="\n".join(general), complete=True
    )
    AllocationMeeting.objects.filter(pk=meeting.pk).update(
        held_at=starts_at + datetime.timedelta(hours=1, minutes=30)
    )
    # The one allocated there: the school joins the TAF.
    name, agency, role = SCHOOL_CONTACTS[code]
    allocated = stories[0]
    allocated.episode = Episode.objects.get(pk=allocated.episode.pk)
    allocated.taf(5, role, contact=(name, agency))


def _attendees(ctx, code, meeting, chair):
    add = meeting_services.meeting_attendee_add
    add(by=chair, meeting=meeting, user=ctx.user(PRACTITIONERS[code]))
    add(by=chair, meeting=meeting, user=ctx.user(HOUSING))
    if code == "north":
        add(by=chair, meeting=meeting, user=ctx.user(HEALTH_VISITOR))
    name, agency = PANEL_GUESTS[code]
    add(by=chair, meeting=meeting, name=name, agency=ctx.agencies[agency])
    add(by=chair, meeting=meeting, user=ctx.user(POLICE), attendance="apologies")


def _locality_episodes(ctx, clock, code, rng):
    families = _stories(ctx, code, PAST_MEETING_FAMILIES, LOCALITY_FAMILIES)
    school_name, school, school_role = SCHOOL_CONTACTS[code]
    north = code == "north"
    story = lambda family: _Story(ctx, clock, code, family)  # noqa: E731
    awaiting, assessing, lowered, raised, closing, achieved, other = families

    if awaiting:  # Awaiting allocation: on next week's agenda.
        story(awaiting).open(3, 3, rng.choice(sorted(OPENING)))

    if assessing:  # Assessing, and flagged: the family is hard to reach.
        s = story(assessing).open(44, 3, "early_years" if north else "behaviour")
        s.allocate(
            38,
            lead=HEALTH_VISITOR if north else None,
            team=ctx.teams["Health Visiting North"] if north else None,
        )
        s.assess(33).taf(30, "Police vulnerability officer", user=POLICE)
        s.flag(2, FLAG_REASONS[LOCALITY_CODES.index(code)])

    if lowered:  # Plan in place; things improving, level lowered.
        s = story(lowered).open(130, 3, "housing").allocate(124).assess(118)
        s.taf(117, "Tenancy sustainment officer", user=HOUSING)
        s.taf(115, school_role, contact=(school_name, school))
        s.taf(
            112,
            "Family support worker",
            contact=("Priya Shah", "Family Action Brackenshire"),
            ended_days_ago=40,
        )
        s.plan(95)
        s.change_level(
            45,
            2,
            "Arrears cleared and the family settled: single-agency support "
            "from the school with the lead professional checking in is enough.",
        )

    if raised:  # Plan in place; domestic abuse disclosed, level raised.
        s = story(raised).open(92, 2, "attendance").allocate(87).assess(82)
        s.taf(81, school_role, contact=(school_name, school))
        s.plan(62)
        s.change_level(
            21,
            3,
            "Mother disclosed domestic abuse: police and Safe Haven join "
            "the TAF; multi-agency plan needed.",
        )
        s.taf(20, "Police vulnerability officer", user=POLICE)
        s.taf(19, "Independent domestic violence adviser", contact=SAFE_HAVEN_IDVA)

    if closing:  # Closing: waiting for the locality manager to approve.
        s = story(closing).open(210, 3, "young_carer")
        s.allocate(
            203, lead=TEACHER if north else None, team=ctx.teams["Pastoral Team"] if north else None
        )
        s.assess(196).taf(
            195, "Young carers worker", contact=("Sam Ellery", "Brackenshire Carers' Centre")
        )
        s.plan(170)
        s.request_closure(
            2,
            ClosureReason.OUTCOMES_ACHIEVED,
            OutcomesAchieved.YES,
            "Young carer's assessment done, respite in place and attendance "
            "back to 97%. The family and the school agree to close.",
            FAMILY_FEEDBACK[0],
        )

    if achieved:  # Closed, outcomes achieved, five weeks ago.
        s = story(achieved).open(270, 3, "finance").allocate(262).assess(255)
        s.taf(254, "Tenancy sustainment officer", user=HOUSING)
        s.plan(230)
        s.change_level(120, 2, "Debt advice in place and the gas back on: less support needed.")
        s.request_closure(
            40, ClosureReason.OUTCOMES_ACHIEVED, OutcomesAchieved.YES, ACHIEVED, FAMILY_FEEDBACK[1]
        )
        s.approve_closure(37)

    if other:  # Closed for another reason ten days ago: it can still be reopened.
        reason, outcomes, summary = CLOSURES[code]
        s = story(other).open(150, 2, "mental_health").allocate(143).assess(136)
        s.taf(135, school_role, contact=(school_name, school))
        s.plan(110)
        s.request_closure(12, reason, outcomes, summary, FAMILY_FEEDBACK[2])
        s.approve_closure(10)


# Step up ------------------------------------------------------------------------------

STEP_UP_FAMILIES = {"north": 1, "south": 2}


def _step_up(ctx, s, days_ago, reason, evidence, *, approved_days_ago=None):
    """Ask for the story's episode to step up to its locality's social care team, and have
    the locality manager approve it when `approved_days_ago` is given."""
    transition = transition_services.step_up_request(
        by=s.lead,
        episode=s.episode,
        to_level=ctx.levels[4],
        receiving_team=ctx.teams[SOCIAL_CARE_TEAMS[s.code]],
        reason=reason,
        evidence=evidence,
        handover_notes="Lead professional available for a joint visit; plan and "
        "assessment attached to the episode.",
    )
    s._done(days_ago, 12)
    if approved_days_ago is not None:
        transition_services.transition_approve(by=ctx.user(MANAGERS[s.code]), transition=transition)
        s._done(approved_days_ago, 9)
    return transition


def _step_ups(ctx, clock):
    offset = PAST_MEETING_FAMILIES + LOCALITY_FAMILIES
    north = _stories(ctx, "north", offset, STEP_UP_FAMILIES["north"])[0]
    if north:  # Requested yesterday: waiting for the manager's approval.
        s = _Story(ctx, clock, "north", north).open(160, 3, "neglect").allocate(152)
        s.assess(146).taf(145, "Designated safeguarding lead", user=TEACHER)
        s.plan(120)
        _step_up(
            ctx,
            s,
            1,
            "Neglect worsening despite the plan: home conditions have deteriorated and "
            "the youngest has missed two health appointments.",
            "School log of the children arriving hungry; health visitor's notes; "
            "photographs of the home taken with consent.",
        )

    south = _stories(ctx, "south", offset, STEP_UP_FAMILIES["south"])
    if south[0]:  # Approved twelve days ago, social care has not accepted: flagged.
        s = _Story(ctx, clock, "south", south[0]).open(105, 3, "exploitation").allocate(99)
        s.assess(93).taf(
            92,
            "Youth justice prevention worker",
            contact=("Marcus Hale", "Brackenshire Youth Justice Service"),
        )
        s.plan(72)
        _step_up(
            ctx,
            s,
            14,
            "Criminal exploitation: found with cash and a second phone; "
            "missing three nights last week.",
            "Police missing reports; school exclusion letter.",
            approved_days_ago=12,
        )
    if south[1]:  # Accepted by social care four weeks ago: the episode closed, stepped up.
        s = _Story(ctx, clock, "south", south[1]).open(190, 3, "domestic_abuse").allocate(183)
        s.assess(176).taf(175, "Independent domestic violence adviser", contact=SAFE_HAVEN_IDVA)
        s.plan(150)
        transition = _step_up(
            ctx,
            s,
            31,
            "Domestic abuse now high risk (MARAC); the children witnessed an assault.",
            "MARAC minutes; police DASH risk assessment.",
            approved_days_ago=30,
        )
        transition_services.transition_accept(
            by=ctx.user(SOCIAL_CARE_MANAGER),
            transition=transition,
            notes="Accepted for a child and family assessment (s17); joint visit booked.",
        )
        s._done(27, 15)


# Step down ----------------------------------------------------------------------------


def _known_to_social_care(ctx, s, days_ago, why):
    """The family's time with social care before the step-down: its level history, and
    the social worker's access to the record."""
    assign_perm(access.FAMILY_GRANT, ctx.user(SOCIAL_WORKER), s.family)
    level_history.record_level_change(
        family=s.family,
        episode=None,
        from_level=None,
        to_level=ctx.levels[4],
        cause=LevelChangeCause.FRONT_DOOR,
        by=ctx.user(SOCIAL_WORKER),
        reason=why,
        at=s.at(days_ago),
    )


def _step_down(ctx, s, requested, approved, reason):
    social_worker = ctx.user(SOCIAL_WORKER)
    transition = transition_services.step_down_request(
        by=social_worker,
        family=s.family,
        from_level=ctx.levels[4],
        to_level=ctx.levels[3],
        sending_team=ctx.teams[SOCIAL_CARE_TEAMS["north"]],
        receiving_team=ctx.team(s.code),
        reason=reason,
        evidence="Child in need plan reviewed; all actions complete.",
        handover_notes="Social worker will attend the first TAF meeting to hand over.",
    )
    s._done(requested)
    transition = transition_services.transition_approve(
        by=ctx.user(SOCIAL_CARE_MANAGER), transition=transition
    )
    s.episode = transition.episode
    s._done(approved, 9)
    return transition


def _step_downs(ctx, clock):
    offset = PAST_MEETING_FAMILIES + LOCALITY_FAMILIES + STEP_UP_FAMILIES["north"]
    approved, accepted, bounced = _stories(ctx, "north", offset, 3)
    if approved:  # Approved two days ago: first on North's next agenda.
        s = _Story(ctx, clock, "north", approved)
        _known_to_social_care(
            ctx, s, 240, "Child in need plan (s17): neglect and parental substance misuse."
        )
        _step_down(
            ctx,
            s,
            4,
            2,
            "Child in need plan complete: mum in recovery for six "
            "months, home conditions good. Early help to support the family's plan.",
        )
    if accepted:  # Accepted by allocating, four weeks ago, and being assessed.
        s = _Story(ctx, clock, "north", accepted)
        _known_to_social_care(ctx, s, 400, "Child protection plan (s47): physical abuse.")
        _step_down(
            ctx,
            s,
            33,
            31,
            "Child protection plan ended six months ago and the child "
            "in need plan is complete; the family wants help with the children's "
            "behaviour.",
        )
        s.allocate(28).assess(21)
        s.taf(20, "Social worker (handover)", user=SOCIAL_WORKER, ended_days_ago=7)
        s.taf(19, "Health visitor", user=HEALTH_VISITOR)
    if bounced:  # Stepped down about four months ago; now stepped up again.
        s = _Story(ctx, clock, "north", bounced)
        _known_to_social_care(ctx, s, 520, "Child in need plan (s17): domestic abuse.")
        _step_down(
            ctx,
            s,
            140,
            136,
            "Perpetrator left the home, mother engaging with Safe "
            "Haven: early help to support the children's recovery.",
        )
        s.allocate(125).assess(119)
        s.taf(118, "Independent domestic violence adviser", contact=SAFE_HAVEN_IDVA)
        s.plan(96)
        _step_up(
            ctx,
            s,
            6,
            "Perpetrator back in the home; the eldest disclosed being hit. "
            "Bounce-back: stepped down four months ago.",
            "Child's disclosure recorded by the school; police log.",
            approved_days_ago=1,
        )


# Next week's meetings -------------------------------------------------------------------


def _upcoming_meeting(ctx, code):
    venue = VENUES[code][1]
    locality = ctx.localities[code]
    if AllocationMeeting.objects.filter(locality=locality, venue=venue).exists():
        return
    manager = ctx.user(MANAGERS[code])
    local = timezone.localtime(ctx.now) + datetime.timedelta(days=7)
    starts_at = local.replace(hour=10, minute=0, second=0, microsecond=0)
    meeting = meeting_services.meeting_schedule(
        by=manager, locality=locality, starts_at=starts_at, chair=manager, venue=venue
    )
    _attendees(ctx, code, meeting, manager)
