"""A form with every GOV.UK component, and checks over Django's HTML parser shared by the
rendering tests."""

from django import forms
from django.template import Context, Template
from django.test.html import Element, parse_html

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
