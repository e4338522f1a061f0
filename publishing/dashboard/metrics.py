"""The dashboard's figures: pure queries, each metric exactly as DESIGN.md ("Goals")
defines it. No request, no formatting: views and exports read `Figures`.

Scope: a `Scope` names the campaign, the period (local dates, both ends included),
the unit ids already cut down to what the user may see, and optionally a network
and a target group. Which figures a filter does not apply to (followers and press
items have no target group; offline records have no network) is said in `NOT_FILTERED`.

Counts "at the period's end": when the period ends today or later, a post's counts
are its latest counters on `Publication`; for a period that ended earlier, its last
`EngagementSnapshot` captured before the end of that day. Engagements and reach are
those of the posts published in the period.
"""

import bisect
import datetime
from dataclasses import dataclass, field

from django.db.models import (
    Count,
    DateField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from cms.core.models import (
    Campaign,
    EnrolmentReport,
    GoalMetric,
    OutreachEvent,
    PressCoverage,
    Unit,
)

from ..models import (
    Channel,
    EngagementSnapshot,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
)

ENGAGEMENT_COUNTERS = ("reactions", "comments", "shares")
DAILY_UP_TO = 62  # days; a longer period is charted per week (Monday to Sunday)


@dataclass(frozen=True)
class Scope:
    campaign: Campaign
    start: datetime.date
    end: datetime.date
    unit_ids: frozenset
    network: str = ""
    target_group: object = None  # a TargetGroup or None


@dataclass
class Figures:
    scope: Scope
    totals: dict = field(default_factory=dict)
    series: list = field(default_factory=list)
    by_unit: list = field(default_factory=list)
    by_channel: list = field(default_factory=list)
    by_network: list = field(default_factory=list)
    by_target_group: list = field(default_factory=list)
    top_articles: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    summary: object = None  # the PostSummary, for goals over the same scope


def local_today():
    return timezone.localdate()


def day_bounds(start, end):
    """Aware [start of `start`, start of the day after `end`) in local time."""
    tz = timezone.get_current_timezone()
    lower = datetime.datetime.combine(start, datetime.time.min, tzinfo=tz)
    upper = datetime.datetime.combine(
        end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    return lower, upper


def current_campaign(campaigns, today=None):
    """The campaign running today (latest started), else the latest started, else
    the next one to start."""
    today = today or local_today()
    campaigns = list(campaigns.order_by("-starts_on", "-pk"))
    for test in (
        lambda c: c.starts_on <= today <= c.ends_on,
        lambda c: c.starts_on <= today,
        lambda c: True,
    ):
        for campaign in campaigns:
            if test(campaign):
                return campaign
    return None


def campaign_unit_ids(campaign):
    """The campaign's units and every unit below them; every unit when it names none."""
    children = {}
    for pk, parent_id in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    roots = list(campaign.units.values_list("pk", flat=True))
    if not roots:
        return set(pk for ids in children.values() for pk in ids)
    result, stack = set(), roots
    while stack:
        pk = stack.pop()
        if pk not in result:
            result.add(pk)
            stack.extend(children.get(pk, []))
    return result


# --- social posts --------------------------------------------------------------


def published_posts(scope):
    lower, upper = day_bounds(scope.start, scope.end)
    posts = Publication.objects.filter(
        status=PublicationStatus.PUBLISHED,
        page__campaign=scope.campaign,
        channel__unit_id__in=scope.unit_ids,
        published_at__gte=lower,
        published_at__lt=upper,
    )
    if scope.network:
        posts = posts.filter(channel__network=scope.network)
    if scope.target_group is not None:
        posts = posts.filter(page__target_groups=scope.target_group)
    return posts


def counter(scope, name, prefix=""):
    """An expression for a post's `name` count at the period's end (None = unknown)."""
    if scope.end >= local_today():
        return F(prefix + name)
    _, upper = day_bounds(scope.start, scope.end)
    latest = EngagementSnapshot.objects.filter(
        publication=OuterRef(prefix + "pk"), captured_at__lt=upper
    ).order_by("-captured_at", "-pk")
    return Subquery(latest.values(name)[:1], output_field=IntegerField())


def post_aggregates(scope, prefix=""):
    """Sum/Count expressions for posts, distinct articles, reach and engagements."""
    engagement = sum(
        (Coalesce(counter(scope, n, prefix), 0) for n in ENGAGEMENT_COUNTERS[1:]),
        Coalesce(counter(scope, ENGAGEMENT_COUNTERS[0], prefix), 0),
    )
    # reach_unknown first: once "reach" names the sum, F("reach") would mean it.
    return {
        "reach_unknown": Count(prefix + "pk") - Count(counter(scope, "reach", prefix)),
        "posts": Count(prefix + "pk", distinct=True),
        "articles": Count(prefix + "page_id", distinct=True),
        "reach": Coalesce(Sum(counter(scope, "reach", prefix)), 0),
        "engagements": Coalesce(Sum(engagement), 0),
    }


class LocalDate(Func):
    """The local calendar day of a timestamp, computed by the database itself
    (Django's TruncDate calls back into Python for every row on SQLite: 11 s for a
    year of posts). SQLite adds the zone's offset at the period's start: exact for
    Asia/Ho_Chi_Minh, which has no daylight saving time."""

    output_field = DateField()

    def __init__(self, expression, offset_seconds, **extra):
        self.offset = int(offset_seconds)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '{self.offset:+d} seconds')",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        zone = timezone.get_current_timezone_name().replace("'", "")
        return self.as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s AT TIME ZONE '{zone}')::date",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra and connection.vendor not in ("sqlite",):
            return TruncDate(
                self.source_expressions[0], tzinfo=timezone.get_current_timezone()
            ).as_sql(compiler, connection)
        return super().as_sql(compiler, connection, **extra)


