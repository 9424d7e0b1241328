"""An episode's life, the Team Around the Family and who sees the family because of it."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import Role
from audit.models import AuditEvent
from cases.episodes import services as episodes
from cases.models import (
    ALLOWED_MOVES,
    EPISODE_MOVES,
    Episode,
    EpisodeStatus,
    EpisodeStatusChange,
    Family,
    LeadProfessional,
)
from earlyhelp import access
from earlyhelp.exceptions import ServiceError
from tests.cases.episode_helpers import allocated_episode, level, make_locality, new_episode
from tests.factories import AgencyFactory, FamilyFactory, TeamFactory, UserFactory
from tests.status_moves import assert_move_refused, illegal_moves
from thresholds.models import LevelChange

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user without the policy's per-object caches."""
    return type(user).objects.get(pk=user.pk)


def sees_family(user, family):
    return access.visible(fresh(user), Family.objects.filter(pk=family.pk)).exists()


# The lifecycle


ILLEGAL_MOVES = illegal_moves(EpisodeStatus, ALLOWED_MOVES)


@pytest.mark.parametrize("before,after", ILLEGAL_MOVES, ids=lambda s: str(s))
def test_every_illegal_move_is_refused_with_a_message(before, after):
    assert_move_refused(EPISODE_MOVES, Episode(status=before), after, "An episode")


def test_the_whole_life_of_an_episode_through_the_services(north):
    episode = new_episode(north)
    worker, manager = north.worker, north.manager

    episodes.episode_allocate(
        by=manager, episode=episode, lead_professional=worker, team=north.team
    )
    episodes.episode_start_assessment(by=worker, episode=episode)
    episodes.episode_plan_agreed(by=worker, episode=episode)
    episodes.episode_request_closure(
        by=worker,
        episode=episode,
        reason="outcomes_achieved",
        summary="Attendance back above 95%; the family uses the children's centre.",
        outcomes_achieved="yes",
        family_feedback="We feel listened to.",
    )
    episodes.episode_approve_closure(by=manager, episode=episode)

    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.CLOSED and episode.closed_at is not None
    assert episode.closure_approved_by == manager
    moves = list(
        EpisodeStatusChange.objects.filter(episode=episode).values_list("from_status", "to_status")
    )
    assert moves == [
        ("", "awaiting_allocation"),
        ("awaiting_allocation", "allocated"),
        ("allocated", "assessing"),
        ("assessing", "plan_in_place"),
        ("plan_in_place", "closing"),
        ("closing", "closed"),
    ]
    assert not LeadProfessional.objects.filter(episode=episode, ended_at__isnull=True).exists()
    history = list(LevelChange.objects.filter(episode=episode).values_list("cause", flat=True))
    assert history == ["front_door", "closure"]
    steps = AuditEvent.objects.filter(object_type="cases.episode", object_id=str(episode.pk))
    assert {event.detail.get("step") for event in steps} >= {
        "allocate",
        "start assessment",
        "plan agreed",
        "request closure",
        "close",
    }


def test_illegal_moves_through_the_services_are_refused(north):
    episode = new_episode(north)
    with pytest.raises(ServiceError, match="awaiting allocation cannot become assessing"):
        episodes.episode_start_assessment(by=north.manager, episode=episode)
    with pytest.raises(ServiceError, match="awaiting allocation cannot become plan in place"):
        episodes.episode_plan_agreed(by=north.manager, episode=episode)
    allocated = allocated_episode(north)
    with pytest.raises(ServiceError, match="allocated cannot become allocated"):
        episodes.episode_allocate(
            by=north.manager, episode=allocated, lead_professional=north.worker, team=north.team
        )
    with pytest.raises(ServiceError, match="Nobody has asked to close"):
        episodes.episode_approve_closure(by=north.manager, episode=allocated)


