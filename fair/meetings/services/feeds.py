"""Each person's private calendar feed: one active secret token at a time, revocable."""

from django.db import transaction
from django.utils import timezone

from fair.meetings.models import CalendarFeed


def calendar_feed_get_or_create(*, user) -> CalendarFeed:
    """The person's active feed, made on first use. Writes a feed row when there is none."""
    with transaction.atomic():
        feed = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).first()
        return feed or CalendarFeed.objects.create(user=user)


def calendar_feed_revoke(*, user) -> int:
    """Revoke the person's feed: its URL answers 404 from now on. Writes the revocation time."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_feed_regenerate(*, user) -> CalendarFeed:
    """Revoke the current feed and make a new one with a new token. Writes both."""
    with transaction.atomic():
        calendar_feed_revoke(user=user)
        return CalendarFeed.objects.create(user=user)
