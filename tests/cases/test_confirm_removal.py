"""Issue 13, finding 5: a confirmation step before anything is removed or ended. The detail
pages link to a GET page that asks "Are you sure…?" with a GOV.UK warning button and a
cancel link; only the POST from that page removes. Each page at a fixed number of queries."""

import pytest
from django.urls import reverse

from accounts.models import User
from assessments.models import PlanAction, PlanOutcome
from audit.models import AuditEvent
from cases.episodes import services as episodes
from cases.models import Relationship, TafMember
from tests.assessments.plan_helpers import draft_plan
from tests.cases.episode_helpers import allocated_episode, make_locality
from tests.factories import AgencyFactory, FamilyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def fresh(user):
    return User.objects.get(pk=user.pk)


def assert_confirmation_page(response, question, cancel_url):
    assert response.status_code == 200
    html = response.content.decode()
    assert question in html
    assert '<form method="post"' in html
    assert "govuk-button govuk-button--warning" in html
    assert f'<a class="govuk-link" href="{cancel_url}">Cancel</a>' in html
    return html


def _family_with_relationships(team, count):
    family = FamilyFactory(owning_team=team, name="Hughes family")
    people = [PersonFactory(owning_team=team, families=[family]) for _ in range(count + 1)]
    relationships = [
        Relationship.objects.create(
            family=family, from_person=first, to_person=second, relationship_type="sibling"
        )
        for first, second in zip(people, people[1:], strict=False)
    ]
    return family, relationships


# Relationships


def test_removing_a_relationship_asks_first_and_removes_only_on_post(client, north):
    family, (relationship, *_) = _family_with_relationships(north.team, 1)
    client.force_login(fresh(north.worker))
    remove_url = reverse("cases:relationship-remove", args=[family.uuid, relationship.pk])
    family_url = reverse("cases:family-detail", args=[family.uuid])

    detail = client.get(family_url).content.decode()
    assert f'href="{remove_url}"' in detail
    assert f'action="{remove_url}"' not in detail  # no one-click form

    page = client.get(remove_url)
    html = assert_confirmation_page(
        page, "Are you sure you want to remove this relationship?", family_url
    )
    assert relationship.from_person.full_name in html
    assert Relationship.objects.filter(pk=relationship.pk).exists()
    assert AuditEvent.objects.filter(
        actor=north.worker, action="view", object_id=str(family.pk)
    ).exists()

    response = client.post(remove_url)
    assert response.status_code == 302 and response["Location"] == family_url
    assert not Relationship.objects.filter(pk=relationship.pk).exists()


def test_the_relationship_confirmation_is_404_for_an_outsider_and_for_another_family(client, north):
    family, (relationship, *_) = _family_with_relationships(north.team, 1)
    other, _ = _family_with_relationships(north.team, 1)
    client.force_login(fresh(make_locality("South").worker))
    url = reverse("cases:relationship-remove", args=[family.uuid, relationship.pk])
    assert client.get(url).status_code == 404
    assert "Hughes family" not in client.get(url).content.decode()
    client.force_login(fresh(north.worker))
    wrong = reverse("cases:relationship-remove", args=[other.uuid, relationship.pk])
    assert client.get(wrong).status_code == 404


@pytest.mark.parametrize("size", [2, 50])
def test_relationship_confirmation_query_count(client, django_assert_max_num_queries, north, size):
    family, relationships = _family_with_relationships(north.team, size)
    client.force_login(fresh(north.worker))
    url = reverse("cases:relationship-remove", args=[family.uuid, relationships[-1].pk])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


# TAF members


def _episode_with_taf(north, size):
    episode = allocated_episode(north, family=FamilyFactory(name="Hughes family"))
    school = AgencyFactory(name="Harrowgate Primary")
    members = [
        episodes.taf_member_add(
            by=north.worker, episode=episode, role="DSL", agency=school, contact_name=f"Mrs {n}"
        )
        for n in range(size)
    ]
    return episode, members