def test_only_managers_allocate_and_only_the_lead_works_on_it(north):
    episode = new_episode(north)
    with pytest.raises(PermissionDenied):
        episodes.episode_allocate(
            by=north.worker, episode=episode, lead_professional=north.worker, team=north.team
        )
    episode = episodes.episode_allocate(
        by=north.manager, episode=episode, lead_professional=north.worker, team=north.team
    )
    with pytest.raises(PermissionDenied):
        episodes.episode_start_assessment(by=north.colleague, episode=episode)
    other_manager = make_locality("South").manager
    with pytest.raises(PermissionDenied):
        episodes.episode_start_assessment(by=other_manager, episode=episode)


def test_the_lead_professional_must_be_in_the_team(north):
    stranger = UserFactory(roles=[Role.PRACTITIONER])
    with pytest.raises(ValidationError) as error:
        episodes.episode_allocate(
            by=north.manager,
            episode=new_episode(north),
            lead_professional=stranger,
            team=north.team,
        )
    assert "is not in Early Help North" in error.value.message_dict["lead_professional"][0]


def test_reallocation_keeps_the_history(north):
    episode = allocated_episode(north)
    episodes.episode_reallocate(
        by=north.manager,
        episode=episode,
        lead_professional=north.colleague,
        team=north.team,
        reason="Sophie is on maternity leave from Monday.",
    )
    history = list(episode.lead_history.order_by("started_at", "pk"))
    assert [entry.user for entry in history] == [north.worker, north.colleague]
    assert history[0].ended_at is not None and history[1].ended_at is None
    assert Episode.objects.get(pk=episode.pk).lead_professional == north.colleague


def test_a_declined_closure_goes_back_to_where_it_was(north):
    episode = allocated_episode(north)
    episodes.episode_start_assessment(by=north.worker, episode=episode)
    episodes.episode_request_closure(
        by=north.worker,
        episode=episode,
        reason="consent_withdrawn",
        summary="Mum no longer wants help.",
        outcomes_achieved="no",
    )
    with pytest.raises(ValidationError):
        episodes.episode_decline_closure(by=north.manager, episode=episode, reason="")
    episodes.episode_decline_closure(
        by=north.manager, episode=episode, reason="Talk to the school first."
    )
    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ASSESSING
    assert episode.closure_reason == ""


def test_a_closure_needs_a_reason_summary_and_outcome(north):
    episode = allocated_episode(north)
    with pytest.raises(ValidationError) as error:
        episodes.episode_request_closure(
            by=north.worker, episode=episode, reason="stepped_up", summary="", outcomes_achieved=""
        )
    assert set(error.value.message_dict) == {
        "closure_reason",
        "closure_summary",
        "outcomes_achieved",
    }


def _close(place, episode):
    episodes.episode_request_closure(
        by=place.worker,
        episode=episode,
        reason="moved_away",
        summary="Moved to Leeds.",
        outcomes_achieved="partly",
    )
    return episodes.episode_approve_closure(by=place.manager, episode=episode)


def test_a_recent_closure_reopens_the_same_episode_with_its_lead(north, settings):
    settings.EPISODE_REOPEN_DAYS = 28
    episode = _close(north, allocated_episode(north))

    episodes.episode_reopen(by=north.manager, episode=episode, reason="Moved back after all.")

    episode.refresh_from_db()
    assert episode.status == EpisodeStatus.ALLOCATED and episode.closed_at is None
    assert episode.lead_professional == north.worker


def test_a_later_reopen_is_refused_as_a_re_referral(north, settings):
    settings.EPISODE_REOPEN_DAYS = 28
    episode = _close(north, allocated_episode(north))
    Episode.objects.filter(pk=episode.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=29)
    )
    with pytest.raises(ServiceError, match="more than 28 days ago.*re-referral"):
        episodes.episode_reopen(by=north.manager, episode=episode, reason="Back again")


