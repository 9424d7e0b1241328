"""GOV.UK form rendering and the gds template tags. None of this touches the database."""

import datetime

import pytest
from django import forms
from django.contrib.messages import INFO, SUCCESS
from django.contrib.messages.storage.base import Message
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.paginator import Paginator
from django.template import Context, Template, TemplateSyntaxError
from django.test import RequestFactory
from django.test.html import Element, parse_html
from django.utils.safestring import mark_safe

from earlyhelp.forms import GovUKDateField


class ReferralForm(forms.Form):
    name = forms.CharField(
        help_text="As it appears on their birth certificate",
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "autocomplete": "name"}),
    )
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    notes = forms.CharField(widget=forms.Textarea, required=False)
    school = forms.ChoiceField(choices=[("", "Choose a school"), ("oak", "Oak Primary")])
    contact = forms.ChoiceField(
        choices=[("phone", "Phone"), ("letter", "Letter")],
        widget=forms.RadioSelect(attrs={"class": "govuk-radios--inline"}),
    )
    needs = forms.MultipleChoiceField(
        choices=[("housing", "Housing"), ("school", "School attendance")],
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
    )
    consent = forms.BooleanField(label="The family agrees to this referral", required=False)
    date_of_birth = GovUKDateField(label="Date of birth", help_text="For example, 27 3 2007")
    attachment = forms.FileField(required=False)
    case_reference = forms.CharField(widget=forms.HiddenInput, required=False)

    def clean(self):
        if self.cleaned_data.get("email", "").endswith("@example.invalid"):
            raise forms.ValidationError("Use a real email address")
        return self.cleaned_data


VALID_DATA = {
    "name": "Sam Smith",
    "password": "correct horse",
    "school": "oak",
    "contact": "phone",
    "needs": ["housing"],
    "date_of_birth_day": "27",
    "date_of_birth_month": "3",
    "date_of_birth_year": "2007",
}


# Helpers over Django's HTML parser: whitespace, attribute and class order don't matter.


def _attr_name(keyword):
    """for_ -> for, aria_describedby -> aria-describedby."""
    return keyword.rstrip("_").replace("_", "-")


def find_all(html, tag, **attrs):
    """Elements named tag with these attributes; class_ lists classes they must include."""
    wanted_classes = set(attrs.pop("class_", "").split())
    found = []
    pending = [parse_html(html)]
    while pending:
        element = pending.pop(0)
        pending[:0] = [child for child in element.children if isinstance(child, Element)]
        element_attrs = dict(element.attributes)
        if (
            element.name == tag
            and wanted_classes <= set((element_attrs.get("class") or "").split())
            and all(element_attrs.get(_attr_name(name)) == v for name, v in attrs.items())
        ):
            found.append(element)
    return found


def find(html, tag, **attrs):
    [element] = find_all(html, tag, **attrs)
    return element


def text(element):
    parts = (child if isinstance(child, str) else text(child) for child in element.children)
    return " ".join(" ".join(parts).split())


def attr(element, name):
    return dict(element.attributes).get(name)


def is_checked(element):
    return "checked" in dict(element.attributes)


def assert_in_html(needle, html):
    assert parse_html(needle) in parse_html(html), f"{needle}\nnot found in\n{html}"


def render(template, **context):
    return Template(template).render(Context(context))


def invalid_form():
    return ReferralForm(
        data={
            "name": "<script>alert(1)</script>",
            "email": "sam@example.invalid",
            "password": "hunter2",
            "contact": "letter",
            "needs": ["school"],
            "date_of_birth_day": "31",
            "date_of_birth_month": "2",
            "date_of_birth_year": "2025",
        }
    )


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


# GovUKDateField


def clean_date(day, month, year, **field_options):
    class DateForm(forms.Form):
        date_of_birth = GovUKDateField(**field_options)

    form = DateForm(
        data={"date_of_birth_day": day, "date_of_birth_month": month, "date_of_birth_year": year}
    )
    form.is_valid()
    return form.cleaned_data.get("date_of_birth"), form.errors.get("date_of_birth")


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("", "", "", "Enter the date of birth"),
        ("31", "", "2025", "Date of birth must include a month"),
        ("", "2", "2025", "Date of birth must include a day"),
        ("", "2", "", "Date of birth must include a day and year"),
        ("31", "2", "2025", "Date of birth must be a real date"),
        ("1", "13", "2025", "Date of birth must be a real date"),
        ("first", "2", "2025", "Date of birth must be a real date"),
        ("1", "2", "25", "Date of birth must be a real date"),
    ],
)
def test_date_field_errors(day, month, year, message):
    value, errors = clean_date(day, month, year)
    assert value is None
    assert errors == [message]


def test_date_field_cleans_to_a_date():
    assert clean_date(" 28 ", "02", "2025") == (datetime.date(2025, 2, 28), None)


def test_optional_date_field_may_be_blank():
    assert clean_date("", "", "", required=False) == (None, None)


def test_date_field_messages_use_the_label():
    assert clean_date("", "", "", label="Referral date")[1] == ["Enter the referral date"]
    assert clean_date("", "4", "2025", label="Referral date")[1] == [
        "Referral date must include a day"
    ]


def test_date_field_messages_can_be_replaced():
    messages = {"required": "Enter the date the family was referred"}
    assert clean_date("", "", "", error_messages=messages)[1] == [messages["required"]]


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


# {% gds_table %}


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
