"""The world the permission matrix is tried against: one family at every stage of the loop,
and one user for each kind of person who might ask to see it.

The D'Arcy-Pemberton family has a closed episode and an open one in the North locality,
with an approved assessment, an agreed TAF plan, a review, a family plan PDF, a step up to
children's social care (approved, waiting for social care to accept), and a place on an
allocation meeting whose minutes are complete. A request for support about the child,
typed with her nickname and an attachment, is being screened. The Featherstonehaugh family
is being stepped down from social care. Everything is made through the services, as the
product makes it.
"""

import datetime
from dataclasses import dataclass, field

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AgencyType, Notification, Role
from assessments.assessments import services as assessment_services
from assessments.documents import services as documents
from assessments.models import SupportingFamiliesArea
from assessments.plans import services as plans
from assessments.reviews import services as reviews
from cases.episodes import services as episodes
from cases.families import services as case_services
from cases.meetings import services as meetings
from cases.models import FamilyMembership, RelationshipType
from cases.people import services as people_services
from cases.transitions import services as transitions
from referrals.screening import services as referral_services
from tests.assessments.plan_helpers import approved_assessment, update_words
from tests.cases.episode_helpers import (
    allocated_episode,
    make_locality,
    request_step_down,
    request_step_up,
    schedule_meeting,
)
from tests.factories import AgencyFactory, FamilyFactory, PersonFactory, TeamFactory, UserFactory
from tests.referrals.screening_helpers import submit_request
from thresholds.models import LevelChange

# The roles of the matrix, in the order its failure messages list them.
ADMIN = "system administrator"
TRIAGE = "triage officer"
LM = "locality manager of the family's locality"
LM_OTHER = "locality manager of another locality"
LEAD = "lead professional"
SAME_TEAM = "practitioner of the same team"
OTHER_TEAM = "practitioner of another team"
TAF = "TAF member of another agency"
FORMER_TAF = "former TAF member"
PARTNER = "non-involved partner agency user"
SOCIAL_WORKER = "social worker"
ANALYST = "performance analyst"
ANON = "anonymous"

ROLES = (
    ADMIN,
    TRIAGE,
    LM,
    LM_OTHER,
    LEAD,
    SAME_TEAM,
    OTHER_TEAM,
    TAF,
    FORMER_TAF,
    PARTNER,
    SOCIAL_WORKER,
    ANALYST,
    ANON,
)

CHILD_DOB = datetime.date(2019, 3, 3)
FAMILY_NAME = "D'Arcy-Pemberton"
POSTCODE = "BK9 7QZ"
REQUEST_WORDS = "marmalade sandwiches & no coat"

# What must never reach someone who may not see the record: names (the apostrophe tests
# the HTML- and JSON-escaped forms), the address, and the child's date of birth in the
# forms the product prints.
FAMILY_SECRETS = (
    FAMILY_NAME,
    "Pemberton",
    "Ottilie",
    "Barnaby",
    "Rosalind",
    "17 Quince Walk",
    "2019-03-03",
    "3 March 2019",
    "03/03/2019",
    "3 Mar 2019",
)
REQUEST_SECRETS = ("marmalade sandwiches", REQUEST_WORDS, "Ottie")
STEP_DOWN_SECRETS = ("Featherstonehaugh", "Peregrine")


@dataclass
class Scenario:
    users: dict
    objects: dict
    # Per role, the secrets they may not see (which records are theirs to read).
    secrets: dict = field(default_factory=dict)
    # Signed-in roles that may not read the family: lists are tried with filters for them.
    outsiders: tuple = ()


def _person(family, given, *, record_type="child", born=None):
    return PersonFactory(
        given_name=given,
        family_name=FAMILY_NAME if family.name.startswith(FAMILY_NAME) else "Featherstonehaugh",
        record_type=record_type,
        date_of_birth=born,
        owning_team=family.owning_team,
        families=[family],
    )


