"""The life cycle of a publication: its statuses, what each allows, labels, tones.

    scheduled --claim--> publishing --ok--> published --withdraw--> withdrawn
        |                    |--rate limited, temporary--> retrying --> claimed again
        |                    |--token or permission--> held --reconnect--> scheduled
        |                    |--content rejected, retries used up--> failed
        |                    '--outcome unknown--> unconfirmed --reconcile--> published
        |                                                          or scheduled
     overdue beyond the catch-up age --> expired (a person posts it now or cancels)
     cancelled by a person before sending; paused while a pause switch is on.

Every status group the code checks is here, once. This module imports only
`publishing.conf`, so models, the dispatcher, actions, slots and views may all use it.
"""

import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.conf import setting


class PublicationStatus(models.TextChoices):
    """Where a publication is in its life cycle."""

    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    RETRYING = "retrying", _("Retrying")
    HELD = "held", _("Held")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")
    PAUSED = "paused", _("Paused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = PublicationStatus

# The dispatcher claims these once their time (publish_at, next_attempt_at) comes;
# a channel that needs reconnecting holds them.
DUE = (S.SCHEDULED, S.RETRYING)

# What a person may do, by status. Before anything went out, a person may stop or
# move it; never while it is being sent (`publishing`) and never while its outcome
# is unknown (`unconfirmed`: the scheduler looks for it on the channel first).
CANCELLABLE = (S.SCHEDULED, S.RETRYING, S.HELD, S.PAUSED, S.EXPIRED, S.FAILED)
RETRYABLE = (S.FAILED, S.HELD, S.EXPIRED, S.RETRYING, S.PAUSED)
RESCHEDULABLE = CANCELLABLE
MARKABLE = CANCELLABLE + (S.UNCONFIRMED, S.CANCELLED)  # "already posted manually"
LIVE = (S.PUBLISHED,)  # on the network: correct or withdraw

# A publication still going out, or gone out, holds its posting slot (slots.py).
TAKEN = (
    S.SCHEDULED,
    S.PUBLISHING,
    S.RETRYING,
    S.PAUSED,
    S.HELD,
    S.UNCONFIRMED,
    S.PUBLISHED,
)

# A share "already exists" (sharing.existing_near) unless it was one of these.
NOT_A_SHARE = (S.CANCELLED, S.FAILED)

# Ended by a person: lists and the calendar leave them out unless asked for.
HIDDEN_BY_DEFAULT = (S.CANCELLED, S.WITHDRAWN)
# The others, in the order the calendar's legend shows them.
SHOWN_BY_DEFAULT = (
    S.SCHEDULED,
    S.PUBLISHING,
    S.RETRYING,
    S.PUBLISHED,
    S.UNCONFIRMED,
    S.PAUSED,
    S.HELD,
    S.FAILED,
    S.EXPIRED,
)

# Wagtail's colour tokens for the status tag (lists, the share tab, the calendar);
# cancelled and withdrawn have none (a grey tag).
TONES = {
    S.PUBLISHED: "positive",
    S.SCHEDULED: "info",
    S.PUBLISHING: "info",
    S.RETRYING: "warning",
    S.PAUSED: "warning",
    S.UNCONFIRMED: "warning",
    S.HELD: "critical",
    S.FAILED: "critical",
    S.EXPIRED: "critical",
}


def tone(status):
    return TONES.get(status, "")


# What each status means for the person reading it, and what to do.
HELP = {
    S.SCHEDULED: _("Waiting for its time; the scheduler posts it then."),
    S.PUBLISHING: _("Being sent to the network right now."),
    S.PUBLISHED: _("Posted. You may open it, correct its text or withdraw it."),
    S.RETRYING: _(
        "The network asked us to wait; it is tried again by itself. Nothing to do."
    ),
    S.HELD: _(
        "The channel needs reconnecting. Reconnect it in Channels: held posts then "
        "go out by themselves."
    ),
    S.FAILED: _(
        "Not posted, for the reason below. Fix the article or the message, then "
        "Retry now; or Cancel."
    ),
    S.UNCONFIRMED: _(
        "Not known whether it was posted: the scheduler looks for it on the channel "
        "before any new attempt. If you can see it there, use Already posted manually."
    ),
    S.EXPIRED: _(
        "Too late to post automatically. Retry now to post it now, or Cancel it."
    ),
    S.CANCELLED: _("Cancelled by a person: nothing will be posted."),
    S.PAUSED: _("Posting is paused; it goes out when posting resumes."),
    S.WITHDRAWN: _("Removed from the network by a person."),
}


# Engagement reads: when a published post's counts are read ---------------------
MAX_FIRST_DELAY = datetime.timedelta(minutes=5)


def first_delay():
    seconds = setting("PUBLISHING_ENGAGEMENT_FIRST")
    return min(datetime.timedelta(seconds=seconds), MAX_FIRST_DELAY)


def tiers():
    """[(age up to, a read every)] as timedeltas, youngest first."""
    return [
        (datetime.timedelta(hours=limit), datetime.timedelta(hours=every))
        for limit, every in setting("PUBLISHING_ENGAGEMENT_TIERS")
    ]


def first_due(published_at, external_id):
    """`engagement_due_at` of a publication just published: None (not tracked)
    without a post id (a link posted by hand)."""
    if not external_id:
        return None
    return (published_at or timezone.now()) + first_delay()


def next_due(published_at, now):
    """The next read after one at `now`, or None when tracking ends. The last
    tier's end gets a last read (a weekly read is not skipped past day 90)."""
    table = tiers()
    if not table or published_at is None:
        return None
    end = published_at + table[-1][0]
    age = now - published_at
    if age >= table[-1][0]:
        return None
    every = next(every for limit, every in table if age < limit)
    return min(now + every, end)


# Broadcasts: a Zalo article sent to the OA's followers -------------------------
class BroadcastStatus(models.TextChoices):
    """Where a broadcast (publishing/models/broadcasts.py) is.

    scheduled --article verified, in the window, quota left--> sending --> sent
        |            |--outside 06:00-21:59, out of quota, rate limited--> waiting
        |            |--token or permission--> held --reconnect--> scheduled
        |            |--refused (content, OA not allowed)--> failed
        |            '--answer lost--> unconfirmed ("probably sent": never resent
        |                               by the scheduler; a person may resend)
     cancelled by a person before sending; paused while a pause switch is on.
    """

    SCHEDULED = "scheduled", _("Scheduled")
    SENDING = "sending", _("Sending")
    WAITING = "waiting", _("Waiting")
    SENT = "sent", _("Sent")
    HELD = "held", _("Held")
    FAILED = "failed", _("Failed")
    UNCONFIRMED = "unconfirmed", _("Unconfirmed: probably sent")
    CANCELLED = "cancelled", _("Cancelled")
    PAUSED = "paused", _("Paused")
