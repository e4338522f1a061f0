"""Every figure of the dashboard as plain tables (title, column labels, rows of
ints, dates and text). The page, the CSV and the XLSX all render these, so what is
exported is what is shown."""

from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.core.models import GoalMetric
from publishing.metrics.dashboard.kinds import kind_label
from publishing.metrics.dashboard.questions import Duration
from publishing.models import Network


@dataclass
class Table:
    key: str
    title: str
    columns: list
    rows: list
    note: str = ""


POSTS = [
    ("posts", _("Posts published")),
    ("articles", _("Distinct articles")),
]
FOLLOWERS = [
    ("followers", _("Followers at the period's end")),
    ("followers_growth", _("Follower growth")),
]
REACH = [
    ("reach", _("Reach (upper bound)")),
    ("engagements", _("Engagements")),
]
VIEWS = [("views", _("Views"))]
VIEWS_NOTE = _(
    "Views as each network counts them: a video's plays and a post's media views "
    "on Facebook, an article's views on Zalo; “—” when none was read."
)
RECORDS = [
    ("press_items", _("Press items")),
    ("outreach_events", _("Outreach events")),
    ("new_participants", _("New participants")),
    ("total_participants", _("Total participants")),
]
# Zalo OAs' broadcasts to their followers: apart from the posts (not a post).
BROADCASTS = [("broadcasts", _("Broadcasts to followers"))]
BROADCASTS_NOTE = _(
    "Broadcasts to followers: Zalo OA articles sent to the OA's followers in the "
    "period (accepted by Zalo). They are not posts and do not count in posts "
    "published."
)
VISITS = [
    ("visits", _("Visits from social networks")),
    ("click_through", _("Click-through")),
]
VISITS_NOTE = _(
    "Visits from social networks: visits to the site through our posts' short "
    "links (and their older tagged links) on the days of the period, whenever the "
    "post went out. Click-through = visits ÷ reach of the posts published in the "
    "period; “not known” when none of them has a known reach. Posts with an "
    "unknown reach add nothing to the reach, so the rate may be higher than it is."
)


QUESTIONS = [
    ("questions", _("Questions received")),
    ("answered", _("Questions answered")),
    (GoalMetric.ANSWERED_WITHIN_DAY, _("Questions answered within 24 h")),
    ("answer_median", _("Time to first answer (median)")),
    ("answer_p90", _("Time to first answer (9 in 10 within)")),
]
QUESTIONS_NOTE = _(
    "Citizens' questions: comments under our posts and messages to our Zalo OAs "
    "received in the period, whatever the campaign. Time to first answer: from the "
    "question's arrival to its first answer sent, for the questions answered by the "
    "period's end; the median (half were answered sooner) and the time within which "
    "9 questions in 10 were answered. Hidden questions and those needing no reply "
    "count among the questions, not the answered ones."
)
# The questions' tables key their rows by the same names as QUESTIONS.
QUESTION_ROW = [
    ("questions", QUESTIONS[0][1]),
    ("answered", QUESTIONS[1][1]),
    ("within_day", QUESTIONS[2][1]),
    ("median", QUESTIONS[3][1]),
    ("p90", QUESTIONS[4][1]),
]


@dataclass(frozen=True)
class Rate:
    """A click-through in a table: a Fraction, or None when it is not known."""

    value: Fraction | None

    @property
    def known(self):
        return self.value is not None

    def __str__(self):
        if self.value is None:
            return gettext_now("not known")
        # One decimal, rounded half up, with the Vietnamese decimal comma: 2,5%.
        tenths = int(self.value * 1000 + Fraction(1, 2))
        return f"{tenths // 10},{tenths % 10}%"


REACH_NOTE = _(
    "Reach adds up each post's unique viewers: the same person seen by two posts "
    "counts twice, so it is an upper bound. Engagements are reactions, comments and "
    "shares. Posts with an unknown reach add nothing to it."
)


NO_CHANNEL_TEXT = _("No channel connected")


