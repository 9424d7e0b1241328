"""TAF reviews where practitioners and managers look for due work: "My cases" shows the
next review with its RAG status, and caseloads count and list the overdue reviews, at a
fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Plan, PlanStatus
from cases.models import EpisodeStatus
from tests.assessments.plan_helpers import built_agreed_plan
from tests.cases.episode_helpers import make_locality
from tests.factories import AllocatedEpisodeFactory, led_in

pytestmark = pytest.mark.django_db


def _review_due(plan, days_from_today):
    day = timezone.localdate() + datetime.timedelta(days=days_from_today)
    Plan.objects.filter(pk=plan.pk).update(next_review_on=day)
    return day


def test_my_cases_shows_the_next_review_and_whether_it_is_overdue(client, north):
    on_time = built_agreed_plan(north)
    due_on = _review_due(on_time, 20)
    overdue = built_agreed_plan(north)
    late_on = _review_due(overdue, -3)
    client.force_login(north.worker)
    response = client.get(reverse("episodes:my-cases"))
    rows = {episode.pk: due for episode, due in response.context["rows"]}
    assert rows[on_time.episode_id].label == "TAF review"
    assert rows[on_time.episode_id].due_at.date() == due_on
    assert not rows[on_time.episode_id].is_overdue
    assert rows[overdue.episode_id].due_at.date() == late_on
    assert rows[overdue.episode_id].is_overdue
    page = response.content.decode()
    assert f"TAF review by {late_on:%-d %b %Y}" in page


def test_caseloads_count_and_list_the_overdue_reviews(client, north):
    overdue = built_agreed_plan(north)
    _review_due(overdue, -1)
    due_today = built_agreed_plan(north)
    _review_due(due_today, 0)
    elsewhere = built_agreed_plan(make_locality("South"))
    _review_due(elsewhere, -10)
    client.force_login(north.manager)
    response = client.get(reverse("episodes:caseloads"))
    data = response.context["data"]
    assert data.reviews_overdue_count == 1
    assert [episode.pk for episode in data.reviews_overdue] == [overdue.episode_id]
    assert {(row["lead_professional"], row["reviews_overdue"]) for row in data.practitioners} == {
        (north.worker.pk, 1)
    }
    assert "1 with the TAF review overdue" in response.content.decode()


def test_a_superseded_plan_does_not_count(client, north):
    from assessments.plans import services as plans

    plan = built_agreed_plan(north)
    _review_due(plan, -2)
    new = plans.plan_new_version(by=north.worker, plan=plan)
    plans.plan_agree(by=north.worker, plan=new)
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SUPERSEDED
    client.force_login(north.manager)
    data = client.get(reverse("episodes:caseloads")).context["data"]
    # The new version keeps the overdue date: one episode, counted once.
    assert data.reviews_overdue_count == 1
    assert [episode.pk for episode in data.reviews_overdue] == [plan.episode_id]


def _plans_in_place(place, size):
    """`size` episodes with an agreed plan each, every other one overdue: made in bulk."""
    today = timezone.localdate()
    episodes = [
        AllocatedEpisodeFactory(status=EpisodeStatus.PLAN_IN_PLACE, **led_in(place))
        for _ in range(size)
    ]
    Plan.objects.bulk_create(
        Plan(
            episode=episode,
            status=PlanStatus.AGREED,
            agreed_on=today - datetime.timedelta(days=50),
            next_review_on=today + datetime.timedelta(days=-1 if number % 2 else 5),
        )
        for number, episode in enumerate(episodes)
    )


@pytest.mark.parametrize("size", [2, 50])
def test_the_lists_stay_at_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, north, size
):
    _plans_in_place(north, size)
    client.force_login(north.manager)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("episodes:caseloads"))
    assert response.context["data"].reviews_overdue_count == size // 2
    assert len(response.context["review_rows"]) == size // 2
    client.force_login(north.worker)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("episodes:my-cases"))
    rows = response.context["rows"]
    assert len(rows) == size
    assert sum(1 for _, due in rows if due.is_overdue) == size // 2
