"""GOV.UK form rendering: each widget's component, and what an erroring form shows. None of
this touches the database."""

import datetime

from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.gds.rendering_helpers import (
    VALID_DATA,
    ReferralForm,
    assert_in_html,
    attr,
    find,
    find_all,
    invalid_form,
    text,
)


def is_checked(element):
    return "checked" in dict(element.attributes)


# Unbound form


def test_text_input_has_label_hint_and_keeps_widget_attrs():
    html = str(ReferralForm())
    assert_in_html(
        '<div class="govuk-form-group">'
        '<label class="govuk-label" for="id_name">Name</label>'
        '<div id="id_name-hint" class="govuk-hint">As it appears on their birth certificate</div>'
        '<input type="text" name="name" id="id_name" class="govuk-input govuk-input--width-20"'
        ' autocomplete="name" aria-describedby="id_name-hint" required>'
        "</div>",
        html,
    )


def test_optional_fields_say_so_and_required_ones_are_unmarked():
    html = str(ReferralForm())
    assert text(find(html, "label", for_="id_email")) == "Email (optional)"
    assert text(find(html, "label", for_="id_notes")) == "Notes (optional)"
    assert text(find(html, "label", for_="id_attachment")) == "Attachment (optional)"
    assert text(find(html, "label", for_="id_password")) == "Password"
    assert "*" not in html
    # A single checkbox is a statement to agree with, not a question to skip.
    assert text(find(html, "label", for_="id_consent")) == "The family agrees to this referral"


def test_each_widget_gets_its_govuk_component():
    html = str(ReferralForm())
    assert_in_html(
        '<input type="email" name="email" maxlength="320" class="govuk-input" id="id_email">', html
    )
    assert_in_html(
        '<input type="password" name="password" class="govuk-input" required id="id_password">',
        html,
    )
    assert attr(find(html, "textarea", id="id_notes"), "class") == "govuk-textarea"
    assert attr(find(html, "select", id="id_school"), "class") == "govuk-select"
    assert_in_html(
        '<input type="file" name="attachment" class="govuk-file-upload" id="id_attachment">', html
    )
    assert_in_html('<input type="hidden" name="case_reference" id="id_case_reference">', html)
    assert not find_all(html, "label", for_="id_case_reference")


def test_radios_are_a_fieldset_with_govuk_items():
    html = str(ReferralForm())
    fieldset = str(find_all(html, "fieldset")[0])
    assert text(find(fieldset, "legend", class_="govuk-fieldset__legend")) == "Contact"
    radios = find(fieldset, "div", class_="govuk-radios govuk-radios--inline")
    assert attr(radios, "data-module") == "govuk-radios"
    assert_in_html(
        '<div class="govuk-radios__item">'
        '<input class="govuk-radios__input" type="radio" name="contact" value="letter"'
        ' id="id_contact_1" required>'
        '<label class="govuk-label govuk-radios__label" for="id_contact_1">Letter</label>'
        "</div>",
        fieldset,
    )


def test_checkboxes_are_a_fieldset_described_by_the_hint():
    html = str(ReferralForm())
    fieldset = find_all(html, "fieldset")[1]
    assert attr(fieldset, "aria-describedby") == "id_needs-hint"
    fieldset = str(fieldset)
    assert text(find(fieldset, "div", id="id_needs-hint")) == "Select all that apply"
    assert attr(find(fieldset, "div", class_="govuk-checkboxes"), "data-module") == (
        "govuk-checkboxes"
    )
    assert_in_html(
        '<input class="govuk-checkboxes__input" type="checkbox" name="needs" value="school"'
        ' id="id_needs_1">',
        fieldset,
    )
    assert_in_html(
        '<label class="govuk-label govuk-checkboxes__label" for="id_needs_1">'
        "School attendance</label>",
        fieldset,
    )


def test_single_checkbox_is_one_govuk_checkbox_item():
    html = str(ReferralForm())
    assert_in_html(
        '<div class="govuk-checkboxes" data-module="govuk-checkboxes">'
        '<div class="govuk-checkboxes__item">'
        '<input type="checkbox" name="consent" class="govuk-checkboxes__input" id="id_consent">'
        '<label class="govuk-label govuk-checkboxes__label" for="id_consent">'
        "The family agrees to this referral</label>"
        "</div></div>",
        html,
    )


def test_date_field_is_a_govuk_date_input():
    html = str(ReferralForm())
    fieldset = find(html, "fieldset", role="group")
    assert attr(fieldset, "class") == "govuk-fieldset"
    assert attr(fieldset, "aria-describedby") == "id_date_of_birth-hint"
    assert_in_html(
        '<div class="govuk-date-input__item"><div class="govuk-form-group">'
        '<label class="govuk-label govuk-date-input__label" for="id_date_of_birth_year">'
        "Year</label>"
        '<input class="govuk-input govuk-date-input__input govuk-input--width-4" type="text"'
        ' name="date_of_birth_year" id="id_date_of_birth_year" inputmode="numeric" required>'
        "</div></div>",
        html,
    )
    day, month, year = find_all(str(fieldset), "input")
    assert [attr(day, "name"), attr(month, "name")] == ["date_of_birth_day", "date_of_birth_month"]
    assert "govuk-input--width-2" in attr(month, "class")


def test_initial_date_fills_the_boxes():
    html = str(ReferralForm(initial={"date_of_birth": datetime.date(2007, 3, 27)}))
    assert attr(find(html, "input", id="id_date_of_birth_day"), "value") == "27"
    assert attr(find(html, "input", id="id_date_of_birth_month"), "value") == "3"
    assert attr(find(html, "input", id="id_date_of_birth_year"), "value") == "2007"