@dataclass
class PostSummary:
    """The posts of a scope in one grouped pass: per channel and local day, the
    posts, reach, posts of unknown reach and engagements; and which articles each
    channel posted (for "distinct articles" at any level)."""

    cells: list  # (channel id, day, {posts, reach, reach_unknown, engagements})
    pairs: set  # (channel id, page id)

    def add(self, keep):
        """Sums over the cells `keep(channel id, day)` is true for."""
        result = dict.fromkeys(("posts", "reach", "reach_unknown", "engagements"), 0)
        for channel_id, day, row in self.cells:
            if keep(channel_id, day):
                for key in result:
                    result[key] += row[key] or 0
        return result


def post_summary(scope, articles=True):
    lower, _ = day_bounds(scope.start, scope.end)
    offset = lower.utcoffset().total_seconds()
    agg = post_aggregates(scope)
    rows = (
        published_posts(scope)
        .annotate(day=LocalDate("published_at", offset))
        .values("channel_id", "day")
        .annotate(
            reach_unknown=agg["reach_unknown"],
            posts=Count("pk"),
            reach=agg["reach"],
            engagements=agg["engagements"],
        )
    )
    cells = [(row["channel_id"], row["day"], row) for row in rows]
    if not articles:
        return PostSummary(cells, set())
    # order_by(): the model's ordering would join the DISTINCT and sort every post.
    pairs = published_posts(scope).values_list("channel_id", "page_id")
    return PostSummary(cells, set(pairs.order_by().distinct()))


def grouped(summary, key_of):
    """{key: posts figures} where `key_of(channel id)` names each channel's group;
    distinct articles counted per group."""
    result = {}
    for channel_id, _day, row in summary.cells:
        sums = result.setdefault(key_of(channel_id), _blank())
        for key in ("posts", "reach", "reach_unknown", "engagements"):
            sums[key] += row[key] or 0
    articles = {}
    for channel_id, page_id in summary.pairs:
        articles.setdefault(key_of(channel_id), set()).add(page_id)
    for key, pages in articles.items():
        result.setdefault(key, _blank())["articles"] = len(pages)
    return result


