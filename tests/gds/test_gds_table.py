"""The {% gds_table %} tag: the caption and headings of a GOV.UK table written once, with
the rows between the tags."""

import pytest
from django.template import TemplateSyntaxError

from tests.gds.rendering_helpers import render


def table(caption, *headers, body="", caption_class="govuk-visually-hidden"):
    """The markup gds_table writes around a caption, <th> elements and a body."""
    return (
        '<table class="govuk-table">\n'
        f'<caption class="govuk-table__caption {caption_class}">{caption}</caption>\n'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        + "\n".join(headers)
        + "\n</tr></thead>\n"
        f'<tbody class="govuk-table__body">{body}</tbody>\n'
        "</table>"
    )


def test_table_writes_its_caption_and_headings_around_the_rows_between_its_tags():
    html = render(
        "{% gds_table 'Teams' 'Name' 'Locality' %}"
        "{% for name, place in rows %}<tr><td>{{ name }}</td><td>{{ place }}</td></tr>{% endfor %}"
        "{% endgds_table %}",
        rows=[("North", "Brackton"), ("South", "Wexmoor")],
    )
    assert html == (
        '<table class="govuk-table">\n'
        '<caption class="govuk-table__caption govuk-visually-hidden">Teams</caption>\n'
        '<thead class="govuk-table__head"><tr class="govuk-table__row">\n'
        '<th scope="col" class="govuk-table__header">Name</th>\n'
        '<th scope="col" class="govuk-table__header">Locality</th>\n'
        "</tr></thead>\n"
        '<tbody class="govuk-table__body">'
        "<tr><td>North</td><td>Brackton</td></tr><tr><td>South</td><td>Wexmoor</td></tr>"
        "</tbody>\n"
        "</table>"
    )


def test_table_caption_from_a_variable_with_a_visible_caption_class():
    html = render(
        "{% gds_table caption 'Name' caption_class=size %}{% endgds_table %}",
        caption="Members of North",
        size="govuk-table__caption--s",
    )
    assert html == table(
        "Members of North",
        '<th scope="col" class="govuk-table__header">Name</th>',
        caption_class="govuk-table__caption--s",
    )


def test_table_numeric_heading_is_right_aligned():
    html = render("{% gds_table 'Teams' 'Name' 'Members'|numeric %}{% endgds_table %}")
    assert html == table(
        "Teams",
        '<th scope="col" class="govuk-table__header">Name</th>',
        '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Members</th>',
    )


def test_table_visually_hidden_heading_is_for_screen_readers_only():
    html = render("{% gds_table 'Teams' 'Name' 'Actions'|visually_hidden %}{% endgds_table %}")
    assert html == table(
        "Teams",
        '<th scope="col" class="govuk-table__header">Name</th>',
        '<th scope="col" class="govuk-table__header">'
        '<span class="govuk-visually-hidden">Actions</span></th>',
    )


CONDITIONAL_TABLE = (
    "{% gds_table 'Attendees' 'Name' 'Agency'|shown_if:show_agency"
    " 'Action'|visually_hidden|shown_if:actions.change %}{% endgds_table %}"
)
NAME = '<th scope="col" class="govuk-table__header">Name</th>'
AGENCY = '<th scope="col" class="govuk-table__header">Agency</th>'
ACTION = (
    '<th scope="col" class="govuk-table__header">'
    '<span class="govuk-visually-hidden">Action</span></th>'
)


@pytest.mark.parametrize(
    "context, headers",
    [
        ({"show_agency": True, "actions": {"change": "/change"}}, [NAME, AGENCY, ACTION]),
        ({"show_agency": False, "actions": {"change": ""}}, [NAME]),
        ({"show_agency": True, "actions": {}}, [NAME, AGENCY]),
        ({}, [NAME]),
    ],
    ids=["shown", "hidden", "missing-key", "missing-variables"],
)
def test_table_conditional_heading_is_left_out_unless_its_condition_holds(context, headers):
    assert render(CONDITIONAL_TABLE, **context) == table("Attendees", *headers)


def test_table_escapes_its_caption_and_headings():
    script = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    html = render(
        "{% gds_table text text text|numeric text|visually_hidden text|shown_if:text %}"
        "{% endgds_table %}",
        text=script,
    )
    assert "<script>" not in html
    assert html == table(
        escaped,
        f'<th scope="col" class="govuk-table__header">{escaped}</th>',
        f'<th scope="col" class="govuk-table__header govuk-table__header--numeric">{escaped}</th>',
        '<th scope="col" class="govuk-table__header">'
        f'<span class="govuk-visually-hidden">{escaped}</span></th>',
        f'<th scope="col" class="govuk-table__header">{escaped}</th>',
    )


def test_table_needs_a_caption():
    with pytest.raises(TemplateSyntaxError, match="gds_table needs a caption"):
        render("{% gds_table %}{% endgds_table %}")