def test_removing_a_taf_member_asks_first_and_ends_only_on_post(client, north):
    episode, (member, *_) = _episode_with_taf(north, 1)
    client.force_login(fresh(north.worker))
    end_url = reverse("episodes:taf-end", args=[episode.uuid, member.uuid])
    episode_url = reverse("episodes:detail", args=[episode.uuid])

    detail = client.get(episode_url).content.decode()
    assert f'href="{end_url}"' in detail
    assert f'action="{end_url}"' not in detail

    page = client.get(end_url)
    html = assert_confirmation_page(
        page,
        "Are you sure you want to remove Mrs 0 from the Team Around the Family?",
        episode_url + "#taf",
    )
    assert "Harrowgate Primary" in html
    assert TafMember.objects.get(pk=member.pk).ended_on is None

    response = client.post(end_url)
    assert response.status_code == 302
    assert TafMember.objects.get(pk=member.pk).ended_on is not None


def test_the_taf_confirmation_is_refused_to_those_who_may_not_change_the_taf(client, north):
    episode, (member, *_) = _episode_with_taf(north, 1)
    client.force_login(fresh(north.colleague))
    end_url = reverse("episodes:taf-end", args=[episode.uuid, member.uuid])
    assert client.get(end_url).status_code == 403
    assert client.post(end_url).status_code == 403
    assert TafMember.objects.get(pk=member.pk).ended_on is None


@pytest.mark.parametrize("size", [2, 50])
def test_taf_confirmation_query_count(client, django_assert_max_num_queries, north, size):
    episode, members = _episode_with_taf(north, size)
    client.force_login(fresh(north.worker))
    url = reverse("episodes:taf-end", args=[episode.uuid, members[-1].uuid])
    with django_assert_max_num_queries(18):
        assert client.get(url).status_code == 200


# Plan outcomes and actions


def test_removing_plan_outcomes_and_actions_asks_first(client, north):
    plan = draft_plan(north)
    outcome, action = plan.outcomes.get(), plan.actions.get()
    client.force_login(fresh(north.worker))
    plan_url = reverse("plans:detail", args=[plan.uuid])
    outcome_url = reverse("plans:outcome-remove", args=[plan.uuid, outcome.uuid])
    action_url = reverse("plans:action-remove", args=[plan.uuid, action.uuid])

    detail = client.get(plan_url).content.decode()
    for url in (outcome_url, action_url):
        assert f'href="{url}"' in detail and f'action="{url}"' not in detail

    html = assert_confirmation_page(
        client.get(action_url),
        "Are you sure you want to remove this action?",
        plan_url + "#actions",
    )
    assert action.description in html
    html = assert_confirmation_page(
        client.get(outcome_url),
        "Are you sure you want to remove this outcome?",
        plan_url + "#outcomes",
    )
    assert outcome.description in html
    assert PlanOutcome.objects.filter(pk=outcome.pk).exists()
    assert PlanAction.objects.filter(pk=action.pk).exists()

    assert client.post(action_url).status_code == 302
    assert client.post(outcome_url).status_code == 302
    assert not PlanOutcome.objects.filter(pk=outcome.pk).exists()
    assert not PlanAction.objects.filter(pk=action.pk).exists()


def test_plan_removal_confirmation_is_refused_to_a_colleague(client, north):
    plan = draft_plan(north)
    client.force_login(fresh(north.colleague))
    url = reverse("plans:action-remove", args=[plan.uuid, plan.actions.get().uuid])
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("size", [2, 50])
def test_plan_removal_confirmation_query_count(client, django_assert_max_num_queries, north, size):
    plan = draft_plan(north, outcomes=size, actions_per_outcome=1)
    action = plan.actions.order_by("-position").first()
    client.force_login(fresh(north.worker))
    url = reverse("plans:action-remove", args=[plan.uuid, action.uuid])
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200
