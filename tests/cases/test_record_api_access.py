"""What the case records API withholds: records an outsider cannot see, sensitive fields,
confidential addresses and restricted notes."""

from django.utils import timezone

from cases.families import services
from cases.models import CaseNote, FamilyMembership, Person

# Who may see what


def test_outsider_gets_404s_and_empty_lists(as_user, outsider, practitioner, household):
    note = services.note_add(
        by=practitioner,
        family=household["family"],
        note_type="phone",
        occurred_at=timezone.now(),
        summary="Called mum",
    )
    client = as_user(outsider)
    for url in [
        f"/api/people/{household['child'].uuid}/",
        f"/api/families/{household['family'].uuid}/",
        f"/api/notes/{note.uuid}/",
        f"/api/memberships/{FamilyMembership.objects.first().pk}/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"status": 404, "code": "not_found", "message": "Not found."}
    for url in ["/api/people/", "/api/families/", "/api/memberships/", "/api/relationships/"]:
        assert client.get(url).json()["count"] == 0, url
    notes = client.get("/api/notes/", {"family": str(household["family"].uuid)})
    assert notes.status_code == 400
    assert notes.json()["errors"]["family"] == ["Choose a family you can see"]
    for url in [
        f"/api/people/{household['child'].uuid}/",
        f"/api/families/{household['family'].uuid}/",
    ]:
        assert client.patch(url, {"name": "X", "known_as": "X"}).status_code == 404
    assert "Okafor" not in str([client.get("/api/people/").json()])


def test_outsider_may_not_write_to_records_they_cannot_see(as_user, outsider, household):
    client = as_user(outsider)
    response = client.post(
        "/api/notes/",
        {
            "family": str(household["family"].uuid),
            "note_type": "phone",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Sneaky",
        },
    )
    assert response.status_code == 400
    assert response.json()["errors"]["family"] == ["Choose a family you can see"]
    assert not CaseNote.objects.exists()
    response = client.post(
        f"/api/people/{household['child'].uuid}/names/", {"name_type": "alias", "given_name": "X"}
    )
    assert response.status_code == 404


def test_sensitive_fields_absent_for_a_colleague_and_present_for_the_manager(
    as_user, practitioner, colleague, locality_manager, household
):
    url = f"/api/people/{household['mother'].uuid}/"
    seen_by_colleague = as_user(colleague).get(url).json()
    for name in Person.SENSITIVE_FIELDS:
        assert name not in seen_by_colleague
    assert "07700 900123" not in str(seen_by_colleague)
    listed = as_user(colleague).get("/api/people/").json()["results"]
    assert all("phone" not in person for person in listed)

    for user in (locality_manager, practitioner):
        seen = as_user(user).get(url).json()
        assert (seen["gender"], seen["phone"]) == ("woman", "07700 900123")


def test_a_colleague_cannot_overwrite_sensitive_fields_they_cannot_see(
    as_user, colleague, household
):
    mother = household["mother"]
    response = as_user(colleague).patch(
        f"/api/people/{mother.uuid}/", {"phone": "", "first_language": "Yoruba"}
    )
    assert response.status_code == 200
    mother.refresh_from_db()
    assert (mother.phone, mother.first_language) == ("07700 900123", "Yoruba")


def test_confidential_addresses_are_withheld_from_a_colleague(
    as_user, practitioner, colleague, locality_manager, household
):
    child, family = household["child"], household["family"]
    as_user(practitioner).post(
        f"/api/people/{child.uuid}/addresses/",
        {"line_1": "Refuge", "town": "Wexmoor", "postcode": "SW1A 2AA", "confidential": True},
    )
    services.family_update(
        by=practitioner,
        family=family,
        line_1="Refuge",
        town="Wexmoor",
        postcode="SW1A 2AA",
        address_is_confidential=True,
    )
    person_url, family_url = f"/api/people/{child.uuid}/", f"/api/families/{family.uuid}/"

    colleague_client = as_user(colleague)
    assert colleague_client.get(person_url).json()["addresses"] == [{"confidential": True}]
    family_seen = colleague_client.get(family_url).json()
    assert family_seen["address_is_confidential"] is True
    for name in ("line_1", "line_2", "town", "postcode"):
        assert name not in family_seen
    listed = colleague_client.get("/api/families/").json()["results"][0]
    assert "postcode" not in listed
    assert "SW1A 2AA" not in str(colleague_client.get("/api/families/").json())

    manager_client = as_user(locality_manager)
    assert manager_client.get(person_url).json()["addresses"][0]["line_1"] == "Refuge"
    assert manager_client.get(family_url).json()["postcode"] == "SW1A 2AA"


def test_restricted_note_content_is_withheld_from_a_colleague(
    as_user, practitioner, colleague, locality_manager, household
):
    family = household["family"]
    created = as_user(practitioner).post(
        "/api/notes/",
        {
            "family": str(family.uuid),
            "note_type": "home_visit",
            "occurred_at": timezone.now().isoformat(),
            "summary": "Disclosure",
            "body": "Mum disclosed domestic abuse.",
            "subjects": [str(household["mother"].uuid)],
            "is_restricted": True,
            "is_significant": True,
        },
    )
    assert created.status_code == 201, created.json()
    assert created.json()["summary"] == "Disclosure"
    url = f"/api/notes/{created.json()['uuid']}/"

    withheld = as_user(colleague).get(url).json()
    assert withheld["restricted"] is True
    assert withheld["is_restricted"] is True
    for name in ("summary", "body", "subjects", "subject_names"):
        assert name not in withheld
    assert withheld["note_type"] == "home_visit"
    assert withheld["author"]["uuid"] == str(practitioner.uuid)
    listed = as_user(colleague).get("/api/notes/", {"family": str(family.uuid)}).json()
    assert "domestic abuse" not in str(listed)
    assert listed["results"][0]["restricted"] is True

    for user in (practitioner, locality_manager):
        seen = as_user(user).get(url).json()
        assert seen["body"] == "Mum disclosed domestic abuse."
        assert seen["subject_names"] == ["Grace Okafor"]
        assert "restricted" not in seen
