"""The gds template tags: tags, summary lists, pagination, notification banners and the
back link. None of this touches the database."""

import pytest
from django.contrib.messages import INFO, SUCCESS
from django.contrib.messages.storage.base import Message
from django.core.paginator import Paginator
from django.test import RequestFactory
from django.utils.safestring import mark_safe

from tests.gds.rendering_helpers import assert_in_html, attr, find, find_all, render, text

# Template tags


@pytest.mark.parametrize("colour", ["grey", "green", "teal", "purple", "red", "orange", "yellow"])
def test_tag_colours(colour):
    html = render("{% gds_tag 'Open' colour %}", colour=colour)
    assert_in_html(f'<strong class="govuk-tag govuk-tag--{colour}">Open</strong>', html)


def test_tag_defaults_to_blue_and_escapes_its_text():
    assert render("{% gds_tag name %}", name="<i>Sam</i>") == (
        '<strong class="govuk-tag">&lt;i&gt;Sam&lt;/i&gt;</strong>'
    )
    assert render("{% gds_tag 'Open' 'blue' %}") == '<strong class="govuk-tag">Open</strong>'


def test_tag_rejects_unknown_colours():
    with pytest.raises(ValueError, match="tag colour"):
        render("{% gds_tag 'Open' 'beige' %}")


def test_summary_list_escapes_text_and_keeps_safe_html():
    rows = [
        ("Name", "<script>alert(1)</script>"),
        {"key": "Address", "value": mark_safe("1 High Street<br>Brackton")},
        {"key": "Date of birth", "value": None, "href": "/change?field=dob&step=2"},
    ]
    html = render("{% gds_summary_list rows %}", rows=rows)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "1 High Street<br>Brackton" in html
    assert [text(key) for key in find_all(html, "dt", class_="govuk-summary-list__key")] == [
        "Name",
        "Address",
        "Date of birth",
    ]
    assert_in_html(
        '<dd class="govuk-summary-list__actions"><a class="govuk-link"'
        ' href="/change?field=dob&amp;step=2">Change'
        '<span class="govuk-visually-hidden"> date of birth</span></a></dd>',
        html,
    )
    no_actions = find_all(html, "div", class_="govuk-summary-list__row--no-actions")
    assert len(no_actions) == 2
    assert text(find_all(html, "dd", class_="govuk-summary-list__value")[2]) == ""


def test_summary_list_action_text():
    rows = [{"key": "Email", "value": "a@b.test", "href": "/e", "action_text": "Edit"}]
    html = render("{% gds_summary_list rows %}", rows=rows)
    assert text(find(html, "a")) == "Edit email"
    assert not find_all(html, "div", class_="govuk-summary-list__row--no-actions")


def paginate(number, query="status=open&q=Sm%C3%ADth"):
    page = Paginator(range(100), 10).page(number)
    request = RequestFactory().get(f"/cases/?{query}&page={number}")
    return render("{% gds_pagination page %}", page=page, request=request)


def page_links(html):
    return [
        (text(item), attr(find(str(item), "a"), "href") if find_all(str(item), "a") else None)
        for item in find_all(html, "li", class_="govuk-pagination__item")
    ]


def test_pagination_first_page():
    html = paginate(1)
    assert not find_all(html, "div", class_="govuk-pagination__prev")
    next_link = find(str(find(html, "div", class_="govuk-pagination__next")), "a")
    assert attr(next_link, "href") == "?status=open&q=Sm%C3%ADth&page=2"
    assert attr(next_link, "rel") == "next"
    assert [number for number, _ in page_links(html)] == ["1", "2", "⋯", "10"]
    current = find(html, "li", class_="govuk-pagination__item--current")
    assert attr(find(str(current), "a"), "aria-current") == "page"
    assert text(current) == "1"


def test_pagination_middle_page_has_ellipses_both_sides():
    html = paginate(5)
    assert page_links(html) == [
        ("1", "?status=open&q=Sm%C3%ADth&page=1"),
        ("⋯", None),
        ("4", "?status=open&q=Sm%C3%ADth&page=4"),
        ("5", "?status=open&q=Sm%C3%ADth&page=5"),
        ("6", "?status=open&q=Sm%C3%ADth&page=6"),
        ("⋯", None),
        ("10", "?status=open&q=Sm%C3%ADth&page=10"),
    ]
    assert 'href="?status=open&amp;q=Sm%C3%ADth&amp;page=4"' in html
    prev_link = find(str(find(html, "div", class_="govuk-pagination__prev")), "a")
    assert (attr(prev_link, "href"), attr(prev_link, "rel")) == (
        "?status=open&q=Sm%C3%ADth&page=4",
        "prev",
    )


def test_pagination_shows_a_single_hidden_page_instead_of_an_ellipsis():
    assert [number for number, _ in page_links(paginate(3))] == ["1", "2", "3", "4", "⋯", "10"]


def test_pagination_last_page():
    html = paginate(10, query="")
    assert not find_all(html, "div", class_="govuk-pagination__next")
    assert [number for number, _ in page_links(html)] == ["1", "⋯", "9", "10"]
    assert page_links(html)[-1] == ("10", "?page=10")


def test_pagination_is_hidden_for_a_single_page():
    page = Paginator(range(5), 10).page(1)
    assert render("{% gds_pagination page %}", page=page).strip() == ""


def test_messages_become_notification_banners():
    messages = [
        Message(SUCCESS, "Referral sent for <b>Sam</b>"),
        Message(INFO, "The service closes at 5pm"),
    ]
    html = render("{% gds_messages %}", messages=messages)
    success, important = find_all(html, "div", class_="govuk-notification-banner")
    assert "govuk-notification-banner--success" in attr(success, "class")
    assert attr(success, "role") == "alert"
    assert attr(success, "data-module") == "govuk-notification-banner"
    assert text(find(str(success), "h2")) == "Success"
    assert "Referral sent for &lt;b&gt;Sam&lt;/b&gt;" in str(success)
    assert attr(important, "role") == "region"
    assert attr(important, "class") == "govuk-notification-banner"
    assert text(find(str(important), "h2")) == "Important"
    title_id = attr(find(str(important), "h2"), "id")
    assert attr(important, "aria-labelledby") == title_id
    assert title_id != attr(find(str(success), "h2"), "id")
    assert render("{% gds_messages %}").strip() == ""


def test_back_link():
    assert render("{% gds_back_link href %}", href="/cases/?q=a&b=c") == (
        '<a href="/cases/?q=a&amp;b=c" class="govuk-back-link">Back</a>'
    )
    assert render("{% gds_back_link '/' 'Back to cases' %}") == (
        '<a href="/" class="govuk-back-link">Back to cases</a>'
    )
