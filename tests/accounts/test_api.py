import pytest
from django.urls import reverse
from knox.models import AuthToken

from accounts.models import Agency, Role, Team
from audit.models import AuditEvent
from tests.factories import AgencyFactory, LocalityFactory, TeamFactory, UserFactory


def test_api_needs_authentication_with_the_common_error_format(api_client, db):
    response = api_client.get("/api/me/")
    assert response.status_code in (401, 403)
    assert response.json() == {
        "status": response.status_code,
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
    }


def test_me_describes_the_signed_in_user(as_user, locality_manager, team):
    body = as_user(locality_manager).get("/api/me/").json()
    assert body["email"] == locality_manager.email
    assert body["agency"]["uuid"] == str(team.agency.uuid)
    assert body["roles"] == ["locality manager"]
    assert [t["uuid"] for t in body["managed_teams"]] == [str(team.uuid)]
    assert body["teams"] == []
    assert body["permissions"] == ["use_service"]
    assert AuditEvent.objects.filter(actor=locality_manager, action="view").count() == 1


def test_token_authentication(api_client, practitioner):
    _, token = AuthToken.objects.create(practitioner)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").json()["email"] == practitioner.email
    api_client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert api_client.get("/api/me/").status_code == 401


def test_issue_api_token_command_prints_a_working_token(api_client, practitioner, capsys):
    from django.core.management import call_command

    call_command("issue_api_token", practitioner.email, "--days", "7")
    token = capsys.readouterr().out.strip().splitlines()[-1]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/me/").json()["email"] == practitioner.email
    assert AuditEvent.objects.filter(actor=practitioner, action="token_issued").exists()


def test_agency_list_is_paginated_and_filterable(as_user, practitioner):
    AgencyFactory(name="Harrowgate Primary", agency_type="school")
    body = as_user(practitioner).get("/api/agencies/", {"agency_type": "school"}).json()
    assert body["count"] == 1
    assert body["results"][0]["name"] == "Harrowgate Primary"
    assert set(body) == {"count", "next", "previous", "results"}


def test_unknown_filter_value_is_a_400_naming_the_field(as_user, practitioner):
    response = as_user(practitioner).get("/api/teams/", {"agency": "not-a-uuid"})
    assert response.status_code == 400
    assert response.json()["errors"]["agency"]


def test_team_members_visible_to_the_team_and_403_to_outsiders(
    as_user, practitioner, colleague, outsider, team
):
    url = f"/api/teams/{team.uuid}/members/"
    members = as_user(practitioner).get(url).json()["members"]
    assert {m["email"] for m in members} == {practitioner.email, colleague.email}
    response = as_user(outsider).get(url)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_user_outside_ones_circle_is_404(as_user, practitioner, outsider):
    response = as_user(outsider).get(f"/api/users/{practitioner.uuid}/")
    assert response.status_code == 404
    assert response.json() == {"status": 404, "code": "not_found", "message": "Not found."}
    emails = {u["email"] for u in as_user(outsider).get("/api/users/").json()["results"]}
    assert practitioner.email not in emails


def test_administrator_creates_changes_and_archives_an_agency(as_user, system_administrator):
    client = as_user(system_administrator)
    created = client.post("/api/agencies/", {"name": "Kingsmere College", "agency_type": "school"})
    assert created.status_code == 201, created.json()
    agency = Agency.objects.get(uuid=created.json()["uuid"])
    assert (agency.name, agency.created_by) == ("Kingsmere College", system_administrator)

    changed = client.patch(f"/api/agencies/{agency.uuid}/", {"phone": "01632 960 111"})
    assert changed.status_code == 200
    archived = client.post(f"/api/agencies/{agency.uuid}/archive/")
    assert archived.json()["archived_on"] is not None

    events = AuditEvent.objects.for_object(agency).order_by("id")
    assert [(e.action, e.detail.get("fields")) for e in events] == [
        ("create", ["agency_type", "name"]),
        ("change", ["phone"]),
        ("archive", None),
    ]


