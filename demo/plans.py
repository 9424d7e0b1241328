"""Demo TAF plans and reviews (``manage.py seed_demo``), after the demo assessments.

Every episode with a plan in place and an approved assessment gets an agreed plan, written
and agreed through the services by its lead professional, in turn: agreed recently with the
first review weeks away; reviewed on time; a review due within the week (the reminder job
picks it up); overdue, never reviewed; reviewed late and overdue again; and reviewed with a
new version of the plan being written. Plans are back-dated (agreed up to three months ago)
so that the review dates fall as described. Idempotent: an episode with a plan is left alone.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Agency, AgencyType
from assessments.models import ActionStatus, AssessmentStatus, Plan, Rag, SupportingFamiliesArea
from assessments.plans import services as plans
from assessments.reviews import services as reviews
from cases.models import Episode, EpisodeStatus

OUTCOMES = [
    (
        "gets to school on time every day, and attendance is back above 95%",
        "School attendance has dropped to 88%",
        SupportingFamiliesArea.EDUCATION,
        4,
        9,
    ),
    (
        "Mum feels supported with her low mood and has a plan with her GP",
        "Parental mental health affecting the children's care",
        SupportingFamiliesArea.HEALTH,
        3,
        7,
    ),
    (
        "The family has a calm morning and bedtime routine everyone knows",
        "Routines and boundaries at home",
        SupportingFamiliesArea.FAMILY_RELATIONSHIPS,
        2,
        8,
    ),
]
ACTIONS = [
    ("Make a morning routine chart with the children and put it on the fridge", "lead", 14),
    ("Offer a breakfast club place and check in weekly on attendance", "school", 21),
    ("Book a GP appointment and go with mum if she would like", "lead", 10),
    ("Refer mum to talking therapies (self-referral, with help to fill it in)", "family", 7),
    ("Parenting group: Tuesday mornings at the family hub for six weeks", "hub", 42),
]

# (days ago agreed, reviews as (days ago held, RAG, score), new version after the last review)
SCENARIOS = [
    (20, [], False),  # agreed recently, first review in three weeks
    (50, [(8, Rag.AMBER, 6)], False),  # reviewed on time
    (38, [], False),  # first review due in four days
    (60, [], False),  # overdue, never reviewed
    (100, [(52, Rag.RED, 3)], False),  # reviewed late, and overdue again
    (47, [(3, Rag.GREEN, 8)], True),  # reviewed, the plan being changed
]


def seed_plans(*, stdout=None) -> int:
    """Create the demo plans not there yet; returns how many episodes got one."""
    made = 0
    with transaction.atomic():
        for turn, episode in enumerate(_episodes()):
            agreed_days_ago, held, new_version = SCENARIOS[turn % len(SCENARIOS)]
            if _plan(episode, agreed_days_ago, held, new_version):
                made += 1
    if stdout is not None and made:
        overdue = sum(1 for plan in Plan.objects.filter(status="agreed") if plan.is_review_overdue)
        stdout.write(
            f"Demo TAF plans: {made} new; {Plan.objects.count()} plan versions, "
            f"{overdue} with a review overdue"
        )
    return made


def _episodes():
    return list(
        Episode.objects.filter(
            status=EpisodeStatus.PLAN_IN_PLACE,
            lead_professional__isnull=False,
            assessments__status=AssessmentStatus.APPROVED,
            plans__isnull=True,
        )
        .select_related("family", "lead_professional", "level")
        .distinct()
        .order_by("pk")
    )


def _agency(agency_type):
    return Agency.objects.filter(agency_type=agency_type).order_by("pk").first()


def _plan(episode, agreed_days_ago, held, new_version):
    lead = episode.lead_professional
    today = timezone.localdate()
    agreed_on = today - datetime.timedelta(days=agreed_days_ago)
    members = [
        m.person
        for m in episode.family.memberships.filter(left_on__isnull=True).select_related("person")
        if not m.person.is_merged
    ]
    children = [person for person in members if person.record_type != "adult"]
    # Mothers first: the second outcome is about mum.
    adults = sorted(
        (person for person in members if person.record_type == "adult"),
        key=lambda person: person.sex != "female",
    )
    if not children:
        return False
    plan = plans.plan_create(by=lead, episode=episode)
    # Back-dated, as if written with the family in the week before it was agreed.
    Plan.objects.filter(pk=plan.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=agreed_days_ago + 7)
    )
    plan.refresh_from_db()
    plan = plans.plan_update(
        by=lead,
        plan=plan,
        expected_revision=plan.revision,
        worries=plan.worries or "Mornings are chaotic and the children often miss school.",
        working_well=plan.working_well or "Dad collects the children from school every day.",
        family_words='"We want the mornings to be calmer and for the kids to enjoy school."',
        contingency="If attendance has not improved by the next review, the TAF meets within "
        "two weeks and the lead professional talks to the locality manager about what else "
        "could help.",
    )
    outcomes = []
    # For whom: the first child; mum (or the children, if no adult is recorded); everyone.
    for_whom = [children[:1], adults[:1] or children, children + adults[:1]]
    for number, (description, need, area, baseline, target) in enumerate(OUTCOMES):
        people = for_whom[number]
        if number == 0:
            description = f"{people[0].known_as or people[0].given_name} {description}"
        outcomes.append(
            plans.plan_outcome_add(
                by=lead,
                plan=plan,
                description=description,
                people=people,
                need=need,
                area=area,
                baseline=baseline,
                target=target,
            )
        )
    school = _agency(AgencyType.SCHOOL)
    hub = _agency(AgencyType.VOLUNTARY_SECTOR) or _agency(AgencyType.COUNCIL_EARLY_HELP)
    for number, (description, who, days) in enumerate(ACTIONS):
        owner = {"owner_user": lead}
        if who == "school" and school:
            owner = {"owner_agency": school, "owner_name": "Attendance officer"}
        elif who == "hub" and hub:
            owner = {"owner_agency": hub}
        elif who == "family":
            owner = {"owner_name": "Mum, with the lead professional's help"}
        plans.plan_action_add(
            by=lead,
            plan=plan,
            outcome=outcomes[number % len(outcomes)],
            description=description,
            due_on=agreed_on + datetime.timedelta(days=days),
            **owner,
        )
    plan = plans.plan_agree(by=lead, plan=plan, agreed_on=agreed_on)
    for number, action in enumerate(plan.actions.all()):
        if action.due_on < today:
            plans.plan_action_set_status(
                by=lead,
                action=action,
                status=ActionStatus.DONE if number % 3 else ActionStatus.IN_PROGRESS,
            )
    for days_ago, rag, score in held:
        reviews.review_record(
            by=lead,
            plan=plan,
            held_on=today - datetime.timedelta(days=days_ago),
            attendees=list(episode.taf_members.filter(ended_on__isnull=True)),
            other_attendees="Mum\nDad",
            summary="The routine chart is up and mornings are better most days.",
            child_views='"I like getting a sticker when I\'m ready on time."',
            family_views='"It\'s still hard on bad days, but we feel listened to."',
            progress=[
                reviews.Progress(outcome=str(outcome.uuid), rag=rag, score=score)
                for outcome in plan.outcomes.all()
            ],
            decision="continue",
            new_plan_version=new_version,
        )
        plan.refresh_from_db()
    return True
