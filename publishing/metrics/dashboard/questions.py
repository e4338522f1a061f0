"""Citizens' questions on the dashboard: how many came in, how many were answered
and how soon (time to first answer), per unit, channel, target group and topic.

Counted: the questions received on the period's local days on channels of the
scope's units (and network; target group: the one the person answering filed the
question under). Questions belong to no campaign (a Zalo message has no post):
the campaign filter does not apply to them. A question is answered when its first
answer went out before the end of the period's last day; its time to first
answer runs from `received_at` to `first_answered_at`. Only counts and timings
are read: never a name or a text, so the exports carry none.
"""

import datetime
import math
import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from publishing.models import Question
from publishing.models.functions import local_range

WITHIN = datetime.timedelta(hours=24)
"""The goal kind "answered within 24 h" and its column."""

GROUPINGS = (
    ("by_unit", "channel__unit_id"),
    ("by_channel", "channel_id"),
    ("by_group", "target_group_id"),
    ("by_topic", "topic_id"),
)


@dataclass(frozen=True)
class Duration:
    """A time to first answer in a table: a timedelta, or None when nothing was
    answered. In words on the page and in the CSV, a real duration in the XLSX."""

    value: datetime.timedelta | None

    def __str__(self):
        if self.value is None:
            return "—"
        # To the nearest minute, half up (round() would take 82.5 to 82).
        minutes = math.floor(self.value.total_seconds() / 60 + 0.5)
        days, minutes = divmod(minutes, 24 * 60)
        hours, minutes = divmod(minutes, 60)
        if days:
            return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
        if hours and not minutes:
            return _("%(hours)d h") % {"hours": hours}
        if hours:
            return _("%(hours)d h %(minutes)02d min") % {
                "hours": hours,
                "minutes": minutes,
            }
        if minutes:
            return _("%(minutes)d min") % {"minutes": minutes}
        return _("under 1 min")


def median(times):
    return Duration(statistics.median(times) if times else None)


def p90(times):
    """The 90th percentile by nearest rank: 9 answers in 10 came no later."""
    if not times:
        return Duration(None)
    return Duration(sorted(times)[math.ceil(len(times) * 0.9) - 1])


@dataclass
class Tally:
    questions: int = 0
    times: list = field(default_factory=list)  # of the answered ones

    def add(self, time):
        self.questions += 1
        if time is not None:
            self.times.append(time)

    def row(self):
        """questions, answered, answered within 24 h, median, p90."""
        return {
            "questions": self.questions,
            "answered": len(self.times),
            "within_day": sum(1 for t in self.times if t <= WITHIN),
            "median": median(self.times),
            "p90": p90(self.times),
        }


@dataclass
class QuestionSummary:
    """The rows (`Tally.row`) in total and per grouping, keyed by id (None: no
    target group or topic)."""

    total: dict = field(default_factory=lambda: Tally().row())
    by_unit: dict = field(default_factory=dict)
    by_channel: dict = field(default_factory=dict)
    by_group: dict = field(default_factory=dict)
    by_topic: dict = field(default_factory=dict)


def scope_questions(scope):
    lower, upper = local_range(scope.start, scope.end)
    questions = Question.objects.filter(
        channel__unit_id__in=scope.unit_ids,
        received_at__gte=lower,
        received_at__lt=upper,
    )
    if scope.network:
        questions = questions.filter(channel__network=scope.network)
    if scope.target_group is not None:
        questions = questions.filter(target_group=scope.target_group)
    return questions.order_by()


def question_summary(scope):
    _lower, upper = local_range(scope.start, scope.end)
    fields = [name for _key, name in GROUPINGS]
    rows = scope_questions(scope).values_list(
        *fields, "received_at", "first_answered_at"
    )
    total, tallies = Tally(), {key: {} for key, _name in GROUPINGS}
    for *keys, received, answered in rows.iterator(chunk_size=5000):
        time = answered - received if answered and answered < upper else None
        total.add(time)
        for (grouping, _name), key in zip(GROUPINGS, keys, strict=True):
            tallies[grouping].setdefault(key, Tally()).add(time)
    summary = QuestionSummary(total=total.row())
    for grouping, by_key in tallies.items():
        setattr(summary, grouping, {k: t.row() for k, t in by_key.items()})
    return summary


def labelled(summary, channels):
    """{grouping: [row with its "unit", "channel", "group" or "topic"]} for the
    tables, in the order a person reads them (units, groups and topics in their
    own order, channels by name; "none" last)."""
    from cms.core.models import TargetGroup, Unit
    from publishing.models import Topic

    channels = {c.pk: c for c in channels}
    units = Unit.objects.filter(pk__in=list(summary.by_unit))
    groups = TargetGroup.objects.filter(pk__in=[k for k in summary.by_group if k])
    topics = Topic.objects.filter(pk__in=[k for k in summary.by_topic if k])
    return {
        "by_unit": [
            {"unit": u, **summary.by_unit[u.pk]}
            for u in units.order_by("sort_order", "name")
        ],
        "by_channel": sorted(
            (
                {"channel": channels[pk], **row}
                for pk, row in summary.by_channel.items()
                if pk in channels
            ),
            key=lambda r: r["channel"].name,
        ),
        "by_group": _with_none(summary.by_group, "group", groups),
        "by_topic": _with_none(summary.by_topic, "topic", topics),
    }


def _with_none(by_key, name, found):
    rows = [{name: item, **by_key[item.pk]} for item in found]
    if None in by_key:
        rows.append({name: None, **by_key[None]})
    return rows
