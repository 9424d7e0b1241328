import pytest
from django.urls import reverse

from tests.thresholds.helpers import framework_yaml, published_framework
from thresholds import selectors, services
from thresholds.models import Framework, Indicator

pytestmark = pytest.mark.django_db


# The public page


def test_the_public_page_shows_the_current_framework_without_signing_in(client):
    response = client.get("/thresholds/")
    assert response.status_code == 200
    page = response.content.decode()
    for name in (
        "Universal",
        "Additional needs",
        "Multiple needs, early help with a TAF",
        "Specialist / children&#x27;s social care",
    ):
        assert name in page
    assert "Parental substance misuse affecting the care of the child" in page
    assert "Parenting capacity" in page
    assert "govuk-tag--red" in page
    assert "Version" in page and "Current" in page
    assert "superseded" not in page.lower()


def test_the_footer_links_to_the_public_page(client):
    assert 'href="/thresholds/"' in client.get(reverse("home"), follow=True).content.decode()


def test_an_older_version_is_shown_marked_superseded(client):
    old = selectors.current_framework()
    published_framework(indicators=3, name="Our new thresholds")
    current = client.get("/thresholds/").content.decode()
    assert "Our new thresholds" in current and "Indicator number 1" in current
    assert f"/thresholds/versions/{old.uuid}/" in current
    response = client.get(f"/thresholds/versions/{old.uuid}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "This version has been superseded" in page
    assert "Parental substance misuse affecting the care of the child" in page


def test_drafts_are_not_public(client, system_administrator):
    draft = services.framework_import(
        by=system_administrator, data=framework_yaml(), source_name="draft.yaml"
    )
    assert client.get(f"/thresholds/versions/{draft.uuid}/").status_code == 404


@pytest.mark.parametrize("indicators", [2, 50])
def test_the_public_page_query_count_does_not_grow_with_indicators(
    client, django_assert_max_num_queries, indicators
):
    published_framework(indicators=indicators)
    with django_assert_max_num_queries(6):
        response = client.get("/thresholds/")
    assert response.status_code == 200
    assert response.content.decode().count("Indicator number") == indicators


# The API


def test_the_api_lists_published_versions_without_signing_in(api_client, system_administrator):
    published_framework()
    services.framework_import(by=system_administrator, data=framework_yaml(), source_name="d.yaml")
    response = api_client.get("/api/thresholds/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert [(row["version"], row["status"]) for row in results] == [
        (2, "current"),
        (1, "superseded"),
    ]


def test_the_api_current_and_detail_nest_levels_domains_and_indicators(api_client):
    framework = published_framework(indicators=3)
    current = api_client.get("/api/thresholds/current/").json()
    assert current["uuid"] == str(framework.uuid)
    assert [level["rank"] for level in current["levels"]] == [1, 2, 3, 4]
    assert current["levels"][3]["statutory"] is True
    assert [domain["key"] for domain in current["domains"]] == ["child", "parenting", "family"]
    assert current["indicators"][1] == {
        "uuid": str(Indicator.objects.get(framework=framework, text="Indicator number 1").uuid),
        "text": "Indicator number 1",
        "level": 2,
        "level_uuid": str(framework.levels.get(rank=2).uuid),
        "domain": "parenting",
    }
    detail = api_client.get(f"/api/thresholds/{framework.uuid}/").json()
    assert detail == current


def test_the_api_is_read_only(api_client, system_administrator):
    framework = selectors.current_framework()
    api_client.force_authenticate(system_administrator)
    assert api_client.post("/api/thresholds/", {"name": "x"}).status_code == 405
    assert api_client.patch(f"/api/thresholds/{framework.uuid}/", {"name": "x"}).status_code == 405
    assert api_client.delete(f"/api/thresholds/{framework.uuid}/").status_code == 405


def test_the_api_hides_drafts(api_client, system_administrator):
    draft = services.framework_import(
        by=system_administrator, data=framework_yaml(), source_name="d.yaml"
    )
    assert api_client.get(f"/api/thresholds/{draft.uuid}/").status_code == 404


@pytest.mark.parametrize("indicators", [2, 50])
@pytest.mark.parametrize("endpoint", ["list", "current", "detail"])
def test_the_api_query_count_does_not_grow_with_indicators(
    api_client, django_assert_max_num_queries, indicators, endpoint
):
    framework = published_framework(indicators=indicators)
    url = {
        "list": "/api/thresholds/",
        "current": "/api/thresholds/current/",
        "detail": f"/api/thresholds/{framework.uuid}/",
    }[endpoint]
    with django_assert_max_num_queries(5):
        response = api_client.get(url)
    assert response.status_code == 200
    if endpoint != "list":
        assert len(response.json()["indicators"]) == indicators


# The admin


def _change_form_data(framework, **changes):
    """The change form as the admin would post it, with the inline rows as they are."""
    data = {"name": framework.name, "description": framework.description}
    for prefix, rows, fields in (
        ("levels", framework.levels.all(), ["rank", "name", "description", "colour"]),
        ("domains", framework.domains.all(), ["position", "key", "name", "description"]),
        ("indicators", framework.indicators.all(), ["position", "text", "domain", "level"]),
    ):
        rows = list(rows)
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(len(rows)),
                f"{prefix}-INITIAL_FORMS": str(len(rows)),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
        for index, row in enumerate(rows):
            data[f"{prefix}-{index}-id"] = str(row.pk)
            data[f"{prefix}-{index}-framework"] = str(framework.pk)
            for field in fields:
                value = (
                    getattr(row, f"{field}_id", None)
                    if field in ("domain", "level")
                    else (getattr(row, field))
                )
                data[f"{prefix}-{index}-{field}"] = "" if value is None else str(value)
            if prefix == "levels" and row.statutory:
                data[f"{prefix}-{index}-statutory"] = "on"
    data.update(changes)
    return data


def test_a_published_version_cannot_be_changed_in_the_admin(client, system_administrator):
    framework = selectors.current_framework()
    client.force_login(system_administrator)
    url = reverse("admin:thresholds_framework_change", args=[framework.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Parental substance misuse" in page.content.decode()
    response = client.post(
        url, _change_form_data(framework, **{"name": "Changed", "indicators-0-text": "Changed"})
    )
    assert response.status_code == 403
    framework.refresh_from_db()
    assert framework.name == "Thresholds of need"
    assert not framework.indicators.filter(text="Changed").exists()


def test_a_draft_can_be_edited_in_the_admin_by_a_system_administrator(client, system_administrator):
    draft = services.framework_copy_to_draft(
        by=system_administrator, framework=selectors.current_framework()
    )
    client.force_login(system_administrator)
    url = reverse("admin:thresholds_framework_change", args=[draft.pk])
    response = client.post(
        url,
        _change_form_data(
            draft, **{"name": "Revised thresholds", "indicators-0-text": "A revised indicator"}
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.name == "Revised thresholds"
    assert draft.indicators.filter(text="A revised indicator").exists()
    assert not selectors.current_framework().indicators.filter(text="A revised indicator").exists()


def test_practitioners_cannot_reach_the_framework_admin(client, practitioner):
    client.force_login(practitioner)
    response = client.get(reverse("admin:thresholds_framework_changelist"), follow=True)
    assert response.status_code == 403


def test_the_publish_action_makes_a_draft_current(client, system_administrator):
    draft = services.framework_import(
        by=system_administrator, data=framework_yaml(), source_name="d.yaml"
    )
    client.force_login(system_administrator)
    response = client.post(
        reverse("admin:thresholds_framework_changelist"),
        {"action": "publish", "_selected_action": [str(draft.pk)]},
        follow=True,
    )
    assert response.status_code == 200
    assert f"Version {draft.version} is now the current framework" in response.content.decode()
    assert selectors.current_framework() == draft
    assert Framework.objects.filter(is_current=True).count() == 1
