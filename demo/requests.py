"""Demo requests for support at the Brackenshire front door (``manage.py seed_demo``).

About 50 requests, so the triage queue looks like a Monday morning in a MASH: 15 waiting to
be claimed, 15 being screened by the two demo triage officers (some with people matched,
checks with other agencies and threshold indicators ticked), 17 decided with every outcome
(the TAF decisions open episodes awaiting allocation) and 3 withdrawn. Some are overdue,
some due today, most on time. A few families had an episode closed in the last 12 months,
so their new request is flagged as a re-referral; a few had one closed longer ago, which is
not. Two families have an open, allocated episode; one of them is referred again, and the
TAF decision joins that episode.

Most requests are about children in the demo families (``demo.families``), typed in as a
referrer would (the date of birth now and then left out), so matching them to records
makes sense; the rest are about families not known to the service.

Deterministic: ``random.Random(FRONT_DOOR_SEED)`` picks templates, children, urgency and
timing; ages are counted on the day the demo families were made, and times relative to
``now``. Requests are made through the real services
(``referrals.requests.services``) as the demo users, so audit events are written and the rules hold
(consent for early help, statutory level for a step up); only the received and due times,
and decision times are set afterwards with a queryset update, as no service moves time.

Idempotent: a request's key is its requester's name and what they wrote (which names the
child), so running the seed again creates nothing; the closed and open episodes it adds are
keyed on the family and what the episode says.

The acknowledgement and decision emails the services queue go to the dummy email backend,
run in this process, so seeding sends no email and prints none.
"""

import contextlib
import datetime
import logging
import random
import re
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.test.utils import override_settings
from django.utils import timezone

from accounts.models import Agency, Locality, Team, User
from cases.models import (
    ClosureReason,
    Episode,
    EpisodeStatus,
    FamilyMembership,
    LeadProfessional,
    OutcomesAchieved,
    Person,
    RecordType,
    Relationship,
    RelationshipType,
    Sex,
)
from demo.families import (
    EARLY_YEARS,
    HUB_TEAM,
    LOCALITY_TEAMS,
    PRIMARY_SCHOOLS,
    SECONDARY_SCHOOLS,
    TEAM_USERS,
    TOWNS,
)
from demo.tables import load
from earlyhelp import working_days
from referrals import timescales
from referrals.models import (
    URGENCY_RAG,
    Consent,
    ConsentCovers,
    Decision,
    Outcome,
    RequestForSupport,
    Source,
    Status,
    Urgency,
)
from referrals.requests import services as request_services
from referrals.screening import services as screening_services
from referrals.screening.decisions import services as decisions
from thresholds.models import Framework

FRONT_DOOR_SEED = 20261123

TRIAGE_OFFICERS = ("triage@brackenshire.example", "hub.manager@brackenshire.example")
# Who asks, by template kind: the demo user and the job title they give.
PROFESSIONALS = {
    "health_visitor": ("health.visitor@bchnt.example", "Health visitor"),
    "teacher": ("teacher@harrowgate.example", "Designated safeguarding lead"),
    "police": ("officer@wexmoor-police.example", "Police officer, vulnerability hub"),
    "housing": ("housing@brackenshirehomes.example", "Tenancy sustainment officer"),
    "social_worker": ("social.worker@brackenshire.example", "Social worker"),
}
PUBLIC_KINDS = {"parent": Source.PARENT_OR_CARER, "young_person": Source.YOUNG_PERSON}