def test_changing_the_level_is_recorded_in_the_history(north):
    episode = allocated_episode(north)
    with pytest.raises(ValidationError):
        episodes.episode_change_level(by=north.manager, episode=episode, level=level(4), reason="x")
    episodes.episode_change_level(
        by=north.manager, episode=episode, level=level(2), reason="Only school support needed."
    )
    change = LevelChange.objects.filter(episode=episode).latest("changed_at", "pk")
    assert (change.from_level, change.to_level, change.cause) == (level(3), level(2), "change")
    assert change.changed_by == north.manager


# Who sees the family


def test_a_taf_member_agency_sees_the_family_and_an_unrelated_agency_does_not(north):
    episode = allocated_episode(north)
    school = AgencyFactory(name="Harrowgate Primary School")
    teacher = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=school)
    unrelated = UserFactory(roles=[Role.PARTNER_AGENCY_USER], agency=AgencyFactory())
    assert not sees_family(teacher, episode.family)

    member = episodes.taf_member_add(
        by=north.worker,
        episode=episode,
        role="Designated safeguarding lead",
        agency=school,
        contact_name="Mrs Adeyemi",
    )

    assert sees_family(teacher, episode.family)
    assert not sees_family(unrelated, episode.family)
    episodes.taf_member_end(by=north.worker, member=member)
    assert not sees_family(teacher, episode.family)


def test_a_taf_member_user_sees_it_while_a_member(north):
    episode = allocated_episode(north)
    health_visitor = UserFactory(roles=[Role.PRACTITIONER])
    episodes.taf_member_add(
        by=north.worker, episode=episode, role="Health visitor", user=health_visitor
    )
    assert sees_family(health_visitor, episode.family)
    # Their colleagues at the same agency are not members.
    colleague = UserFactory(roles=[Role.PRACTITIONER], agency=health_visitor.agency)
    assert not sees_family(colleague, episode.family)


def test_after_closure_the_lead_reads_for_a_while_but_cannot_change(north, settings):
    settings.CLOSED_EPISODE_READ_DAYS = 90
    episode = _close(north, allocated_episode(north))
    # The lead's own team owns nothing here: the family belongs to another team.
    north.team.members.remove(north.worker)
    lead = fresh(north.worker)

    assert sees_family(lead, episode.family)
    assert not access.can(lead, access.Permission.CHANGE_CASE_RECORD, episode.family)

    Episode.objects.filter(pk=episode.pk).update(
        closed_at=timezone.now() - datetime.timedelta(days=91)
    )
    assert not sees_family(lead, episode.family)


def test_a_locality_manager_sees_their_locality_only(north):
    south = make_locality("South")
    here = new_episode(north)
    there = new_episode(south)

    visible = set(access.visible(fresh(north.manager), Episode.objects.all()))

    assert here in visible and there not in visible
    assert access.can(fresh(north.manager), access.Permission.MANAGE_EPISODE, here)
    assert not access.can(fresh(north.manager), access.Permission.MANAGE_EPISODE, there)


def test_the_lead_professional_sees_the_family_without_owning_it(north):
    family = FamilyFactory(owning_team=TeamFactory())
    outsider_lead = UserFactory(roles=[Role.PRACTITIONER])
    other_team = TeamFactory(locality=north.locality)
    other_team.members.add(outsider_lead)
    episode = new_episode(north, family=family)
    assert not sees_family(outsider_lead, family)

    episodes.episode_allocate(
        by=north.manager, episode=episode, lead_professional=outsider_lead, team=other_team
    )
    assert sees_family(outsider_lead, family)


def test_the_lead_professional_sees_sensitive_fields_and_restricted_notes(north):
    from cases.models import CaseNote

    episode = allocated_episode(north)
    note = CaseNote.objects.create(
        family=episode.family,
        note_type="phone",
        summary="Disclosure",
        occurred_at=timezone.now(),
        author=north.manager,
        is_restricted=True,
    )
    lead, colleague = fresh(north.worker), fresh(north.colleague)

    assert access.can(lead, access.Permission.VIEW_SENSITIVE, note)
    assert access.can(lead, access.Permission.VIEW_SENSITIVE, episode.family)
    assert not access.can(colleague, access.Permission.VIEW_SENSITIVE, note)
