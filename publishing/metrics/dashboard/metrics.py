"""The dashboard's figures: pure queries, each metric exactly as docs/architecture.md
("Goals") defines it. No request, no formatting: views and exports read `Figures`.

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
    CharField,
    Count,
    DateTimeField,
    Exists,
    Func,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from cms.core.models import (
    Campaign,
    EnrolmentReport,
    GoalMetric,
    OutreachEvent,
    PressCoverage,
    Unit,
)
from publishing.metrics.dashboard.broadcasts import broadcast_summary
from publishing.metrics.dashboard.kinds import by_kind
from publishing.metrics.dashboard.questions import labelled, question_summary
from publishing.metrics.dashboard.visits import click_through, visit_summary
from publishing.models import (
    ENGAGEMENT_COUNTERS,
    EVERY_GROUP,
    ArticleDay,
    Channel,
    ChannelDay,
    EngagementSnapshot,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
)
from publishing.models.functions import LocalDate, local_range

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
    by_kind: list = field(default_factory=list)  # kinds.by_kind
    top_articles: list = field(default_factory=list)
    most_visited: list = field(default_factory=list)
    goals: list = field(default_factory=list)
    # For goals over the same scope (goals.unit_figures), not worked out twice:
    summary: object = None  # the PostSummary
    followers: dict = None  # {channel id: (followers at the end, growth)}
    channel_units: dict = None  # {channel id: unit id}
    records: dict = None  # record_figures(scope)
    visits: object = None  # the VisitSummary
    broadcasts: object = None  # the BroadcastSummary
    questions: object = None  # the QuestionSummary (citizens' questions)
    question_rows: dict = field(default_factory=dict)  # questions.labelled


def local_today():
    return timezone.localdate()


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
#
# Two sources give the same `PostSummary`: the daily roll-ups
# (publishing/metrics/rollups.py) when the period ends today or later, i.e. the
# posts' latest counters; the posts themselves with their snapshots for a period
# that ended earlier.

POST_FIGURES = ("posts", "reach", "reach_unknown", "engagements")


@dataclass
class PostSummary:
    """The posts of a scope: figures (posts, articles, reach, reach_unknown,
    engagements) in total and per channel, unit, network, day and article."""

    total: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    by_unit: dict = field(default_factory=dict)
    by_network: dict = field(default_factory=dict)
    by_day: dict = field(default_factory=dict)
    by_page: dict = field(default_factory=dict)


def published_posts(scope):
    lower, upper = local_range(scope.start, scope.end)
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


def post_summary(scope, source=None):
    """`source`: "rollups" or "posts"; by default the roll-ups unless the period
    ended before today."""
    if source is None:
        source = "rollups" if scope.end >= local_today() else "posts"
    return rolled_up(scope) if source == "rollups" else from_posts(scope)


def _sums(names=POST_FIGURES):
    return {name: Coalesce(Sum(name), 0) for name in names}


def _figures(row=None, articles=None):
    """posts, articles, reach, reach_unknown, engagements of `row` (0 if absent)."""
    row = row or {}
    result = {name: row.get(name) or 0 for name in POST_FIGURES}
    result["articles"] = row.get("articles", 0) if articles is None else articles
    return result


def rolled_up(scope):
    days = ArticleDay.objects.filter(
        campaign=scope.campaign,
        day__gte=scope.start,
        day__lte=scope.end,
        unit_id__in=scope.unit_ids,
    ).order_by()
    if scope.network:
        days = days.filter(network=scope.network)
    if scope.target_group is not None:
        days = days.filter(page__target_groups=scope.target_group)
    summary = PostSummary()
    distinct = {"articles": Count("page_id", distinct=True)}
    summary.by_page = {
        row["page_id"]: _figures(row, 1)
        for row in days.values("page_id").annotate(**_sums())
    }
    for key, field_name in (
        ("by_unit", "unit_id"),
        ("by_network", "network"),
        ("by_day", "day"),
    ):
        rows = days.values(field_name).annotate(**_sums(), **distinct)
        setattr(summary, key, {row[field_name]: _figures(row) for row in rows})
    summary.total = _total(summary.by_page)
    channels = list(scope_channels(scope).values_list("pk", flat=True))
    rows = (
        ChannelDay.objects.filter(
            campaign=scope.campaign,
            group=scope.target_group.pk if scope.target_group else EVERY_GROUP,
            day__gte=scope.start,
            day__lte=scope.end,
            channel_id__in=channels,
        )
        .order_by()
        .values("channel_id")
        .annotate(**_sums((*POST_FIGURES, "later_rounds")))
    )
    later = [row["channel_id"] for row in rows if row["later_rounds"]]
    repeated = repeats(scope, later) if later else {}
    summary.by_channel = {
        row["channel_id"]: _figures(
            row, row["posts"] - repeated.get(row["channel_id"], 0)
        )
        for row in rows
    }
    return summary


class Unindexed(Func):
    """A column as it is, in a form SQLite's planner takes no index for (`+col`,
    its documented way); the plain column elsewhere."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(compiler, connection, template="+%(expressions)s")


