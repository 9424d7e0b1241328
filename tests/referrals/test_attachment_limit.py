"""Issue 13, finding 12: one limit on the files sent with a request. The forms offer that
many file fields and say so, the user guide (docs/user-guide.md) says so, and the API and
the service refuse more (the API with a 400 naming the field), however the files arrive."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from referrals.models import MAX_ATTACHMENTS
from tests.referrals.screening_helpers import make_triage_officer, submit_request

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n" + b"\x00" * 64
USER_GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
NUMBER_WORDS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}


def pdfs(count, start=1):
    return [
        SimpleUploadedFile(f"file {n}.pdf", PDF, content_type="application/pdf")
        for n in range(start, start + count)
    ]


def test_the_limit_is_the_one_the_user_guide_and_the_forms_promise():
    assert MAX_ATTACHMENTS == 3
    guide = " ".join(USER_GUIDE.read_text().split())
    assert f"up to {NUMBER_WORDS[MAX_ATTACHMENTS]} attachments" in guide


@pytest.mark.parametrize("url_name", ["referrals:request-create", "referrals:public-request"])
def test_each_form_offers_as_many_file_fields_as_the_limit_and_says_so(
    client, practitioner, url_name
):
    if url_name == "referrals:request-create":
        client.force_login(practitioner)
    page = client.get(reverse(url_name)).content.decode()
    assert page.count('type="file"') == MAX_ATTACHMENTS
    assert f"Up to {MAX_ATTACHMENTS} files" in page


def test_the_api_refuses_a_file_past_the_limit_with_a_400_on_the_field(
    api_client, practitioner, team
):
    request_for_support = submit_request(practitioner, attachments=pdfs(1))
    url = f"/api/requests/{request_for_support.uuid}/attachments/"
    api_client.force_authenticate(practitioner)
    for upload in pdfs(2, start=2):
        assert api_client.post(url, {"file": upload}, format="multipart").status_code == 201

    for user in (practitioner, make_triage_officer(team)):
        api_client.force_authenticate(user)
        [fourth] = pdfs(1, start=4)
        response = api_client.post(url, {"file": fourth}, format="multipart")

        assert response.status_code == 400
        assert response.json()["errors"]["file"] == ["A request can have at most 3 files"]
    assert request_for_support.attachments.count() == 3


def test_a_request_sent_with_more_files_than_the_limit_is_refused(practitioner):
    with pytest.raises(ValidationError) as refused:
        submit_request(practitioner, attachments=pdfs(4))

    assert refused.value.message_dict["attachments"] == ["Attach at most 3 files"]
