"""Dates in Wagtail's revisions comparison as the rest of the admin writes them.

Wagtail compares a date or date-time field with its generic comparison, which prints
the value as Python does ("2026-11-29 08:00:00+07:00"). These print it in the active
language's formats (dd/mm/yyyy HH:MM in Vietnamese), date-times in local time.
Registered in CoreConfig.ready().
"""

import datetime

from django.db import models
from django.utils import formats, timezone
from django.utils.html import escape
from wagtail.admin.compare import FieldComparison, TextDiff, register_comparison_class


class DateFieldComparison(FieldComparison):
    format_name = "SHORT_DATE_FORMAT"

    def display(self, value):
        if value is None:
            return ""
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, self.format_name)

    def htmldiff(self):
        before, after = self.display(self.val_a), self.display(self.val_b)
        if self.val_a != self.val_b:
            return TextDiff([("deletion", before), ("addition", after)]).to_html()
        return escape(before)


class DateTimeFieldComparison(DateFieldComparison):
    format_name = "SHORT_DATETIME_FORMAT"


def register():
    register_comparison_class(models.DateField, comparison_class=DateFieldComparison)
    register_comparison_class(
        models.DateTimeField, comparison_class=DateTimeFieldComparison
    )
