"""Best times to post on a channel, from its own history.

A channel's published posts of the last year are grouped by the local weekday and
hour they went out (one grouped query for any number of channels). Each hour of the
week is scored by how its posts did against the channel's average post, in reach
and in engagements (reactions + comments + shares), the two weighing the same; an
hour with few posts is pulled toward the average (as if it had one more, average
post), so one lucky post does not make a suggestion. The three best hours are
offered, each as its next moment from now.

Before a channel has MIN_POSTS posts spread over MIN_SPAN, nothing is suggested:
the result says how many more posts and weeks are needed.
"""

import dataclasses
import datetime
import math

from django.db.models import Count, Max, Min, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cms.core.dates import WEEKDAYS
from publishing.lifecycle import PublicationStatus
from publishing.models import ENGAGEMENT_COUNTERS, Publication
from publishing.models.functions import LocalWeekHour

MIN_POSTS = 20
MIN_SPAN = datetime.timedelta(weeks=4)
HISTORY = datetime.timedelta(days=365)
SUGGESTIONS = 3
PRIOR_POSTS = 1  # how many average posts an hour's own posts are weighed against


@dataclasses.dataclass(frozen=True)
class Hour:
    """One channel's published posts in one local hour of the week."""

    weekday: int  # Monday 0 ... Sunday 6
    hour: int
    posts: int
    reached: int  # posts whose reach is known
    reach: int  # their reach, summed
    engagements: int  # unknown counts add 0
    first: datetime.datetime
    last: datetime.datetime


# The query -------------------------------------------------------------------------
def history(channel_ids, now=None):
    """{channel id: [Hour, ...]} of the channels' posts of the last year: one
    grouped query."""
    now = now or timezone.now()
    engagements = sum(
        (Coalesce(name, Value(0)) for name in ENGAGEMENT_COUNTERS), Value(0)
    )
    rows = (
        Publication.objects.filter(
            channel_id__in=list(channel_ids),
            status=PublicationStatus.PUBLISHED,
            published_at__gte=now - HISTORY,
            published_at__lte=now,
        )
        .annotate(week_hour=LocalWeekHour("published_at"))
        .values("channel_id", "week_hour")
        .annotate(
            posts=Count("id"),
            reached=Count("reach"),
            reach_sum=Coalesce(Sum("reach"), Value(0)),
            engagement_sum=Sum(engagements),
            first=Min("published_at"),
            last=Max("published_at"),
        )
        .order_by()
    )
    found = {}
    for row in rows:
        sunday_first, hour = divmod(row["week_hour"], 24)
        found.setdefault(row["channel_id"], []).append(
            Hour(
                weekday=(sunday_first + 6) % 7,
                hour=hour,
                posts=row["posts"],
                reached=row["reached"],
                reach=row["reach_sum"],
                engagements=row["engagement_sum"],
                first=row["first"],
                last=row["last"],
            )
        )
    return found


def for_channels(channel_ids, now=None):
    """{channel id: suggestions()} for each channel, with or without posts."""
    now = now or timezone.now()
    found = history(channel_ids, now)
    return {pk: suggestions(found.get(pk, []), now) for pk in channel_ids}


# The engine (pure) -----------------------------------------------------------------
def suggestions(hours, now):
    """What the share tab and the channel list show for one channel's `hours`:
    {"ready", "times": [{"label", "at"}], "needed" (posts), "weeks", "note"}."""
    posts = sum(h.posts for h in hours)
    span = (max(h.last for h in hours) - min(h.first for h in hours)) if hours else None
    needed = max(0, MIN_POSTS - posts)
    weeks = weeks_needed(span)
    if needed or weeks:
        return {
            "ready": False,
            "times": [],
            "needed": needed,
            "weeks": weeks,
            "note": not_enough_note(needed, weeks),
        }
    return {
        "ready": True,
        "times": [
            {"label": label(h.weekday, h.hour), "at": next_moment(h, now).isoformat()}
            for h in best(hours)
        ],
        "needed": 0,
        "weeks": 0,
        "note": "",
    }


def weeks_needed(span):
    """Whole weeks of history still missing (MIN_SPAN from the first post to the
    last), 4 with no post at all."""
    if span is None:
        return math.ceil(MIN_SPAN / datetime.timedelta(weeks=1))
    missing = MIN_SPAN - span
    return max(0, math.ceil(missing / datetime.timedelta(weeks=1)))


def best(hours):
    """The SUGGESTIONS best hours, best first (ties: more posts, then earlier in
    the week)."""
    score = scorer(hours)
    ranked = sorted(hours, key=lambda h: (-score(h), -h.posts, h.weekday, h.hour))
    return ranked[:SUGGESTIONS]


def scorer(hours):
    """score(hour): its average reach over the channel's, plus its average
    engagements over the channel's; a measure the channel has none of (reach
    unknown on every post) is left out. Each average is pulled toward the
    channel's by PRIOR_POSTS average posts."""
    reached = sum(h.reached for h in hours)
    mean_reach = sum(h.reach for h in hours) / reached if reached else 0
    posts = sum(h.posts for h in hours)
    mean_engagements = sum(h.engagements for h in hours) / posts if posts else 0

    def relative(total, count, mean):
        if not mean:
            return 0.0
        return (total + PRIOR_POSTS * mean) / (count + PRIOR_POSTS) / mean

    def score(h):
        return relative(h.reach, h.reached, mean_reach) + relative(
            h.engagements, h.posts, mean_engagements
        )

    return score


def label(weekday, hour):
    """ "Thứ Ba 20:00"."""
    return f"{WEEKDAYS[weekday]} {hour:02d}:00"


def next_moment(h, now):
    """The next local `h.weekday` at `h.hour`:00 after `now`."""
    local = timezone.localtime(now)
    day = local.date() + datetime.timedelta(days=(h.weekday - local.weekday()) % 7)
    at = datetime.datetime.combine(day, datetime.time(h.hour), tzinfo=local.tzinfo)
    if at <= local:
        at += datetime.timedelta(weeks=1)
    return at


def not_enough_note(needed, weeks):
    """ "Cần thêm 12 bài đăng / 2 tuần để gợi ý giờ đăng" (only what is missing)."""
    parts = []
    if needed:
        parts.append(ngettext("%(count)s post", "%(count)s posts", needed))
        parts[-1] %= {"count": needed}
    if weeks:
        parts.append(ngettext("%(count)s week", "%(count)s weeks", weeks))
        parts[-1] %= {"count": weeks}
    return _("%(missing)s more needed to suggest posting times.") % {
        "missing": " / ".join(parts)
    }


def channel_data_extra(channel_ids):
    """The share tab's "best_times" per channel (editor/plans.py channel_data)."""
    return {
        pk: {"best_times": found} for pk, found in for_channels(channel_ids).items()
    }
