"""The editorial calendar ("Lịch đăng bài"): what goes out when, across channels.

`/admin/publishing/calendar/` shows a month (`?view=week` a week) around `?date=`
(default today), with filters by unit, channel, network, campaign and status.
Publications link to their detail page; those a person may reschedule carry a
"Change time" link to the reschedule form, which comes back here. The week has a
row per hour: a post is dragged to another hour (or focused and moved with the
arrow keys, Enter to save), which posts to `publishing_calendar:move`, the same
action as "Change time" (calendar_actions.py); an hour cell (and a day of the
month) starts a new share at that time. Public holidays and Tết are marked
(holidays.py); a post held by a pause switch says so. Pages going live link to
their editor; a Zalo OA's broadcast to its followers links to its publication and
says when it waits for 06:00. A day with many events shows the first few and a
disclosure with the rest, so a month of 300 events stays readable; a day with more
than `PER_DAY` (10 a day in the month, 50 in the week) is a crowd: its first few
(`SHOWN_IN_CELL` in the month, `PER_DAY` in the week) and a link to the list of
that day's publications, instead of loading them all (1,000 channels post 10,000
a day).

Who sees what: every person with a role sees the channels and sections of their
units (and the units below); nothing of other units is counted or shown.

URL name: `publishing_calendar:index`; the menu item is `CalendarViewSet`, in the
Publishing group.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.core import dates
from cms.core.dates import WEEKDAYS
from cms.core.models import Campaign, Unit
from publishing.lifecycle import SHOWN_BY_DEFAULT, broadcast_tone, tone
from publishing.lifecycle import PublicationStatus as S
from publishing.models import Channel, Network
from publishing.models.channels import LABEL_FIELDS
from publishing.permissions import channels_for, unit_ids_for
from publishing.planning import calendar as cal
from publishing.planning import holidays
from publishing.planning.views import calendar_actions
from publishing.planning.views.publications import LongSelect

SHOWN_IN_CELL = 4  # events shown in a month cell before "n more"
# Events loaded a day (month view, week view); beyond them a day links to the list
# of its publications (1,000 channels post 10,000 a day: bench/scale.py), and shows
# only what fits in its cell (CROWDED): a month of crowded days is not 420 events.
PER_DAY = {"month": 10, "week": 50}
CROWDED = {"month": SHOWN_IN_CELL, "week": PER_DAY["week"]}
VIEWS = (("month", _("Month")), ("week", _("Week")))
PAGE_TONE = "primary"


class CalendarFilters(forms.Form):
    view = forms.ChoiceField(label=_("View"), choices=VIEWS, required=False)
    date = dates.DateField(
        label=_("Date"),
        required=False,
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=forms.DateInput(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"},
            format="%d/%m/%Y",
        ),
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"), queryset=Unit.objects.none(), required=False
    )
    channel = forms.ModelChoiceField(
        label=_("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        widget=LongSelect,
    )
    network = forms.ChoiceField(
        label=_("Network"),
        choices=[("", "---------"), *Network.choices],
        required=False,
    )
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=Campaign.objects.all(), required=False
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(
            pk__in=unit_ids_for(user, "view")
        )
        self.fields["channel"].queryset = (
            channels_for(user, "view")
            .select_related("unit")
            .only(*LABEL_FIELDS)
            .order_by("name")
        )
        self.fields["status"].choices = [
            ("", _("All but cancelled and withdrawn")),
            *S.choices,
            ("go_live", _("Page goes live")),
        ]


def calendar_view(request):
    user = request.user
    if not may_see_calendar(user):
        raise PermissionDenied
    form = CalendarFilters(user, request.GET or None)
    # Invalid filters (a forged unit or channel of another unit, a date outside
    # 2000-2100) are refused, not ignored: the form shows the error and the
    # calendar shows nothing, but at the place asked for (the view and date, when
    # valid), so a person who mistyped a filter does not lose their place.
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET else {}
    view = data.get("view") or "month"
    today = timezone.localdate()
    anchor = data.get("date") or today
    if view == "week":
        days = cal.week_days(anchor)
        weeks = [days]
        step = datetime.timedelta(days=7)
        previous, following = anchor - step, anchor + step
        title = _("Week of %(start)s to %(end)s") % {
            "start": days[0].strftime("%d/%m/%Y"),
            "end": days[-1].strftime("%d/%m/%Y"),
        }
    else:
        weeks = cal.month_weeks(anchor)
        first = anchor.replace(day=1)
        previous = (first - datetime.timedelta(days=1)).replace(day=1)
        following = (first + datetime.timedelta(days=32)).replace(day=1)
        title = _("%(month)s/%(year)s") % {
            "month": f"{anchor.month:02d}",
            "year": anchor.year,
        }
    found, totals = (
        cal.day_events(
            user, weeks[0][0], weeks[-1][-1], data, PER_DAY[view], CROWDED[view]
        )
        if valid
        else ([], {})
    )
    per_day = cal.by_day(found)
    here = request.get_full_path()
    shown = SHOWN_IN_CELL if view == "month" else None
    marked = holidays.between(weeks[0][0], weeks[-1][-1])
    may_share = channels_for(user, "share_again").exists()
    rows = [
        [
            _cell(day, per_day.get(day, []), here, shown, today, view, anchor)
            | _more(day, totals.get(day, 0) - len(per_day.get(day, [])), data)
            | {"holiday": marked.get(day, "")}
            | _new_share(may_share, day)
            for day in week
        ]
        for week in weeks
    ]
    return TemplateResponse(
        request,
        "publishing/calendar/index.html",
        {
            "page_title": _("Publishing calendar"),
            "header_title": _("Publishing calendar"),
            "header_icon": "date",
            "form": form,
            "view": view,
            "title": title,
            "rows": rows,
            "hours": _hours(rows[0], may_share) if view == "week" else [],
            "weekdays": WEEKDAYS,
            "filtered": sum(1 for k, v in data.items() if v and k not in FRAMING),
            "count": sum(totals.values()),
            "legend": _legend(),
            "change_time": _("Change time"),
            "pause_switch": PAUSE_SWITCH,
            "pause_tone": PAUSE_TONE,
            "move_pending": _("New time: %(time)s. Enter: save; Escape: undo."),
            "keyboard_help": _(
                "Arrow keys: another hour or day; Enter: save; Escape: undo."
            ),
            "links": {
                "previous": _link(request, date=previous),
                "today": _link(request, date=today),
                "next": _link(request, date=following),
                "month": _link(request, view="month"),
                "week": _link(request, view="week"),
            },
        },
    )


def _cell(day, found, here, shown, today, view, anchor):
    """One day: its first events, and the rest behind a disclosure (month view)."""
    decorated = [_decorate(event, here) for event in found]
    cut = len(decorated) if shown is None or len(decorated) <= shown + 1 else shown
    return {
        "date": day,
        "in_month": view == "week" or day.month == anchor.month,
        "today": day == today,
        "first": decorated[:cut],
        "rest": decorated[cut:],
    }


FRAMING = ("view", "date")  # not filters: where the calendar stands


def _new_share(may_share, day, hour=None):
    """A link that starts a new share on `day` (at `hour`), if the person may
    share and the time is still ahead."""
    at = datetime.datetime.combine(day, datetime.time(hour or 0))
    end = at + datetime.timedelta(hours=1 if hour is not None else 24)
    if not may_share or timezone.make_aware(end) <= timezone.now():
        return {}
    value = at.strftime("%Y-%m-%dT%H:%M") if hour is not None else day.isoformat()
    url = reverse("publishing_calendar:new")
    return {"new_url": f"{url}?{urlencode({'at': value})}"}


def _hours(week, may_share):
    """The week's rows of hours: each an hour of each day, with its events (by the
    hour they are placed at), a drop target and a link to share at that hour."""
    return [
        {
            "label": f"{hour:02d}:00",
            "slots": [
                {
                    "date": cell["date"],
                    "hour": f"{hour:02d}",
                    "holiday": cell["holiday"],
                    "events": [e for e in cell["first"] if e.at.hour == hour],
                }
                | _new_share(may_share, cell["date"], hour)
                for cell in week
            ],
        }
        for hour in range(24)
    ]


def _more(day, more, data):
    """The publications of a day beyond those loaded: how many, and the list of
    that day's publications with the same filters."""
    if more <= 0:
        return {"more": 0}
    query = {
        "publish_at_from": day.isoformat(),
        "publish_at_to": day.isoformat(),
    }
    for name in ("unit", "channel", "campaign"):
        if data.get(name):
            query[name] = data[name].pk
    if data.get("status") and data["status"] != "go_live":
        query["status"] = data["status"]
    url = reverse("publishing_publications:index")
    return {"more": more, "more_url": f"{url}?{urlencode(query)}"}


