"""Files sent with a request: downloaded only through the access policy, and audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditAction, AuditEvent
from tests.factories import TeamFactory, UserFactory
from tests.referrals.screening_helpers import make_triage_officer, submit_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"\x00" * 64


@pytest.fixture
def request_with_file(practitioner):
    upload = SimpleUploadedFile("school report.pdf", PDF, content_type="application/pdf")
    return submit_request(practitioner, attachments=[upload])


def download(client, user, request_for_support):
    attachment = request_for_support.attachments.get()
    client.force_login(user)
    url = reverse("referrals:attachment-download", args=[request_for_support.uuid, attachment.pk])
    return client.get(url)


def test_the_requester_and_triage_download_the_file_as_an_attachment(
    client, practitioner, team, request_with_file
):
    for user in (practitioner, make_triage_officer(team)):
        response = download(client, user, request_with_file)

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"].startswith("attachment;")
        assert "school report.pdf" in response["Content-Disposition"]
        assert "sandbox" in response["Content-Security-Policy"]
        assert AuditEvent.objects.filter(
            actor=user, action=AuditAction.EXPORT, object_id=str(request_with_file.pk)
        ).exists()


def test_the_request_page_links_the_file(client, practitioner, request_with_file):
    attachment = request_with_file.attachments.get()
    client.force_login(practitioner)

    page = client.get(reverse("referrals:request-detail", args=[request_with_file.uuid]))

    url = reverse("referrals:attachment-download", args=[request_with_file.uuid, attachment.pk])
    assert f'href="{url}"' in page.content.decode()


def test_nobody_else_learns_the_file_exists(client, request_with_file):
    stranger = UserFactory(roles=["practitioner"], teams=[TeamFactory()])

    assert download(client, stranger, request_with_file).status_code == 404
    assert not AuditEvent.objects.filter(actor=stranger, action=AuditAction.EXPORT).exists()


def test_files_are_not_served_from_a_public_address(client, practitioner, request_with_file):
    attachment = request_with_file.attachments.get()
    client.force_login(practitioner)

    assert client.get(f"/media/{attachment.file.name}").status_code == 404


def test_the_requester_adds_a_file_through_the_api_and_downloads_it(
    api_client, practitioner, request_with_file
):
    api_client.force_authenticate(practitioner)
    url = f"/api/requests/{request_with_file.uuid}/attachments/"
    chronology = SimpleUploadedFile("chronology.pdf", PDF, content_type="application/pdf")

    response = api_client.post(url, {"file": chronology}, format="multipart")

    assert response.status_code == 201, response.json()
    added = response.json()
    assert added["original_name"] == "chronology.pdf" and added["size"] == len(PDF)
    listed = api_client.get(url).json()
    assert [item["original_name"] for item in listed] == ["school report.pdf", "chronology.pdf"]
    download = api_client.get(added["download"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(
        actor=practitioner, action=AuditAction.EXPORT, detail__attachment="chronology.pdf"
    ).exists()


def test_a_file_that_is_not_what_it_says_is_refused_on_the_field(
    api_client, practitioner, request_with_file
):
    api_client.force_authenticate(practitioner)
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")

    response = api_client.post(
        f"/api/requests/{request_with_file.uuid}/attachments/", {"file": fake}, format="multipart"
    )

    assert response.status_code == 400
    assert "not a real PDF" in response.json()["errors"]["file"][0]
    assert request_with_file.attachments.count() == 1


def test_others_cannot_add_files(api_client, colleague, request_with_file):
    api_client.force_authenticate(colleague)
    upload = SimpleUploadedFile("x.pdf", PDF, content_type="application/pdf")
    response = api_client.post(
        f"/api/requests/{request_with_file.uuid}/attachments/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 404


@pytest.mark.parametrize("count", [2, 50])
def test_the_file_list_queries_do_not_grow(
    api_client, practitioner, django_assert_max_num_queries, count
):
    request = submit_request(practitioner)
    for n in range(count):
        request.attachments.create(
            file=SimpleUploadedFile(f"f{n}.pdf", PDF), original_name=f"f{n}.pdf", size=len(PDF)
        )
    api_client.force_authenticate(practitioner)
    with django_assert_max_num_queries(7):
        response = api_client.get(f"/api/requests/{request.uuid}/attachments/")
    assert len(response.json()) == count