def test_label_can_be_the_page_heading():
    class HeadingForm(forms.Form):
        page_heading_field = "reason"
        reason = forms.CharField(label="Why are you referring this family?")

    assert_in_html(
        '<h1 class="govuk-label-wrapper">'
        '<label class="govuk-label govuk-label--l" for="id_reason">'
        "Why are you referring this family?</label></h1>",
        str(HeadingForm()),
    )


def test_legend_can_be_the_page_heading():
    class HeadingForm(forms.Form):
        page_heading_field = "contact"
        contact = forms.ChoiceField(choices=[("phone", "Phone")], widget=forms.RadioSelect)

    assert_in_html(
        '<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">'
        '<h1 class="govuk-fieldset__heading">Contact</h1></legend>',
        str(HeadingForm()),
    )


def test_field_by_field_rendering_uses_the_same_markup():
    form = ReferralForm()
    assert str(form["name"].as_field_group()) in str(form)


# Bound form with errors


def test_erroring_text_input_has_error_message_and_describedby():
    form = ReferralForm(data={**VALID_DATA, "name": ""})
    html = str(form)
    assert_in_html(
        '<div class="govuk-form-group govuk-form-group--error">'
        '<label class="govuk-label" for="id_name">Name</label>'
        '<div id="id_name-hint" class="govuk-hint">As it appears on their birth certificate</div>'
        '<p id="id_name-error" class="govuk-error-message">'
        '<span class="govuk-visually-hidden">Error:</span> This field is required.</p>'
        '<input type="text" name="name" id="id_name" autocomplete="name" required'
        ' class="govuk-input govuk-input--width-20 govuk-input--error"'
        ' aria-describedby="id_name-hint id_name-error" aria-invalid="true">'
        "</div>",
        html,
    )
    assert len(find_all(html, "div", class_="govuk-form-group--error")) == 1


def test_every_component_shows_its_error():
    form = ReferralForm(data={"email": "not an email", "consent": ""})
    html = str(form)
    assert "govuk-select--error" in attr(find(html, "select", id="id_school"), "class")
    assert attr(find(html, "input", id="id_email"), "class") == "govuk-input govuk-input--error"
    for fieldset in find_all(html, "fieldset"):
        fieldset_id = attr(fieldset, "aria-describedby").split()[-1]
        assert fieldset_id.endswith("-error")
        assert find(str(fieldset), "p", id=fieldset_id, class_="govuk-error-message")
    errors = find_all(html, "p", class_="govuk-error-message")
    assert [attr(error, "id") for error in errors] == [
        "id_name-error",
        "id_email-error",
        "id_password-error",
        "id_school-error",
        "id_contact-error",
        "id_needs-error",
        "id_date_of_birth-error",
    ]
    assert text(errors[-1]) == "Error: Enter the date of birth"


def test_typed_values_are_kept_and_escaped_but_passwords_are_not():
    html = str(invalid_form())
    name_input = find(html, "input", id="id_name")
    assert attr(name_input, "value") == "<script>alert(1)</script>"
    assert "<script>" not in html
    assert 'value="&lt;script&gt;alert(1)&lt;/script&gt;"' in html
    assert attr(find(html, "input", id="id_email"), "value") == "sam@example.invalid"
    assert attr(find(html, "input", id="id_password"), "value") is None
    assert "hunter2" not in html
    assert is_checked(find(html, "input", id="id_contact_1"))
    assert not is_checked(find(html, "input", id="id_contact_0"))
    assert is_checked(find(html, "input", id="id_needs_1"))
    assert not is_checked(find(html, "input", id="id_needs_0"))


def test_invalid_date_keeps_what_was_typed_and_highlights_every_part():
    html = str(invalid_form())
    parts = find_all(html, "input", class_="govuk-date-input__input")
    assert [attr(part, "value") for part in parts] == ["31", "2", "2025"]
    assert all("govuk-input--error" in attr(part, "class") for part in parts)
    assert text(find(html, "p", id="id_date_of_birth-error")) == (
        "Error: Date of birth must be a real date"
    )


def test_missing_date_part_is_the_only_one_highlighted():
    form = ReferralForm(data={**VALID_DATA, "date_of_birth_month": ""})
    html = str(form)
    day, month, year = find_all(html, "input", class_="govuk-date-input__input")
    assert "govuk-input--error" in attr(month, "class")
    assert attr(month, "aria-invalid") == "true"
    assert "govuk-input--error" not in attr(day, "class")
    assert attr(day, "aria-invalid") is None
    assert [attr(day, "value"), attr(year, "value")] == ["27", "2007"]


def test_non_field_errors_show_above_the_fields():
    form = ReferralForm(data={**VALID_DATA, "email": "sam@example.invalid"})
    html = str(form)
    assert html.startswith('<p class="govuk-error-message">')
    assert text(find(html, "p", class_="govuk-error-message")) == (
        "Error: Use a real email address"
    )


def test_valid_form_cleans_everything():
    upload = SimpleUploadedFile("plan.txt", b"plan")
    form = ReferralForm(data={**VALID_DATA, "consent": "on"}, files={"attachment": upload})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date_of_birth"] == datetime.date(2007, 3, 27)
    assert form.cleaned_data["consent"] is True
    assert "govuk-form-group--error" not in str(form)
