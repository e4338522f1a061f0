"""Vietnam's public holidays, marked on the calendar: a table per year, 2025-2030.

Which days (Bộ luật Lao động 2019, Điều 112): Tết Dương lịch (01/01), Tết Nguyên
đán (five days; the government places them each year, and in 2023-2026 they were
the eve and the first four days of the lunar year, so this table does the same),
Giỗ Tổ Hùng Vương (10/3 of the lunar calendar), Ngày Chiến thắng (30/4), Quốc tế
Lao động (01/5) and Quốc khánh (02/9 and a day beside it, before or after).

The lunar dates are in the table rather than computed: the Vietnamese lunar
calendar is reckoned at UTC+7 and differs from the Chinese one in some years. The
Gregorian dates of Tết (mùng 1) and of Giỗ Tổ are those of Hồ Ngọc Đức's
Vietnamese lunar calendar, as the `holidays` package (v0.108, `Vietnam`) gives
them; the day beside 02/9 is the one decreed for 2025 and 2026, and after that
the one that `holidays` gives (the government decides it each year: check it
when the year's decision is out). Substituted working days are not marked.
"""

import datetime

from django.utils.translation import gettext_lazy as _

D = datetime.date

# year: (Tết, the first day of the lunar year; Giỗ Tổ Hùng Vương; the day beside
# Quốc khánh 02/9)
LUNAR_AND_DECREED = {
    2025: (D(2025, 1, 29), D(2025, 4, 7), D(2025, 9, 1)),
    2026: (D(2026, 2, 17), D(2026, 4, 26), D(2026, 9, 1)),
    2027: (D(2027, 2, 6), D(2027, 4, 16), D(2027, 9, 3)),
    2028: (D(2028, 1, 26), D(2028, 4, 4), D(2028, 9, 1)),
    2029: (D(2029, 2, 13), D(2029, 4, 23), D(2029, 9, 3)),
    2030: (D(2030, 2, 2), D(2030, 4, 12), D(2030, 9, 3)),
}

NEW_YEAR = _("New Year's Day")
TET = _("Lunar New Year (Tết)")
TET_EVE = _("Lunar New Year's Eve")
HUNG_KINGS = _("Hung Kings' Commemoration Day")
REUNIFICATION = _("Reunification Day")
LABOUR = _("International Labour Day")
NATIONAL = _("National Day")


def of_year(year):
    """{date: name} of the public holidays of `year` ({} outside the table)."""
    if year not in LUNAR_AND_DECREED:
        return {}
    tet, hung_kings, beside_national = LUNAR_AND_DECREED[year]
    days = {
        D(year, 1, 1): NEW_YEAR,
        tet - datetime.timedelta(days=1): TET_EVE,
        hung_kings: HUNG_KINGS,
        D(year, 4, 30): REUNIFICATION,
        D(year, 5, 1): LABOUR,
        D(year, 9, 2): NATIONAL,
        beside_national: NATIONAL,
    }
    for n in range(4):
        days[tet + datetime.timedelta(days=n)] = TET
    return days


def between(first, last):
    """{date: name} of the public holidays from `first` to `last` (included)."""
    found = {}
    for year in range(first.year, last.year + 1):
        found.update(of_year(year))
    return {day: name for day, name in found.items() if first <= day <= last}