@dataclass(frozen=True)
class NoChannel:
    """A channel figure of a unit without any channel: said, not shown as 0."""

    def __str__(self):
        return str(NO_CHANNEL_TEXT)


NO_CHANNEL = NoChannel()


def said_once(row):
    """`row` with "no channel" said in its first such cell, "—" in the others."""
    seen = False
    cells = []
    for value in row:
        if isinstance(value, NoChannel):
            value, seen = ("—" if seen else value), True
        cells.append(value)
    return cells


def pace_text(progress):
    text = str(progress.pace.label)
    return f"{text} · {NO_CHANNEL_TEXT}" if progress.no_channel else text


def goal_table(progress):
    rows = [
        [
            p.goal.get_metric_display(),
            p.goal.unit.label if p.goal.unit else str(_("Whole campaign")),
            p.value,
            p.target,
            p.expected,
            p.percent,
            pace_text(p),
        ]
        for p in progress
    ]
    columns = [
        _("Goal"),
        _("Scope"),
        _("Value"),
        pgettext_lazy("goal", "Target"),
        _("Expected by today"),
        # xgettext:no-python-format  ("% o" is not a placeholder here)
        _("% of target"),
        _("Pace"),
    ]
    note = _(
        "Counted from the campaign's start to today, whatever the period. Expected by "
        "today = target x the share of the campaign's days begun."
    )
    return Table("goals", _("Goals"), columns, rows, note)


def total_table(totals):
    labels = [
        (GoalMetric.POSTS_PUBLISHED, _("Posts published")),
        ("articles", _("Distinct articles")),
        (GoalMetric.FOLLOWERS, _("Followers at the period's end")),
        ("followers_growth", _("Follower growth since the start")),
        (GoalMetric.REACH, _("Reach (upper bound)")),
        ("reach_unknown", _("Posts with unknown reach")),
        (GoalMetric.ENGAGEMENTS, _("Engagements")),
        (GoalMetric.PRESS_ITEMS, _("Press items")),
        (GoalMetric.OUTREACH_EVENTS, _("Outreach events")),
        (GoalMetric.NEW_PARTICIPANTS, _("New participants")),
        (GoalMetric.TOTAL_PARTICIPANTS, _("Total participants (latest reports)")),
        ("broadcasts", BROADCASTS[0][1]),
        (GoalMetric.SOCIAL_VISITS, _("Visits from social networks")),
    ]
    rows = [[label, totals[key]] for key, label in labels]
    rows.append([_("Click-through"), Rate(totals["click_through"])])
    note = f"{REACH_NOTE} {BROADCASTS_NOTE} {VISITS_NOTE}"
    return Table("totals", _("Figures"), [_("Figure"), _("Value")], rows, note)


def series_table(series):
    columns = [
        _("From"),
        _("To"),
        _("Followers"),
        _("Posts"),
        _("Engagements"),
        _("Visits from social networks"),
    ]
    rows = [
        [
            r["start"],
            r["end"],
            r["followers"],
            r["posts"],
            r["engagements"],
            r["visits"],
        ]
        for r in series
    ]
    note = _(
        "Followers: the latest count at the end of each interval. Posts and "
        "engagements: posts published in the interval. Visits: visits in the "
        "interval."
    )
    return Table("series", _("Over time"), columns, rows, note)


RECORD_KEYS = frozenset(key for key, _label in RECORDS)


def _cell(row, key):
    if row.get("no_channel") and key not in RECORD_KEYS:
        return NO_CHANNEL
    if key == "click_through":
        return Rate(row[key])
    # Not read (views): "—", not 0, the same on the page and in the exports.
    return "—" if row[key] is None else row[key]


def _breakdown(key, title, head, rows, keys, note=""):
    columns = [label for label, _f in head] + [label for _k, label in keys]
    body = [
        [value(r) for _l, value in head] + [_cell(r, k) for k, _l in keys] for r in rows
    ]
    return Table(key, title, columns, body, note)


def network_label(code):
    # Network(code).label, not dict(Network.choices): this runs once a channel row
    return str(Network(code).label) if code in Network.values else code


