"""Checks shared by the tests of pages with forms."""


def shown_again_with_errors(response):
    """The page's HTML, after checking that the form came back (200, not a redirect) with
    the GOV.UK error summary above it."""
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    return page
