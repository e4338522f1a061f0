"""Goal progress: each goal's value against its target and against the pace
expected by today (the target times the elapsed share of the campaign).

A goal's value is counted over the campaign so far (its start to today, or to its
end once over), on the goal's own scope: its unit and the units below it, or the
whole campaign. The period, network and target-group filters do not change it: a
target is set for the campaign, not for a slice of it.
"""

from dataclasses import dataclass
from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.models import GoalMetric
from publishing.metrics.dashboard.metrics import (
    Scope,
    follower_figures,
    follower_readings,
    local_today,
    post_summary,
    record_figures,
    scope_channels,
)
from publishing.metrics.dashboard.questions import question_summary
from publishing.metrics.dashboard.visits import visits_by_unit
from publishing.models import Channel


def elapsed_share(campaign, today):
    """The share of the campaign's days that have begun by `today` (0 to 1)."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    elapsed = (today - campaign.starts_on).days + 1
    return Fraction(min(max(elapsed, 0), days), days)


def round_half_up(value):
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


class Pace(models.TextChoices):
    """A goal against its pace; the order is the cards' (behind schedule first)."""

    BEHIND = "behind", _("Behind")
    ON_PACE = "on_pace", _("On track")
    AHEAD = "ahead", _("Ahead")


# Ahead: at least a tenth over the pace; anything from the pace up to that is on it.
AHEAD_MARGIN = Fraction(11, 10)
# The metrics that only channels bring: a scope without a channel has none to count.
CHANNEL_METRICS = frozenset(
    {
        GoalMetric.POSTS_PUBLISHED,
        GoalMetric.FOLLOWERS,
        GoalMetric.REACH,
        GoalMetric.ENGAGEMENTS,
        GoalMetric.SOCIAL_VISITS,
        GoalMetric.ANSWERED_WITHIN_DAY,
    }
)


@dataclass
class Progress:
    goal: object
    value: int
    expected: int  # the pace: where the value should be by today
    no_channel: bool = False  # a channel metric on units without any channel

    @property
    def target(self):
        return self.goal.target

    @property
    def percent(self):
        """Percent of the target reached, rounded down (99.6 % is not done)."""
        return self.value * 100 // self.target

    @property
    def on_track(self):
        return self.value >= self.expected

    @property
    def pace(self):
        if not self.on_track:
            return Pace.BEHIND
        if self.value > self.expected and self.value >= self.expected * AHEAD_MARGIN:
            return Pace.AHEAD
        return Pace.ON_PACE

    @property
    def bar_percent(self):
        """The bar's fill: the percent of the target, at most the whole bar."""
        return min(self.percent, 100)

    @property
    def expected_percent(self):
        """Where the pace's mark stands on the bar (percent of the target)."""
        return min(self.expected * 100 // self.target, 100)


def unit_figures(scope, known=None):
    """{unit id: {metric: value}} for `scope`: every goal metric adds up over units
    (a post, a channel, a record belongs to one unit; the latest enrolment report is
    per unit and group), so one grouped pass serves every goal. `known`: the
    dashboard's figures of this same scope, whose parts are taken as they are."""
    if known is not None:
        channels = list(known.channel_units.items())
        followers, records, summary = known.followers, known.records, known.summary
        visits = known.visits.by_unit
        asked = known.questions.by_unit
    else:
        channels = list(scope_channels(scope).values_list("pk", "unit_id"))
        readings = follower_readings(scope, [pk for pk, _ in channels])
        followers = follower_figures(readings, scope)
        records = record_figures(scope)
        summary = post_summary(scope)
        visits = visits_by_unit(scope)
        asked = question_summary(scope).by_unit
    posts = summary.by_unit
    result = {
        pk: dict.fromkeys([*GoalMetric.values, "channels"], 0) for pk in scope.unit_ids
    }
    for channel_id, unit_id in channels:
        result[unit_id][GoalMetric.FOLLOWERS] += followers[channel_id][0]
        result[unit_id]["channels"] += 1
    for unit_id, row in posts.items():
        figures = result[unit_id]
        figures[GoalMetric.POSTS_PUBLISHED] = row["posts"]
        figures[GoalMetric.REACH] = row["reach"] or 0
        figures[GoalMetric.ENGAGEMENTS] = row["engagements"] or 0
    for unit_id, count in visits.items():
        result[unit_id][GoalMetric.SOCIAL_VISITS] = count
    for unit_id, row in asked.items():
        result[unit_id][GoalMetric.ANSWERED_WITHIN_DAY] = row["within_day"]
    for metric in RECORD_METRICS:
        for unit_id, value in records[metric].items():
            result[unit_id][metric] = value or 0
    return result


RECORD_METRICS = (
    GoalMetric.PRESS_ITEMS,
    GoalMetric.OUTREACH_EVENTS,
    GoalMetric.NEW_PARTICIPANTS,
    GoalMetric.TOTAL_PARTICIPANTS,
)


def shown_goals(campaign, campaign_units, visible_units, selected_units):
    """(goal, its units) for the goals whose scope `visible_units` covers entirely
    and which lie inside `selected_units`."""
    shown = []
    goals = campaign.goals.select_related("unit").order_by("sort_order", "pk")
    for goal in goals:
        if goal.unit_id is None:
            units = frozenset(campaign_units)
            if units <= visible_units and units <= selected_units:
                shown.append((goal, units))
        elif goal.unit_id in visible_units and goal.unit_id in selected_units:
            shown.append((goal, campaign_units & set(goal.unit.descendant_ids())))
    return shown


def goal_progress(
    campaign, campaign_units, visible_units, selected_units, today=None, known=None
):
    """Progress of the goals whose scope `visible_units` covers entirely and which lie
    inside `selected_units` (the unit filter, already cut to what the user sees),
    behind schedule first. `known`: figures already computed, reused when their
    scope is the goals' one."""
    today = today or local_today()
    share = elapsed_share(campaign, today)
    end = min(today, campaign.ends_on)
    shown = shown_goals(campaign, campaign_units, visible_units, selected_units)
    if not shown:
        return []
    everything = frozenset().union(*(units for _, units in shown))
    if end < campaign.starts_on:
        by_unit = {}
        channelled = set(
            Channel.objects.filter(unit_id__in=everything).values_list(
                "unit_id", flat=True
            )
        )
    else:
        scope = Scope(campaign, campaign.starts_on, end, everything)
        reuse = known is not None and known.scope == scope
        by_unit = unit_figures(scope, known if reuse else None)
        channelled = {pk for pk, figures in by_unit.items() if figures["channels"]}
    result = []
    for goal, units in shown:
        value = sum(by_unit[u][goal.metric] for u in units if u in by_unit)
        expected = round_half_up(goal.target * share)
        no_channel = goal.metric in CHANNEL_METRICS and not channelled & units
        result.append(Progress(goal, value, expected, no_channel))
    # Behind schedule first (what needs acting on), then in the campaign's order.
    order = list(Pace.values)
    return sorted(result, key=lambda p: order.index(p.pace))
