"""The confirmation step before anything is removed or ended (issue 13).

A detail page links to a GET page that asks "Are you sure you want to remove …?" with a
GOV.UK warning button and a cancel link; only the POST from that page does the removal.
The API stays a direct DELETE or POST: API clients confirm on their side.
"""

from django.shortcuts import render


def confirmation_page(
    request,
    *,
    question,
    button,
    cancel_url,
    caption="",
    details=(),
    explanation="",
    error="",
    status=200,
):
    return render(
        request,
        "confirm_remove.html",
        {
            "question": question,
            "button": button,
            "cancel_url": cancel_url,
            "caption": caption,
            "details": list(details),
            "explanation": explanation,
            "error": error,
        },
        status=status,
    )