def build(figures, progress):
    """All the tables, in the order the page shows them."""
    tables = [goal_table(progress), total_table(figures.totals)]
    tables.append(series_table(figures.series))
    tables.append(
        _breakdown(
            "units",
            _("By unit"),
            [(_("Unit"), lambda r: r["unit"].label)],
            figures.by_unit,
            POSTS + FOLLOWERS + REACH + RECORDS + BROADCASTS + VISITS,
        )
    )
    channel_head = [
        (_("Channel"), lambda r: r["channel"].name),
        (_("Unit"), lambda r: r["channel"].unit.label),
        (_("Network"), lambda r: network_label(r["channel"].network)),
    ]
    tables.append(
        _breakdown(
            "channels",
            _("By channel"),
            channel_head,
            figures.by_channel,
            POSTS + FOLLOWERS + REACH + BROADCASTS + VISITS,
        )
    )
    tables.append(
        _breakdown(
            "networks",
            _("By network"),
            [(_("Network"), lambda r: network_label(r["network"]))],
            figures.by_network,
            POSTS + FOLLOWERS + REACH + BROADCASTS + VISITS,
        )
    )
    tables.append(
        _breakdown(
            "kinds",
            _("By kind of post"),
            [
                (_("Network"), lambda r: network_label(r["network"])),
                (_("Kind of post"), lambda r: kind_label(r["kind"])),
            ],
            figures.by_kind,
            POSTS + VIEWS + REACH,
            VIEWS_NOTE,
        )
    )
    group_head = [
        (
            _("Target group"),
            lambda r: r["group"].label if r["group"] else str(_("No target group")),
        )
    ]
    tables.append(
        _breakdown(
            "groups",
            _("By target group"),
            group_head,
            figures.by_target_group,
            POSTS + REACH + RECORDS[1:] + VISITS,
        )
    )
    tables.append(
        _breakdown(
            "articles",
            _("Top articles"),
            [(_("Article"), lambda r: r["title"])],
            figures.top_articles,
            POSTS[:1] + REACH + VISITS,
        )
    )
    tables.append(
        _breakdown(
            "visited",
            _("Most visited articles"),
            [(_("Article"), lambda r: r["title"])],
            figures.most_visited,
            POSTS[:1] + REACH[:1] + VISITS,
            VISITS_NOTE,
        )
    )
    tables += question_tables(figures.totals, figures.question_rows, channel_head)
    return tables


def question_tables(totals, rows, channel_head):
    """Citizens' questions in all, then by unit, channel, target group and topic:
    counts and timings only, never a name or a text."""
    if not rows:
        return []
    total = Table(
        "q_totals",
        _("Citizens' questions"),
        [_("Figure"), _("Value")],
        [[label, totals[key]] for key, label in QUESTIONS],
        QUESTIONS_NOTE,
    )
    heads = [
        ("q_units", _("Questions by unit"), [(_("Unit"), lambda r: r["unit"].label)]),
        ("q_channels", _("Questions by channel"), channel_head),
        (
            "q_groups",
            _("Questions by target group"),
            [
                (
                    _("Target group"),
                    lambda r: (
                        r["group"].label if r["group"] else str(_("No target group"))
                    ),
                )
            ],
        ),
        (
            "q_topics",
            _("Questions by topic"),
            [
                (
                    _("Topic"),
                    lambda r: r["topic"].name if r["topic"] else str(_("No topic")),
                )
            ],
        ),
    ]
    groupings = ("by_unit", "by_channel", "by_group", "by_topic")
    return [total] + [
        _breakdown(key, title, head, rows[grouping], QUESTION_ROW)
        for (key, title, head), grouping in zip(heads, groupings, strict=True)
    ]


def display(value):
    """Vietnamese format: 1.234.567 and dd/mm/yyyy."""
    if isinstance(value, bool) or value is None:
        return "—" if value is None else str(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if hasattr(value, "strftime"):
        return value.strftime("%d/%m/%Y")
    return str(value)


def numeric(value):
    return isinstance(value, Rate | Duration) or (
        isinstance(value, int) and not isinstance(value, bool)
    )
