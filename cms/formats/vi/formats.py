"""Vietnamese display formats: dd/mm/yyyy, 24-hour HH:MM, 1.234.567,5.

Django's own "vi" formats write dates as "Ngày 26 tháng 11 năm 2026" or "26-11-2026"
and group no digits; Wagtail's listings and our templates show these formats
(`date:"SHORT_DATE_FORMAT"`, `intcomma`, `floatformat:"g"`).

Input formats (cms/formats/inputs.py): Wagtail's date pickers write
WAGTAIL_DATE_FORMAT and WAGTAIL_DATETIME_FORMAT (dd/mm/yyyy), so the forms must read
dd/mm/yyyy, and never Django's default mm/dd/yyyy (the picker's 05/12/2026, 5
December, was read as 12 May). ISO stays first: a widget without a format renders
its value with the first input format, and the browser's date inputs need ISO dates.
"""

from cms.formats.inputs import (  # noqa: F401
    DATE_INPUT_FORMATS,
    DATETIME_INPUT_FORMATS,
    TIME_INPUT_FORMATS,
)

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
