"""GOV.UK Design System template tags, available in every template without {% load %}.

- ``{% gds_error_summary form [other_form ...] %}``: the error summary, or nothing.
- ``{% if form|form_has_errors %}``: for prefixing the page title with "Error: ".
- ``{% gds_tag text [colour] %}``: a tag; colour is one of TAG_COLOURS (blue is the default).
- ``{% gds_summary_list rows %}``: rows are (key, value) pairs or dicts with key, value and
  optionally href and action_text (default "Change").
- ``{% gds_pagination page_obj %}``: links keep the request's other query parameters.
- ``{% gds_messages %}``: Django messages as notification banners.
- ``{% gds_back_link href [text] %}``.
- ``{% gds_table caption heading ... [caption_class=...] %}rows{% endgds_table %}``: a table
  whose body is the rows between the tags. A heading is text, ``"Teams"|numeric``,
  ``"Actions"|visually_hidden``, or left out when it is ``"Agency"|shown_if:condition``
  and the condition is false. The caption is visually hidden unless caption_class says
  otherwise (e.g. "govuk-table__caption--s").
"""

from dataclasses import dataclass

from django import template
from django.contrib.messages import SUCCESS
from django.forms.utils import flatatt
from django.http import QueryDict
from django.utils.html import format_html, format_html_join

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


@dataclass(frozen=True)
class Heading:
    text: str
    numeric: bool = False
    hidden: bool = False

    def __html__(self):
        numeric = " govuk-table__header--numeric" if self.numeric else ""
        if self.hidden:
            text = format_html('<span class="govuk-visually-hidden">{}</span>', self.text)
        else:
            text = self.text
        return format_html('<th scope="col" class="govuk-table__header{}">{}</th>', numeric, text)


def _heading(value):
    return value if isinstance(value, Heading) else Heading(value)


@register.filter
def numeric(text):
    """A table heading over numbers: right-aligned, as its cells are."""
    return Heading(text, numeric=True)


@register.filter
def visually_hidden(text):
    """A table heading only screen readers read, over a column of buttons or links."""
    return Heading(text, hidden=True)


@register.filter
def shown_if(heading, condition):
    """The heading when condition holds; otherwise none, and gds_table leaves it out."""
    return _heading(heading) if condition else None


def _resolve_heading(heading, context):
    try:
        return heading.resolve(context)
    except template.VariableDoesNotExist:
        # A shown_if condition that is not in the context is false, as it is to {% if %}.
        return None


class TableNode(template.Node):
    def __init__(self, caption, headings, caption_class, nodelist):
        self.caption = caption
        self.headings = headings
        self.caption_class = caption_class
        self.nodelist = nodelist

    def render(self, context):
        headings = [_resolve_heading(heading, context) for heading in self.headings]
        caption_class = (
            self.caption_class.resolve(context) if self.caption_class else "govuk-visually-hidden"
        )
        return format_html(
            '<table class="govuk-table">\n'
            '<caption class="govuk-table__caption {}">{}</caption>\n'
            '<thead class="govuk-table__head"><tr class="govuk-table__row">\n{}\n</tr></thead>\n'
            '<tbody class="govuk-table__body">{}</tbody>\n'
            "</table>",
            caption_class,
            self.caption.resolve(context),
            format_html_join("\n", "{}", ((_heading(h),) for h in headings if h is not None)),
            self.nodelist.render(context),
        )


@register.tag
def gds_table(parser, token):
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("gds_table needs a caption")
    caption_class = None
    if bits[-1].startswith("caption_class="):
        caption_class = parser.compile_filter(bits.pop().split("=", 1)[1])
    caption, *headings = (parser.compile_filter(bit) for bit in bits)
    nodelist = parser.parse(("endgds_table",))
    parser.delete_first_token()
    return TableNode(caption, headings, caption_class, nodelist)
