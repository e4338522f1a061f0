"""Posting slots: a channel's default times of day ("07:30, 11:30, 20:00").

A share planned without a time takes the channel's next free slot after the page
goes live (or after approval, for a share request); a channel without slots posts
at once, as before. A slot is free when no other publication of the channel that
is still going out, or went out, is planned at that minute. Times are local
(`TIME_ZONE`, Asia/Ho_Chi_Minh). Two rounds made at the same instant may pick the
same slot: slots spread posts out, they are not a lock.
"""

import datetime

from django.utils import timezone

from publishing.lifecycle import TAKEN
from publishing.models import Publication
from publishing.models.channels import (  # noqa: F401  (the slots' text, here too)
    MAX_SLOTS,
    format_slots,
    parse_slots,
    validate_slots,
)

LOOKAHEAD_DAYS = 60


def next_free_slot(channel, after, exclude=None):
    """The first free slot of `channel` at or after `after` (aware), or None when
    the channel has no slots. `exclude`: a publication id not to count as taking
    a slot (the one being placed). Every slot taken for two months: the first."""
    free, first = _scan(channel, after, 1, exclude)
    return free[0] if free else first


def free_slots(channel, after, count=3, exclude=None):
    """Up to `count` free slots of `channel` at or after `after`: the choices the
    time picker offers ([] for a channel without slots)."""
    return _scan(channel, after, count, exclude)[0]


def _scan(channel, after, count, exclude):
    """([the first `count` free slots], the first slot) within LOOKAHEAD_DAYS."""
    times = parse_slots(channel.posting_slots)
    if not times:
        return [], None
    zone = timezone.get_current_timezone()
    local_after = timezone.localtime(after, zone)
    horizon = local_after + datetime.timedelta(days=LOOKAHEAD_DAYS + 1)
    taken = Publication.objects.filter(
        channel=channel,
        status__in=TAKEN,
        publish_at__gte=after,
        publish_at__lt=horizon,
    )
    if exclude:
        taken = taken.exclude(pk=exclude)
    busy = {
        timezone.localtime(at, zone).replace(second=0, microsecond=0)
        for at in taken.values_list("publish_at", flat=True)
    }
    free, first = [], None
    for offset in range(LOOKAHEAD_DAYS + 1):
        day = local_after.date() + datetime.timedelta(days=offset)
        for slot in times:
            candidate = datetime.datetime.combine(day, slot, tzinfo=zone)
            if candidate < local_after:
                continue
            first = first or candidate
            if candidate not in busy:
                free.append(candidate)
                if len(free) == count:
                    return free, first
    return free, first


def default_time(channel, after):
    """When a share without a time goes out: the next free slot, else `after`."""
    return next_free_slot(channel, after) or after