def repeats(scope, channel_ids):
    """{channel id: posts in the period of an article the channel had already posted
    in the period} for these channels: an article posted k times on a channel in the
    period counts k - 1. Of its k posts, every one but the lowest share round's has
    a post of a lower round in the period: those are counted, in SQL, among the few
    posts of a later round (the (status, round, published_at) index), each looked up
    through the unique article-channel-round index. Exact whatever order the rounds
    went out in."""
    lower, upper = local_range(scope.start, scope.end)
    published = Publication.objects.filter(status=PublicationStatus.PUBLISHED)
    highest = published.order_by().aggregate(n=Max("round"))["n"] or 1
    # The lower rounds are found through the unique (page, channel, round) index:
    # status and time are compared as expressions SQLite takes no index for (its
    # planner otherwise ranged over a year of posts by status and time for each
    # later-round post: minutes); PostgreSQL's plan is the same either way.
    earlier = Publication.objects.annotate(
        status_as_is=Unindexed("status", output_field=CharField()),
        published_as_is=Unindexed("published_at", output_field=DateTimeField()),
    ).filter(
        page_id=OuterRef("page_id"),
        channel_id=OuterRef("channel_id"),
        round__lt=OuterRef("round"),
        status_as_is=PublicationStatus.PUBLISHED,
        published_as_is__gte=lower,
        published_as_is__lt=upper,
    )
    # round IN (2, ..., highest), not round > 1: an equality the planner takes
    # the (status, round, published_at) index for, round 1 (most posts) skipped
    rows = (
        published_posts(scope)
        .filter(channel_id__in=channel_ids, round__in=range(2, highest + 1))
        .filter(Exists(earlier))
        .order_by()
        .values("channel_id")
        .annotate(n=Count("pk"))
        .values_list("channel_id", "n")
    )
    return dict(rows)


def _total(by_page):
    total = _figures({}, 0)
    for row in by_page.values():
        for name in POST_FIGURES:
            total[name] += row[name]
        total["articles"] += 1 if row["posts"] else 0
    return total


READ = (*ENGAGEMENT_COUNTERS, "reach")
WHERE = ("channel_id", "channel__unit_id", "channel__network", "page_id", "day")


