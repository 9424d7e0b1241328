"""In-app notifications: the page and the API show the user's own only, mark them read,
and follow a notification's link only within the service."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, Role
from audit.models import AuditEvent
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def notify(user, n=1, *, link="/families/", read=False, start=0):
    now = timezone.now()
    return Notification.objects.bulk_create(
        Notification(
            user=user,
            key=f"test:{start + i}",
            subject=f"TAF review due on {i + 1} January: Family {start + i}",
            body="The Team Around the Family review is due.\n\nArrange the meeting.",
            link=link,
            created_at=now - datetime.timedelta(minutes=start + i),
            read_at=now if read else None,
        )
        for i in range(n)
    )


def row_ids(page):
    return [part.split('"', 1)[0] for part in page.split('data-notification="')[1:]]


# The page


def test_the_page_lists_only_the_users_own_unread_first(client, practitioner, colleague):
    read = notify(practitioner, 1, read=True, start=0)[0]
    unread = notify(practitioner, 2, start=10)
    notify(colleague, 3, start=20)
    Notification.objects.filter(pk=read.pk).update(created_at=timezone.now())

    response = client_for(client, practitioner).get(reverse("notifications:list"))

    assert response.status_code == 200
    page = response.content.decode()
    assert row_ids(page) == [str(unread[0].uuid), str(unread[1].uuid), str(read.uuid)]
    assert page.count(">Unread</strong>") == 2
    assert "You have 2 unread notifications." in page
    assert "Family 20" not in page
    event = AuditEvent.objects.filter(actor=practitioner, action="list").latest("pk")
    assert event.object_type == "accounts.notification"
    assert set(event.detail["ids"]) == {str(n.pk) for n in [read, *unread]}


def test_the_page_needs_signing_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302
    assert reverse("accounts:sign-in") in response["Location"]


def test_the_navigation_links_to_notifications_for_practice_roles(client, practitioner, analyst):
    link = 'class="govuk-service-navigation__link" href="/notifications/"'
    assert link in client_for(client, practitioner).get(reverse("home")).content.decode()
    assert link not in client_for(client, analyst).get(reverse("home")).content.decode()


def test_the_navigation_adds_no_query(client, practitioner):
    # Pages other than the home page and the notifications page do not look up
    # notifications: their query counts stay as they were.
    client_for(client, practitioner)
    client.get(reverse("cases:family-list"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("cases:family-list"))
    notify(practitioner, 5)
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("cases:family-list"))
    assert not any("accounts_notification" in q["sql"] for q in after.captured_queries)
    assert len(after.captured_queries) == len(before.captured_queries)


def test_marking_one_read_goes_to_its_link(client, practitioner):
    notification = notify(practitioner, link="/families/")[0]
    client_for(client, practitioner)

    response = client.post(reverse("notifications:read", args=[notification.uuid]))

    assert response.status_code == 302
    assert response["Location"] == "/families/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    # Again: still read, the first time kept.
    client.post(reverse("notifications:read", args=[notification.uuid]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/",
        "//evil.example.com/",
        "/\\evil.example.com/",
        "javascript:alert(1)",
        "",
        "families/",
    ],
)
def test_a_link_off_the_site_is_never_followed(client, practitioner, link):
    notification = notify(practitioner, link=link)[0]
    response = client_for(client, practitioner).post(
        reverse("notifications:read", args=[notification.uuid])
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_reading_needs_post(client, practitioner):
    notification = notify(practitioner)[0]
    response = client_for(client, practitioner).get(
        reverse("notifications:read", args=[notification.uuid])
    )
    assert response.status_code == 405
    notification.refresh_from_db()
    assert notification.read_at is None


@pytest.mark.parametrize("who", ["colleague", "outsider", "locality_manager"])
def test_another_users_notification_is_not_found(client, practitioner, request, who):
    notification = notify(practitioner)[0]
    other = request.getfixturevalue(who)
    response = client_for(client, other).post(
        reverse("notifications:read", args=[notification.uuid])
    )
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None
    page = client.get(reverse("notifications:list")).content.decode()
    assert str(notification.uuid) not in page


def test_read_all_marks_only_the_users_own(client, practitioner, colleague):
    notify(practitioner, 3)
    theirs = notify(colleague, 2, start=10)
    client_for(client, practitioner)

    response = client.post(reverse("notifications:read-all"), follow=True)

    assert response.redirect_chain == [(reverse("notifications:list"), 302)]
    assert "3 notifications marked as read" in response.content.decode()
    assert "You have no unread notifications." in response.content.decode()
    assert Notification.objects.filter(user=practitioner, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(pk__in=[n.pk for n in theirs], read_at=None).count() == 2


def test_no_notifications(client, practitioner):
    page = client_for(client, practitioner).get(reverse("notifications:list")).content.decode()
    assert "You have no notifications." in page
    assert "Mark all as read" not in page


@pytest.mark.parametrize("rows", [2, 50])
def test_page_queries_do_not_grow_with_rows(
    client, practitioner, rows, django_assert_max_num_queries
):
    notify(practitioner, rows)
    client_for(client, practitioner)
    with django_assert_max_num_queries(11):
        response = client.get(reverse("notifications:list"))
    assert len(row_ids(response.content.decode())) == rows


def test_the_page_is_paginated_at_50(client, practitioner):
    notify(practitioner, 55)
    client_for(client, practitioner)
    assert len(row_ids(client.get(reverse("notifications:list")).content.decode())) == 50
    page_two = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert len(row_ids(page_two)) == 5


# The API


def test_api_lists_only_the_users_own(api_client, practitioner, colleague):
    own = notify(practitioner, 2)
    notify(colleague, 2, start=10)
    api_client.force_authenticate(practitioner)

    response = api_client.get("/api/notifications/")

    assert response.status_code == 200
    assert [item["uuid"] for item in response.json()["results"]] == [str(n.uuid) for n in own]
    assert response.json()["results"][0]["subject"] == own[0].subject


def test_api_filters_unread(api_client, practitioner):
    read = notify(practitioner, 1, read=True)
    unread = notify(practitioner, 2, start=10)
    api_client.force_authenticate(practitioner)

    unread_only = api_client.get("/api/notifications/", {"unread": "true"}).json()["results"]
    read_only = api_client.get("/api/notifications/", {"unread": "false"}).json()["results"]

    assert {item["uuid"] for item in unread_only} == {str(n.uuid) for n in unread}
    assert [item["uuid"] for item in read_only] == [str(read[0].uuid)]


def test_api_marks_one_read(api_client, practitioner):
    notification = notify(practitioner)[0]
    api_client.force_authenticate(practitioner)

    response = api_client.post(f"/api/notifications/{notification.uuid}/read/")

    assert response.status_code == 200
    assert response.json()["read_at"] is not None
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert api_client.get(f"/api/notifications/{notification.uuid}/").status_code == 200
    assert AuditEvent.objects.filter(
        actor=practitioner, action="view", object_id=str(notification.pk)
    ).exists()


@pytest.mark.parametrize("who", ["colleague", "outsider", "locality_manager"])
def test_api_another_users_notification_is_not_found(api_client, practitioner, request, who):
    notification = notify(practitioner)[0]
    api_client.force_authenticate(request.getfixturevalue(who))

    assert api_client.get(f"/api/notifications/{notification.uuid}/").status_code == 404
    assert api_client.post(f"/api/notifications/{notification.uuid}/read/").status_code == 404
    assert api_client.get("/api/notifications/").json()["results"] == []
    notification.refresh_from_db()
    assert notification.read_at is None


def test_api_needs_a_role(api_client):
    user = UserFactory(roles=[])
    api_client.force_authenticate(user)
    assert api_client.get("/api/notifications/").status_code == 403
    api_client.force_authenticate(UserFactory(roles=[Role.PERFORMANCE_ANALYST]))
    assert api_client.get("/api/notifications/").status_code == 200


@pytest.mark.parametrize("rows", [2, 50])
def test_api_list_queries_do_not_grow_with_rows(
    api_client, practitioner, rows, django_assert_max_num_queries
):
    notify(practitioner, rows)
    api_client.force_authenticate(practitioner)
    with django_assert_max_num_queries(9):
        response = api_client.get("/api/notifications/")
    assert len(response.json()["results"]) == rows


def test_the_home_page_says_how_many_notifications_are_unread(client):
    reader = UserFactory(roles=[Role.PRACTITIONER])
    other = UserFactory(roles=[Role.PRACTITIONER])
    for number in range(3):
        Notification.objects.create(user=reader, key=f"k{number}", subject=f"Review {number}")
    Notification.objects.create(user=other, key="k", subject="Not theirs")
    Notification.objects.filter(user=reader, key="k0").update(read_at=timezone.now())
    client.force_login(reader)
    page = client.get(reverse("home")).content.decode()
    assert "2 unread notifications</a>" in page
    Notification.objects.filter(user=reader).update(read_at=timezone.now())
    assert "unread notification" not in client.get(reverse("home")).content.decode()