# How many requests end in each state, and the outcomes of those decided.
STATUS_COUNTS = {
    Status.SUBMITTED: 15,
    Status.IN_SCREENING: 15,
    Status.DECIDED: 17,
    Status.WITHDRAWN: 3,
}
DECIDED_OUTCOMES = (
    [Outcome.NFA] * 2
    + [Outcome.SIGNPOSTING] * 3
    + [Outcome.UNIVERSAL] * 2
    + [Outcome.SINGLE_AGENCY] * 4
    + [Outcome.TAF] * 4
    + [Outcome.STEP_UP] * 2
)
# Of the open requests, how many are overdue, due today, due soon and on time.
OPEN_TIMELINESS = {
    Status.SUBMITTED: ["overdue"] * 4 + ["due today"] * 4 + ["due soon"] * 3 + ["on time"] * 4,
    Status.IN_SCREENING: ["overdue"] * 4 + ["due today"] * 3 + ["due soon"] * 4 + ["on time"] * 4,
}
TIMELINESS = ["overdue", "due today", "due soon", "on time"]
# Families with an episode closed within 12 months (flagged) and longer ago (not flagged):
# (status of their new request, its outcome if decided).
RECENTLY_CLOSED = [
    (Status.IN_SCREENING, None),
    (Status.IN_SCREENING, None),
    (Status.IN_SCREENING, None),
    (Status.DECIDED, Outcome.TAF),
    (Status.DECIDED, Outcome.SIGNPOSTING),
]
LONG_CLOSED = [(Status.IN_SCREENING, None), (Status.IN_SCREENING, None), (Status.DECIDED, None)]
# Families with an open, allocated episode: one is decided TAF again and joins it.
ALREADY_OPEN = [(Status.DECIDED, Outcome.TAF), (Status.IN_SCREENING, None)]

OUTCOME_LEVELS = {
    Outcome.NFA: 1,
    Outcome.SIGNPOSTING: 2,
    Outcome.UNIVERSAL: 1,
    Outcome.SINGLE_AGENCY: 2,
    Outcome.TAF: 3,
    Outcome.STEP_UP: 4,
}

CLOSURE_REASONS = [
    "Outcomes achieved: attendance back above 95% and routines settled; the family agreed "
    "to close with the school keeping an eye.",
    "Plan completed: the family moved into a settled tenancy and the debt is on a repayment "
    "plan. Mum feels able to manage.",
    "Outcomes achieved: the children's sleep and behaviour improved after the parenting "
    "course; the health visitor continues universal contact.",
    "Family asked to close: things had improved and they did not want further support.",
    "Outcomes partly achieved: domestic abuse support completed; the family declined further "
    "work. Signposted to Safe Haven's drop-in.",
]


@dataclass(frozen=True)
class Template:
    """One kind of request, and what screening would decide about it."""

    kind: str
    needs: tuple[str, ...]
    concerns: str
    tried: str
    urgency: str
    ages: tuple[int, int]
    outcome: str | None = None
    indicators: tuple[str, ...] = ()
    rationale: str = ""
    consent: str = Consent.GIVEN
    not_given_reason: str = ""
    level: int | None = None
    override: str = ""
    signposted_to: str = ""
    agency: str = ""
    checks: tuple[tuple[str, str, str], ...] = ()
    school: str = ""

    @property
    def about_a_mother(self) -> bool:
        """The words call the carer "she": only a child's mother fits them."""
        words = " ".join((self.concerns, self.tried, self.rationale, self.not_given_reason))
        return bool(re.search(r"\b(she|her)\b|'s dad and I\b", words, re.IGNORECASE))


def _template(entry, checks):
    """One request of demo/data/referral_templates.json, its values made the fields' types."""
    tuples = {key: tuple(entry[key]) for key in ("needs", "ages", "indicators") if key in entry}
    return Template(
        **{
            **entry,
            **tuples,
            "urgency": Urgency(entry["urgency"]),
            "outcome": Outcome(entry["outcome"]) if "outcome" in entry else None,
            "consent": Consent(entry.get("consent", Consent.GIVEN)),
            "checks": tuple(checks[name] for name in entry.get("checks", ())),
        }
    )


_TEMPLATES = load("referral_templates")
_CHECKS = {name: tuple(check) for name, check in _TEMPLATES["checks"].items()}
CSC_CHECK = _CHECKS["social_care"]
# Grouped in the file by who sends them; the order is the one the seeded choices draw from.
TEMPLATES = [
    _template(entry, _CHECKS) for group in _TEMPLATES["requests"].values() for entry in group
]

# People not known to the service, for requests about families new to Brackenshire's records:
# data/new_to_the_service.json.
_NEW = load("new_to_the_service")
NEW_SURNAMES = _NEW["surnames"]
NEW_GIRLS = _NEW["girls"]
NEW_BOYS = _NEW["boys"]
NEW_MOTHERS = _NEW["mothers"]


