"""Bulk scheduling: shares from a CSV or XLSX file, checked row by row, saved all
or nothing.

Columns (by header, Vietnamese or English, any order): article ("Bài viết": its
id, its public URL or its admin URL), channel ("Kênh": its name, its Page / OA id
or its number), time ("Thời gian": dd/mm/yyyy HH:MM or ISO; empty: the channel's
next posting slot, or at once), message ("Nội dung", optional custom text, with
the placeholders of the editor), kind ("Loại bài", optional: the editor's words
Liên kết, Ảnh, Nhiều ảnh, Bài viết or the English link, photo, photos, article, in
any case, with or without diacritics). The file is read by
`cms.core.table_reader.read_table`, the same reader as the offline figures (its
bounds, encodings).

Each row becomes one new share round of the article on the channel. Rights and
guarantee 5: a row is refused on a channel the person may not plan on; a row with
a custom message from someone who may not approve on that channel becomes a share
request that waits for an approver; the other rows are scheduled at once (the
default text was approved with the article). Every row is checked again on
confirmation, and saved in one transaction, or none is.
"""

import datetime
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from anyascii import anyascii
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log
from wagtail.models import Site

from cms.content.models import ArticlePage, UnitSectionPage
from cms.core import dates
from cms.core.record_import import normalise
from cms.core.table_reader import (
    HEADERS_LISTED,
    ImportFileError,
    read_table,
    shortened,
)
from publishing.models import ChannelStatus
from publishing.models import audience as audiences
from publishing.networks import network_class
from publishing.outbox.compose import checked
from publishing.permissions import channels_for, may
from publishing.planning import sharing, slots

__all__ = ["COLUMNS", "ImportFileError", "check", "read_table", "save"]


@dataclass(frozen=True)
class Column:
    name: str
    header: str  # the Vietnamese header of the template
    label: object
    required: bool = True


COLUMNS = (
    Column("article", "Bài viết", gettext_lazy("Article")),
    Column("channel", "Kênh", gettext_lazy("Channel")),
    Column("time", "Thời gian", gettext_lazy("Time"), required=False),
    Column("message", "Nội dung", gettext_lazy("Message"), required=False),
    Column("kind", "Loại bài", gettext_lazy("Kind of post"), required=False),
    Column(
        "broadcast",
        "Gửi người theo dõi",
        gettext_lazy("Send to followers"),
        required=False,
    ),
)
# "Gửi người theo dõi": a Zalo row is also sent to the OA's followers (all of them).
YES = {"có", "co", "x", "1", "yes", "true"}
NO = {"", "không", "khong", "0", "no", "false"}
TIME_FORMATS = (
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%dT%H:%M:%S",
)
SCHEDULED, WAITS = "scheduled", "waits"
# The kinds of post by the words the share tab shows (Vietnamese) and their English
# codes: people copy what the editor says into the file.
KIND_WORDS = {
    "link": "Liên kết",
    "photo": "Ảnh",
    "photos": "Nhiều ảnh",
    "article": "Bài viết",
    "video": "Video",
}


@dataclass
class Row:
    number: int
    cells: dict  # column name -> text
    errors: dict = field(default_factory=dict)  # column name ("" for the row)
    page: object = None
    channel: object = None
    publish_at: object = None
    outcome: str = ""
    broadcast: bool = False
    kind: str = ""  # the network's code of the kind written


@dataclass
class Result:
    headers: dict  # column name -> the header as written in the file
    header_errors: list
    rows: list

    @property
    def ok(self):
        return not self.header_errors and not any(r.errors for r in self.rows)

    @property
    def error_count(self):
        return len(self.header_errors) + sum(len(r.errors) for r in self.rows)

    def count(self, outcome):
        return sum(1 for row in self.rows if row.outcome == outcome)


def _columns_of(headers):
    """{column name: index} from the file's headers, and the header errors."""
    known = {}
    for column in COLUMNS:
        for spelling in (column.header, column.name, str(column.label)):
            known[normalise(spelling)] = column.name
    found, errors, unknown = {}, [], []
    for index, header in enumerate(headers):
        name = known.get(normalise(header))
        if name is None:
            if header.strip():
                unknown.append(shortened(header))
            continue
        if name in found:
            errors.append(
                _("The column “%(header)s” appears twice.")
                % {"header": shortened(header)}
            )
        found[name] = index
    errors += _unknown_errors(unknown)
    for column in COLUMNS:
        if column.required and column.name not in found:
            errors.append(
                _("The column “%(header)s” is missing.") % {"header": column.header}
            )
    return found, errors


