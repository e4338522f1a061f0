"""The editorial calendar's figures: which publications and page go-lives fall on
which local day, for one person (their units only).

Days are local days in `TIME_ZONE` (Asia/Ho_Chi_Minh): a range is from local
midnight to local midnight, made aware before it is compared with the stored UTC
times, so that a post at 23:30 local on the 30th is on the 30th, not on the next
day in UTC terms or the other way round. Weeks start on Monday (Thứ Hai).

A published publication is placed at the time it was posted; any other at the time
it is planned for (`publish_at`). Page go-lives are Wagtail's approved schedules
(`Revision.approved_go_live_at`) of articles in the sections of the person's units.
A broadcast to a Zalo OA's followers is placed when it went out, or when it would:
one planned outside 06:00-21:59 at the next 06:00, saying it waits until then.

A post or broadcast still to go out (scheduled, retrying, waiting) keeps its status
while a pause switch (everything, its channel's unit or a unit above, its channel)
holds it, and is marked `paused`: the dispatcher leaves it where it is until the
switch is lifted, so "scheduled" alone would promise what will not happen.
"""

import calendar
import collections
import dataclasses
import datetime

from django.db import connection
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Revision

from cms.content.models import ArticlePage, UnitSectionPage
from publishing.lifecycle import BROADCAST_DUE, DUE, HIDDEN_BY_DEFAULT, RESCHEDULABLE
from publishing.lifecycle import BroadcastStatus as B
from publishing.lifecycle import PublicationStatus as S
from publishing.models import EVERY_GROUP, Broadcast, ChannelDay, Publication
from publishing.models import audience as audiences
from publishing.models.functions import LocalDate, local_range
from publishing.outbox.claims import paused as pause_switches
from publishing.permissions import channels_for, may, unit_ids_for


@dataclasses.dataclass
class Event:
    """One thing on the calendar: a publication, or a page going live."""

    kind: str  # "publication" | "page" | "broadcast"
    at: datetime.datetime  # local time
    title: str
    status: str  # a PublicationStatus value, or "go_live" for a page
    status_label: str
    channel: str = ""
    network: str = ""
    pk: int | None = None  # publication (a broadcast's too) or page id
    may_reschedule: bool = False
    waits_for_06: bool = False  # a broadcast waiting for Zalo's window
    paused: bool = False  # still to go out, held by a pause switch

    @property
    def day(self):
        return self.at.date()


def month_weeks(day):
    """The weeks (Monday first) that show the month of `day`: lists of 7 dates."""
    return calendar.Calendar(firstweekday=0).monthdatescalendar(day.year, day.month)


def week_days(day):
    monday = day - datetime.timedelta(days=day.weekday())
    return [monday + datetime.timedelta(days=n) for n in range(7)]


def publications(user, start, end, filters=None):
    """Publications of the user's channels placed in [start, end)."""
    filters = filters or {}
    placed = Q(status=S.PUBLISHED, published_at__gte=start, published_at__lt=end) | (
        ~Q(status=S.PUBLISHED) & Q(publish_at__gte=start, publish_at__lt=end)
    )
    queryset = Publication.objects.filter(placed)
    if filters.get("status"):
        queryset = queryset.filter(status=filters["status"])
    else:
        queryset = queryset.exclude(status__in=HIDDEN_BY_DEFAULT)
    return _of_channels(queryset, user, filters, "page__campaign")


# What an event shows (`_event`): the rest of a page and a channel is not loaded.
LOADED = (
    "status",
    "publish_at",
    "published_at",
    "page__title",
    "channel__name",
    "channel__network",
    "channel__unit_id",
    "channel__unit__name",  # the channel's label names its unit
    "channel__unit__short_name",
)


def _of_channels(queryset, user, filters, campaign, channel="channel"):
    """`queryset` (of rows with a `channel`, or `channel`: its lookup) cut to the
    user's channels and to the filters' unit, channel, network and campaign
    (`campaign`: its lookup)."""
    if not (user.is_active and user.is_superuser):  # a superuser sees every channel
        queryset = queryset.filter(**{f"{channel}__in": channels_for(user, "view")})
    if filters.get("unit"):
        below = filters["unit"].descendant_ids()
        queryset = queryset.filter(**{f"{channel}__unit_id__in": below})
    if filters.get("channel"):
        queryset = queryset.filter(**{channel: filters["channel"]})
    if filters.get("network"):
        queryset = queryset.filter(**{f"{channel}__network": filters["network"]})
    if filters.get("campaign"):
        queryset = queryset.filter(**{campaign: filters["campaign"]})
    return queryset