@dataclass
class Child:
    """A child a request is about: a demo record, or someone new to the service."""

    given_name: str
    family_name: str
    date_of_birth: datetime.date
    sex: str
    school: str
    line_1: str
    town: str
    postcode: str
    carer_given: str
    carer_family: str
    carer_relation: str
    person: Person | None = None
    carer: Person | None = None
    family_id: int | None = None
    team: Team | None = None


@dataclass
class Slot:
    status: str
    template: Template
    child: Child
    timeliness: str = ""
    history: str = ""  # "recently_closed", "long_closed", "open"


def seed_front_door(*, stdout=None, now: datetime.datetime | None = None) -> int:
    """Create the demo requests not there yet; return how many were created.

    Runs in its own transaction: call it outside any other, so that the emails the services
    queue on commit go to the dummy backend set here."""
    now = now or timezone.now()
    with _no_email(), transaction.atomic():
        context = _Context.load()
        rng = random.Random(FRONT_DOOR_SEED)
        existing = set(RequestForSupport.objects.values_list("requester_name", "concerns"))
        created = 0
        for number, slot in enumerate(_plan(rng, context, context.day), start=1):
            # Each request its own generator, so one skipped leaves the next the same.
            slot_rng = random.Random(f"{FRONT_DOOR_SEED}-{number}")
            created += _make(slot, context, existing, slot_rng, now, context.day)
    if stdout is not None and created:
        counts = dict(
            RequestForSupport.objects.values_list("status").annotate(n=Count("pk")).order_by()
        )
        stdout.write(
            f"Demo requests for support: {created} new; "
            + ", ".join(f"{counts.get(s, 0)} {s.label.lower()}" for s in Status)
        )
    return created


@contextlib.contextmanager
def _no_email():
    from earlyhelp.celery import app

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # "Task ... succeeded" once per email, and kombu's "No hostname was supplied".
    loggers = [logging.getLogger(name) for name in ("celery.app.trace", "kombu.connection")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.ERROR)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        app.conf.task_always_eager = eager
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


@dataclass
class _Context:
    users: dict
    officers: list
    agencies: dict
    framework: Framework
    levels: dict
    indicators: list
    children: list
    localities: dict
    day: datetime.date

    @classmethod
    def load(cls):
        emails = [email for email, _ in PROFESSIONALS.values()] + list(TRIAGE_OFFICERS)
        users = {u.email.lower(): u for u in User.objects.filter(email__in=emails)}
        missing = sorted(set(emails) - set(users))
        if missing:
            raise LookupError(f"Demo users missing: {', '.join(missing)}: seed them first")
        framework = Framework.objects.get(is_current=True)
        return cls(
            users=users,
            officers=[users[email] for email in TRIAGE_OFFICERS],
            agencies={agency.name: agency for agency in Agency.objects.all()},
            framework=framework,
            levels={level.rank: level for level in framework.levels.all()},
            indicators=list(framework.indicators.select_related("level")),
            children=_demo_children(),
            localities={locality.code: locality for locality in Locality.objects.all()},
            day=_reference_day(),
        )

    def indicators_for(self, starts):
        found = []
        for start in starts:
            matches = [i for i in self.indicators if i.text.startswith(start)]
            if not matches:
                raise LookupError(f"No indicator starting {start!r} in the current framework")
            found.append(matches[0])
        return found

    def locality_of(self, child):
        if child.team is not None and child.team.locality_id:
            return child.team.locality
        code = next((code for code, towns in TOWNS.items() if child.town in towns), "north")
        return self.localities.get(code)