# --- followers -----------------------------------------------------------------


def scope_channels(scope):
    channels = Channel.objects.filter(unit_id__in=scope.unit_ids)
    if scope.network:
        channels = channels.filter(network=scope.network)
    return channels


def follower_readings(scope, channel_ids):
    """{channel id: [(date, followers), ...] ascending}: the latest reading on or
    before the start (if any) and every reading in the period."""
    before = (
        FollowerSnapshot.objects.filter(
            channel_id__in=channel_ids, captured_on__lt=scope.start
        )
        .values("channel_id")
        .annotate(last=Max("captured_on"))
    )
    wanted = Q(captured_on__gte=scope.start, captured_on__lte=scope.end)
    for row in before:
        wanted |= Q(channel_id=row["channel_id"], captured_on=row["last"])
    readings = {pk: [] for pk in channel_ids}
    rows = (
        FollowerSnapshot.objects.filter(channel_id__in=channel_ids)
        .filter(wanted)
        .order_by("channel_id", "captured_on")
        .values_list("channel_id", "captured_on", "followers")
    )
    for channel_id, day, followers in rows:
        readings[channel_id].append((day, followers))
    return readings


def followers_on(readings, day):
    """The latest reading on or before `day` (None when there is none yet)."""
    index = bisect.bisect_right([d for d, _ in readings], day)
    return readings[index - 1][1] if index else None


def follower_figures(readings, scope):
    """{channel id: (followers at the end, growth since the start)}. A channel with
    no reading on or before the start grows from its first reading in the period."""
    result = {}
    for channel_id, rows in readings.items():
        end = followers_on(rows, scope.end)
        if end is None:
            result[channel_id] = (0, 0)
            continue
        start = followers_on(rows, scope.start)
        result[channel_id] = (end, end - (start if start is not None else rows[0][1]))
    return result


# --- offline records -----------------------------------------------------------


def _records(model, scope, date_field):
    rows = model.objects.filter(
        campaign=scope.campaign,
        unit_id__in=scope.unit_ids,
        **{f"{date_field}__gte": scope.start, f"{date_field}__lte": scope.end},
    )
    return rows


def press_items(scope):
    return _records(PressCoverage, scope, "published_on")


def outreach_events(scope):
    events = _records(OutreachEvent, scope, "held_on")
    if scope.target_group is not None:
        events = events.filter(target_groups=scope.target_group)
    return events


def enrolment_reports(scope):
    """Reports whose period ends inside the period (a report counts on the day it
    closes, so one straddling the start is not lost)."""
    reports = _records(EnrolmentReport, scope, "period_end")
    if scope.target_group is not None:
        reports = reports.filter(target_group=scope.target_group)
    return reports


def latest_reports(scope):
    """The latest report per unit and target group closed by the period's end."""
    reports = EnrolmentReport.objects.filter(
        campaign=scope.campaign,
        unit_id__in=scope.unit_ids,
        period_end__lte=scope.end,
    )
    if scope.target_group is not None:
        reports = reports.filter(target_group=scope.target_group)
    latest = {}
    for report in reports.order_by(
        "unit_id", "target_group_id", "-period_end", "-period_start", "-pk"
    ).values("unit_id", "target_group_id", "total_participants"):
        latest.setdefault((report["unit_id"], report["target_group_id"]), report)
    return list(latest.values())


