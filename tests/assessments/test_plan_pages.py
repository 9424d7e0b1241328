"""The TAF plan and review pages: the flow from the episode page to a reviewed plan, and
errors that keep what was typed."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    ActionStatus,
    FamilyPlanDocument,
    Plan,
    PlanStatus,
    Review,
    ReviewDecision,
)
from assessments.plans import services as plan_services
from cases.models import EpisodeStatus
from tests.assessments.assessment_helpers import built_assessment
from tests.assessments.plan_helpers import (
    built_agreed_plan,
    built_draft_plan,
    family_of_three,
    url,
)
from tests.conftest import client_for
from tests.form_pages import shown_again_with_errors

pytestmark = pytest.mark.django_db


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
    episode = built_assessment(place, family, approved=True, decided_by=place.manager).episode
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
    plan = built_agreed_plan(place)
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
    plan = built_agreed_plan(place)
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
    plan = built_draft_plan(place, outcomes=0)
    mia = plan.episode.family.members.get(given_name="Mia")
    data = outcome_post(mia, description="Mia reads every evening")
    del data["baseline"]
    response = client_for(client, place.worker).post(url("outcome-add", plan.uuid), data)
    page = shown_again_with_errors(response)
    assert "Enter where things are now as a whole number from 0 to 10" in page
    assert "Mia reads every evening" in page
    assert not plan.outcomes.exists()


def test_review_error_keeps_what_was_typed(client, place):
    plan = built_agreed_plan(place, outcomes=2)
    outcome = plan.outcomes.first()
    data = review_post(plan, child_views="", summary="Mornings are much calmer now")
    del data[f"progress-{outcome.uuid}-rag"]
    response = client_for(client, place.worker).post(url("review-record", plan.uuid), data)
    page = shown_again_with_errors(response)
    assert "Enter the child&#x27;s views, or why they could not be gathered" in page
    assert "choose red, amber or green" in page
    assert f'href="#id_progress-{outcome.uuid}-rag_0"' in page
    assert "Mornings are much calmer now" in page
    assert re.search(r'<input[^>]*name="decision"[^>]*value="continue"[^>]*checked', page)
    assert not Review.objects.exists()


def test_service_errors_on_progress_go_on_the_outcome(client, place):
    plan = built_agreed_plan(place)
    data = review_post(plan, decision="close", closure_summary="Done")
    response = client_for(client, place.worker).post(url("review-record", plan.uuid), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose why the episode is closing" in page
    assert "Choose whether the outcomes were achieved" in page
    assert not Review.objects.exists()


def test_a_stale_save_shows_their_words_and_keeps_yours(client, place):
    plan = built_draft_plan(place)
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
    plan = built_draft_plan(place, outcomes=0)
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
    plan = built_agreed_plan(place)
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
    plan = built_draft_plan(place)
    response = client_for(client, place.worker).get(url("review-record", plan.uuid), follow=True)
    assert "Reviews are of the plan in force: agree the plan first" in messages_of(response)


def test_new_version_from_the_plan_page(client, place):
    plan = built_agreed_plan(place)
    client = client_for(client, place.worker)
    response = client.post(url("new-version", plan.uuid))
    new = Plan.objects.get(episode=plan.episode, status=PlanStatus.DRAFT)
    assert response.url == url("detail", new.uuid)
    page = client.get(url("detail", plan.uuid)).content.decode()
    assert "A new version is being written" in page
    assert "Start a new version" not in page


def test_the_family_plan_section(client, place):
    plan = built_agreed_plan(place)
    ready = FamilyPlanDocument.objects.create(
        plan=plan, requested_by=place.worker, status="ready", file="family-plans/x.pdf"
    )
    page = client_for(client, place.worker).get(url("detail", plan.uuid)).content.decode()
    assert reverse("assessments:family-plan-request", args=[plan.uuid]) in page
    assert reverse("assessments:family-plan-download", args=[ready.uuid]) in page
    assert ready.filename in page