def build() -> Scenario:
    now = timezone.now()
    today = timezone.localdate()
    north = make_locality("North")
    south = make_locality("South")
    school = AgencyFactory(name="Brackenford Primary School", agency_type=AgencyType.SCHOOL)
    housing = AgencyFactory(name="Brackenford Homes", agency_type=AgencyType.HOUSING)
    police = AgencyFactory(name="Brackenshire Police", agency_type=AgencyType.POLICE)
    front_door = TeamFactory(name="Front Door", locality=None)

    users = {
        ADMIN: UserFactory(roles=[Role.SYSTEM_ADMINISTRATOR]),
        TRIAGE: UserFactory(
            roles=[Role.TRIAGE_OFFICER], agency=front_door.agency, teams=[front_door]
        ),
        LM: north.manager,
        LM_OTHER: south.manager,
        LEAD: north.worker,
        SAME_TEAM: north.colleague,
        OTHER_TEAM: south.worker,
        TAF: UserFactory(
            roles=[Role.PARTNER_AGENCY_USER],
            agency=school,
            teams=[TeamFactory(name="Pastoral", agency=school)],
        ),
        FORMER_TAF: UserFactory(
            roles=[Role.PARTNER_AGENCY_USER],
            agency=housing,
            teams=[TeamFactory(name="Tenancy support", agency=housing)],
        ),
        PARTNER: UserFactory(
            roles=[Role.PARTNER_AGENCY_USER],
            agency=police,
            teams=[TeamFactory(name="Neighbourhood policing", agency=police)],
        ),
        SOCIAL_WORKER: north.social_worker,
        ANALYST: UserFactory(roles=[Role.PERFORMANCE_ANALYST]),
        ANON: None,
    }
    lead, manager = north.worker, north.manager

    # The family, its people, a relationship and a note.
    family = FamilyFactory(
        name=f"{FAMILY_NAME} family",
        line_1="17 Quince Walk",
        postcode=POSTCODE,
        owning_team=north.team,
    )
    ottilie = _person(family, "Ottilie", born=CHILD_DOB)
    barnaby = _person(family, "Barnaby", born=datetime.date(2021, 11, 14))
    rosalind = _person(family, "Rosalind", record_type="adult")
    relationship = case_services.relationship_add(
        by=manager,
        family=family,
        from_person=rosalind,
        to_person=ottilie,
        relationship_type=RelationshipType.MOTHER,
        has_parental_responsibility=True,
    )

    # The closed episode: the housing officer left its TAF weeks before it closed.
    with time_machine.travel(now - datetime.timedelta(days=40), tick=False):
        closed = allocated_episode(north, family=family)
        former = episodes.taf_member_add(
            by=lead, episode=closed, user=users[FORMER_TAF], role="Housing officer"
        )
    with time_machine.travel(now - datetime.timedelta(days=20), tick=False):
        episodes.taf_member_end(by=lead, member=former)
    episodes.episode_request_closure(
        by=lead,
        episode=closed,
        reason="other",
        summary="Family moved out of the area for a while.",
        outcomes_achieved="partly",
    )
    closed = episodes.episode_approve_closure(by=manager, episode=closed)

    # The open episode, with the school in its TAF and the housing officer gone again.
    episode = allocated_episode(north, family=family)
    taf_member = episodes.taf_member_add(
        by=lead, episode=episode, user=users[TAF], role="Designated safeguarding lead"
    )
    former_again = episodes.taf_member_add(
        by=lead, episode=episode, user=users[FORMER_TAF], role="Housing officer"
    )
    episodes.taf_member_end(by=lead, member=former_again, ended_on=today)
    note = case_services.note_add(
        by=lead,
        family=family,
        note_type="home_visit",
        occurred_at=now - datetime.timedelta(days=1),
        summary="Home visit: Ottilie and Barnaby at home with Rosalind",
        body="Rosalind says mornings are the hardest part of the day.",
        subjects=[ottilie],
    )

    # Assessment, plan (an action for the lead, one for the school), review, PDF.
    assessment = approved_assessment(north, episode)
    section = assessment.sections.order_by("pk").first()
    # Its second version, a draft, to compare with the first.
    assessment_v2 = assessment_services.assessment_new_version(by=lead, assessment=assessment)
    plan = plans.plan_create(by=lead, episode=episode)
    plan = update_words(
        plan,
        lead,
        family_words="Rosalind: we want mornings to be calmer for Ottilie.",
        contingency="If attendance does not improve by half term, we meet again sooner.",
    )
    outcome = plans.plan_outcome_add(
        by=lead,
        plan=plan,
        description="Ottilie gets to school on time, every day",
        people=[ottilie],
        need="School attendance",
        area=SupportingFamiliesArea.EDUCATION,
        baseline=3,
        target=8,
    )
    action = plans.plan_action_add(
        by=lead,
        plan=plan,
        outcome=outcome,
        description="Morning routine chart with Ottilie",
        owner_user=lead,
        due_on=today + datetime.timedelta(days=14),
    )
    school_action = plans.plan_action_add(
        by=lead,
        plan=plan,
        outcome=outcome,
        description="Breakfast club place for Ottilie",
        owner_agency=school,
        due_on=today + datetime.timedelta(days=14),
    )
    plan = plans.plan_agree(by=lead, plan=plan)
    review = reviews.review_record(
        by=lead,
        plan=plan,
        held_on=today,
        child_views="Ottilie likes the chart on the fridge.",
        family_views="Rosalind says mornings are calmer.",
        progress=[
            reviews.Progress(outcome=str(item.uuid), rag="amber", score=5)
            for item in plan.outcomes.all()
        ],
        decision="continue",
    )
    plan.refresh_from_db()
    document = documents.plan_document_request(by=lead, plan=plan)
    documents.plan_document_render(document_pk=document.pk)
    document.refresh_from_db()

    # A request for support about Ottilie, typed with her nickname, being screened.
    request = submit_request(
        lead,
        people=[
            {"role": "child", "given_name": "Ottie", "family_name": "D'Arcy"},
        ],
        concerns=f"Ottie comes to school with {REQUEST_WORDS}.",
        consent_given_by="Mum",
        attachments=[
            SimpleUploadedFile(
                "school report.pdf", b"%PDF-1.7\n" + b"\x00" * 64, content_type="application/pdf"
            )
        ],
    )
    referral_services.request_claim(by=users[TRIAGE], request=request)
    check = referral_services.screening_check_add(
        by=users[TRIAGE], request=request, agency=school, question="Is Ottie known to you?"
    )
    request.refresh_from_db()
    request_person = request.people.get()
    attachment = request.attachments.get()

    # The allocation meeting: the episode flagged, deferred, minutes complete; the police
    # officer sent apologies.
    episodes.episode_flag(by=lead, episode=episode, reason="Rosalind asked for a different worker")
    meeting = schedule_meeting(manager, north.locality, hours=-2)
    police_attendee = meetings.meeting_attendee_add(
        by=manager, meeting=meeting, user=users[PARTNER], attendance="apologies"
    )
    meetings.meeting_attendee_add(by=manager, meeting=meeting, user=users[TAF])
    item = meeting.agenda_items.get(episode=episode)
    meetings.agenda_item_decide(
        by=manager,
        item=item,
        decision="defer",
        notes=f"{FAMILY_NAME} family: Rosalind wants specialist support first.",
    )
    meeting = meetings.meeting_record_minutes(
        by=manager,
        meeting=meeting,
        minutes=f"Deferred the {FAMILY_NAME} family until Ottilie's school has been heard.",
        complete=True,
    )

    # Step up of the open episode (approved, waiting for social care), and the
    # Featherstonehaugh family stepped down by social care (waiting for its manager).
    step_up = request_step_up(
        north,
        episode,
        reason="Ottilie disclosed being hit at home.",
        handover_notes="Rosalind knows; the school DSL has the chronology.",
    )
    step_up = transitions.transition_approve(by=manager, transition=step_up)
    stepped_down = FamilyFactory(
        name="Featherstonehaugh family", owning_team=north.social_care_team
    )
    _person(stepped_down, "Peregrine", born=datetime.date(2016, 5, 9))
    step_down = request_step_down(
        north,
        stepped_down,
        reason="Child in need plan for Peregrine ended; needs remain at school and home.",
    )

    # A duplicate of Ottilie, merged by the manager.
    duplicate = _person(family, "Ottilie", born=CHILD_DOB)
    merge = people_services.person_merge(
        by=manager, survivor=ottilie, duplicate=duplicate, reason="Same child, entered twice"
    )

    notification = Notification.objects.create(
        user=lead,
        key="access-matrix",
        subject=f"Review due for the {FAMILY_NAME} family",
        link=f"/plans/{plan.uuid}/",
    )

    from assessments.models import AssessmentTemplate
    from thresholds.models import Framework

    objects = {
        "agency": north.team.agency,
        "locality": north.locality,
        "team": north.team,
        "user": lead,
        "notification": notification,
        "family": family,
        "person": ottilie,
        "barnaby": barnaby,
        "membership": FamilyMembership.objects.get(family=family, person=barnaby),
        "relationship": relationship,
        "note": note,
        "merge": merge,
        "episode": episode,
        "closed_episode": closed,
        "taf_member": taf_member,
        "level_change": LevelChange.objects.filter(episode=episode).order_by("pk").first(),
        "meeting": meeting,
        "agenda_item": item,
        "attendee": police_attendee,
        "step_up": step_up,
        "step_down": step_down,
        "step_down_family": stepped_down,
        "request": request,
        "request_person": request_person,
        "check": check,
        "attachment": attachment,
        "framework": Framework.objects.get(is_current=True),
        "template": AssessmentTemplate.objects.filter(is_current=True).first()
        or AssessmentTemplate.objects.order_by("-pk").first(),
        "assessment": assessment,
        "assessment_v2": assessment_v2,
        "section": section,
        "plan": plan,
        "outcome": outcome,
        "action": action,
        "school_action": school_action,
        "review": review,
        "document": document,
    }

    # Who may read which record: everyone else must not find its secrets anywhere.
    family_readers = {LM, LEAD, SAME_TEAM, TAF, SOCIAL_WORKER}
    request_readers = {TRIAGE, LEAD}
    step_down_readers = {LM, SOCIAL_WORKER}
    secrets = {}
    for role in ROLES:
        hidden = []
        if role not in family_readers:
            hidden += FAMILY_SECRETS
        if role not in request_readers:
            hidden += REQUEST_SECRETS
        if role not in step_down_readers:
            hidden += STEP_DOWN_SECRETS
        secrets[role] = tuple(hidden)
    outsiders = tuple(role for role in ROLES if role not in family_readers and role != ANON)
    return Scenario(users=users, objects=objects, secrets=secrets, outsiders=outsiders)
