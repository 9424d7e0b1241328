"""Render every Django form in GOV.UK Design System markup (govuk-frontend v6).

Settings point FORM_RENDERER at GovUKFormRenderer, so ``{{ form }}`` and
``{{ form.field.as_field_group }}`` produce GOV.UK form groups with no per-form code. The
field template picks the component from the widget: text-like inputs, Textarea, Select,
RadioSelect, CheckboxSelectMultiple, CheckboxInput (a single checkbox), FileInput and
GovUKDateInput; hidden inputs render bare.

Per-field options, all plain Django:

- ``help_text`` becomes the hint. It is escaped; pass ``mark_safe(...)`` for markup.
- Fields with ``required=False`` get " (optional)" after the label (not single checkboxes),
  unless the form sets ``mark_optional_fields = False`` (filters, where every field is).
- GOV.UK modifier classes go in the widget's ``class`` attr and are kept, for example
  ``TextInput(attrs={"class": "govuk-input--width-10"})`` or
  ``RadioSelect(attrs={"class": "govuk-radios--inline"})`` (on radios and checkboxes the
  class goes on the ``govuk-radios``/``govuk-checkboxes`` wrapper).
- To make a field's label (or legend) the page's h1, name it in the form class:
  ``page_heading_field = "reason"``.

Use GovUKDateField for dates: it reads day, month and year boxes and reports errors in
GOV.UK's words, naming the field by its label.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.renderers import TemplatesSetting
from django.forms.utils import pretty_name
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import capfirst

# The GOV.UK class for each component's control, and its error modifier.
CONTROL_CLASSES = {
    "input": ("govuk-input", "govuk-input--error"),
    "textarea": ("govuk-textarea", "govuk-textarea--error"),
    "select": ("govuk-select", "govuk-select--error"),
    "file": ("govuk-file-upload", "govuk-file-upload--error"),
    "checkbox": ("govuk-checkboxes__input", ""),
}


class GovUKDateInput(forms.MultiWidget):
    """Day, month and year text boxes in the GOV.UK date-input pattern."""

    template_name = "gds/forms/widgets/date_input.html"
    parts = {"day": 2, "month": 2, "year": 4}  # part name: width of its box in characters

    def __init__(self, attrs=None):
        widgets = {
            part: forms.TextInput(
                attrs={
                    "class": f"govuk-input govuk-date-input__input govuk-input--width-{width}",
                    "inputmode": "numeric",
                }
            )
            for part, width in self.parts.items()
        }
        super().__init__(widgets, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]

    def id_for_label(self, id_):
        # The error summary links to the first box, as GOV.UK asks.
        return f"{id_}_day" if id_ else ""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        subwidgets = context["widget"]["subwidgets"]
        id_ = context["widget"]["attrs"].get("id")
        for part, subwidget in zip(self.parts, subwidgets, strict=True):
            subwidget["label"] = part.capitalize()
            if id_:
                subwidget["attrs"]["id"] = f"{id_}_{part}"
        # BoundField marks an erroring field aria-invalid. When only some parts were
        # typed, the blank ones are the problem; otherwise the whole date is.
        if context["widget"]["attrs"].get("aria-invalid"):
            blank = [subwidget["value"] is None for subwidget in subwidgets]
            partly_typed = any(blank) and not all(blank)
            for subwidget, is_blank in zip(subwidgets, blank, strict=True):
                if is_blank or not partly_typed:
                    subwidget["attrs"]["class"] += " govuk-input--error"
                else:
                    del subwidget["attrs"]["aria-invalid"]
        return context


class GovUKDateField(forms.Field):
    """A date typed as day, month and year, cleaned to a ``datetime.date``.

    Error messages may use ``%(label)s`` (as displayed) and ``%(lower_label)s`` (its first
    letter lower-cased, for mid-sentence use); "incomplete" also gets ``%(missing)s``.
    """

    widget = GovUKDateInput
    default_error_messages = {
        "required": "Enter the %(lower_label)s",
        "incomplete": "%(label)s must include a %(missing)s",
        "invalid": "%(label)s must be a real date",
    }

    def get_bound_field(self, form, field_name):
        # Messages name the field; without an explicit label, use the one Django shows.
        # Each form instance has its own copy of the field, so this is safe.
        if self.label is None:
            self.label = pretty_name(field_name)
        return super().get_bound_field(form, field_name)

    def to_python(self, value):
        if isinstance(value, datetime.date):  # a disabled field cleans its initial value
            return value
        day, month, year = (str(part or "").strip() for part in value or (None,) * 3)
        typed = {"day": day, "month": month, "year": year}
        missing = [part for part, text in typed.items() if not text]
        if len(missing) == len(typed):
            return None
        if missing:
            raise self._error("incomplete", missing=" and ".join(missing))
        if not (
            re.fullmatch(r"[0-9]{1,2}", day)
            and re.fullmatch(r"[0-9]{1,2}", month)
            and re.fullmatch(r"[0-9]{4}", year)
        ):
            raise self._error("invalid")
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise self._error("invalid") from None

    def validate(self, value):
        if value is None and self.required:
            raise self._error("required")

    def _error(self, code, **params):
        label = str(self.label or "date")
        params |= {"label": capfirst(label), "lower_label": label[:1].lower() + label[1:]}
        return ValidationError(self.error_messages[code], code=code, params=params)


# First match wins, so subclasses come before their bases; other widgets are inputs.
WIDGET_COMPONENTS = [
    (GovUKDateInput, "date"),
    (forms.CheckboxSelectMultiple, "checkboxes"),
    (forms.RadioSelect, "radios"),
    (forms.CheckboxInput, "checkbox"),
    (forms.FileInput, "file"),
    (forms.Textarea, "textarea"),
    (forms.Select, "select"),
]


class GovUKBoundField(forms.BoundField):
    """What the GOV.UK field templates need to know about a field."""

    @cached_property
    def govuk_component(self):
        """Which GOV.UK component renders the field: see WIDGET_COMPONENTS."""
        widget = self.field.widget
        if widget.is_hidden:
            return "hidden"
        return next((kind for cls, kind in WIDGET_COMPONENTS if isinstance(widget, cls)), "input")

    @property
    def govuk_id(self):
        return self.field.widget.attrs.get("id") or self.auto_id

    @property
    def hint_id(self):
        return f"{self.govuk_id}-hint"

    @property
    def error_id(self):
        return f"{self.govuk_id}-error"

    @property
    def govuk_describedby(self):
        ids = [self.hint_id if self.help_text else "", self.error_id if self.errors else ""]
        return " ".join(filter(None, ids))

    @property
    def govuk_label(self):
        """The label, marked " (optional)" when the field isn't required, as GOV.UK does."""
        if self.field.required or not getattr(self.form, "mark_optional_fields", True):
            return self.label
        return format_html("{} (optional)", self.label)

    @property
    def is_page_heading(self):
        return getattr(self.form, "page_heading_field", None) == self.name

    @property
    def error_target_id(self):
        """The id the error summary links to: the field's first input."""
        if self.govuk_component in ("radios", "checkboxes"):
            return self.field.widget.id_for_label(self.govuk_id, 0)
        return self.id_for_label

    @property
    def govuk_widget(self):
        """The widget's own markup, with GOV.UK classes and aria-describedby added."""
        attrs = {}
        if self.govuk_component in CONTROL_CLASSES:
            control_class, error_class = CONTROL_CLASSES[self.govuk_component]
            classes = [control_class, self.field.widget.attrs.get("class", "")]
            classes.append(error_class if self.errors else "")
            attrs["class"] = " ".join(filter(None, classes))
        if self.govuk_describedby and not self.use_fieldset:
            attrs["aria-describedby"] = self.govuk_describedby
        return self.as_widget(attrs=attrs)