def test_administrator_creates_a_team_with_members(as_user, system_administrator, practitioner):
    agency, locality = AgencyFactory(), LocalityFactory()
    response = as_user(system_administrator).post(
        "/api/teams/",
        {
            "name": "Early Help North",
            "agency": str(agency.uuid),
            "locality": str(locality.uuid),
            "members": [str(practitioner.uuid)],
        },
    )
    assert response.status_code == 201, response.json()
    team = Team.objects.get(uuid=response.json()["uuid"])
    assert list(team.members.all()) == [practitioner]
    assert "members" not in response.json()


def test_bad_input_is_a_400_with_field_messages(as_user, system_administrator):
    AgencyFactory(name="Wexmoor Police")
    response = as_user(system_administrator).post(
        "/api/agencies/", {"name": "wexmoor police", "agency_type": "circus"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "agency_type" in body["errors"]
    assert Agency.objects.filter(name__iexact="wexmoor police").count() == 1


def test_duplicate_name_is_a_400_not_a_500(as_user, system_administrator):
    AgencyFactory(name="Wexmoor Police")
    response = as_user(system_administrator).post(
        "/api/agencies/", {"name": "WEXMOOR POLICE", "agency_type": "police"}
    )
    assert response.status_code == 400
    assert response.json()["errors"]


@pytest.mark.parametrize("role", [r for r in Role if r != Role.SYSTEM_ADMINISTRATOR])
def test_only_administrators_write(as_user, db, role):
    response = as_user(UserFactory(roles=[role])).post(
        "/api/agencies/", {"name": "New agency", "agency_type": "other"}
    )
    assert response.status_code == 403
    assert not Agency.objects.filter(name="New agency").exists()


def test_schema_and_docs(as_user, practitioner, client):
    schema = as_user(practitioner).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ["/api/me/", "/api/agencies/", "/api/localities/", "/api/teams/", "/api/users/"]:
        assert path in paths
    client.force_login(practitioner)
    assert client.get(reverse("api-docs")).status_code == 200


def test_unknown_api_path_is_json_404(as_user, practitioner):
    response = as_user(practitioner).get("/api/nothing-here/")
    assert response.status_code == 404
    assert response.json()["status"] == 404


def test_api_reads_are_audited(as_user, practitioner, team):
    client = as_user(practitioner)
    client.get("/api/teams/", {"q": team.name})
    client.get(f"/api/teams/{team.uuid}/")
    listed = AuditEvent.objects.get(actor=practitioner, action="list")
    assert listed.detail["ids"] == [str(team.pk)]
    assert AuditEvent.objects.get(actor=practitioner, action="view").object_id == str(team.pk)


ENDPOINTS = [
    lambda team: "/api/me/",
    lambda team: "/api/agencies/",
    lambda team: f"/api/agencies/{team.agency.uuid}/",
    lambda team: "/api/localities/",
    lambda team: f"/api/localities/{team.locality.uuid}/",
    lambda team: "/api/teams/",
    lambda team: f"/api/teams/{team.uuid}/",
    lambda team: f"/api/teams/{team.uuid}/members/",
    lambda team: "/api/users/",
    lambda team: f"/api/users/{team.members.first().uuid}/",
]


@pytest.mark.parametrize("rows", [2, 50])
@pytest.mark.parametrize("url_for", ENDPOINTS, ids=[f"endpoint{i}" for i in range(len(ENDPOINTS))])
def test_endpoint_query_count_does_not_grow_with_rows(
    as_user, django_assert_max_num_queries, locality_manager, team, rows, url_for
):
    for _ in range(rows):
        UserFactory(agency=team.agency, teams=[team, TeamFactory(locality=team.locality)])
    locality_manager.teams.add(*Team.objects.all())
    client = as_user(locality_manager)
    with django_assert_max_num_queries(12):
        response = client.get(url_for(team))
    assert response.status_code == 200


def test_issue_api_token_defaults_to_the_configured_lifetime(practitioner, capsys, settings):
    from django.core.management import call_command
    from django.utils import timezone

    call_command("issue_api_token", practitioner.email)
    token = AuthToken.objects.get(user=practitioner)
    lifetime = token.expiry - timezone.now()
    assert abs(lifetime - settings.REST_KNOX["TOKEN_TTL"]).total_seconds() < 60