def record_figures(scope):
    """Totals and per-unit / per-group counts of the offline records."""
    press = dict(press_items(scope).values_list("unit_id").annotate(n=Count("pk")))
    events = outreach_events(scope)
    outreach = dict(
        events.values_list("unit_id").annotate(n=Count("pk", distinct=True))
    )
    outreach_by_group = dict(
        events.values_list("target_groups").annotate(n=Count("pk", distinct=True))
    )
    reports = enrolment_reports(scope)
    new = dict(reports.values_list("unit_id").annotate(n=Sum("new_participants")))
    new_by_group = dict(
        reports.values_list("target_group_id").annotate(n=Sum("new_participants"))
    )
    total, total_by_group = {}, {}
    for report in latest_reports(scope):
        unit, group = report["unit_id"], report["target_group_id"]
        total[unit] = total.get(unit, 0) + report["total_participants"]
        total_by_group[group] = (
            total_by_group.get(group, 0) + report["total_participants"]
        )
    return {
        "press_items": press,
        "outreach_events": outreach,
        "outreach_by_group": outreach_by_group,
        "outreach_total": events.values("pk").distinct().count(),
        "new_participants": new,
        "new_by_group": new_by_group,
        "total_participants": total,
        "total_by_group": total_by_group,
    }


# --- over time -----------------------------------------------------------------


def daily(scope):
    return (scope.end - scope.start).days + 1 <= DAILY_UP_TO


def bucket_of(day, scope):
    if daily(scope):
        return day
    return max(scope.start, day - datetime.timedelta(days=day.weekday()))


def buckets(scope):
    """[(first day, last day)] of each day, or each week for a long period."""
    starts, day = [], scope.start
    while day <= scope.end:
        if not starts or bucket_of(day, scope) != starts[-1]:
            starts.append(day)
        day += datetime.timedelta(days=1 if daily(scope) else 7 - day.weekday())
    ends = [s - datetime.timedelta(days=1) for s in starts[1:]] + [scope.end]
    return list(zip(starts, ends, strict=True))


def followers_at(rows, days):
    """The latest reading on or before each of `days` (0 before the first one)."""
    dates = [d for d, _ in rows]
    result = []
    for day in days:
        index = bisect.bisect_right(dates, day)
        result.append(rows[index - 1][1] if index else 0)
    return result


def series(scope, readings, summary):
    periods = buckets(scope)
    posts = {start: {"posts": 0, "engagements": 0} for start, _ in periods}
    for _channel, day, row in summary.cells:
        bucket = posts[bucket_of(day, scope)]
        bucket["posts"] += row["posts"]
        bucket["engagements"] += row["engagements"] or 0
    followers = [0] * len(periods)
    for rows in readings.values():
        for i, value in enumerate(followers_at(rows, [end for _, end in periods])):
            followers[i] += value
    return [
        {
            "start": start,
            "end": end,
            "followers": followers[i],
            "posts": posts[start]["posts"],
            "engagements": posts[start]["engagements"],
        }
        for i, (start, end) in enumerate(periods)
    ]


# --- all together --------------------------------------------------------------


def _blank(row=None):
    row = row or {}
    return {
        key: row.get(key) or 0
        for key in ("posts", "articles", "reach", "reach_unknown", "engagements")
    }


def totals(scope, readings=None, records=None, summary=None):
    """The eight goal metrics (and what is shown beside them) for `scope`."""
    if readings is None:
        readings = follower_readings(
            scope, list(scope_channels(scope).values_list("pk", flat=True))
        )
    records = records or record_figures(scope)
    followers = follower_figures(readings, scope)
    summary = summary or post_summary(scope)
    posts = grouped(summary, lambda channel_id: None).get(None, _blank())
    return {
        GoalMetric.POSTS_PUBLISHED: posts["posts"],
        "articles": posts["articles"],
        GoalMetric.FOLLOWERS: sum(end for end, _ in followers.values()),
        "followers_growth": sum(growth for _, growth in followers.values()),
        GoalMetric.REACH: posts["reach"],
        "reach_unknown": posts["reach_unknown"],
        GoalMetric.ENGAGEMENTS: posts["engagements"],
        GoalMetric.PRESS_ITEMS: sum(records["press_items"].values()),
        GoalMetric.OUTREACH_EVENTS: records["outreach_total"],
        GoalMetric.NEW_PARTICIPANTS: sum(records["new_participants"].values()),
        GoalMetric.TOTAL_PARTICIPANTS: sum(records["total_participants"].values()),
    }