class GovUKFormRenderer(TemplatesSetting):
    form_template_name = "gds/forms/form.html"
    field_template_name = "gds/forms/field.html"
    bound_field_class = GovUKBoundField


def text_area(label, *, rows=5, required=True, help_text="", required_message=None, **kwargs):
    """A typed answer in a GOV.UK textarea; `required_message` words the error when a
    required one is left empty (otherwise GovUKMessagesMixin words it)."""
    if required_message:
        kwargs["error_messages"] = {"required": required_message}
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        **kwargs,
    )


def radios(label, choices, *, required_message=None, **kwargs):
    """A choice of one as GOV.UK radios; `required_message` words the error when none is
    chosen (otherwise GovUKMessagesMixin words it)."""
    if required_message:
        kwargs["error_messages"] = {"required": required_message}
    return forms.ChoiceField(label=label, choices=choices, widget=forms.RadioSelect, **kwargs)


class FilterForm(forms.Form):
    """The form behind a list page's filters: every field is optional, so none is marked."""

    mark_optional_fields = False


def add_service_errors(form, error):
    """Show a refusal from a service on the form: on the field it names, else at the top.

    Takes a ServiceError (one message, maybe a field) or a ValidationError from a model's
    full_clean (messages by field). Fields the form does not have go to the top.
    """
    from django.core.exceptions import NON_FIELD_ERRORS

    if hasattr(error, "message_dict"):
        items = error.message_dict.items()
    elif hasattr(error, "messages") and not hasattr(error, "field"):
        items = [(NON_FIELD_ERRORS, error.messages)]
    else:
        items = [(error.field or NON_FIELD_ERRORS, [error.message])]
    for field, messages in items:
        target = field if field in form.fields else None
        for message in messages:
            form.add_error(target, message)


class GovUKMessagesMixin:
    """Replace Django's "This field is required." with GOV.UK wording on every field that
    has no message of its own: "Enter the …" for typed answers, "Choose the …" for choices.
    A model field's own "blank" message is used when it has one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        default = forms.Field.default_error_messages["required"]
        model = getattr(getattr(self, "_meta", None), "model", None)
        for name, field in self.fields.items():
            if field.error_messages.get("required") != default:
                continue
            own = _model_blank_message(model, name)
            label = str(field.label or pretty_name(name))
            lower = label[:1].lower() + label[1:]
            choosing = isinstance(
                field.widget, (forms.Select, forms.RadioSelect, forms.CheckboxSelectMultiple)
            )
            field.error_messages["required"] = own or (
                f"Choose the {lower}" if choosing else f"Enter the {lower}"
            )


def _model_blank_message(model, name):
    if model is None:
        return None
    from django.core.exceptions import FieldDoesNotExist

    try:
        message = model._meta.get_field(name).error_messages.get("blank")
    except FieldDoesNotExist:
        return None
    default = "This field cannot be blank."
    return message if message and message != default else None
