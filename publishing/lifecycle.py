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


B = BroadcastStatus

# The outbox claims these once their time (send_at, next_attempt_at) comes.
BROADCAST_DUE = (B.SCHEDULED, B.WAITING)
# Not gone out yet: a person may cancel them; a cancelled or withdrawn publication
# cancels them (publishing/outbox/broadcasts.py).
BROADCAST_CANCELLABLE = (B.SCHEDULED, B.WAITING, B.HELD, B.PAUSED)
# A person may resend (a new broadcast, `resend_of` the old one): unconfirmed
# ("probably sent": the person checked the OA and saw it did not go) or failed
# (after fixing the reason). Never a sent one: its followers have it already, and
# a second wave is a new broadcast planned like any other.
BROADCAST_RESENDABLE = (B.UNCONFIRMED, B.FAILED)
# Gone out, or probably: these use the OA's quota on the day of `sent_at`.
BROADCAST_GONE = (B.SENDING, B.SENT, B.UNCONFIRMED)

# Why a broadcast waits (`Broadcast.waiting_reason`).
WAITING_ARTICLE = "article"  # its article is not verified on Zalo yet
WAITING_WINDOW = "window"  # outside 06:00-21:59: until 06:00, never overdue
WAITING_QUOTA = "quota"  # the OA's broadcasts of the month (or day) are used
WAITING_RATE_LIMIT = "rate_limit"  # Zalo asked us to slow down, or did not answer

BROADCAST_TONES = {
    B.SENT: "positive",
    B.SCHEDULED: "info",
    B.SENDING: "info",
    B.WAITING: "warning",
    B.PAUSED: "warning",
    B.UNCONFIRMED: "warning",
    B.HELD: "critical",
    B.FAILED: "critical",
}


def broadcast_tone(status):
    return BROADCAST_TONES.get(status, "")


BROADCAST_HELP = {
    B.SCHEDULED: _(
        "Waiting for its time; it goes out once the article is on Zalo, between "
        "06:00 and 21:59."
    ),
    B.SENDING: _("Being sent to Zalo right now."),
    B.WAITING: _(
        "Waiting by itself (the reason is below): for the article to be on Zalo, "
        "for 06:00, for the OA's monthly quota or for Zalo. Nothing to do."
    ),
    B.SENT: _("Sent to the OA's followers (Zalo reviews it for about 30 minutes)."),
    B.HELD: _(
        "The channel needs reconnecting. Reconnect it in Channels: the broadcast "
        "then goes out by itself."
    ),
    B.FAILED: _(
        "Not sent, for the reason below. Fix the reason, then Resend; or leave it."
    ),
    B.UNCONFIRMED: _(
        "Zalo's answer was lost: it was probably sent. It is never sent again by "
        "itself. Check the OA's broadcasts in Zalo; only if it is not there, Resend."
    ),
    B.CANCELLED: _("Cancelled: nothing will be sent."),
    B.PAUSED: _("Posting is paused; it goes out when posting resumes."),
}

BROADCAST_WAITING = {
    WAITING_ARTICLE: _("Waiting for the article to be created on Zalo."),
    WAITING_WINDOW: _(
        "Zalo sends broadcasts from 06:00 to 21:59: it waits until 06:00."
    ),
    WAITING_QUOTA: _("The OA's broadcasts are used up: it waits until they reset."),
    WAITING_RATE_LIMIT: _("Zalo asked us to wait; it is tried again by itself."),
}
