"""Fixtures shared by the tests of the referrals app."""

import pytest

from tests.referrals.screening_api_helpers import okafor_household
from tests.referrals.screening_helpers import make_triage_officer, submit_request


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Files the tests upload go to a folder of their own, not the real media folder."""
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def triage_officer(team):
    return make_triage_officer(team)


@pytest.fixture
def request_for_support(practitioner):
    return submit_request(practitioner)


@pytest.fixture
def family(team):
    """A household owned by the triage officer's team, so the decided request stays open
    to them."""
    family, _ = okafor_household(team)
    return family


@pytest.fixture
def officer_client(client, triage_officer):
    client.force_login(triage_officer)
    return client
