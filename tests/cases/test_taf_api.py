"""The team around the family API: agency and user members and what membership opens."""

import pytest
from django.utils import timezone

from accounts.models import AgencyType, Role
from tests.cases.episode_api_helpers import refused, url
from tests.cases.episode_helpers import allocated_episode
from tests.factories import AgencyFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


# The Team Around the Family


def test_taf_agency_member_opens_the_family_to_its_users(as_user, place):
    episode = allocated_episode(place)
    school = AgencyFactory(name="Brackenford Primary", agency_type=AgencyType.SCHOOL)
    teacher = UserFactory(
        roles=[Role.PARTNER_AGENCY_USER], agency=school, teams=[TeamFactory(agency=school)]
    )
    stranger = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    family_url = f"/api/families/{episode.family.uuid}/"
    assert as_user(teacher).get(family_url).status_code == 404

    client = as_user(place.worker)
    refused(
        client.post(
            "/api/taf-members/",
            {"episode": str(episode.uuid), "role": "Teacher", "agency": str(school.uuid)},
        ),
        400,
        "contact_name",
    )
    refused(
        client.post(
            "/api/taf-members/",
            {"episode": str(place.team.uuid), "role": "x", "agency": str(school.uuid)},
        ),
        400,
        "episode",
    )
    refused(
        client.post(
            "/api/taf-members/",
            {
                "episode": str(episode.uuid),
                "role": "x",
                "agency": str(place.team.uuid),
                "contact_name": "x",
            },
        ),
        400,
        "agency",
    )
    response = client.post(
        "/api/taf-members/",
        {
            "episode": str(episode.uuid),
            "role": "Class teacher",
            "agency": str(school.uuid),
            "contact_name": "Ms Patel",
            "contact_email": "patel@school.example",
        },
    )
    assert response.status_code == 201, response.json()
    member = response.json()
    assert member["name"] == "Ms Patel"
    assert member["agency"]["uuid"] == str(school.uuid)
    assert member["is_current"] is True

    assert as_user(teacher).get(family_url).status_code == 200
    assert as_user(teacher).get(url(episode)).status_code == 200
    assert as_user(stranger).get(family_url).status_code == 404
    assert as_user(stranger).get(url(episode)).status_code == 404
    assert as_user(stranger).get(f"/api/taf-members/{member['uuid']}/").status_code == 404

    listed = as_user(place.worker).get("/api/taf-members/", {"episode": str(episode.uuid)}).json()
    assert [row["uuid"] for row in listed["results"]] == [member["uuid"]]
    # A TAF member may read, not change the TAF.
    refused(as_user(teacher).post(f"/api/taf-members/{member['uuid']}/end/", {}), 403)

    response = as_user(place.worker).post(f"/api/taf-members/{member['uuid']}/end/", {})
    assert response.status_code == 200, response.json()
    assert response.json()["ended_on"] == str(timezone.localdate())
    body = refused(as_user(place.worker).post(f"/api/taf-members/{member['uuid']}/end/", {}), 400)
    assert body["message"] == "Ms Patel has already left the TAF"
    assert as_user(teacher).get(family_url).status_code == 404


def test_taf_user_member(as_user, place):
    episode = allocated_episode(place)
    nurse = UserFactory(roles=[Role.PARTNER_AGENCY_USER], teams=[TeamFactory()])
    client = as_user(place.worker)
    body = {"episode": str(episode.uuid), "role": "School nurse", "user": str(nurse.uuid)}
    response = client.post("/api/taf-members/", body)
    assert response.status_code == 201, response.json()
    assert response.json()["user"]["uuid"] == str(nurse.uuid)
    refused(client.post("/api/taf-members/", body), 400, "user")
    assert as_user(nurse).get(url(episode)).status_code == 200