def _reference_day():
    """The day the demo families were made. Ages in the plan (which child fits a request,
    "Kai (11 months)") are counted on it, not today, so a run next month makes the same
    requests, with the same words, and finds them all there already."""
    first = (
        Person.objects.filter(owning_team__name__in=TEAM_USERS)
        .order_by("created_at", "pk")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else timezone.localdate()


def _demo_children():
    """Children in the demo families who live in exactly one household, with a carer."""
    teams = Team.objects.filter(name__in=TEAM_USERS)
    people = (
        Person.objects.filter(
            record_type=RecordType.CHILD,
            owning_team__in=teams,
            merged_into__isnull=True,
            date_of_birth__isnull=False,
        )
        .annotate(households=Count("memberships", filter=Q(memberships__left_on__isnull=True)))
        .filter(households=1)
        .select_related("owning_team__locality")
        .order_by("pk")
    )
    people = {person.pk: person for person in people}
    memberships = FamilyMembership.objects.filter(
        person__in=people, left_on__isnull=True
    ).select_related("family__owning_team__locality")
    family_of = {m.person_id: m.family for m in memberships}
    carers = {}
    for relationship in (
        Relationship.objects.filter(
            to_person__in=people,
            has_parental_responsibility=True,
            relationship_type__in=[
                RelationshipType.MOTHER,
                RelationshipType.FATHER,
                RelationshipType.GRANDPARENT,
                RelationshipType.CARER,
            ],
        )
        .select_related("from_person")
        .order_by("relationship_type", "pk")  # "carer" < "father" < "grandparent" < "mother"
    ):
        family = family_of.get(relationship.to_person_id)
        if family is not None and relationship.family_id == family.pk:
            carers[relationship.to_person_id] = relationship
    children = []
    for pk, person in people.items():
        relationship = carers.get(pk)
        family = family_of.get(pk)
        if relationship is None or family is None or not family.postcode:
            continue
        carer = relationship.from_person
        children.append(
            Child(
                given_name=person.given_name,
                family_name=person.family_name,
                date_of_birth=person.date_of_birth,
                sex=person.sex,
                school=person.school_or_setting,
                line_1=family.line_1,
                town=family.town,
                postcode=family.postcode,
                carer_given=carer.given_name,
                carer_family=carer.family_name,
                carer_relation=relationship.relationship_type,
                person=person,
                carer=carer,
                family_id=family.pk,
                team=family.owning_team,
            )
        )
    return children


def _age(born, today):
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _new_child(rng, ages, today, taken):
    """Someone not known to the service, with a surname no other new family has."""
    sex = rng.choice([Sex.FEMALE, Sex.MALE])
    surname = rng.choice([name for name in NEW_SURNAMES if name not in taken] or NEW_SURNAMES)
    taken.add(surname)
    age = rng.randint(*ages)
    born = today - datetime.timedelta(days=age * 365 + rng.randint(20, 340))
    locality = rng.choice(sorted(TOWNS))
    town = rng.choice(sorted(TOWNS[locality]))
    street, postcode, _ = rng.choice(TOWNS[locality][town])
    if age >= 11:
        school = SECONDARY_SCHOOLS[locality][0]
    elif age >= 4:
        school = rng.choice(PRIMARY_SCHOOLS[locality])[0]
    else:
        school = rng.choice(EARLY_YEARS[locality]) if age >= 2 else ""
    return Child(
        given_name=rng.choice(NEW_GIRLS if sex == Sex.FEMALE else NEW_BOYS),
        family_name=surname,
        date_of_birth=born,
        sex=sex,
        school=school,
        line_1=f"{rng.randint(120, 260)} {street}",
        town=town,
        postcode=postcode,
        carer_given=rng.choice(NEW_MOTHERS),
        carer_family=surname,
        carer_relation=RelationshipType.MOTHER,
    )


def _plan(rng, context, today):
    """Every demo request, in the order they are made: the same list every time."""
    statuses = [status for status, count in STATUS_COUNTS.items() for _ in range(count)]
    outcomes = list(DECIDED_OUTCOMES)
    timeliness = {status: list(values) for status, values in OPEN_TIMELINESS.items()}
    for values in timeliness.values():
        rng.shuffle(values)
    # Histories go to particular slots: the first of each status and outcome asked for.
    histories = {}
    for history, wanted in (
        ("recently_closed", RECENTLY_CLOSED),
        ("long_closed", LONG_CLOSED),
        ("open", ALREADY_OPEN),
    ):
        for status, outcome in wanted:
            histories.setdefault((status, outcome), []).append(history)

    children = list(context.children)
    rng.shuffle(children)
    used_families = set()
    new_surnames = set()
    usage = {id(template): 0 for template in TEMPLATES}
    slots = []
    for status in statuses:
        outcome = outcomes.pop(0) if status == Status.DECIDED else None
        candidates = [t for t in TEMPLATES if (t.outcome == outcome if outcome else True)]
        least = min(usage[id(t)] for t in candidates)
        template = rng.choice([t for t in candidates if usage[id(t)] == least])
        usage[id(template)] += 1
        history = ""
        for key in ((status, outcome), (status, None)):
            if histories.get(key):
                history = histories[key].pop(0)
                break
        # A family is needed for a TAF, a history, or (mostly) to show matching.
        needs_record = bool(history) or outcome == Outcome.TAF or rng.random() < 0.65
        child = None
        if needs_record:
            child = _pick_child(children, template, used_families, today)
        if child is None:
            child = _new_child(rng, template.ages, today, new_surnames)
            child.school = template.school or child.school
        else:
            used_families.add(child.family_id)
        slots.append(
            Slot(
                status=status,
                template=template,
                child=child,
                timeliness=timeliness[status].pop() if status in timeliness else "",
                history=history if child.person else "",
            )
        )
    return slots


def _pick_child(children, template, used_families, today):
    low, high = template.ages
    fits = [
        child
        for child in children
        if child.family_id not in used_families and low <= _age(child.date_of_birth, today) <= high
    ]
    if template.school:
        fits = [c for c in fits if c.school == template.school] or fits
    if template.kind == "health_visitor":
        fits = [c for c in fits if c.team and c.team.name == LOCALITY_TEAMS["north"]] or fits
    if template.about_a_mother:
        fits = [c for c in fits if c.carer_relation == RelationshipType.MOTHER]
    return fits[0] if fits else None


def _words(template, child, today, pct):
    pronouns = {Sex.FEMALE: ("her", "her"), Sex.MALE: ("his", "him")}
    their, them = pronouns.get(child.sex, ("their", "them"))
    age = _age(child.date_of_birth, today)
    if age == 0:
        born = child.date_of_birth
        months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
        age = "1 month" if months <= 1 else f"{months} months"
    values = {
        "child": child.given_name,
        "age": age,
        "carer": child.carer_given,
        "carer_full": f"{child.carer_given} {child.carer_family}",
        "school": child.school or "the school",
        "their": their,
        "them": them,
        "pct": pct,
        "parent": {RelationshipType.MOTHER: "mum", RelationshipType.FATHER: "dad"}.get(
            child.carer_relation, "nan"
        ),
    }

    def fill(text):
        return text.format(**values)

    return fill


def _make(slot, context, existing, rng, now, day) -> int:
    template, child = slot.template, slot.child
    fill = _words(template, child, day, rng.randint(78, 89))
    concerns = fill(template.concerns)
    by, source, name, role, extra = _requester(template, child, context, rng)
    if (name, concerns) in existing:
        return 0
    existing.add((name, concerns))

    received_at, due_at = _timing(slot, template, rng, now)
    if slot.history:
        _history(slot, context, rng, now, received_at)
    request = request_services.request_submit(
        by=by,
        source=source,
        people=_people(template, child, rng),
        presenting_needs=list(template.needs),
        requester_name=name,
        requester_role=role,
        concerns=concerns,
        what_has_been_tried=fill(template.tried),
        urgency=template.urgency,
        **_consent(template, child, source, name, received_at, fill),
        **extra,
    )
    RequestForSupport.objects.filter(pk=request.pk).update(
        received_at=received_at, due_at=due_at, created_at=received_at
    )
    request.received_at, request.due_at = received_at, due_at
    if slot.status == Status.SUBMITTED:
        return 1
    officer = context.officers[0] if rng.random() < 0.65 else context.officers[1]
    assigned_at = min(received_at + datetime.timedelta(minutes=rng.randint(20, 240)), now)
    if slot.status == Status.WITHDRAWN:
        _withdraw(request, officer, rng, assigned_at)
        return 1
    screening_services.request_claim(by=officer, request=request)
    RequestForSupport.objects.filter(pk=request.pk).update(assigned_at=assigned_at)
    deciding = slot.status == Status.DECIDED
    _screen(request, slot, context, officer, rng, fill, full=deciding or rng.random() < 0.6)
    if deciding:
        _decide(request, slot, context, officer, rng, fill, assigned_at, now)
    return 1


def _requester(template, child, context, rng):
    """Who asked: (by, source, name, role, other fields of the request)."""
    if template.kind in PROFESSIONALS:
        email, role = PROFESSIONALS[template.kind]
        user = context.users[email]
        return (
            user,
            Source.PROFESSIONAL,
            user.get_full_name(),
            role,
            {
                "requester_agency": user.agency,
                "requester_email": user.email,
                "requester_phone": f"01632 960 {rng.randint(100, 999)}",
            },
        )
    source = PUBLIC_KINDS[template.kind]
    if source == Source.YOUNG_PERSON:
        name = f"{child.given_name} {child.family_name}"
        role = "I am the young person"
        contact = {"requester_phone": f"07700 900{rng.randint(100, 999)}"}
    else:
        name = f"{child.carer_given} {child.carer_family}"
        role = {
            RelationshipType.MOTHER: "Mum",
            RelationshipType.FATHER: "Dad",
            RelationshipType.GRANDPARENT: "Grandparent, I look after the children",
        }.get(child.carer_relation, "Carer")
        mailbox = re.sub(r"[^a-z.]", "", f"{child.carer_given}.{child.carer_family}".lower())
        contact = (
            {"requester_email": f"{mailbox}@home.example"}
            if rng.random() < 0.7
            else {"requester_phone": f"07700 900{rng.randint(100, 999)}"}
        )
    return None, source, name, role, contact


def _people(template, child, rng):
    """The people as the requester typed them: now and then without a date of birth."""
    person = {
        "role": "child",
        "given_name": child.given_name,
        "family_name": child.family_name,
        "date_of_birth": child.date_of_birth if rng.random() < 0.85 else None,
        "address_line_1": child.line_1,
        "town": child.town,
        "postcode": child.postcode,
        "school_or_setting": child.school,
    }
    people = [person]
    if template.kind != "young_person" or rng.random() < 0.5:
        people.append(
            {
                "role": "parent_or_carer",
                "given_name": child.carer_given,
                "family_name": child.carer_family,
                "address_line_1": child.line_1,
                "town": child.town,
                "postcode": child.postcode,
            }
        )
    return people


def _consent(template, child, source, name, received_at, fill):
    consent = template.consent
    if consent == Consent.GIVEN:
        given_by = (
            name
            if source != Source.PROFESSIONAL
            else (
                f"{child.carer_given} {child.carer_family}, "
                + {RelationshipType.MOTHER: "mother", RelationshipType.FATHER: "father"}.get(
                    child.carer_relation, "carer"
                )
            )
        )
        return {
            "consent": consent,
            "consent_given_by": given_by,
            "consent_covers": ConsentCovers.BOTH,
            "consent_given_on": timezone.localdate(received_at),
        }
    if consent == Consent.NOT_GIVEN:
        return {"consent": consent, "consent_not_given_reason": fill(template.not_given_reason)}
    return {"consent": consent}


def _candidate_times(rng, now, days):
    """Times requests could have come in over the last `days` days, newest first: a few
    in each working day (now and then at a weekend), and some in the last hour or two."""
    moments = [now - datetime.timedelta(minutes=minutes) for minutes in (1, 15, 40, 75, 110)]
    today = timezone.localdate(now)
    for back in range(days):
        day = today - datetime.timedelta(days=back)
        if not working_days.is_working_day(day) and rng.random() < 0.7:
            continue
        for hour in rng.sample(range(7, 21), 6):
            minute = rng.choice([5, 20, 35, 50])
            moments.append(
                timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))
            )
    return sorted((moment for moment in moments if moment < now), reverse=True)


