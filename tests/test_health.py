def test_health_answers_over_plain_http_even_when_https_is_enforced(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/healthz/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert client.get("/sign-in/").status_code == 301


def test_a_disallowed_host_is_a_400_page_not_a_500(client, db):
    response = client.get("/sign-in/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "Bad request" in response.content.decode()
