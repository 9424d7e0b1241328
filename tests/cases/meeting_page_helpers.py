"""URLs and message checks shared by the allocation meeting page tests."""

from django.contrib.messages import get_messages
from django.urls import reverse


def detail(meeting):
    return reverse("meetings:detail", args=[meeting.uuid])


def decide_url(item):
    return reverse("meetings:item-decide", args=[item.meeting.uuid, item.uuid])


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]