def _timing(slot, template, rng, now):
    """When the request came in, and so when it is due: as the slot wants it if the
    urgency allows (a red request is never due in three days), else the nearest open one."""
    rag = _rag(template)
    if slot.timeliness:
        by_status = {}
        for moment in _candidate_times(rng, now, 10):
            due = timescales.due_at(moment, rag)
            by_status.setdefault(str(working_days.rag_status(due, now)), []).append(moment)
        others = [s for s in TIMELINESS if s not in (slot.timeliness, "overdue")]
        for wanted in [slot.timeliness, *others, "overdue"]:
            fits = by_status.get(wanted)
            if fits:
                # The newest few: overdue by a day or two, not by weeks.
                received = fits[min(len(fits) - 1, rng.randint(0, 3))]
                return received, timescales.due_at(received, rag)
    days_ago = rng.randint(2, 21) if slot.status == Status.DECIDED else rng.randint(4, 18)
    received = timezone.make_aware(
        datetime.datetime.combine(
            timezone.localdate(now) - datetime.timedelta(days=days_ago),
            datetime.time(rng.randint(8, 17), rng.choice([0, 15, 30, 45])),
        )
    )
    return received, timescales.due_at(received, rag)


def _rag(template):
    return str(URGENCY_RAG[Urgency(template.urgency)])