# A status filter of the calendar (a publication's) read for broadcasts: "published"
# is a broadcast sent; the others that both have mean the same.
BROADCAST_FILTER = {S.PUBLISHED: B.SENT, **{s: s for s in B.values if s in S.values}}


def broadcasts(user, start, end, filters=None):
    """Broadcasts of the user's channels placed in [start, end) (`placed_at`):
    a few a month per Zalo OA (its quota), so read whole and placed here."""
    filters = filters or {}
    if filters.get("status"):
        status = BROADCAST_FILTER.get(filters["status"])
        if status is None:
            return []
        queryset = Broadcast.objects.filter(status=status)
    else:
        queryset = Broadcast.objects.exclude(status=B.CANCELLED)
    # Not sent: due up to a night before the range, waiting for its 06:00 in it.
    due = Coalesce("next_attempt_at", "send_at")
    queryset = queryset.alias(due=due).filter(
        Q(sent_at__gte=start, sent_at__lt=end)
        | Q(
            sent_at__isnull=True,
            due__gte=start - datetime.timedelta(days=1),
            due__lt=end,
        )
    )
    queryset = _of_channels(
        queryset, user, filters, "publication__page__campaign", "publication__channel"
    ).select_related("publication__page", "publication__channel__unit")
    placed = ((audiences.placed_at(b), b) for b in queryset)
    return [(at, b) for at, b in placed if start <= at < end]


def _broadcast_event(labels, at, broadcast):
    publication = broadcast.publication
    channel_label, _may = labels.channel(publication.channel)
    return Event(
        kind="broadcast",
        at=timezone.localtime(at),
        title=publication.page.title,
        status=broadcast.status,
        status_label=labels.broadcasts[broadcast.status],
        channel=channel_label,
        network=publication.channel.network,
        pk=publication.pk,
        waits_for_06=audiences.waits_for_06(broadcast),
        paused=broadcast.status in BROADCAST_DUE and labels.paused(publication.channel),
    )


def go_lives(user, start, end, filters=None):
    """Approved page schedules in [start, end) for articles of the user's units."""
    filters = filters or {}
    if filters.get("channel") or filters.get("network"):
        return []  # a page is on no channel: filtering by one hides page events
    if filters.get("status") and filters["status"] != "go_live":
        return []
    sections = UnitSectionPage.objects.all()
    if not user.is_superuser:
        sections = sections.filter(unit_id__in=unit_ids_for(user, "view"))
    if filters.get("unit"):
        sections = sections.filter(unit_id__in=filters["unit"].descendant_ids())
    paths = [section.path for section in sections]
    if not paths:
        return []
    in_sections = Q()
    for section_path in paths:
        in_sections |= Q(path__startswith=section_path)
    pages = ArticlePage.objects.filter(in_sections)
    if filters.get("campaign"):
        pages = pages.filter(campaign=filters["campaign"])
    revisions = Revision.page_revisions.filter(
        approved_go_live_at__gte=start,
        approved_go_live_at__lt=end,
        object_id__in=[str(pk) for pk in pages.values_list("pk", flat=True)],
    ).order_by("approved_go_live_at")
    titles = dict(pages.values_list("pk", "title"))
    return [(rev, titles.get(int(rev.object_id), "")) for rev in revisions]


class _Labels:
    """What events repeat (a status's label, a channel's name, a right on it),
    worked out once per status and channel, not once per event: a month at 1,000
    channels shows 420 events."""

    def __init__(self, user):
        self.user = user
        self.statuses = {value: str(label) for value, label in S.choices}
        self.broadcasts = {value: str(label) for value, label in B.choices}
        self.channels = {}
        self.switches = None

    def paused(self, channel):
        """Does a pause switch hold `channel` (read once for all events)?"""
        if self.switches is None:
            self.switches = pause_switches()
        everything, units, channels = self.switches
        return everything or channel.unit_id in units or channel.pk in channels

    def channel(self, channel):
        if channel.pk not in self.channels:
            self.channels[channel.pk] = (
                str(channel),
                may(self.user, "reschedule", channel),
            )
        return self.channels[channel.pk]


def _event(labels, publication):
    placed = (
        publication.published_at
        if publication.status == S.PUBLISHED
        else publication.publish_at
    )
    channel_label, may_reschedule = labels.channel(publication.channel)
    return Event(
        kind="publication",
        at=timezone.localtime(placed),
        title=publication.page.title,
        status=publication.status,
        status_label=labels.statuses[publication.status],
        channel=channel_label,
        network=publication.channel.network,
        pk=publication.pk,
        may_reschedule=may_reschedule and publication.status in RESCHEDULABLE,
        paused=publication.status in DUE and labels.paused(publication.channel),
    )