def from_posts(scope):
    """The figures from each post, its counts taken at the period's end (its
    latest counters when the period ends today or later, else its last snapshot
    captured before the end of the period's last day), summed here at every
    level. The snapshots are found with one lookup per post and read in chunks:
    one correlated subquery per counter took 3.6 s for a month of 100 channels."""
    lower, upper = local_range(scope.start, scope.end)
    posts = (
        published_posts(scope)
        .order_by()
        .annotate(day=LocalDate("published_at", lower.utcoffset().total_seconds()))
    )
    if scope.end >= local_today():
        rows = list(posts.values_list(*WHERE, *READ))
    else:
        latest = EngagementSnapshot.objects.filter(
            publication=OuterRef("pk"), captured_at__lt=upper
        ).order_by("-captured_at", "-pk")
        rows = list(posts.values_list(*WHERE, Subquery(latest.values("pk")[:1])))
        found = {}
        ids = [row[-1] for row in rows if row[-1] is not None]
        for start in range(0, len(ids), 5000):
            chosen = EngagementSnapshot.objects.filter(pk__in=ids[start : start + 5000])
            found.update(
                (pk, values) for pk, *values in chosen.values_list("pk", *READ)
            )
        unknown = (None,) * len(READ)
        rows = [(*row[:-1], *found.get(row[-1], unknown)) for row in rows]
    levels = {key: WHERE.index(name) for key, name in LEVELS.items()}
    summary = PostSummary()
    pages = {key: {} for key in levels}
    for row in rows:
        *counts, reach = row[len(WHERE) :]
        post = {
            "posts": 1,
            "reach": reach or 0,
            "reach_unknown": 1 if reach is None else 0,
            "engagements": sum(count or 0 for count in counts),
        }
        page_id = row[WHERE.index("page_id")]
        for key, index in levels.items():
            sums = getattr(summary, key).setdefault(row[index], _figures({}, 0))
            for name in POST_FIGURES:
                sums[name] += post[name]
            pages[key].setdefault(row[index], set()).add(page_id)
    for key in levels:
        for value, sums in getattr(summary, key).items():
            sums["articles"] = len(pages[key][value])
    summary.total = _total(summary.by_page)
    return summary


LEVELS = {
    "by_channel": "channel_id",
    "by_unit": "channel__unit_id",
    "by_network": "channel__network",
    "by_day": "day",
    "by_page": "page_id",
}


# --- followers -----------------------------------------------------------------


def scope_channels(scope):
    channels = Channel.objects.filter(unit_id__in=scope.unit_ids)
    if scope.network:
        channels = channels.filter(network=scope.network)
    return channels


LOOK_BACK = 7  # days: how far a missing daily reading is looked for before a day


def follower_readings(scope, channel_ids, days=()):
    """{channel id: [(date, followers), ...] ascending}, enough to know each
    channel's latest reading on or before the start, the end and `days` (the
    series' bucket ends). Readings are daily, so the readings of those days
    mostly suffice (a few hundred rows instead of one a day a channel); a
    reading missing on such a day is looked for in the week before it, and a
    channel still short (new in the period, or a gap) gets all its readings:
    the latest before the start and every one in the period."""
    today = local_today()  # no reading after today: a later day's is today's
    keys = sorted({min(day, today) for day in (scope.start, scope.end, *days)})
    found = {pk: {} for pk in channel_ids}
    # .order_by(): the model's ordering joins channel and unit to sort by their
    # names (135 ms for the 30,000 readings of 1,000 channels); none is needed.
    exact = (
        FollowerSnapshot.objects.filter(
            channel_id__in=channel_ids, captured_on__in=keys
        )
        .order_by()
        .values_list("channel_id", "captured_on", "followers")
    )
    for channel_id, day, followers in exact:
        found[channel_id][day] = followers
    missing = {pk: [k for k in keys if k not in f] for pk, f in found.items()}
    missing = {pk: days for pk, days in missing.items() if days}
    if missing:
        window = {day for days in missing.values() for k in days for day in before(k)}
        nearby = (
            FollowerSnapshot.objects.filter(
                channel_id__in=list(missing), captured_on__in=window
            )
            .order_by()
            .values_list("channel_id", "captured_on", "followers")
        )
        for channel_id, day, followers in nearby:
            found[channel_id][day] = followers
        short = [
            pk
            for pk, days in missing.items()
            if any(found[pk].keys().isdisjoint(before(k)) for k in days)
        ]
        if short:
            for pk, rows in all_readings(scope, short).items():
                found[pk] = dict(rows)
    return {pk: sorted(f.items()) for pk, f in found.items()}


def before(day):
    """The `LOOK_BACK` days before `day`."""
    return [day - datetime.timedelta(days=n) for n in range(1, LOOK_BACK + 1)]


def all_readings(scope, channel_ids):
    """{channel id: [(date, followers), ...]}: the latest reading before the start
    (if any) and every reading in the period."""
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


