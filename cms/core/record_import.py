"""Import of offline figures from CSV or XLSX: read, check every row, save all or none.

A file is read into a table of plain strings, each row with its number in the
spreadsheet (`read_table`); that table is what the preview keeps in the session
between the upload and the confirmation. `check` turns it into records with an error
per row and column, and runs again on confirm, so nothing the browser sends back is
trusted. `save` writes every row in one transaction, or nothing.
"""

import datetime
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.dates import check_date
from cms.core.models import Campaign, Role, TargetGroup, Unit
from cms.core.records import EnrolmentReport, OutreachEvent, OutreachKind, PressCoverage
from cms.core.roles import units_for
from cms.core.table_reader import HEADERS_LISTED, shortened


@dataclass(frozen=True)
class Column:
    name: str  # the model field, also accepted as an English header
    header: str  # the Vietnamese header of the templates (data, never translated)
    kind: str
    required: bool = True


@dataclass(frozen=True)
class Spec:
    key: str
    model: type
    role: str  # the role that may add these records on a unit
    columns: tuple
    duplicate_key: tuple  # fields that make two rows the same record
    label: object = None

    def column(self, name):
        return next(c for c in self.columns if c.name == name)


LOOKED_UP = {"campaign", "unit", "group", "groups"}
CAMPAIGN = Column("campaign", "Chiến dịch", "campaign")
UNIT = Column("unit", "Đơn vị", "unit")

SPECS = {
    "press": Spec(
        "press",
        PressCoverage,
        Role.EDITOR,
        (
            CAMPAIGN,
            UNIT,
            Column("outlet", "Cơ quan báo chí", "text"),
            Column("title", "Tiêu đề", "text"),
            Column("url", "Đường dẫn", "text", required=False),
            Column("published_on", "Ngày đăng", "date"),
        ),
        ("campaign", "outlet", "title", "published_on"),
        gettext_lazy("press coverage"),
    ),
    "outreach": Spec(
        "outreach",
        OutreachEvent,
        Role.EDITOR,
        (
            CAMPAIGN,
            UNIT,
            Column("kind", "Hình thức", "kind"),
            Column("held_on", "Ngày", "date"),
            Column("place", "Địa điểm", "text"),
            Column("target_groups", "Nhóm đối tượng", "groups", required=False),
            Column("attendees", "Số người tham dự", "count"),
        ),
        ("campaign", "unit", "kind", "held_on", "place"),
        gettext_lazy("outreach events"),
    ),
    "enrolment": Spec(
        "enrolment",
        EnrolmentReport,
        Role.MANAGER,
        (
            CAMPAIGN,
            UNIT,
            Column("target_group", "Nhóm đối tượng", "group"),
            Column("period_start", "Từ ngày", "date"),
            Column("period_end", "Đến ngày", "date"),
            Column("identified_eligible", "Số người thuộc diện", "count"),
            Column("new_participants", "Số người tham gia mới", "count"),
            Column("total_participants", "Tổng số người tham gia", "count"),
        ),
        ("campaign", "unit", "target_group", "period_start", "period_end"),
        gettext_lazy("enrolment reports"),
    ),
}


def normalise(text):
    """Headers and names compared without case, extra spaces or Unicode forms."""
    text = unicodedata.normalize("NFC", str(text or "")).replace("\u00a0", " ")
    return " ".join(text.split()).casefold()


# Checking ----------------------------------------------------------------------------
@dataclass
class Row:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: list
    errors: dict = field(default_factory=dict)  # column header -> message
    instance: object = None
    groups: list = field(default_factory=list)


@dataclass
class Result:
    spec: Spec
    header_row: int
    headers: list
    header_errors: list  # (column header, message)
    rows: list

    @property
    def ok(self):
        return not self.header_errors and not any(r.errors for r in self.rows)

    @property
    def error_count(self):
        return len(self.header_errors) + sum(len(r.errors) for r in self.rows)


def allowed_unit_ids(user, spec):
    return units_for(user, spec.role)


