"""Dates people type, bounded once for every form, filter and import.

Python's dates end at year 9999, and one month or one time zone past 31/12/9999 (or
before 01/01/0001) is an OverflowError: a calendar at `?date=9999-12-15` or a
dashboard from `start=0001-01-01` answered 500. Nothing this site plans or reports
on lies outside 2000-2100, so any date outside that range is refused with a
message, before any arithmetic. A new time for a post also stays within a year
(a typo such as 2062 for 2026 would otherwise wait decades, silently).

Use `check_date` as a validator (dates and date-times: the date as typed is
checked), `DateField` / `DateTimeField` / `DateFromToRangeFilter` where a form or
filter is declared, `bound_dates(form)` in a model form's `__init__`, and
`check_within_a_year` for times a post is planned at; importers that collect
messages instead of raising use `refusal(value, ...)`.
"""

import datetime

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.fields import DateRangeField

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2100, 12, 31)
AHEAD = datetime.timedelta(days=366)
# The days' names in Python's order (Monday 0): "Thứ Hai" ... "Chủ Nhật".
WEEKDAYS = (
    _("Monday"),
    _("Tuesday"),
    _("Wednesday"),
    _("Thursday"),
    _("Friday"),
    _("Saturday"),
    _("Sunday"),
)


def shown(day):
    """dd/mm/yyyy for any year (strftime leaves years before 1000 unpadded)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def check_date(value):
    """Refuses a date (or the date of a date-time) outside 2000-2100; returns
    the value, so that a parser may `return check_date(parsed)`."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Give a date between %(earliest)s and %(latest)s; %(day)s is outside."),
            code="date_out_of_range",
            params={
                "earliest": shown(EARLIEST),
                "latest": shown(LATEST),
                "day": shown(day),
            },
        )
    return value


def check_within_a_year(value):
    """Refuses a planned time more than a year from now."""
    limit = timezone.now() + AHEAD
    if value is not None and value > limit:
        raise ValidationError(
            _("Choose a time at most a year ahead (until %(limit)s)."),
            code="too_far_ahead",
            params={"limit": timezone.localtime(limit).strftime("%H:%M %d/%m/%Y")},
        )


def bound_dates(form):
    """Bounds every date and date-time field of `form` (a model form's fields
    come from the model: their validators are added here, without a migration)."""
    for field in form.fields.values():
        if isinstance(field, (forms.DateField, forms.DateTimeField)):
            field.validators.append(check_date)


def refusal(value, *checks):
    """The message of the first of `checks` (default: the bound) that refuses
    `value`, or None: for importers that collect messages rather than raise."""
    if value is None:
        return None
    for check in checks or (check_date,):
        try:
            check(value)
        except ValidationError as error:
            return error.messages[0]
    return None


# What a time a post is planned at must pass.
PLANNED = (check_date, check_within_a_year)


class DateField(forms.DateField):
    default_validators = [check_date]


class DateTimeField(forms.DateTimeField):
    default_validators = [check_date]


class DateRange(DateRangeField):
    """django-filter's from/to dates, each within the bounds."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields:
            field.validators.append(check_date)


class DateFromToRangeFilter(django_filters.DateFromToRangeFilter):
    field_class = DateRange
