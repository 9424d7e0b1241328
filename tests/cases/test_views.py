"""The family and person pages: what each person sees, forms that keep what was typed,
search, merges, and the audit of what they show."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Role
from audit.models import AuditEvent
from cases.models import CaseNote, Family, FamilyMembership, Person
from tests.cases.case_page_helpers import add_episodes
from tests.dates import years_before
from tests.factories import FamilyFactory, PersonFactory, UserFactory
from tests.form_pages import shown_again_with_errors

TODAY = timezone.localdate()


def date_fields(name, day):
    return {f"{name}_day": day.day, f"{name}_month": day.month, f"{name}_year": day.year}


def test_family_page_shows_members_relationships_and_is_audited(client, practitioner, family):
    client.force_login(practitioner)
    page = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()
    assert "Amara Okafor" in page and "Ngozi Okafor" in page
    assert "Ngozi Okafor is the mother of Amara Okafor" in page
    assert "Parental responsibility" in page
    assert AuditEvent.objects.filter(
        actor=practitioner, action="view", object_id=str(family.pk)
    ).exists()


def test_outsider_gets_404_for_family_person_and_notes(client, outsider, family):
    client.force_login(outsider)
    child = family.members.get(given_name="Amara")
    for url in [
        reverse("cases:family-detail", args=[family.uuid]),
        reverse("cases:person-detail", args=[child.uuid]),
        reverse("cases:note-list", args=[family.uuid]),
        reverse("cases:family-edit", args=[family.uuid]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Okafor" not in response.content.decode()
    assert "Okafor" not in client.get(reverse("cases:family-list")).content.decode()


@pytest.mark.parametrize("role", [Role.PERFORMANCE_ANALYST, Role.SYSTEM_ADMINISTRATOR])
def test_roles_without_case_work_are_refused(client, db, role):
    client.force_login(UserFactory(roles=[role]))
    assert client.get(reverse("cases:family-list")).status_code == 403
    assert client.get(reverse("cases:search")).status_code == 403


def test_create_family_then_add_a_new_person(client, practitioner, team):
    client.force_login(practitioner)
    response = client.post(
        reverse("cases:family-create"),
        {
            "name": "The Nowak family",
            "line_1": "3 Elm Close",
            "town": "Brackenford",
            "postcode": "bk1 2ab",
            "owning_team": team.pk,
        },
    )
    family = Family.objects.get()
    assert response["Location"] == reverse("cases:family-detail", args=[family.uuid])
    assert family.postcode == "BK1 2AB"
    response = client.post(
        reverse("cases:person-create") + f"?family={family.uuid}",
        {
            "family": family.uuid,
            "record_type": "child",
            "given_name": "Zofia",
            "family_name": "Nowak",
            **date_fields("date_of_birth", datetime.date(2017, 5, 1)),
            "sex": "female",
            "owning_team": team.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert FamilyMembership.objects.get(family=family).person.given_name == "Zofia"


def test_bad_input_keeps_everything_typed(client, practitioner, team):
    client.force_login(practitioner)
    typed = {
        "record_type": "child",
        "given_name": "Tomasz",
        "family_name": "Wiśniewski",
        "known_as": "Tomek",
        **date_fields("date_of_birth", years_before(TODAY, 19)),
        "sex": "male",
        "nhs_number": "943 476 5918",
        "owning_team": team.pk,
    }
    response = client.post(reverse("cases:person-create"), typed)
    page = shown_again_with_errors(response)
    assert "Enter a real NHS number: the check digit is wrong" in page
    assert 'href="#id_nhs_number"' in page
    assert 'value="Tomek"' in page and 'value="Wiśniewski"' in page
    assert 'value="943 476 5918"' in page
    assert not Person.objects.exists()
    typed["nhs_number"] = ""
    page = client.post(reverse("cases:person-create"), typed).content.decode()
    assert "record them as an adult" in page
    assert 'href="#id_date_of_birth_day"' in page
    assert not Person.objects.exists()


def test_create_shows_possible_duplicates_and_needs_confirmation(client, practitioner, team):
    existing = PersonFactory(
        given_name="William",
        family_name="Hughes",
        owning_team=team,
        date_of_birth=datetime.date(2015, 2, 3),
    )
    client.force_login(practitioner)
    typed = {
        "record_type": "child",
        "given_name": "Bill",
        "family_name": "Hughes",
        **date_fields("date_of_birth", datetime.date(2015, 2, 3)),
        "sex": "male",
        "owning_team": team.pk,
    }
    page = client.post(reverse("cases:person-create"), typed).content.decode()
    assert "These records may be the same person" in page
    assert reverse("cases:person-detail", args=[existing.uuid]) in page
    assert "given name: nickname" in page
    assert Person.objects.count() == 1
    response = client.post(
        reverse("cases:person-create"), {**typed, "confirmed_not_duplicate": "on"}
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_possible_duplicate_the_user_cannot_see_is_shown_only_as_known(
    client, outsider, team, family
):
    creator = UserFactory(roles=[Role.PRACTITIONER], teams=[outsider.teams.get()])
    child = family.members.get(given_name="Amara")
    client.force_login(creator)
    page = client.post(
        reverse("cases:person-create"),
        {
            "record_type": "child",
            "given_name": "Amara",
            "family_name": "Okafor",
            **date_fields("date_of_birth", child.date_of_birth),
            "sex": "female",
            "owning_team": outsider.teams.get().pk,
        },
    ).content.decode()
    assert f"Known to {escape(team.name)}" in page
    assert str(child.uuid) not in page


def test_search_page_as_an_outsider_shows_only_whom_to_contact(client, outsider, family, team):
    team.email = "earlyhelp.north@brackenshire.example"
    team.save()
    client.force_login(outsider)
    page = client.get(
        reverse("cases:search"), {"given_name": "Amra", "family_name": "Okafor"}
    ).content.decode()
    assert f"Known to {escape(team.name)}" in page
    assert "earlyhelp.north@brackenshire.example" in page
    child = family.members.get(given_name="Amara")
    assert str(child.uuid) not in page
    assert family.line_1 not in page and "Ngozi" not in page
    event = AuditEvent.objects.get(actor=outsider, action="search")
    assert event.detail["terms"] == {"given_name": "Amra", "family_name": "Okafor"}


def test_search_with_nothing_to_search_by_says_so(client, practitioner):
    client.force_login(practitioner)
    page = client.get(reverse("cases:search"), {"given_name": ""}).content.decode()
    assert "Enter at least one thing to search by" in page
    assert not AuditEvent.objects.filter(action="search").exists()


def test_search_with_a_bad_date_is_a_field_error(client, practitioner):
    client.force_login(practitioner)
    page = client.get(
        reverse("cases:search"),
        {
            "family_name": "Okafor",
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2016",
        },
    ).content.decode()
    assert "Date of birth must be a real date" in page
    assert 'value="31"' in page


def test_sensitive_fields_for_managers_and_creators_only(
    client, practitioner, colleague, locality_manager, team
):
    child = PersonFactory(
        owning_team=team, gender="Non-binary", phone="07700 900123", created_by=practitioner
    )
    url = reverse("cases:person-detail", args=[child.uuid])
    for user, sees in ((practitioner, True), (locality_manager, True), (colleague, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert ("07700 900123" in page) is sees, user
        assert ("Non-binary" in page) is sees, user


def test_restricted_notes_are_listed_but_only_readable_by_author_and_managers(
    client, practitioner, colleague, locality_manager, family
):
    CaseNote.objects.create(
        family=family,
        note_type="significant_event",
        summary="Disclosure",
        body="Private detail",
        occurred_at=timezone.now(),
        author=practitioner,
        is_significant=True,
        is_restricted=True,
    )
    url = reverse("cases:family-detail", args=[family.uuid])
    for user, reads in ((practitioner, True), (locality_manager, True), (colleague, False)):
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "Restricted note" in page or reads
        assert ("Private detail" in page) is reads


def test_chronology_filters_by_person_and_type(client, practitioner, family):
    amara = family.members.get(given_name="Amara")
    ngozi = family.members.get(given_name="Ngozi")
    for summary, subject, kind in (
        ("School exclusion", amara, "significant_event"),
        ("Mum's hospital stay", ngozi, "significant_event"),
        ("Call with the school nurse", amara, "phone"),
    ):
        note = CaseNote.objects.create(
            family=family,
            note_type=kind,
            summary=summary,
            occurred_at=timezone.now(),
            author=practitioner,
            is_significant=True,
        )
        note.subjects.set([subject])
    client.force_login(practitioner)
    url = reverse("cases:family-detail", args=[family.uuid])
    chronology = client.get(url, {"person": amara.uuid, "note_type": "significant_event"})
    section = chronology.content.decode().split('id="chronology"')[1].split("Recent notes")[0]
    assert "School exclusion" in section
    assert "hospital stay" not in section and "school nurse" not in section


def test_merge_and_undo_in_the_browser_pages(client, locality_manager, team):
    survivor = PersonFactory(given_name="William", family_name="Hughes", owning_team=team)
    duplicate = PersonFactory(
        given_name="Bill",
        family_name="Hughes",
        owning_team=team,
        date_of_birth=survivor.date_of_birth,
    )
    client.force_login(locality_manager)
    url = reverse("cases:person-merge", args=[survivor.uuid]) + f"?duplicate={duplicate.uuid}"
    page = client.post(url, {"duplicate": duplicate.uuid, "reason": ""}).content.decode()
    assert "Enter why these records are the same person" in page
    response = client.post(url, {"duplicate": duplicate.uuid, "reason": "Same boy"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into == survivor
    # The tombstone's page takes you to the record it was merged into.
    response = client.get(reverse("cases:person-detail", args=[duplicate.uuid]))
    assert response["Location"] == reverse("cases:person-detail", args=[survivor.uuid])
    merge = survivor.merges_kept.get()
    response = client.post(reverse("cases:merge-undo", args=[merge.uuid]), {"reason": "Twins"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None


def test_practitioner_cannot_merge(client, practitioner, team):
    survivor, duplicate = PersonFactory(owning_team=team), PersonFactory(owning_team=team)
    client.force_login(practitioner)
    url = reverse("cases:person-merge", args=[survivor.uuid]) + f"?duplicate={duplicate.uuid}"
    assert client.get(url).status_code == 403


def test_add_relationship_and_note_forms(client, practitioner, family):
    # Yesterday: a note at 09:30 today would be refused as in the future before 09:30.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    amara = family.members.get(given_name="Amara")
    ngozi = family.members.get(given_name="Ngozi")
    client.force_login(practitioner)
    response = client.post(
        reverse("cases:relationship-add", args=[family.uuid]),
        {
            "from_person": amara.pk,
            "relationship_type": "sibling",
            "to_person": amara.pk,
        },
    )
    assert "A relationship is between two different people" in response.content.decode()

    def add_home_visit_note(**fields):
        return client.post(
            reverse("cases:note-add", args=[family.uuid]),
            {
                "note_type": "home_visit",
                "summary": "Home visit",
                "body": "Routine improving",
                "subjects": [amara.pk, ngozi.pk],
                **date_fields("occurred_on", yesterday),
                **fields,
            },
        )

    response = add_home_visit_note(occurred_time="25:00")
    assert "Enter a real time, like 14:30" in response.content.decode()
    assert 'value="Home visit"' in response.content.decode()
    response = add_home_visit_note(occurred_time="09:30", is_significant="on")
    assert response.status_code == 302
    note = CaseNote.objects.get()
    assert set(note.subjects.all()) == {amara, ngozi}
    assert timezone.localtime(note.occurred_at).strftime("%H:%M") == "09:30"


def test_the_family_page_lists_its_early_help_episodes(client, practitioner, team):
    family = FamilyFactory(owning_team=team)
    add_episodes(family, 2)
    client.force_login(practitioner)

    page = client.get(reverse("cases:family-detail", args=[family.uuid])).content.decode()

    assert "Early help episodes" in page
    assert page.count("Awaiting allocation") == 1
    assert page.count('govuk-tag--grey">Closed<') == 1
    assert team.locality.name in page


def test_record_a_birth_add_a_name_and_an_address(client, practitioner, team):
    unborn = PersonFactory(
        record_type="unborn",
        given_name="",
        family_name="Begum",
        date_of_birth=None,
        expected_date_of_delivery=TODAY + datetime.timedelta(days=30),
        owning_team=team,
    )
    client.force_login(practitioner)
    response = client.post(
        reverse("cases:person-birth", args=[unborn.uuid]),
        {**date_fields("date_of_birth", TODAY), "given_name": "Ayaan", "sex": "male"},
    )
    assert response.status_code == 302
    unborn.refresh_from_db()
    assert (unborn.record_type, unborn.given_name, unborn.date_of_birth) == (
        "child",
        "Ayaan",
        TODAY,
    )
    response = client.post(
        reverse("cases:person-name-add", args=[unborn.uuid]),
        {"name_type": "alias", "given_name": "", "family_name": ""},
    )
    assert "Enter a given name or a family name" in response.content.decode()
    client.post(
        reverse("cases:person-name-add", args=[unborn.uuid]),
        {"name_type": "alias", "given_name": "Ayan", "family_name": ""},
    )
    assert unborn.other_names.get().given_name == "Ayan"
    response = client.post(
        reverse("cases:person-address-add", args=[unborn.uuid]),
        {"line_1": "4 Hill Rise", "town": "Brackenford", "postcode": "nope"},
    )
    assert "Enter a real postcode" in response.content.decode()
    assert 'value="4 Hill Rise"' in response.content.decode()
    client.post(
        reverse("cases:person-address-add", args=[unborn.uuid]),
        {"line_1": "4 Hill Rise", "town": "Brackenford", "postcode": "bk2 3hf"},
    )
    assert unborn.addresses.get().postcode == "BK2 3HF"


def test_search_page_shows_the_best_fifty_and_says_how_many_matched(client, practitioner, team):
    for index in range(55):
        PersonFactory(given_name=f"Child{index}", family_name="Nowak", owning_team=team)
    client.force_login(practitioner)
    page = client.get(reverse("cases:search"), {"family_name": "Nowak"}).content.decode()
    assert "55 possible matches" in page
    assert "Showing the 50 best" in page
    assert page.count('class="app-match"') == 50


def test_edit_and_merge_pages_audit_what_they_show(client, locality_manager, team):
    survivor = PersonFactory(owning_team=team)
    duplicate = PersonFactory(owning_team=team)
    client.force_login(locality_manager)
    client.get(reverse("cases:person-edit", args=[survivor.uuid]))
    client.get(reverse("cases:person-merge", args=[survivor.uuid]) + f"?duplicate={duplicate.uuid}")
    viewed = list(
        AuditEvent.objects.filter(actor=locality_manager, action="view")
        .order_by("id")
        .values_list("object_id", flat=True)
    )
    assert viewed == [str(survivor.pk), str(survivor.pk), str(duplicate.pk)]
