"""The episode page and its actions, "My cases", caseloads and the family's level history."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import AgencyType, Role
from audit.models import AuditEvent
from cases.episodes import selectors as episode_selectors
from cases.episodes import services as episodes
from cases.models import Episode, EpisodeStatus, EpisodeStatusChange, TafMember
from earlyhelp import working_days
from tests.cases.episode_helpers import allocated_episode, level, make_locality, new_episode
from tests.factories import AgencyFactory, FamilyFactory, UserFactory
from thresholds.models import LevelChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(db):
    return make_locality()


def url(name, episode, *args):
    return reverse(f"episodes:{name}", args=[episode.uuid, *args])


def page_of(client, user, episode):
    client.force_login(user)
    response = client.get(url("detail", episode))
    assert response.status_code == 200
    return response.content.decode()


def post(client, user, name, episode, data=None, *args):
    client.force_login(user)
    return client.post(url(name, episode, *args), data or {})


def refresh(episode):
    return Episode.objects.get(pk=episode.pk)


# The episode page


def test_episode_page_shows_the_episode_and_is_audited(client, place):
    episode = allocated_episode(place)
    page = page_of(client, place.worker, episode)
    assert episode.family.name in page
    assert place.worker.get_full_name() in page
    assert "Assessment due" in page and "On time" in page
    assert "Status history" in page and "Awaiting allocation to allocated" in page
    assert "Ask to close the episode" in page  # the lead professional may ask
    assert "Allocate a lead professional" not in page  # a manager's action
    assert AuditEvent.objects.filter(
        actor=place.worker, action="view", object_type="cases.episode", object_id=str(episode.pk)
    ).exists()


def test_an_unrelated_user_gets_404(client, place, outsider):
    episode = allocated_episode(place)
    client.force_login(outsider)
    assert client.get(url("detail", episode)).status_code == 404
    assert post(client, outsider, "start-assessment", episode).status_code == 404


def test_overdue_assessment_and_flag_are_shown(client, place):
    episode = allocated_episode(place)
    Episode.objects.filter(pk=episode.pk).update(
        allocated_at=timezone.now() - datetime.timedelta(days=60)
    )
    episodes.episode_flag(by=place.worker, episode=episode, reason="Stuck: no engagement")
    page = page_of(client, place.worker, episode)
    assert "Overdue" in page
    assert "Flagged for discussion at the next allocation meeting" in page
    assert "Stuck: no engagement" in page


# Actions


def test_manager_allocates_and_a_practitioner_may_not(client, place):
    # The family is the team's, so the practitioner may read the episode but not allocate.
    episode = new_episode(place, family=FamilyFactory(owning_team=place.team))
    page = page_of(client, place.manager, episode)
    assert "Allocate a lead professional" in page
    data = {"allocate-lead_professional": place.worker.pk, "allocate-team": place.team.pk}
    assert post(client, place.worker, "allocate", episode, data).status_code == 403
    response = post(client, place.manager, "allocate", episode, data)
    assert response.status_code == 302
    episode = refresh(episode)
    assert (episode.status, episode.lead_professional) == ("allocated", place.worker)


def test_allocate_without_a_lead_professional_shows_the_error(client, place):
    episode = new_episode(place)
    response = post(client, place.manager, "allocate", episode, {"allocate-team": place.team.pk})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "Choose the lead professional" in page
    assert "<title>Error: " in page
    assert refresh(episode).status == "awaiting_allocation"


def test_reallocate_needs_a_reason(client, place):
    episode = allocated_episode(place)
    data = {"reallocate-lead_professional": place.colleague.pk, "reallocate-team": place.team.pk}
    response = post(client, place.manager, "reallocate", episode, data)
    assert "Enter why the lead professional is changing" in response.content.decode()
    response = post(
        client, place.manager, "reallocate", episode, {**data, "reallocate-reason": "Leave"}
    )
    assert response.status_code == 302
    assert refresh(episode).lead_professional == place.colleague
    assert post(client, place.worker, "reallocate", episode, data).status_code == 403


def test_start_assessment_and_no_shortcut_to_a_plan_in_place(client, place):
    episode = allocated_episode(place)
    # A colleague in the team may read the episode but does not lead it.
    assert post(client, place.colleague, "start-assessment", episode).status_code == 403
    assert post(client, place.worker, "start-assessment", episode).status_code == 302
    assert refresh(episode).status == "assessing"
    # A plan is in place when the TAF plan is agreed on the plan page, not by a button here.
    assert "Plan agreed" not in page_of(client, place.worker, episode)


def test_flag_for_discussion(client, place):
    episode = allocated_episode(place)
    response = post(client, place.worker, "flag", episode, {"flag-reason": ""})
    assert "Enter why the episode needs discussing" in response.content.decode()
    response = post(client, place.worker, "flag", episode, {"flag-reason": "No progress"})
    assert response.status_code == 302
    assert refresh(episode).flagged_for_discussion


def test_manager_changes_the_level(client, place):
    episode = allocated_episode(place)
    data = {"change-level-level": level(2).pk, "change-level-reason": "Needs have reduced"}
    assert post(client, place.worker, "change-level", episode, data).status_code == 403
    statutory = {**data, "change-level-level": level(4).pk}
    response = post(client, place.manager, "change-level", episode, statutory)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert post(client, place.manager, "change-level", episode, data).status_code == 302
    assert refresh(episode).level == level(2)
    assert LevelChange.objects.filter(episode=episode, to_level=level(2)).exists()


def test_taf_members_are_added_and_ended(client, place):
    episode = allocated_episode(place)
    school = AgencyFactory(name="Brackenford Primary", agency_type=AgencyType.SCHOOL)
    response = post(client, place.worker, "taf-add", episode, {"taf-add-role": "Teacher"})
    assert "Choose someone who uses this service, or an agency" in response.content.decode()
    response = post(
        client,
        place.worker,
        "taf-add",
        episode,
        {"taf-add-agency": school.pk, "taf-add-role": "Family support worker"},
    )
    assert "Enter the name of the contact at the agency" in response.content.decode()
    response = post(
        client,
        place.worker,
        "taf-add",
        episode,
        {
            "taf-add-agency": school.pk,
            "taf-add-contact_name": "Ms Patel",
            "taf-add-contact_email": "patel@school.example",
            "taf-add-role": "Family support worker",
        },
    )
    assert response.status_code == 302
    response = post(
        client,
        place.worker,
        "taf-add",
        episode,
        {"taf-add-user": place.colleague.pk, "taf-add-role": "Parenting support"},
    )
    assert response.status_code == 302
    members = list(episode.taf_members.order_by("id"))
    assert [(m.name, m.agency) for m in members] == [
        ("Ms Patel", school),
        (place.colleague.get_full_name(), place.colleague.agency),
    ]
    page = page_of(client, place.worker, episode)
    assert "Ms Patel" in page and "from the TAF</span>" in page
    assert (
        post(client, place.colleague, "taf-end", episode, None, members[0].uuid).status_code == 403
    )
    response = post(client, place.worker, "taf-end", episode, None, members[0].uuid)
    assert response.status_code == 302
    assert TafMember.objects.get(pk=members[0].pk).ended_on == timezone.localdate()
    # Ended today: ending again is refused with a message.
    response = post(client, place.worker, "taf-end", episode, None, members[0].uuid)
    assert "has already left the TAF" in response.content.decode()


def test_a_taf_agency_user_sees_the_family_and_episode(client, place):
    episode = allocated_episode(place)
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    teacher = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school)
    stranger = UserFactory(
        roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory(agency_type=AgencyType.SCHOOL)
    )
    family_url = reverse("cases:family-detail", args=[episode.family.uuid])
    client.force_login(teacher)
    assert client.get(family_url).status_code == 404
    episodes.taf_member_add(
        by=place.worker, episode=episode, role="Teacher", agency=school, contact_name="Mr Lee"
    )
    assert client.get(family_url).status_code == 200
    page = page_of(client, teacher, episode)
    assert "Mr Lee" in page and "from the TAF</span>" not in page
    client.force_login(stranger)
    assert client.get(family_url).status_code == 404
    assert client.get(url("detail", episode)).status_code == 404


def test_closure_asked_for_declined_approved_and_reopened(client, place):
    episode = allocated_episode(place)
    response = post(client, place.worker, "request-closure", episode, {})
    page = response.content.decode()
    assert "Choose why the episode is closing" in page
    assert "Choose whether the outcomes were achieved" in page
    closing = {
        "request-closure-closure_reason": "outcomes_achieved",
        "request-closure-closure_summary": "Attendance is back to 95%",
        "request-closure-outcomes_achieved": "yes",
        "request-closure-family_feedback": "Thank you",
    }
    stepped_up = {**closing, "request-closure-closure_reason": "stepped_up"}
    response = post(client, place.worker, "request-closure", episode, stepped_up)
    assert "Select a valid choice" in response.content.decode()
    assert post(client, place.worker, "request-closure", episode, closing).status_code == 302
    assert refresh(episode).status == "closing"
    page = page_of(client, place.manager, episode)
    assert "Approve closure" in page and "Attendance is back to 95%" in page

    assert post(client, place.worker, "approve-closure", episode).status_code == 403
    response = post(
        client, place.manager, "decline-closure", episode, {"decline-closure-reason": ""}
    )
    assert "Enter why the episode is not closing yet" in response.content.decode()
    response = post(
        client, place.manager, "decline-closure", episode, {"decline-closure-reason": "Not yet"}
    )
    assert response.status_code == 302
    assert refresh(episode).status == "allocated"

    # Approving what nobody asked for is refused on the page.
    response = post(client, place.manager, "approve-closure", episode)
    assert response.status_code == 200
    assert "Nobody has asked to close this episode" in response.content.decode()

    post(client, place.worker, "request-closure", episode, closing)
    assert post(client, place.manager, "approve-closure", episode).status_code == 302
    assert refresh(episode).status == "closed"
    assert "Reopen the episode" in page_of(client, place.manager, episode)
    assert post(client, place.worker, "reopen", episode, {"reopen-reason": "x"}).status_code == 403
    response = post(client, place.manager, "reopen", episode, {"reopen-reason": "Back again"})
    assert response.status_code == 302
    assert refresh(episode).status == "allocated"


def test_get_on_an_action_opens_its_form_on_the_page(client, place):
    episode = allocated_episode(place)
    client.force_login(place.manager)
    page = client.get(url("reallocate", episode)).content.decode()
    assert 'id="reallocate" open' in page
    client.force_login(place.worker)
    assert client.get(url("reallocate", episode)).status_code == 403


# My cases


def test_my_cases_lists_led_and_taf_episodes(client, place):
    led = allocated_episode(place)
    in_taf = allocated_episode(place)
    agency_taf = allocated_episode(place)
    other = allocated_episode(place)
    school = AgencyFactory(agency_type=AgencyType.SCHOOL)
    teacher = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school)
    episodes.episode_reallocate(
        by=place.manager,
        episode=in_taf,
        lead_professional=place.colleague,
        team=place.team,
        reason="Balance",
    )
    episodes.taf_member_add(by=place.manager, episode=in_taf, role="Support", user=place.worker)
    episodes.taf_member_add(
        by=place.manager, episode=agency_taf, role="Teacher", agency=school, contact_name="Ms A"
    )
    episodes.episode_reallocate(
        by=place.manager,
        episode=other,
        lead_professional=place.colleague,
        team=place.team,
        reason="Balance",
    )
    client.force_login(place.worker)
    page = client.get(reverse("episodes:my-cases")).content.decode()
    assert led.family.name in page and in_taf.family.name not in page
    assert other.family.name not in page
    assert "Episodes I lead (2)" in page and "Assessment by" in page
    page = client.get(reverse("episodes:my-cases") + "?list=taf").content.decode()
    assert in_taf.family.name in page and led.family.name not in page
    event = AuditEvent.objects.filter(actor=place.worker, action="list").latest("id")
    assert event.object_type == "cases.episode" and event.detail["ids"] == [str(in_taf.pk)]

    client.force_login(teacher)
    page = client.get(reverse("episodes:my-cases") + "?list=taf").content.decode()
    assert agency_taf.family.name in page and led.family.name not in page


# Caseloads


def test_caseloads_counts_and_scope(client, place):
    north = place
    south = make_locality("South")
    first = allocated_episode(north)
    second = allocated_episode(north)
    episodes.episode_reallocate(
        by=north.manager,
        episode=second,
        lead_professional=north.colleague,
        team=north.team,
        reason="Balance",
    )
    awaiting = new_episode(north)
    Episode.objects.filter(pk=first.pk).update(
        allocated_at=timezone.now() - datetime.timedelta(days=60)
    )
    southern = allocated_episode(south)
    client.force_login(north.manager)
    response = client.get(reverse("episodes:caseloads"))
    assert response.status_code == 200
    data = response.context["data"]
    assert {(r["lead_professional"], r["open"], r["overdue"]) for r in data.practitioners} == {
        (north.worker.pk, 1, 1),
        (north.colleague.pk, 1, 0),
    }
    assert (data.total, data.awaiting_count, data.overdue_count) == (3, 1, 1)
    assert [e.pk for e in data.awaiting] == [awaiting.pk]
    assert [e.pk for e in data.overdue] == [first.pk]
    (row,) = data.levels
    assert row[0] == level(3) and row[2] == 3
    page = response.content.decode()
    assert southern.family.name not in page
    assert reverse("episodes:reallocate", args=[first.uuid]) in page
    assert AuditEvent.objects.filter(actor=north.manager, action="list").exists()

    # Filtering by a team the manager does not manage shows an error, not the team.
    response = client.get(reverse("episodes:caseloads"), {"team": south.team.pk})
    assert "Select a valid choice" in response.content.decode()
    assert response.context["data"].total == 3

    client.force_login(north.worker)
    assert client.get(reverse("episodes:caseloads")).status_code == 403


def test_assessment_overdue_threshold_matches_the_due_dates():
    now = timezone.now()
    threshold = episode_selectors.assessment_overdue_before(now)
    for hours in range(0, 24 * 60, 7):
        allocated = now - datetime.timedelta(hours=hours)
        due = working_days.add_working_days(allocated, 20)
        assert (due < now) == (allocated < threshold), allocated


# The family page


def test_family_page_shows_level_history_and_links_episodes(client, place):
    episode = allocated_episode(place)
    episodes.episode_change_level(
        by=place.manager, episode=episode, level=level(2), reason="Needs have reduced"
    )
    family_url = reverse("cases:family-detail", args=[episode.family.uuid])
    client.force_login(place.worker)
    page = client.get(family_url).content.decode()
    assert "Level history" in page and "Needs have reduced" in page
    assert f"No level to {level(3).name}" in page
    assert f"{level(3).name} to {level(2).name}" in page
    assert url("detail", episode) in page
    assert "Ask for a step down" not in page


def _resolves(name, *args):
    from django.urls import NoReverseMatch

    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def test_step_up_and_step_down_links(client, place):
    episode = allocated_episode(place)
    step_up = _resolves("transitions:step-up-request", episode.uuid)
    page = page_of(client, place.worker, episode)
    assert ("Ask for a step up" in page) == bool(step_up)
    assert "Ask for a step up" not in page_of(client, place.colleague, episode)
    family = FamilyFactory(owning_team=place.social_care_team)
    step_down = _resolves("transitions:step-down-request", family.uuid)
    client.force_login(place.social_worker)
    page = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()
    assert ("Ask for a step down" in page) == bool(step_down)
    if step_down:
        assert step_down in page


# Query counts


def _status_changes(episode, count):
    EpisodeStatusChange.objects.bulk_create(
        EpisodeStatusChange(
            episode=episode, from_status="allocated", to_status="allocated", reason=f"Note {n}"
        )
        for n in range(count)
    )


@pytest.mark.parametrize("size", [2, 50])
def test_episode_page_query_count_does_not_grow(client, django_assert_max_num_queries, place, size):
    episode = allocated_episode(place)
    school = AgencyFactory()
    TafMember.objects.bulk_create(
        [
            TafMember(episode=episode, agency=school, contact_name=f"C {n}", role="R")
            for n in range(size)
        ]
        + [TafMember(episode=episode, user=place.colleague, role="R")]
    )
    _status_changes(episode, size)
    client.force_login(place.manager)
    with django_assert_max_num_queries(25):
        response = client.get(url("detail", episode))
    assert response.status_code == 200
    assert response.content.decode().count("from the TAF</span>") == size + 1


@pytest.mark.parametrize("size", [2, 50])
def test_my_cases_query_count_does_not_grow(client, django_assert_max_num_queries, place, size):
    for _ in range(size):
        allocated_episode(place)
    client.force_login(place.worker)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("episodes:my-cases"))
    assert len(response.context["rows"]) == size


@pytest.mark.parametrize("size", [2, 50])
def test_caseloads_query_count_does_not_grow(client, django_assert_max_num_queries, place, size):
    for n in range(size):
        episode = allocated_episode(place) if n % 2 else new_episode(place)
        if n % 3 == 0 and episode.status == EpisodeStatus.ALLOCATED:
            Episode.objects.filter(pk=episode.pk).update(
                allocated_at=timezone.now() - datetime.timedelta(days=60)
            )
    client.force_login(place.manager)
    with django_assert_max_num_queries(19):
        response = client.get(reverse("episodes:caseloads"))
    assert response.context["data"].total == size
