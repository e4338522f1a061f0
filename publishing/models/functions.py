"""Local days and hours: database functions of our own (like
`django.db.models.functions`) and the bounds of a range of local days."""

import datetime

from django.db.models import DateField, Func, IntegerField
from django.db.models.functions import TruncDate
from django.utils import timezone


class LocalDate(Func):
    """The local calendar day of a timestamp, computed by the database itself
    (Django's TruncDate calls back into Python for every row on SQLite: 11 s for a
    year of posts). SQLite adds the zone's offset: exact for Asia/Ho_Chi_Minh,
    which has no daylight saving time."""

    output_field = DateField()

    def __init__(self, expression, offset_seconds=None, **extra):
        if offset_seconds is None:
            now = timezone.localtime()
            offset_seconds = now.utcoffset().total_seconds()
        self.offset = int(offset_seconds)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"date(%(expressions)s, '{self.offset:+d} seconds')",
            **extra,
        )

    def as_postgresql(self, compiler, connection, **extra):
        zone = timezone.get_current_timezone_name().replace("'", "")
        return self.as_sql(
            compiler,
            connection,
            template=f"(%(expressions)s AT TIME ZONE '{zone}')::date",
            **extra,
        )

    def as_sql(self, compiler, connection, **extra):
        if "template" not in extra and connection.vendor not in ("sqlite",):
            return TruncDate(
                self.source_expressions[0], tzinfo=timezone.get_current_timezone()
            ).as_sql(compiler, connection)
        return super().as_sql(compiler, connection, **extra)


def local_range(first_day, last_day):
    """Aware datetimes [local midnight of first_day, local midnight after last_day)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first_day, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(
        last_day + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
    )
    return start, end


class LocalWeekHour(Func):
    """The local hour of the week of a timestamp, 0-167: day * 24 + hour, the day
    counted from Sunday (0) as SQLite's %w and PostgreSQL's DOW do. Computed by the
    database, as LocalDate is, so grouping a year of posts by it stays one query."""

    output_field = IntegerField()

    def __init__(self, expression, offset_seconds=None, **extra):
        if offset_seconds is None:
            offset_seconds = timezone.localtime().utcoffset().total_seconds()
        self.offset = int(offset_seconds)
        super().__init__(expression, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        # '%%%%w' is '%%w' in the SQL: the backend reads '%%' as '%' (as Django's
        # own MOD connector is written), and the queries' log formats the text.
        local = f"%(expressions)s, '{self.offset:+d} seconds'"
        template = (
            f"(CAST(strftime('%%%%w', {local}) AS INTEGER) * 24"
            f" + CAST(strftime('%%%%H', {local}) AS INTEGER))"
        )
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        zone = timezone.get_current_timezone_name().replace("'", "")
        local = f"(%(expressions)s AT TIME ZONE '{zone}')"
        template = (
            f"(EXTRACT(DOW FROM {local})::integer * 24"
            f" + EXTRACT(HOUR FROM {local})::integer)"
        )
        return self.as_sql(compiler, connection, template=template, **extra)
