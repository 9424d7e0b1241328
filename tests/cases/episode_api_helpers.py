"""Set-up and checks shared by the episode API tests: a locality with its teams and
users, and the refusal a response should be."""

from tests.cases.episode_helpers import make_locality


def make_place(name="North"):
    return make_locality(name, social_care="Social Care", managers_join_the_agency=True)


def url(episode, step=""):
    return f"/api/episodes/{episode.uuid}/" + (f"{step}/" if step else "")


def refused(response, code, field=None):
    assert response.status_code == code, response.json()
    body = response.json()
    if field:
        assert field in body["errors"], body
    return body