def day_events(user, first_day, last_day, filters, per_day, crowded=None):
    """The events of [first_day, last_day] (local days), sorted by time, and the
    number of events of each day ({date: n}): at most the earliest `per_day`
    events of each day, and of a crowded day (more than `per_day` publications:
    1,000 channels post 10,000 a day) only `crowded` (default `per_day`); the rest
    of a day is for the list of publications.
    The posted ones are counted from the daily roll-ups (`ChannelDay`, kept by
    the dispatcher as it posts), the others from the posts (few: what is
    planned, failed, held), and the publications read with one query per day
    and kind that reads no more than that."""
    filters = filters or {}
    start, end = local_range(first_day, last_day)
    chosen = publications(user, start, end, filters)
    counts = [
        _posted_counts(user, first_day, last_day, filters),
        _planned_counts(chosen, start),
    ]
    both = counts[0] + counts[1]
    limits = collections.defaultdict(
        lambda: per_day,
        {day: crowded for day, n in both.items() if crowded and n > per_day},
    )
    loaded = _earliest(chosen, first_day, last_day, limits, counts)
    labels = _Labels(user)
    found = [_event(labels, publication) for publication in loaded]
    for revision, title in go_lives(user, start, end, filters):
        found.append(
            Event(
                kind="page",
                at=timezone.localtime(revision.approved_go_live_at),
                title=title,
                status="go_live",
                status_label=_("Goes live"),
                pk=int(revision.object_id),
            )
        )
    for at, broadcast in broadcasts(user, start, end, filters):
        found.append(_broadcast_event(labels, at, broadcast))
    found.sort(key=lambda event: (event.at, event.kind, event.pk or 0))
    totals = both + collections.Counter(
        e.day for e in found if e.kind in ("page", "broadcast")
    )
    shown = collections.Counter()
    kept = []
    for event in found:
        shown[event.day] += 1
        if shown[event.day] <= limits[event.day]:
            kept.append(event)
    return kept, dict(totals)


def _kinds(queryset):
    """(the posted ones, placed by `published_at`; the others, by `publish_at`)."""
    return (
        (queryset.filter(status=S.PUBLISHED), "published_at"),
        (queryset.exclude(status=S.PUBLISHED), "publish_at"),
    )


def _posted_counts(user, first_day, last_day, filters):
    """{local day: publications posted on it}, from the roll-ups' `EVERY_GROUP`
    rows (every post of the day, its article in a campaign or not)."""
    if filters.get("status") and filters["status"] != S.PUBLISHED:
        return collections.Counter()
    rows = ChannelDay.objects.filter(
        group=EVERY_GROUP, day__gte=first_day, day__lte=last_day
    )
    rows = _of_channels(rows, user, filters, "campaign")
    rows = rows.order_by().values("day").annotate(n=Sum("posts"))
    return collections.Counter(dict(rows.values_list("day", "n")))


def _planned_counts(queryset, start):
    """{local day: publications not posted placed on it (by `publish_at`)}."""
    offset = start.utcoffset().total_seconds()
    _posted, (kind, field) = _kinds(queryset)
    rows = kind.annotate(day=LocalDate(field, offset)).values("day")
    return collections.Counter(
        dict(rows.annotate(n=Count("pk")).values_list("day", "n"))
    )


def _earliest(queryset, first_day, last_day, limits, counts):
    """The earliest `limits[day]` publications of each day, of each kind (only
    for the days that have some, after `counts`): their ids by one query per day
    and kind (an index range scan that stops at the limit), sent as one UNION ALL
    where the database takes a LIMIT in it (PostgreSQL; not SQLite), then the
    publications by one query."""
    parts = []
    day = first_day
    while day <= last_day:
        lower, upper = local_range(day, day)
        for (kind, field), count in zip(_kinds(queryset), counts, strict=True):
            if count.get(day):
                on_day = kind.filter(**{f"{field}__gte": lower, f"{field}__lt": upper})
                ids = on_day.order_by(field, "pk").values_list("pk", flat=True)
                parts.append(ids[: limits[day]])
        day += datetime.timedelta(days=1)
    if not parts:
        return []
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        ids = list(parts[0].union(*parts[1:], all=True))
    else:
        ids = [pk for part in parts for pk in part]
    return list(
        Publication.objects.filter(pk__in=ids)
        .select_related("page", "channel__unit")
        .only(*LOADED)
    )


def by_day(found):
    days = {}
    for event in found:
        days.setdefault(event.day, []).append(event)
    return days