def series(scope, readings, summary, visits):
    periods = buckets(scope)
    posts = {start: {"posts": 0, "engagements": 0, "visits": 0} for start, _ in periods}
    for day, row in summary.by_day.items():
        bucket = posts[bucket_of(day, scope)]
        bucket["posts"] += row["posts"]
        bucket["engagements"] += row["engagements"]
    for day, count in visits.by_day.items():
        posts[bucket_of(day, scope)]["visits"] += count
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
            "visits": posts[start]["visits"],
        }
        for i, (start, end) in enumerate(periods)
    ]


# --- all together --------------------------------------------------------------


def totals(
    scope,
    readings=None,
    records=None,
    summary=None,
    visits=None,
    broadcasts=None,
    questions=None,
):
    """The goal metrics (and what is shown beside them) for `scope`."""
    if readings is None:
        readings = follower_readings(
            scope, list(scope_channels(scope).values_list("pk", flat=True))
        )
    records = records or record_figures(scope)
    followers = follower_figures(readings, scope)
    posts = (summary or post_summary(scope)).total
    visits = (visits or visit_summary(scope)).total
    broadcasts = (broadcasts or broadcast_summary(scope)).total
    asked = (questions or question_summary(scope)).total
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
        "broadcasts": broadcasts,
        GoalMetric.SOCIAL_VISITS: visits,
        "click_through": click_through(visits, posts["reach"]),
        "questions": asked["questions"],
        "answered": asked["answered"],
        GoalMetric.ANSWERED_WITHIN_DAY: asked["within_day"],
        "answer_median": asked["median"],
        "answer_p90": asked["p90"],
    }


def with_visits(row, visits):
    """`row` (with its reach) and its visits, and the click-through of the two."""
    row["visits"] = visits
    row["click_through"] = click_through(visits, row["reach"])
    return row


def breakdowns(scope, figures, channels, followers, records, summary):
    by_channel, by_unit = summary.by_channel, summary.by_unit
    by_network = summary.by_network
    visits, sent = figures.visits, figures.broadcasts
    units = {u.pk: u for u in Unit.objects.filter(pk__in=scope.unit_ids)}
    channel_units = {channel.unit_id for channel in channels}
    unit_followers, network_followers = {}, {}
    for channel in channels:
        end, growth = followers.get(channel.pk, (0, 0))
        row = {"channel": channel, **by_channel.get(channel.pk, _figures())}
        row.update(followers=end, followers_growth=growth)
        row["broadcasts"] = sent.by_channel.get(channel.pk, 0)
        with_visits(row, visits.by_channel.get(channel.pk, 0))
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
        row = {"unit": unit, **by_unit.get(pk, _figures())}
        end, growth = unit_followers.get(pk, (0, 0))
        row.update(followers=end, followers_growth=growth)
        row.update({key: records[key].get(pk, 0) or 0 for key in record_keys})
        row["broadcasts"] = sent.by_unit.get(pk, 0)
        with_visits(row, visits.by_unit.get(pk, 0))
        # A unit without channels has no channel figures: said, not shown as 0s.
        row["no_channel"] = pk not in channel_units
        shown = ("posts", "followers", "visits", "broadcasts", *record_keys)
        if any(row[k] for k in shown):
            figures.by_unit.append(row)
    networks = set(by_network) | set(network_followers) | set(visits.by_network)
    for network in sorted(networks | set(sent.by_network)):
        end, growth = network_followers.get(network, (0, 0))
        row = {"network": network, **by_network.get(network, _figures())}
        row.update(followers=end, followers_growth=growth)
        row["broadcasts"] = sent.by_network.get(network, 0)
        figures.by_network.append(with_visits(row, visits.by_network.get(network, 0)))
    figures.by_target_group = group_rows(scope, records, summary, visits)


def page_groups(campaign, page_ids):
    """{page id: [target group ids]} (an empty list for an article without any),
    read for the campaign's articles (not an IN list of thousands of ids)."""
    from cms.content.models import ArticlePage

    result = {pk: [] for pk in page_ids}
    through = ArticlePage.target_groups.through.objects.filter(
        articlepage__campaign=campaign
    )
    for page_id, group_id in through.values_list("articlepage_id", "targetgroup_id"):
        if page_id in result:
            result[page_id].append(group_id)
    return result