def _history(slot, context, rng, now, received_at):
    """The family's earlier episode: closed recently, closed long ago, or still open."""
    child = slot.child
    locality = context.locality_of(child)
    team = Team.objects.filter(locality=locality, name__in=LOCALITY_TEAMS.values()).first()
    practitioner = User.objects.filter(
        email=TEAM_USERS.get(team.name if team else "", ("",))[0]
    ).first()
    level = context.levels[3 if rng.random() < 0.7 else 2]
    if slot.history == "open":
        if Episode.objects.open().filter(family_id=child.family_id).exists():
            return
        opened = received_at - datetime.timedelta(days=rng.randint(40, 150))
        episode = Episode.objects.create(
            family_id=child.family_id,
            locality=locality,
            level=level,
            status=EpisodeStatus.ALLOCATED,
            opened_at=opened,
            allocated_at=opened,
            lead_professional=practitioner,
            team=team,
        )
        if practitioner and team:
            LeadProfessional.objects.create(
                episode=episode, user=practitioner, team=team, started_at=opened
            )
        return
    days = rng.randint(30, 300) if slot.history == "recently_closed" else rng.randint(400, 700)
    closed = now - datetime.timedelta(days=days)
    summary = rng.choice(CLOSURE_REASONS)
    if Episode.objects.filter(family_id=child.family_id, closure_summary=summary).exists():
        return
    reason, achieved = (
        (ClosureReason.CONSENT_WITHDRAWN, OutcomesAchieved.PARTLY)
        if summary.startswith(("Family asked", "Outcomes partly"))
        else (ClosureReason.OUTCOMES_ACHIEVED, OutcomesAchieved.YES)
    )
    Episode.objects.create(
        family_id=child.family_id,
        locality=locality,
        level=level,
        status=EpisodeStatus.CLOSED,
        opened_at=closed - datetime.timedelta(days=rng.randint(90, 240)),
        closed_at=closed,
        closure_reason=reason,
        closure_summary=summary,
        outcomes_achieved=achieved,
        lead_professional=practitioner,
        team=team,
    )


