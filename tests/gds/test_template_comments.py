"""Django's {# #} comments end at the line's end: one left open shows its text on the page."""

from pathlib import Path

from django.conf import settings


def test_no_template_comment_spans_lines():
    open_comments = [
        f"{path.relative_to(settings.BASE_DIR)}:{number}"
        for path in sorted((Path(settings.BASE_DIR) / "templates").rglob("*.html"))
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if "{#" in line and "#}" not in line.split("{#", 1)[1]
    ]
    assert open_comments == [], "use {% comment %} for comments over several lines"