def breakdowns(scope, figures, channels, followers, records, summary):
    of = {channel.pk: channel for channel in channels}
    by_channel = grouped(summary, lambda pk: pk)
    by_unit = grouped(summary, lambda pk: of[pk].unit_id)
    by_network = grouped(summary, lambda pk: of[pk].network)
    units = {u.pk: u for u in Unit.objects.filter(pk__in=scope.unit_ids)}
    unit_followers, network_followers = {}, {}
    for channel in channels:
        end, growth = followers.get(channel.pk, (0, 0))
        row = {"channel": channel, **by_channel.get(channel.pk, _blank())}
        row.update(followers=end, followers_growth=growth)
        figures.by_channel.append(row)
        for bucket, key in (
            (unit_followers, channel.unit_id),
            (network_followers, channel.network),
        ):
            old = bucket.get(key, (0, 0))
            bucket[key] = (old[0] + end, old[1] + growth)
    figures.by_channel.sort(
        key=lambda r: (-r["posts"], -r["engagements"], r["channel"].name)
    )
    record_keys = (
        "press_items",
        "outreach_events",
        "new_participants",
        "total_participants",
    )
    for pk, unit in sorted(units.items(), key=lambda i: (i[1].sort_order, i[1].name)):
        row = {"unit": unit, **by_unit.get(pk, _blank())}
        end, growth = unit_followers.get(pk, (0, 0))
        row.update(followers=end, followers_growth=growth)
        row.update({key: records[key].get(pk, 0) or 0 for key in record_keys})
        if any(row[k] for k in ("posts", "followers", *record_keys)):
            figures.by_unit.append(row)
    for network in sorted(set(by_network) | set(network_followers)):
        end, growth = network_followers.get(network, (0, 0))
        row = {"network": network, **by_network.get(network, _blank())}
        row.update(followers=end, followers_growth=growth)
        figures.by_network.append(row)
    figures.by_target_group = group_rows(scope, records)


def group_rows(scope, records):
    from cms.core.models import TargetGroup

    posts = {
        row["page__target_groups"]: _blank(row)
        for row in published_posts(scope)
        .values("page__target_groups")
        .annotate(**post_aggregates(scope))
    }
    groups = TargetGroup.objects.all()
    if scope.target_group is not None:
        groups = groups.filter(pk=scope.target_group.pk)
    rows = []
    for group in list(groups) + [None]:
        key = group.pk if group else None
        row = {"group": group, **posts.get(key, _blank())}
        row["outreach_events"] = records["outreach_by_group"].get(key, 0) or 0
        row["new_participants"] = records["new_by_group"].get(key, 0) or 0
        row["total_participants"] = records["total_by_group"].get(key, 0) or 0
        if group is not None or any(row[k] for k in ("posts", "outreach_events")):
            rows.append(row)
    return rows


def compute(scope):
    """Every figure the dashboard and the exports show for `scope` (goals apart)."""
    channels = list(scope_channels(scope).select_related("unit").order_by("name"))
    readings = follower_readings(scope, [c.pk for c in channels])
    records = record_figures(scope)
    figures = Figures(scope=scope)
    figures.summary = summary = post_summary(scope)
    figures.totals = totals(scope, readings, records, summary)
    figures.series = series(scope, readings, summary)
    followers = follower_figures(readings, scope)
    breakdowns(scope, figures, channels, followers, records, summary)
    figures.top_articles = [
        {"page_id": row["page_id"], "title": row["page__title"], **_blank(row)}
        for row in published_posts(scope)
        .values("page_id", "page__title")
        .annotate(**post_aggregates(scope))
        .order_by("-engagements", "-reach", "page__title")[:10]
    ]
    return figures