def _withdraw(request, officer, rng, assigned_at):
    """The referrer withdraws their own request; a public one (or a duplicate) is
    withdrawn by the triage officer, through the same service as the pages."""
    reasons = [
        "The family has moved out of the county.",
        "Sent in error: a duplicate of an earlier request.",
        "The parent no longer wants help; the school will keep in touch.",
    ]
    claimed = rng.random() < 0.6
    reason = rng.choice(reasons)
    by_requester = request.requested_by is not None and not claimed
    request_services.request_withdraw(
        by=request.requested_by if by_requester else officer, request=request, reason=reason
    )
    RequestForSupport.objects.filter(pk=request.pk, assigned_to__isnull=False).update(
        assigned_at=assigned_at
    )


def _match(officer, request_person, person):
    """As an officer matches: from the records the search for what was typed offered."""
    screening_services.screening_candidates(by=officer, request_person=request_person)
    screening_services.screening_match_person(
        by=officer, request_person=request_person, person=person
    )


def _screen(request, slot, context, officer, rng, fill, *, full):
    """What the officer has done so far: match people, check, tick indicators."""
    template, child = slot.template, slot.child
    if child.person is not None and (full or slot.history or rng.random() < 0.7):
        people = list(request.people.order_by("position"))
        _match(officer, people[0], child.person)
        if len(people) > 1 and child.carer is not None:
            _match(officer, people[1], child.carer)
    if not full:
        if rng.random() < 0.5:
            screening_services.screening_notes_save(
                by=officer,
                request=request,
                notes="Left a message for the referrer to call back with more detail.",
            )
        return
    for agency_name, question, answer in template.checks or (CSC_CHECK,):
        agency_name = fill(agency_name)
        agency = context.agencies.get(agency_name)
        asked = request.received_at + datetime.timedelta(minutes=rng.randint(30, 180))
        asked = min(asked, timezone.now())
        check = screening_services.screening_check_add(
            by=officer,
            request=request,
            agency=agency,
            agency_name="" if agency else agency_name,
            question=question,
            asked_at=asked,
        )
        if answer and rng.random() < 0.8:
            screening_services.screening_check_answer(
                by=officer,
                check=check,
                answer=fill(answer),
                answered_at=min(
                    asked + datetime.timedelta(hours=rng.randint(1, 20)), timezone.now()
                ),
            )
    if template.indicators:
        screening_services.screening_indicators_set(
            by=officer, request=request, indicators=context.indicators_for(template.indicators)
        )
    screening_services.screening_notes_save(
        by=officer,
        request=request,
        notes=fill(
            "Spoke to the referrer to confirm the concerns. Checked the family's records and "
            "history with partner agencies."
        ),
    )


