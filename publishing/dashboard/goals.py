"""Goal progress: each goal's value against its target and against the pace
expected by today (the target times the elapsed share of the campaign).

A goal's value is counted over the campaign so far (its start to today, or to its
end once over), on the goal's own scope: its unit and the units below it, or the
whole campaign. The period, network and target-group filters do not change it: a
target is set for the campaign, not for a slice of it.
"""

from dataclasses import dataclass
from fractions import Fraction

from .metrics import Scope, local_today, totals


def elapsed_share(campaign, today):
    """The share of the campaign's days that have begun by `today` (0 to 1)."""
    days = (campaign.ends_on - campaign.starts_on).days + 1
    elapsed = (today - campaign.starts_on).days + 1
    return Fraction(min(max(elapsed, 0), days), days)


def round_half_up(value):
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


@dataclass
class Progress:
    goal: object
    value: int
    expected: int  # the pace: where the value should be by today

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


def goal_progress(campaign, campaign_units, visible_units, selected_units, today=None):
    """Progress of the goals whose scope `visible_units` covers entirely and which lie
    inside `selected_units` (the unit filter, already cut to what the user sees)."""
    today = today or local_today()
    share = elapsed_share(campaign, today)
    end = min(today, campaign.ends_on)
    cache, result = {}, []
    goals = campaign.goals.select_related("unit").order_by("sort_order", "pk")
    for goal in goals:
        if goal.unit_id is None:
            units = frozenset(campaign_units)
            shown = units <= visible_units and units <= selected_units
        else:
            units = frozenset(campaign_units & set(goal.unit.descendant_ids()))
            shown = goal.unit_id in visible_units and goal.unit_id in selected_units
        if not shown:
            continue
        if units not in cache:
            scope = Scope(campaign, campaign.starts_on, end, units)
            cache[units] = totals(scope) if end >= campaign.starts_on else {}
        value = cache[units].get(goal.metric, 0)
        result.append(Progress(goal, value, round_half_up(goal.target * share)))
    return result