class Checker:
    """Checks rows of one record type for one user against the database."""

    def __init__(self, spec, user):
        self.spec = spec
        self.allowed = allowed_unit_ids(user, spec)
        self.campaigns = {normalise(c.slug): c for c in Campaign.objects.all()}
        self.units = _by_names(Unit.objects.all(), ("slug", "name", "short_name"))
        self.groups = _by_names(TargetGroup.objects.all(), ("slug", "name"))
        self.kinds = _kind_names()

    def check(self, table):
        headers = table["headers"]
        mapping, header_errors = self.map_headers(headers)
        result = Result(self.spec, table["header_row"], headers, header_errors, [])
        if header_errors:
            return result
        for number, cells in table["rows"]:
            row = Row(number, list(cells))
            self.check_row(row, mapping)
            result.rows.append(row)
        campaigns = {r.instance.campaign_id for r in result.rows if not r.errors}
        seen, existing = {}, self.existing_keys(campaigns)
        for row in result.rows:
            if not row.errors:
                self.check_duplicate(row, seen, existing)
        return result

    def map_headers(self, headers):
        names = {}
        for column in self.spec.columns:
            names[normalise(column.header)] = column
            names[normalise(column.name)] = column
        mapping, errors, unknown = {}, [], []
        for position, header in enumerate(headers):
            column = names.get(normalise(header))
            if column is None:
                unknown.append(shortened(header))
            elif column in mapping.values():
                name = shortened(header)
                errors.append(
                    (name, _("The column “%(name)s” appears twice.") % {"name": name})
                )
            else:
                mapping[position] = column
        errors += _unknown_errors(unknown)
        for column in self.spec.columns:
            if column.required and column not in mapping.values():
                errors.append(
                    (
                        column.header,
                        _("Missing column “%(name)s”.") % {"name": column.header},
                    )
                )
        return mapping, errors

    def check_row(self, row, mapping):
        values = {}
        for position, column in mapping.items():
            text = row.cells[position].strip() if position < len(row.cells) else ""
            if not text:
                if column.required:
                    row.errors[column.header] = _("This value is required.")
                continue
            try:
                values[column.name] = self.parse(column, text)
            except ValidationError as error:
                row.errors[column.header] = error.messages[0]
        row.groups = values.pop("target_groups", [])
        unit = values.get("unit")
        if unit is not None and unit.pk not in self.allowed:
            row.errors[UNIT.header] = _(
                "You may not report for the unit “%(unit)s”."
            ) % {"unit": unit}
        elif unit is not None and not unit.active:
            row.errors[UNIT.header] = _(
                "The unit “%(unit)s” is no longer active: report for the unit that "
                "took over its work."
            ) % {"unit": unit}
        row.instance = self.spec.model(**values)
        self.check_model(row)

    def parse(self, column, text):
        if column.kind == "campaign":
            return _lookup(self.campaigns, text, UNKNOWN_CAMPAIGN)
        if column.kind == "unit":
            return _lookup(self.units, text, UNKNOWN_UNIT)
        if column.kind == "group":
            return _lookup(self.groups, text, UNKNOWN_GROUP)
        if column.kind == "groups":
            parts = [p for p in re.split(r"[;\n]", text) if p.strip()]
            return [_lookup(self.groups, part, UNKNOWN_GROUP) for part in parts]
        if column.kind == "kind":
            return _lookup(self.kinds, text, UNKNOWN_KIND)
        if column.kind == "date":
            return parse_date(text)
        if column.kind == "count":
            return parse_count(text)
        return text

    def check_model(self, row):
        """The model's own rules on the fields that parsed (length, link, dates)."""
        headers = {c.name: c.header for c in self.spec.columns}
        failed = [n for n, h in headers.items() if h in row.errors]
        # Looked up above already: Django would query each one again per row.
        failed += [c.name for c in self.spec.columns if c.kind in LOOKED_UP]
        try:
            row.instance.full_clean(
                exclude=failed, validate_unique=False, validate_constraints=False
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                header = headers.get(name)
                if header and header not in row.errors:
                    row.errors[header] = messages[0]
                elif not header:
                    row.errors.setdefault("", messages[0])

    def check_duplicate(self, row, seen, existing):
        key = self.key_of(row.instance)
        where = self.spec.column(self.spec.duplicate_key[-1]).header
        if key in seen:
            row.errors[where] = _("The same record is already on row %(row)s.") % {
                "row": seen[key]
            }
        elif key in existing:
            row.errors[where] = _("This record has already been entered.")
        else:
            seen[key] = row.number

    def key_of(self, instance):
        return tuple(getattr(instance, f) for f in self.key_fields())

    def key_fields(self):
        return [
            f + "_id" if f in ("campaign", "unit", "target_group") else f
            for f in self.spec.duplicate_key
        ]

    def existing_keys(self, campaign_ids):
        saved = self.spec.model.objects.filter(campaign_id__in=campaign_ids)
        return set(saved.values_list(*self.key_fields()))


def _unknown_errors(headers):
    """(header, message) for the first few unknown headers, and one for the rest:
    a file of a hundred stray columns is not echoed back whole."""
    errors = [
        (header, _("Unknown column “%(name)s”.") % {"name": header})
        for header in headers[:HEADERS_LISTED]
    ]
    rest = headers[HEADERS_LISTED:]
    if rest:
        errors.append(
            (
                rest[0],
                _("%(count)s more unknown columns are not listed.")
                % {"count": len(rest)},
            )
        )
    return errors


def _by_names(queryset, attributes):
    names = {}
    for obj in queryset:
        for attribute in attributes:
            value = normalise(getattr(obj, attribute))
            if value:
                names.setdefault(value, obj)
    return names


def _kind_names():
    names = {}
    for kind in OutreachKind:
        names[normalise(kind.value)] = kind.value
        for language in ("en", "vi"):
            with translation.override(language):
                names[normalise(str(kind.label))] = kind.value
    return names


# Translated only when a lookup fails: most rows find what they name.
UNKNOWN_CAMPAIGN = gettext_lazy("Unknown campaign “%(value)s”.")
UNKNOWN_UNIT = gettext_lazy("Unknown unit “%(value)s”.")
UNKNOWN_GROUP = gettext_lazy("Unknown target group “%(value)s”.")
UNKNOWN_KIND = gettext_lazy("Unknown kind of event “%(value)s”.")


def _lookup(table, text, message):
    found = table.get(normalise(text))
    if found is None:
        raise ValidationError(str(message) % {"value": shortened(text)})
    return found


DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
COUNT = re.compile(r"^\d{1,3}(?:([.,\s])\d{3})?(?:\1\d{3})*$|^\d+$")


def parse_date(text):
    for fmt in DATE_FORMATS:
        try:
            return check_date(datetime.datetime.strptime(text.strip(), fmt).date())
        except ValueError:
            continue
    raise ValidationError(
        _("“%(value)s” is not a date: write it as dd/mm/yyyy.")
        % {"value": shortened(text)}
    )


def parse_count(text):
    text = text.strip().replace("\u00a0", " ")
    if re.match(r"^-\s*[\d.,\s]+$", text):
        raise ValidationError(
            _("“%(value)s” is negative: a count cannot be below zero.")
            % {"value": shortened(text)}
        )
    if not COUNT.match(text):
        raise ValidationError(
            _("“%(value)s” is not a whole number.") % {"value": shortened(text)}
        )
    return int(re.sub(r"\D", "", text))


def check(spec, user, table):
    return Checker(spec, user).check(table)


def save(result):
    """Every row of a checked result in one transaction; (saved count, error)."""
    if not result.ok:
        return 0, None
    model = result.spec.model
    try:
        with transaction.atomic():
            saved = model.objects.bulk_create(
                [row.instance for row in result.rows], batch_size=500
            )
            if model is OutreachEvent:
                _save_target_groups(result.rows, saved)
    except IntegrityError:
        return 0, _(
            "Someone entered some of these records meanwhile: nothing was saved. "
            "Upload the file again to see which rows."
        )
    return len(saved), None


def _save_target_groups(rows, events):
    through = OutreachEvent.target_groups.through
    through.objects.bulk_create(
        [
            through(outreachevent_id=event.pk, targetgroup_id=group.pk)
            for row, event in zip(rows, events, strict=True)
            for group in {g.pk: g for g in row.groups}.values()
        ],
        batch_size=500,
    )
