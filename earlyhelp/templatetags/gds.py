"""GOV.UK Design System template tags, available in every template without {% load %}.

- ``{% gds_error_summary form [other_form ...] %}``: the error summary, or nothing.
- ``{% if form|form_has_errors %}``: for prefixing the page title with "Error: ".
- ``{% gds_tag text [colour] %}``: a tag; colour is one of TAG_COLOURS (blue is the default).
- ``{% gds_summary_list rows %}``: rows are (key, value) pairs or dicts with key, value and
  optionally href and action_text (default "Change").
- ``{% gds_pagination page_obj %}``: links keep the request's other query parameters.
- ``{% gds_messages %}``: Django messages as notification banners.
- ``{% gds_back_link href [text] %}``.
"""

from django import template
from django.contrib.messages import SUCCESS
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html

register = template.Library()

# govuk-frontend v6 tag colours; turquoise and pink are its deprecated names for teal and
# magenta. Blue is the unmodified tag.
TAG_COLOURS = {
    "blue", "grey", "green", "teal", "turquoise", "purple", "magenta", "pink", "red", "orange",
    "yellow",
}  # fmt: skip


@register.inclusion_tag("gds/components/error_summary.html")
def gds_error_summary(*forms):
    errors = []  # (message, href); href is None for errors no single field owns
    for form in filter(None, forms):
        errors += [(error, None) for error in form.non_field_errors()]
        for field in form:
            href = None if field.is_hidden else f"#{field.error_target_id}"
            errors += [(error, href) for error in field.errors]
    return {"errors": errors}


@register.filter
def form_has_errors(form):
    return bool(form and form.errors)


@register.simple_tag
def gds_tag(text, colour="blue"):
    if colour not in TAG_COLOURS:
        raise ValueError(f"Unknown GOV.UK tag colour {colour!r}: use one of {sorted(TAG_COLOURS)}")
    if colour == "blue":
        return format_html('<strong class="govuk-tag">{}</strong>', text)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, text)


@register.inclusion_tag("gds/components/summary_list.html")
def gds_summary_list(rows):
    rows = [row if isinstance(row, dict) else {"key": row[0], "value": row[1]} for row in rows]
    return {"rows": rows, "any_actions": any(row.get("href") for row in rows)}


@register.inclusion_tag("gds/components/pagination.html", takes_context=True)
def gds_pagination(context, page_obj):
    request = context.get("request")
    query = request.GET.copy() if request else QueryDict(mutable=True)

    def href(number):
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "previous_href": href(page_obj.previous_page_number()) if page_obj.has_previous() else "",
        "next_href": href(page_obj.next_page_number()) if page_obj.has_next() else "",
        "items": [
            {"number": number, "href": href(number), "current": number == page_obj.number}
            if number
            else None
            for number in _page_numbers(page_obj.number, page_obj.paginator.num_pages)
        ],
    }


def _page_numbers(current, last):
    """The first, last and current pages and the current page's neighbours, in order.

    None stands for an ellipsis; a gap of a single page shows that page instead.
    """
    wanted = sorted(n for n in {1, current - 1, current, current + 1, last} if 1 <= n <= last)
    numbers = []
    for number in wanted:
        if numbers and number - numbers[-1] == 2:
            numbers.append(number - 1)
        elif numbers and number - numbers[-1] > 2:
            numbers.append(None)
        numbers.append(number)
    return numbers


@register.inclusion_tag("gds/components/messages.html", takes_context=True)
def gds_messages(context):
    messages = list(context.get("messages", ()))
    return {
        "successes": [message for message in messages if message.level == SUCCESS],
        "others": [message for message in messages if message.level != SUCCESS],
    }


@register.simple_tag
def gds_back_link(href, text="Back"):
    return format_html('<a href="{}" class="govuk-back-link">{}</a>', href, text)


@register.filter
def gds_attrs(attrs):
    """A widget's HTML attributes except class, which the GOV.UK form templates write."""
    return flatatt({name: value for name, value in attrs.items() if name != "class"})