def _unknown_errors(headers):
    """The first few unknown headers, and a count of the rest: a file of a hundred
    stray columns is not echoed back whole."""
    names = ", ".join(c.header for c in COLUMNS)
    errors = [
        _("Unknown column “%(header)s”: the columns are %(names)s.")
        % {"header": header, "names": names}
        for header in headers[:HEADERS_LISTED]
    ]
    if len(headers) > HEADERS_LISTED:
        errors.append(
            _("%(count)s more unknown columns are not listed.")
            % {"count": len(headers) - HEADERS_LISTED}
        )
    return errors


def check(user, table):
    """A Result: every row with its article, channel, time and outcome, or errors."""
    found, header_errors = _columns_of(table["headers"])
    headers = {name: table["headers"][index] for name, index in found.items()}
    lookup = _Lookup(user)
    rows, seen, taken = [], {}, {}
    now = timezone.now()
    for number, cells in table["rows"]:
        row = Row(
            number=number,
            cells={
                name: (cells[index].strip() if index < len(cells) else "")
                for name, index in found.items()
            },
        )
        rows.append(row)
        if header_errors:
            continue
        _check_row(row, lookup, user, now)
        if row.page is not None and row.channel is not None:
            key = (row.page.pk, row.channel.pk)
            if key in seen:
                row.errors["channel"] = _(
                    "Row %(row)s already shares this article on this channel."
                ) % {"row": seen[key]}
            else:
                seen[key] = row.number
        if row.broadcast and not row.errors:
            _check_broadcast(row, taken)
    return Result(headers=headers, header_errors=header_errors, rows=rows)


def _check_row(row, lookup, user, now):
    row.page = lookup.article(row.cells.get("article", ""), row.errors)
    row.channel = lookup.channel(row.cells.get("channel", ""), row.errors)
    text = row.cells.get("time", "")
    if text:
        row.publish_at = _parse_time(text, row.errors)
        if row.publish_at is not None and row.publish_at <= now:
            row.errors["time"] = _("%(time)s is in the past.") % {"time": text}
        elif why := dates.refusal(row.publish_at, *dates.PLANNED):
            row.errors["time"] = why
    row.kind = _read_kind(row)
    _read_broadcast(row)
    message = row.cells.get("message", "")
    if row.page is not None and row.channel is not None and not row.errors:
        problems = checked(
            row.page, row.channel, message=message or None, kind=row.kind or None
        )[1]
        if problems:
            row.errors["message" if message else ""] = " ".join(problems)
    if not row.errors:
        # A new text, or a broadcast, is approved by an approver (guarantee 5).
        waits = (bool(message) or row.broadcast) and not may(
            user, "approve", row.channel
        )
        row.outcome = WAITS if waits else SCHEDULED


def _folded(text):
    """ "Liên  Kết" and "lien ket" alike: no case, spaces or diacritics."""
    return anyascii(normalise(text))


def _read_kind(row):
    """The network's code for the kind written ("" when empty or refused)."""
    text = row.cells.get("kind", "")
    if not text or row.channel is None:
        return ""
    allowed = network_class(row.channel.network).payload_kinds
    for code in allowed:
        if _folded(text) in (_folded(code), _folded(KIND_WORDS.get(code, code))):
            return code
    row.errors["kind"] = _(
        "“%(kind)s” is not a kind of post on %(network)s: write %(words)s (or "
        "%(codes)s), or leave it empty."
    ) % {
        "kind": shortened(text),
        "network": row.channel.get_network_display(),
        "words": ", ".join(KIND_WORDS.get(code, code) for code in allowed),
        "codes": ", ".join(allowed),
    }
    return ""


def _read_broadcast(row):
    text = row.cells.get("broadcast", "").strip().lower()
    if text not in YES | NO:
        row.errors["broadcast"] = _(
            "Write “có” to send it to the OA's followers, or leave it empty."
        )
        return
    row.broadcast = text in YES
    if row.broadcast and row.channel is not None and row.channel.network != "zalo":
        row.errors["broadcast"] = _(
            "Only a Zalo OA sends posts to its followers: leave it empty on "
            "%(network)s."
        ) % {"network": row.channel.get_network_display()}


def _check_broadcast(row, taken):
    """The OA's monthly quota, the file's earlier rows counted too."""
    day = audiences.broadcast_day(row.publish_at)
    problem = audiences.quota_problem(row.channel, day, taken.get(row.channel.pk, []))
    if problem:
        row.errors["broadcast"] = problem
        row.outcome = ""
    else:
        taken.setdefault(row.channel.pk, []).append(day)


def _parse_time(text, errors):
    cleaned = re.sub(r"\s+", " ", text.strip())
    for fmt in TIME_FORMATS:
        try:
            naive = datetime.datetime.strptime(cleaned, fmt)
        except ValueError:
            continue
        return timezone.make_aware(naive)
    errors["time"] = _(
        "“%(value)s” is not a date and time: write dd/mm/yyyy HH:MM, for example "
        "25/12/2026 07:30."
    ) % {"value": shortened(text)}
    return None