def group_rows(scope, records, summary, visits):
    """Per target group: its articles' posts and visits (an article in two groups
    counts in both; None: articles without a group) and its offline records."""
    from cms.core.models import TargetGroup

    posts, group_visits = {}, {}
    pages = set(summary.by_page) | set(visits.by_page)
    for page_id, groups in page_groups(scope.campaign, list(pages)).items():
        row = summary.by_page.get(page_id, _figures())
        for key in groups or [None]:
            sums = posts.setdefault(key, _figures())
            for name in POST_FIGURES:
                sums[name] += row[name]
            sums["articles"] += 1 if row["posts"] else 0
            group_visits[key] = group_visits.get(key, 0) + visits.by_page.get(
                page_id, 0
            )
    groups = TargetGroup.objects.all()
    if scope.target_group is not None:
        groups = groups.filter(pk=scope.target_group.pk)
    rows = []
    for group in list(groups) + [None]:
        key = group.pk if group else None
        row = {"group": group, **posts.get(key, _figures())}
        row["outreach_events"] = records["outreach_by_group"].get(key, 0) or 0
        row["new_participants"] = records["new_by_group"].get(key, 0) or 0
        row["total_participants"] = records["total_by_group"].get(key, 0) or 0
        with_visits(row, group_visits.get(key, 0))
        if group is not None or any(
            row[k] for k in ("posts", "outreach_events", "visits")
        ):
            rows.append(row)
    return rows


def compute(scope):
    """Every figure the dashboard and the exports show for `scope` (goals apart)."""
    channels = list(scope_channels(scope).select_related("unit").order_by("name"))
    readings = follower_readings(
        scope, [c.pk for c in channels], [end for _, end in buckets(scope)]
    )
    records = record_figures(scope)
    figures = Figures(scope=scope)
    figures.summary = summary = post_summary(scope)
    figures.visits = visits = visit_summary(scope)
    figures.broadcasts = sent = broadcast_summary(scope)
    figures.questions = asked = question_summary(scope)
    figures.totals = totals(scope, readings, records, summary, visits, sent, asked)
    figures.series = series(scope, readings, summary, visits)
    followers = follower_figures(readings, scope)
    figures.followers, figures.records = followers, records
    figures.channel_units = {channel.pk: channel.unit_id for channel in channels}
    breakdowns(scope, figures, channels, followers, records, summary)
    ended = scope.end < local_today()
    figures.by_kind = by_kind(scope, published_posts(scope), ended)
    figures.top_articles = top_articles(summary, visits)
    figures.most_visited = most_visited(summary, visits)
    figures.question_rows = labelled(asked, channels)
    return figures


def titles_of(page_ids):
    from cms.content.models import ArticlePage

    return dict(
        ArticlePage.objects.filter(pk__in=list(page_ids)).values_list("pk", "title")
    )


def most_visited(summary, visits, count=10):
    """The articles that brought the most visits in the period (ties by title),
    with their posts' figures in the period beside."""
    titles = titles_of(visits.by_page)
    rows = [
        with_visits(
            {
                "page_id": pk,
                "title": titles.get(pk, ""),
                **summary.by_page.get(pk, _figures()),
            },
            number,
        )
        for pk, number in visits.by_page.items()
    ]
    rows.sort(key=lambda r: (-r["visits"], r["title"]))
    return rows[:count]


def top_articles(summary, visits, count=10):
    ranked = sorted(
        summary.by_page.items(),
        key=lambda item: (-item[1]["engagements"], -item[1]["reach"]),
    )
    if len(ranked) > count:  # ties at the cut are decided by title below
        last = ranked[count - 1][1]
        ranked = [
            (pk, row)
            for pk, row in ranked
            if (row["engagements"], row["reach"])
            >= (last["engagements"], last["reach"])
        ]
    titles = titles_of(pk for pk, _ in ranked)
    rows = [
        with_visits(
            {"page_id": pk, "title": titles.get(pk, ""), **_figures(row)},
            visits.by_page.get(pk, 0),
        )
        for pk, row in ranked
    ]
    rows.sort(key=lambda r: (-r["engagements"], -r["reach"], r["title"]))
    return rows[:count]
