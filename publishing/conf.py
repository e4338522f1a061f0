"""The `PUBLISHING_*` settings: each default written once, here.

Read one with `setting(name)`; a site sets one in its settings (the
environment, in `cms/settings/base.py`) and this default applies otherwise.
"""

from django.conf import settings

DEFAULTS = {
    # Seconds the dispatcher sleeps at most when nothing wakes it: a safety net, as
    # it sleeps until the next due time and changes wake it
    # (publishing/outbox/wakeups.py). Default 60.
    "PUBLISHING_DISPATCH_INTERVAL": 60,
    # Network calls in flight at once in one scheduler process. Default 4.
    "PUBLISHING_WORKERS": 4,
    # Publications one dispatcher batch claims at most. Default 100.
    "PUBLISHING_CLAIM_LIMIT": 100,
    # Attempts (those held for a reconnection not counted) before failed. Default 5.
    "PUBLISHING_MAX_ATTEMPTS": 5,
    # Seconds after its planned time a publication stops being retried. Default 86400.
    "PUBLISHING_MAX_RETRY_AGE": 86400,
    # Seconds a claim (lease) holds without renewal before recovery. Default 120.
    "PUBLISHING_LEASE_SECONDS": 120,
    # Seconds late a never-attempted publication may still go out. Default 21600.
    "PUBLISHING_CATCH_UP": 6 * 3600,
    # Seconds between two looks for an unconfirmed post the network cannot tell
    # about. Default 900.
    "PUBLISHING_CANNOT_TELL_RECHECK": 15 * 60,
    # Seconds after posting of the first engagement read (at most 5 min). Default 120.
    "PUBLISHING_ENGAGEMENT_FIRST": 120,
    # [(age up to, hours; a read every, hours)], youngest first, then no more reads.
    "PUBLISHING_ENGAGEMENT_TIERS": [
        (48, 1),
        (7 * 24, 6),
        (30 * 24, 24),
        (90 * 24, 7 * 24),
    ],
    # Seconds between two reads of the comments under our Facebook posts (posts of
    # the last 7 days every time; older ones when their count grew). Default 600,
    # so that a comment reaches the inbox within 15 minutes.
    "PUBLISHING_QUESTIONS_INTERVAL": 600,
    # Days a citizen's question keeps the person's data (name, text, Zalo id);
    # then they are wiped, the timings, topic and group kept. Default 365.
    "PUBLISHING_QUESTIONS_RETENTION": 365,
    # Seconds a Zalo webhook event may be old (its timestamp) and still be taken.
    # Default 300.
    "PUBLISHING_ZALO_WEBHOOK_MAX_AGE": 300,
    # Days after a follower's last message within which the OA may answer them
    # (Zalo's rule, 7 today; it has changed before). Default 7.
    "PUBLISHING_ZALO_ANSWER_DAYS": 7,
    # {network: {"BACKEND": dotted path, "OPTIONS": {...}}}. Default: none.
    "PUBLISHING_NETWORKS": {},
}


def setting(name):
    """The site's value of `name`, or its default above (KeyError: not ours)."""
    return getattr(settings, name, DEFAULTS[name])
