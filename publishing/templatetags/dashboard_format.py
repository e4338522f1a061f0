"""Vietnamese number and date display for the dashboard's templates (Django's "vi"
format has no digit grouping, so `floatformat` would print 1234567)."""

from django import template

from ..dashboard.tables import display

register = template.Library()


@register.filter
def vn(value):
    """1.234.567 and dd/mm/yyyy; "—" when the value is unknown (None)."""
    return display(value)
