"""The publication list's "when" filter and its count columns.

The list opens on today and what follows, soonest first: what is about to go out
is what people come to check. "Before today" lists the latest first; "All times"
runs in time order. A query that names a time range or particular posts (the
calendar's "more" link, the bulk file's "just scheduled") means all times unless
it says otherwise. Choosing a period keeps every other filter.
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import Column

UPCOMING, PAST, ALL = "upcoming", "past", "all"
PERIODS = [
    (UPCOMING, _("From today on")),
    (PAST, _("Before today")),
    (ALL, _("All times")),
]
PARAM = "period"
# Filters that name their own times or posts: without a period they mean all times.
OWN_TIMES = ("publish_at", "ids")


def start_of_today():
    """Local midnight today, as an aware datetime (posts are stored in UTC)."""
    midnight = datetime.datetime.combine(timezone.localdate(), datetime.time.min)
    return timezone.make_aware(midnight)


def default_period(query):
    named = any(
        value and key.startswith(OWN_TIMES)
        for key in query
        for value in query.getlist(key)
    )
    return ALL if named else UPCOMING


def with_period(data):
    """(`data` with its period, the default period of `data`)."""
    data = data.copy() if data is not None else None
    default = default_period(data) if data is not None else UPCOMING
    if data is not None and not data.get(PARAM):
        data[PARAM] = default
    return data, default


class PeriodFilter(django_filters.ChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", pgettext_lazy("publication list", "When"))
        kwargs.setdefault("choices", PERIODS)
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", forms.RadioSelect)
        super().__init__(**kwargs)

    def filter(self, qs, value):
        if value == UPCOMING:
            return qs.filter(publish_at__gte=start_of_today())
        if value == PAST:
            return qs.filter(publish_at__lt=start_of_today())
        return qs


class PeriodMixin:
    """For a FilterSet with a `period = PeriodFilter()`: the default period filled
    in, and as the field's initial value, so that it shows as no active filter."""

    def __init__(self, data=None, *args, **kwargs):
        data, self.default_period = with_period(data)
        super().__init__(data, *args, **kwargs)

    @property
    def form(self):
        form = super().form
        form.fields[PARAM].initial = self.default_period
        return form

    @property
    def period(self):
        if self.is_valid():
            return self.form.cleaned_data.get(PARAM) or self.default_period
        return self.default_period


def ordering_for(period):
    """Soonest first, but the latest first for what is past."""
    return "-publish_at" if period == PAST else "publish_at"


class CountColumn(Column):
    """A post's count as read from its network: "—" until it is read."""

    cell_template_name = "publishing/publications/count_cell.html"

    def __init__(self, name, **kwargs):
        kwargs.setdefault("classname", "num")
        super().__init__(name, **kwargs)


COUNT_COLUMNS = [
    CountColumn("reactions", label=_("Reactions")),
    # (Wagtail's "Comments" are page comments, "Nhận xét"; these are the post's.)
    CountColumn("comments", label=pgettext_lazy("post counts", "Comments")),
    CountColumn("shares", label=_("Shares")),
    CountColumn("views", label=_("Views")),
]
