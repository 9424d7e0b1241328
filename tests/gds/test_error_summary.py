"""The GOV.UK error summary: links to each erroring field, escaped messages, and the
page title's error prefix. None of this touches the database."""

from django import forms

from tests.gds.rendering_helpers import (
    VALID_DATA,
    ReferralForm,
    attr,
    find,
    find_all,
    invalid_form,
    render,
    text,
)

# Error summary


def test_error_summary_links_each_error_to_its_field():
    form = invalid_form()
    html = render("{% gds_error_summary form %}", form=form)
    summary = find(html, "div", class_="govuk-error-summary")
    assert attr(summary, "data-module") == "govuk-error-summary"
    assert text(find(html, "h2", class_="govuk-error-summary__title")) == "There is a problem"
    items = find_all(html, "li")
    assert text(items[0]) == "Use a real email address"
    assert not find_all(str(items[0]), "a")
    links = [(attr(link, "href"), text(link)) for link in find_all(html, "a")]
    assert links == [
        ("#id_school", "This field is required."),
        ("#id_date_of_birth_day", "Date of birth must be a real date"),
    ]


def test_error_summary_links_radios_and_checkboxes_to_their_first_input():
    html = render("{% gds_error_summary form %}", form=ReferralForm(data={}))
    hrefs = [attr(link, "href") for link in find_all(html, "a")]
    assert hrefs == [
        "#id_name",
        "#id_password",
        "#id_school",
        "#id_contact_0",
        "#id_needs_0",
        "#id_date_of_birth_day",
    ]


def test_error_summary_escapes_messages():
    class ChoiceForm(forms.Form):
        school = forms.ChoiceField(choices=[("oak", "Oak")])

    form = ChoiceForm(data={"school": "<b>x</b>"})
    html = render("{% gds_error_summary form %}", form=form)
    assert "<b>" not in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html


def test_error_summary_combines_forms_and_is_empty_without_errors():
    data = {f"first-{name}": value for name, value in VALID_DATA.items()}
    with_errors = ReferralForm(data={**data, "first-name": ""}, prefix="first")
    html = render("{% gds_error_summary a b c %}", a=ReferralForm(), b=with_errors, c=None)
    assert [attr(link, "href") for link in find_all(html, "a")] == ["#id_first-name"]
    assert render("{% gds_error_summary form %}", form=ReferralForm()).strip() == ""
    assert render("{% gds_error_summary form %}").strip() == ""
    valid = ReferralForm(data=VALID_DATA)
    assert render("{% gds_error_summary form %}", form=valid).strip() == ""


def test_form_has_errors():
    template = "{% if form|form_has_errors %}Error: {% endif %}Refer a family"
    assert render(template, form=invalid_form()) == "Error: Refer a family"
    assert render(template, form=ReferralForm()) == "Refer a family"
    assert render(template, form=ReferralForm(data=VALID_DATA)) == "Refer a family"
    assert render(template) == "Refer a family"