def _link(request, **changes):
    query = request.GET.copy()
    for key, value in changes.items():
        query[key] = value.isoformat() if hasattr(value, "isoformat") else value
    return f"{reverse('publishing_calendar:index')}?{urlencode(query, doseq=True)}"


def _decorate(event, here):
    event.iso = event.at.isoformat()
    event.hour = event.at.strftime("%H:%M")
    if event.kind == "page":
        event.tone = PAGE_TONE
    elif event.kind == "broadcast":
        event.tone = broadcast_tone(event.status)
    else:
        event.tone = tone(event.status)
    if event.kind == "page":
        event.url = reverse("wagtailadmin_pages:edit", args=(event.pk,))
    else:
        event.url = reverse("publishing_publications:inspect", args=(event.pk,))
    if event.may_reschedule:
        args = (event.pk, "reschedule")
        action = reverse("publishing_publications:action", args=args)
        event.reschedule_url = f"{action}?{urlencode({'next': here})}"
        event.reschedule_label = _("Change the time of %(title)s") % {
            "title": event.title
        }
        event.move_url = reverse("publishing_calendar:move", args=(event.pk,))
    return event


def _legend():
    return [
        {"status": status.value, "label": status.label, "tone": tone(status)}
        for status in SHOWN_BY_DEFAULT
    ] + [
        {"status": "go_live", "label": _("Page goes live"), "tone": PAGE_TONE},
        {"status": "pause_switch", "label": PAUSE_SWITCH, "tone": PAUSE_TONE},
        {"status": "holiday", "label": _("Public holiday, Tết"), "tone": ""},
    ]


# The mark of a post held by a pause switch: the legend's and each event's.
PAUSE_SWITCH = _("Pause switch on")
PAUSE_TONE = tone(S.PAUSED)


def may_see_calendar(user):
    return user.is_active and (user.is_superuser or bool(unit_ids_for(user, "view")))


class CalendarMenuItem(MenuItem):
    def is_shown(self, request):
        return may_see_calendar(request.user)


class CalendarViewSet(ViewSet):
    name = "publishing_calendar"
    url_prefix = "publishing/calendar"
    icon = "date"
    menu_label = _("Calendar")
    add_to_admin_menu = False  # shown in the Publishing group
    menu_item_class = CalendarMenuItem

    def get_urlpatterns(self):
        return [
            path("", calendar_view, name="index"),
            path("<int:pk>/move/", calendar_actions.move, name="move"),
            path("new/", calendar_actions.new_share, name="new"),
        ]
