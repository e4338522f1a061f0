"""Visits from social networks on the dashboard: the visits our posts' links
brought to the site (`VisitDay`: a publication's short link and its
`utm_content=pub-<id>` links) on the days of the period, by channel, unit, network,
article and day, and click-through against the reach of the same grouping.

Read from `VisitDay` itself, not a roll-up: it is already one row per publication
and day, and a visit counts on the day it happened, whenever its post went out
(people click old posts), which the roll-ups (posts by the day they were
published) do not key on. Every publication counts, whatever its status: a
withdrawn post's link still redirects and brings visits.
"""

from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Sum

from publishing.models import VisitDay

GROUPINGS = (
    ("by_channel", "publication__channel_id"),
    ("by_unit", "publication__channel__unit_id"),
    ("by_network", "publication__channel__network"),
    ("by_page", "publication__page_id"),
    ("by_day", "day"),
)


@dataclass
class VisitSummary:
    """Visits in the scope's period: in total and per grouping ({key: visits})."""

    total: int = 0
    by_channel: dict = field(default_factory=dict)
    by_unit: dict = field(default_factory=dict)
    by_network: dict = field(default_factory=dict)
    by_page: dict = field(default_factory=dict)
    by_day: dict = field(default_factory=dict)


def visit_days(scope):
    """The `VisitDay` rows of the scope: days of the period, posts of the campaign's
    articles on channels of the scope's units (and network, and target group)."""
    rows = VisitDay.objects.filter(
        day__gte=scope.start,
        day__lte=scope.end,
        publication__page__campaign=scope.campaign,
        publication__channel__unit_id__in=scope.unit_ids,
    )
    if scope.network:
        rows = rows.filter(publication__channel__network=scope.network)
    if scope.target_group is not None:
        rows = rows.filter(publication__page__target_groups=scope.target_group)
    return rows.order_by()


def visit_summary(scope, groupings=GROUPINGS):
    summary = VisitSummary()
    rows = visit_days(scope)
    for key, field_name in groupings:
        sums = rows.values_list(field_name).annotate(n=Sum("visits"))
        setattr(summary, key, {value: n for value, n in sums if n})
    summary.total = sum(
        getattr(summary, groupings[0][0]).values()
    )  # every visit is in exactly one group of any grouping
    return summary


def visits_by_unit(scope):
    """{unit id: visits}: what a goal of the "visits" kind adds up."""
    return visit_summary(scope, groupings=GROUPINGS[1:2]).by_unit


def click_through(visits, reach):
    """Visits ÷ reach as a Fraction, or None when no reach is known (no post with
    a known reach: never a division by zero)."""
    return Fraction(visits, reach) if reach else None