class _Lookup:
    """Articles and channels by what people write, cached for the file."""

    def __init__(self, user):
        self.channels = list(channels_for(user, "plan"))
        self.articles = {}

    def article(self, text, errors):
        if not text:
            errors["article"] = _("Give the article: its number or its address.")
            return None
        if text not in self.articles:
            self.articles[text] = _find_article(text)
        page = self.articles[text]
        if page is None:
            errors["article"] = _(
                "No published article “%(value)s”: give its number or its address."
            ) % {"value": shortened(text)}
        return page

    def channel(self, text, errors):
        if not text:
            errors["channel"] = _("Give the channel: its name or its Page / OA id.")
            return None
        wanted = normalise(text)
        for channel in self.channels:
            if wanted in (
                normalise(channel.name),
                normalise(channel.external_id),
                normalise(str(channel)),
                str(channel.pk),
            ):
                return channel
        errors["channel"] = _(
            "No channel “%(value)s” among those you may plan shares on."
        ) % {"value": shortened(text)}
        return None


def _find_article(text):
    """A live ArticlePage by id, public URL, path or admin edit URL, or None."""
    live = ArticlePage.objects.live()
    if text.isdigit():
        return live.filter(pk=int(text)).first()
    path = urlsplit(text).path or text
    edit = re.search(r"/pages/(\d+)/", path)
    if edit:
        return live.filter(pk=int(edit.group(1))).first()
    path = "/" + path.strip("/") + "/"
    # A public path is the page's url_path without its site root's url_path.
    candidates = [
        root.rstrip("/") + path
        for root in Site.objects.values_list("root_page__url_path", flat=True)
    ]
    return live.filter(url_path__in=candidates).first()


@dataclass
class Example:
    """The template's example row, or the note that replaces it."""

    cells: list
    page: object = None
    channel: object = None


def example_row(user):
    """A recent article `user` may share, on one of their channels at its next
    posting time: a row they can upload as it is. With no channel or no live
    article, a note in its place (never a made-up number)."""
    channel = channels_for(user, "plan").exclude(status=ChannelStatus.DISABLED).first()
    if channel is None:
        return Example(
            [
                _(
                    "(You have no channel to plan shares on yet: ask a manager of your "
                    "unit to connect one.)"
                )
            ]
        )
    page = _recent_article(channel.unit_id)
    if page is None:
        return Example(
            [
                _(
                    "(No article is published yet: write the number or the address of "
                    "a published article.)"
                )
            ],
            channel=channel,
        )
    now = timezone.localtime()
    tomorrow = now.replace(hour=7, minute=30, second=0, microsecond=0)
    at = slots.next_free_slot(channel, now) or tomorrow + datetime.timedelta(days=1)
    kind = network_class(channel.network).payload_kinds[0]
    cells = [
        page.full_url or str(page.pk),
        channel.name,
        timezone.localtime(at).strftime("%d/%m/%Y %H:%M"),
        "",
        KIND_WORDS.get(kind, kind),
        "",
    ]
    return Example(cells, page, channel)


def _recent_article(unit_id):
    """The unit's latest live article, else the site's (any may be shared)."""
    live = ArticlePage.objects.live().order_by("-last_published_at", "-pk")
    section = UnitSectionPage.objects.filter(unit_id=unit_id).first()
    own = live.descendant_of(section).first() if section else None
    return own or live.first()


def save(user, result):
    """Saves every row in one transaction: (publications, requests) made."""
    if not result.ok or not result.rows:
        return [], []
    publications, requests = [], []
    with transaction.atomic():
        for row in result.rows:
            message, kind = row.cells.get("message", ""), row.kind
            if row.outcome == WAITS:
                requests.append(
                    sharing.request_share(
                        row.page,
                        row.channel,
                        user,
                        message=message,
                        kind=kind,
                        publish_at=row.publish_at,
                        broadcast=row.broadcast,
                    )
                )
                continue
            video = None
            if not message:
                planned = sharing.frozen_text(row.page, row.channel)
                message, kind = planned.message, kind or planned.kind
                video = planned.video if kind == planned.kind else None
            publication = sharing.add_publication(
                row.page,
                row.channel,
                message=message,
                kind=kind,
                video=video,
                publish_at=row.publish_at,
            )
            if row.broadcast:
                sharing.add_broadcast(publication, {}, user)
            publications.append(publication)
            log(
                instance=row.page,
                action="publishing.plan",
                user=user,
                data={
                    "round": publication.round,
                    "channel": str(row.channel),
                    "times": [publication.publish_at.isoformat()],
                    "source": "bulk",
                },
            )
    return publications, requests