def _decide(request, slot, context, officer, rng, fill, assigned_at, now):
    template, child = slot.template, slot.child
    outcome = Outcome(template.outcome)
    if outcome in (Outcome.SINGLE_AGENCY, Outcome.TAF) and not request.consent_allows_early_help:
        screening_services.screening_record_consent(
            by=officer,
            request=request,
            consent=Consent.GIVEN,
            consent_given_by=f"{child.carer_given} {child.carer_family}",
            consent_covers=ConsentCovers.BOTH,
            consent_given_on=timezone.localdate(assigned_at),
        )
    if outcome == Outcome.TAF and child.person is None:
        _create_records(request, child, officer)
    level = context.levels[template.level or OUTCOME_LEVELS[outcome]]
    agency = context.agencies.get(template.agency)
    data = decisions.DecisionInput(
        outcome=outcome,
        level=level,
        rationale=fill(template.rationale),
        level_override_reason=fill(template.override),
        signposted_to=template.signposted_to,
        single_agency=agency,
        single_agency_name="" if agency else template.agency,
        social_care_reference=f"CSC-{now.year}-{rng.randint(10000, 99999)}",
        locality=context.locality_of(child) if outcome == Outcome.TAF else None,
    )
    decision = decisions.request_decide(by=officer, request=request, data=data)
    hours = rng.randint(1, 30)
    decided_at = min(assigned_at + datetime.timedelta(hours=hours), now)
    Decision.objects.filter(pk=decision.pk).update(decided_at=decided_at)
    if decision.episode_id and not decision.joined_open_episode:
        Episode.objects.filter(pk=decision.episode_id).update(opened_at=decided_at)


def _create_records(request, child, officer):
    """Nobody on the request is known: create their records and their household."""
    hub = Team.objects.get(name=HUB_TEAM)
    for request_person in request.people.order_by("position"):
        screening_services.screening_create_person(
            by=officer, request_person=request_person, owning_team=hub, confirmed_not_duplicate=True
        )
    screening_services.screening_create_family(
        by=officer, request=request, owning_team=hub, name=f"{child.family_name} family"
    )
