"""The TAF plan and review pages: the flow from the episode page to an agreed plan and its
reviews, errors that keep what was typed, the stale-save warning, draft-only pages on an
agreed plan, who may see and change, audit events and query counts."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from assessments.models import (
    ActionStatus,
    FamilyPlanDocument,
    Plan,
    PlanAction,
    PlanOutcome,
    PlanStatus,
    Review,
    ReviewDecision,
    ReviewProgress,
)
from assessments.plans import services as plan_services
from assessments.reviews import services as review_services
from audit.models import AuditAction, AuditEvent
from cases.models import EpisodeStatus, TafMember
from tests.assessments.plan_helpers import (
    agreed_plan,
    approved_assessment,
    draft_plan,
    family_of_three,
)
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.conftest import client_for
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def place():
    return make_locality("North")


@pytest.fixture
def outsider(db):
    return UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])


def url(name, *args):
    return reverse(f"plans:{name}", args=args)


def date_parts(name, value):
    return {f"{name}_day": value.day, f"{name}_month": value.month, f"{name}_year": value.year}


def outcome_post(person, **overrides):
    data = {
        "description": "Mia sleeps through the night",
        "people": [person.pk],
        "need": "Sleep and routines",
        "area": "health",
        "baseline": "2",
        "target": "7",
    }
    return {**data, **overrides}


def review_post(plan, *, decision="continue", **overrides):
    data = {
        **date_parts("held_on", timezone.localdate()),
        "other_attendees": "Grace (mum)",
        "summary": "Mornings are calmer.",
        "child_views": "Mia says school is better.",
        "family_views": "Grace feels listened to.",
        "decision": decision,
    }
    for outcome in plan.outcomes.all():
        data[f"progress-{outcome.uuid}-rag"] = "green"
        data[f"progress-{outcome.uuid}-score"] = "7"
        data[f"progress-{outcome.uuid}-comment"] = "Good progress"
    return {**data, **overrides}


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# The flow


def test_the_plan_from_start_to_review(client, place):
    family = family_of_three()
    episode = allocated_episode(place, family=family)
    approved_assessment(place, episode)
    client = client_for(client, place.worker)
    page = client.get(reverse("episodes:detail", args=[episode.uuid])).content.decode()
    assert "Start the plan" in page
    assert url("start", episode.uuid) in page

    response = client.post(url("start", episode.uuid))
    plan = Plan.objects.get(episode=episode)
    assert response.status_code == 302
    assert response.url == url("detail", plan.uuid)
    assert plan.status == PlanStatus.DRAFT
    page = client.get(response.url).content.decode()
    assert "Team Around the Family plan" in page
    assert "Agree the plan" in page

    response = client.post(
        url("edit", plan.uuid),
        {
            "worries": "Mornings are chaotic.",
            "working_well": "Dad collects the children.",
            "family_words": "We want calmer mornings.",
            "contingency": "We meet again sooner.",
            "revision": plan.revision,
        },
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.family_words == "We want calmer mornings."

    mia = family.members.get(given_name="Mia")
    response = client.post(url("outcome-add", plan.uuid), outcome_post(mia))
    assert response.status_code == 302, response.content.decode()
    outcome = plan.outcomes.get()
    assert (outcome.baseline, outcome.target, outcome.area) == (2, 7, "health")
    assert list(outcome.people.all()) == [mia]

    due = timezone.localdate() + datetime.timedelta(days=10)
    response = client.post(
        url("action-add", plan.uuid),
        {
            "description": "Bedtime routine chart",
            "outcome": outcome.pk,
            "owner_kind": "user",
            "owner_user": place.worker.pk,
            "owner_name": "ignored for a person",
            **date_parts("due_on", due),
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = plan.actions.get()
    assert (action.owner_user, action.owner_name, action.due_on) == (place.worker, "", due)

    response = client.post(url("agree", plan.uuid), {})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.AGREED
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.PLAN_IN_PLACE
    episode_page = client.get(reverse("episodes:detail", args=[episode.uuid])).content.decode()
    assert "View the plan" in episode_page
    assert "Start the plan" not in episode_page

    response = client.post(
        url("action-status", plan.uuid, action.uuid), {f"status-{action.uuid}-status": "done"}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert action.status_changed_by == place.worker

    response = client.post(
        url("review-record", plan.uuid), review_post(plan, new_plan_version="on"), follow=True
    )
    review = Review.objects.get(plan=plan)
    assert response.redirect_chain[-1][0] == url("review-detail", review.uuid)
    assert review.decision == ReviewDecision.CONTINUE
    assert review.progress.get().score == 7
    assert "A new version of the plan has been started" in " ".join(messages_of(response))
    new = Plan.objects.get(episode=episode, status=PlanStatus.DRAFT)
    assert (new.version, new.from_review) == (2, review)
    assert url("detail", new.uuid) in response.content.decode()


def test_a_review_that_asks_to_close(client, place):
    plan = agreed_plan(place)
    client = client_for(client, place.worker)
    response = client.post(
        url("review-record", plan.uuid),
        review_post(
            plan,
            decision="close",
            closure_reason="outcomes_achieved",
            closure_summary="Mia is at school every day.",
            outcomes_achieved="yes",
        ),
        follow=True,
    )
    assert response.status_code == 200
    assert "The closure goes to a manager to approve" in " ".join(messages_of(response))
    plan.episode.refresh_from_db()
    assert plan.episode.status == EpisodeStatus.CLOSING
    assert plan.episode.closure_reason == "outcomes_achieved"
    assert plan.episode.closure_summary == "Mia is at school every day."


def test_a_review_that_asks_for_a_step_up(client, place):
    plan = agreed_plan(place)
    from cases.transitions.selectors import statutory_levels

    level = statutory_levels().first()
    client = client_for(client, place.worker)
    response = client.post(
        url("review-record", plan.uuid),
        review_post(
            plan,
            decision="step_up",
            to_level=level.pk,
            receiving_team=place.social_care_team.pk,
            decision_reason="Neglect has got worse.",
        ),
    )
    assert response.status_code == 302, response.content.decode()
    review = Review.objects.get(plan=plan)
    assert review.transition is not None
    assert review.transition.receiving_team == place.social_care_team


# Errors keep what was typed


def test_outcome_error_keeps_what_was_typed(client, place):
    plan = draft_plan(place, outcomes=0)
    mia = plan.episode.family.members.get(given_name="Mia")
    data = outcome_post(mia, description="Mia reads every evening")
    del data["baseline"]
    response = client_for(client, place.worker).post(url("outcome-add", plan.uuid), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter where things are now as a whole number from 0 to 10" in page
    assert "Mia reads every evening" in page
    assert not plan.outcomes.exists()


def test_review_error_keeps_what_was_typed(client, place):
    plan = agreed_plan(place, outcomes=2)
    outcome = plan.outcomes.first()
    data = review_post(plan, child_views="", summary="Mornings are much calmer now")
    del data[f"progress-{outcome.uuid}-rag"]
    response = client_for(client, place.worker).post(url("review-record", plan.uuid), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter the child&#x27;s views, or why they could not be gathered" in page
    assert "choose red, amber or green" in page
    assert f'href="#id_progress-{outcome.uuid}-rag_0"' in page
    assert "Mornings are much calmer now" in page
    assert re.search(r'<input[^>]*name="decision"[^>]*value="continue"[^>]*checked', page)
    assert not Review.objects.exists()


def test_service_errors_on_progress_go_on_the_outcome(client, place):
    plan = agreed_plan(place)
    data = review_post(plan, decision="close", closure_summary="Done")
    response = client_for(client, place.worker).post(url("review-record", plan.uuid), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose why the episode is closing" in page
    assert "Choose whether the outcomes were achieved" in page
    assert not Review.objects.exists()


def test_a_stale_save_shows_their_words_and_keeps_yours(client, place):
    plan = draft_plan(place)
    opened_at = plan.revision
    plan_services.plan_update(
        by=place.manager,
        plan=plan,
        expected_revision=plan.revision,
        worries="The manager's worries",
        working_well="",
        family_words="",
        contingency="",
    )
    response = client_for(client, place.worker).post(
        url("edit", plan.uuid),
        {
            "worries": "My worries",
            "working_well": "",
            "family_words": "",
            "contingency": "",
            "revision": opened_at,
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "since you opened it" in page
    assert "My worries" in page
    assert "The manager&#x27;s worries" in page
    plan.refresh_from_db()
    assert plan.worries == "The manager's worries"
    assert f'name="revision" value="{plan.revision}"' in page


def test_agreeing_an_unfinished_plan_shows_why(client, place):
    plan = draft_plan(place, outcomes=0)
    response = client_for(client, place.worker).post(url("agree", plan.uuid), {})
    assert response.status_code == 200
    assert "Add at least one outcome before agreeing the plan" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.parametrize(
    "name,method",
    [
        ("edit", "get"),
        ("edit", "post"),
        ("outcome-add", "get"),
        ("outcome-change", "get"),
        ("outcome-remove", "post"),
        ("action-add", "post"),
        ("action-change", "get"),
        ("action-remove", "post"),
    ],
)
def test_draft_pages_refuse_an_agreed_plan(client, place, name, method):
    plan = agreed_plan(place)
    args = [plan.uuid]
    if name.startswith("outcome-") and name != "outcome-add":
        args.append(plan.outcomes.get().uuid)
    if name.startswith("action-") and name != "action-add":
        args.append(plan.actions.get().uuid)
    response = getattr(client_for(client, place.worker), method)(url(name, *args), follow=True)
    assert response.status_code == 200
    assert "The plan is agreed: start a new version to change it" in messages_of(response)
    assert plan.outcomes.count() == 1 and plan.actions.count() == 1


def test_a_review_of_a_draft_is_refused(client, place):
    plan = draft_plan(place)
    response = client_for(client, place.worker).get(url("review-record", plan.uuid), follow=True)
    assert "Reviews are of the plan in force: agree the plan first" in messages_of(response)


def test_new_version_from_the_plan_page(client, place):
    plan = agreed_plan(place)
    client = client_for(client, place.worker)
    response = client.post(url("new-version", plan.uuid))
    new = Plan.objects.get(episode=plan.episode, status=PlanStatus.DRAFT)
    assert response.url == url("detail", new.uuid)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert "A new version is being written" in page
    assert "Start a new version" not in page


def test_the_family_plan_section(client, place):
    plan = agreed_plan(place)
    ready = FamilyPlanDocument.objects.create(
        plan=plan, requested_by=place.worker, status="ready", file="family-plans/x.pdf"
    )
    page = client_for(client, place.worker).get(url("detail", plan.uuid)).content.decode()
    assert reverse("assessments:family-plan-request", args=[plan.uuid]) in page
    assert reverse("assessments:family-plan-download", args=[ready.uuid]) in page
    assert ready.filename in page


# Who may see and change


def _every_page(plan, review):
    outcome, action = plan.outcomes.first(), plan.actions.first()
    return [
        ("get", url("detail", plan.uuid)),
        ("get", url("edit", plan.uuid)),
        ("post", url("edit", plan.uuid)),
        ("get", url("outcome-add", plan.uuid)),
        ("get", url("outcome-change", plan.uuid, outcome.uuid)),
        ("post", url("outcome-remove", plan.uuid, outcome.uuid)),
        ("get", url("action-add", plan.uuid)),
        ("get", url("action-change", plan.uuid, action.uuid)),
        ("post", url("action-remove", plan.uuid, action.uuid)),
        ("post", url("action-status", plan.uuid, action.uuid)),
        ("post", url("agree", plan.uuid)),
        ("post", url("new-version", plan.uuid)),
        ("get", url("review-record", plan.uuid)),
        ("post", url("review-record", plan.uuid)),
        ("get", url("review-detail", review.uuid)),
        ("post", url("start", plan.episode.uuid)),
    ]


def _reviewed(place):
    plan = agreed_plan(place)
    review = review_services.review_record(
        by=place.worker,
        plan=plan,
        held_on=timezone.localdate(),
        child_views="Fine",
        family_views="Fine",
        progress=[
            review_services.Progress(outcome=str(o.uuid), rag="amber", score=5)
            for o in plan.outcomes.all()
        ],
        decision=ReviewDecision.CONTINUE,
    )
    return plan, review


def test_an_outsider_gets_404_everywhere(client, place, outsider):
    plan, review = _reviewed(place)
    client = client_for(client, outsider)
    for method, address in _every_page(plan, review):
        response = getattr(client, method)(address)
        assert response.status_code == 404, (method, address)


def test_a_colleague_sees_the_plan_read_only(client, place):
    plan = draft_plan(place)
    client = client_for(client, place.colleague)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert "Mia gets to school on time" in page
    assert "Agree the plan" not in page
    assert url("edit", plan.uuid) not in page
    assert "Add an outcome" not in page
    assert client.get(url("edit", plan.uuid)).status_code == 403
    assert client.post(url("agree", plan.uuid)).status_code == 403
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_an_action_owner_in_another_agency_sets_its_status(client, place):
    plan = draft_plan(place)
    agency = AgencyFactory()
    partner = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=agency, teams=[TeamFactory()])
    TafMember.objects.create(episode=plan.episode, agency=agency, role="School nurse")
    action = plan.actions.get()
    PlanAction.objects.filter(pk=action.pk).update(owner_user=None, owner_agency=agency)
    plan = plan_services.plan_agree(by=place.worker, plan=plan)
    client = client_for(client, partner)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert url("action-status", plan.uuid, action.uuid) in page
    assert "Record a review" not in page
    client.post(
        url("action-status", plan.uuid, action.uuid),
        {f"status-{action.uuid}-status": "in_progress"},
    )
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_views_are_audited(client, place):
    plan, review = _reviewed(place)
    client = client_for(client, place.worker)
    client.get(url("detail", plan.uuid))
    client.get(url("review-detail", review.uuid))
    client.get(url("review-record", plan.uuid))
    views = AuditEvent.objects.filter(actor=place.worker, action=AuditAction.VIEW)
    plan_views = views.filter(object_type="assessments.plan", object_id=str(plan.pk))
    assert plan_views.count() == 2
    assert views.filter(object_type="assessments.review", object_id=str(review.pk)).count() == 1


# Query counts


def _with_size(place, size):
    plan = agreed_plan(place, outcomes=2)
    outcome = plan.outcomes.first()
    people = list(outcome.people.all())
    extra = PlanOutcome.objects.bulk_create(
        PlanOutcome(
            plan=plan,
            position=10 + n,
            description=f"Outcome {n}",
            need="Need",
            area="education",
            baseline=2,
            target=8,
        )
        for n in range(size - 2)
    )
    PlanOutcome.people.through.objects.bulk_create(
        PlanOutcome.people.through(planoutcome_id=o.pk, person_id=people[0].pk) for o in extra
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            plan=plan,
            outcome=o,
            position=10 + n,
            description=f"Action {n}",
            owner_agency=AgencyFactory(),
            owner_name="Ms Jones",
            due_on=timezone.localdate() - datetime.timedelta(days=1),
        )
        for n, o in enumerate(extra)
    )
    school = AgencyFactory()
    TafMember.objects.bulk_create(
        TafMember(episode=plan.episode, agency=school, contact_name=f"C {n}", role="R")
        for n in range(size)
    )
    return plan


def _reviews(plan, place, count):
    reviews = Review.objects.bulk_create(
        Review(
            episode=plan.episode,
            plan=plan,
            held_on=timezone.localdate() - datetime.timedelta(days=count - n),
            due_on=timezone.localdate(),
            child_views="v",
            family_views="v",
            decision="continue",
            next_review_on=timezone.localdate() + datetime.timedelta(days=30),
        )
        for n in range(count)
    )
    return reviews


@pytest.mark.parametrize("size", [2, 50])
def test_plan_page_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    _reviews(plan, place, size)
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(18):
        response = client.get(url("detail", plan.uuid))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="govuk-summary-card__title"') == size
    assert page.count(f"/plans/{plan.uuid}/actions/") == size  # a status form per action
    assert len(response.context["reviews"]) == size


@pytest.mark.parametrize("size", [2, 50])
def test_review_page_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    review = _reviews(plan, place, 1)[0]
    ReviewProgress.objects.bulk_create(
        ReviewProgress(review=review, outcome=o, rag="amber", score=5) for o in plan.outcomes.all()
    )
    review.attendees.set(plan.episode.taf_members.all())
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(13):
        response = client.get(url("review-detail", review.uuid))
    assert response.status_code == 200
    assert len(response.context["rows"]) == size
    assert response.content.decode().count("Amber: some progress") == size


@pytest.mark.parametrize("size", [2, 50])
def test_review_form_query_count(client, django_assert_max_num_queries, place, size):
    plan = _with_size(place, size)
    client = client_for(client, place.worker)
    with django_assert_max_num_queries(14):
        response = client.get(url("review-record", plan.uuid))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('value="amber"') == size
    assert page.count("C 1") >= 1


@pytest.mark.parametrize("size", [2, 50])
def test_draft_form_pages_query_count(client, django_assert_max_num_queries, place, size):
    # A new version of a plan with `size` outcomes and actions: the action form lists the
    # outcomes to choose from, the outcome form the household.
    draft = plan_services.plan_new_version(by=place.worker, plan=_with_size(place, size))
    client = client_for(client, place.worker)
    for name in ("edit", "outcome-add", "action-add"):
        with django_assert_max_num_queries(13):
            response = client.get(url(name, draft.uuid))
        assert response.status_code == 200, name
    assert response.content.decode().count("Outcome ") >= size - 2
