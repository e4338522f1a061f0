"""A broadcast's audience read and checked for people: its names (from the
`BroadcastTarget` table, never Zalo's codes) and whether a planned broadcast fits
the OA's monthly quota. The editor, the bulk preview and the approval screens use
the same words."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from publishing.lifecycle import WAITING_WINDOW, BroadcastStatus
from publishing.models.broadcasts import (
    BroadcastTarget,
    TargetKind,
    in_window,
    quota_left,
    used_days,
    window_opens,
)

ALL_GENDERS = "all"  # the gender row whose code means "every gender"


def normalised(gender="", ages=(), provinces=()):
    """The audience JSON of a choice: {} for all followers."""
    gender = "" if gender in ("", None, ALL_GENDERS) else gender
    audience = {"gender": gender, "ages": list(ages), "provinces": list(provinces)}
    return audience if any(audience.values()) else {}


def names(audience):
    """{"gender": name, "ages": [names], "provinces": [names]} of an audience; a key
    the table no longer has shows as itself."""
    audience = audience or {}
    keys = {
        TargetKind.GENDER: [audience["gender"]] if audience.get("gender") else [],
        TargetKind.AGE: list(audience.get("ages") or []),
        TargetKind.PROVINCE: list(audience.get("provinces") or []),
    }
    wanted = [k for values in keys.values() for k in values]
    found = {
        (t.kind, t.key): t.name for t in BroadcastTarget.objects.filter(key__in=wanted)
    }
    return {
        kind: [found.get((kind, key), key) for key in values]
        for kind, values in keys.items()
    }


def describe(audience):
    """E.g. "Nữ · 25–34 tuổi, 35–44 tuổi · Hà Nội", or "All followers"."""
    named = names(audience)
    parts = [", ".join(named[kind]) for kind in TargetKind.values if named[kind]]
    return " · ".join(parts) if parts else _("All followers")


def broadcast_day(moment):
    """The local day a broadcast due at `moment` would go out (06:00 if outside)."""
    return timezone.localtime(window_opens(moment or timezone.now())).date()


def waits_for_window(moment):
    return moment is not None and not in_window(moment)


def waits_for_06(broadcast):
    """Whether `broadcast` waits for the window: "chờ đến 06:00" on the
    publication's page and the calendar (never overdue)."""
    if broadcast.status == BroadcastStatus.WAITING:
        return broadcast.waiting_reason == WAITING_WINDOW
    return broadcast.status == BroadcastStatus.SCHEDULED and waits_for_window(
        broadcast.send_at
    )


def placed_at(broadcast):
    """When `broadcast` went out, or when it would: its time, or the next 06:00
    if that is outside the window (its day in the OA's quota)."""
    if broadcast.sent_at:
        return broadcast.sent_at
    return window_opens(broadcast.next_attempt_at or broadcast.send_at)


def window_warning(moment):
    """What the editor says of a broadcast due outside 06:00-21:59, or ""."""
    if not waits_for_window(moment):
        return ""
    opens = timezone.localtime(window_opens(moment))
    return _(
        "Zalo sends to followers only from 06:00 to 21:59: the article is posted at "
        "%(time)s, its broadcast waits until 06:00 on %(day)s."
    ) % {
        "time": timezone.localtime(moment).strftime("%H:%M"),
        "day": opens.strftime("%d/%m"),
    }


def _days(days):
    return ", ".join(day.strftime("%d/%m") for day in days) or "—"


def left_text(channel, day=None):
    """ "còn N lượt trong tháng" for `channel` in `day`'s month (today's)."""
    day = day or timezone.localdate()
    left = quota_left(channel, day)
    return ngettext(
        "%(count)s broadcast left this month",
        "%(count)s broadcasts left this month",
        left,
    ) % {"count": left}


def quota_problem(channel, day, taken=()):
    """Why a broadcast on `channel` on local `day` would be beyond the OA's quota
    (None if it fits). `taken`: days other plans not yet made into broadcasts
    (the same page's rows, a bulk file's rows) already claim."""
    first = day.replace(day=1)
    used = sorted(
        used_days(channel, day) + [d for d in taken if d.replace(day=1) == first]
    )
    values = {
        "channel": channel.name,
        "day": day.strftime("%d/%m"),
        "month": day.strftime("%m/%Y"),
        "count": channel.broadcasts_per_month,
        "used": _days(used),
    }
    if day in used:
        return (
            _(
                "%(channel)s already sends to its followers on %(day)s (at most one "
                "a day; used: %(used)s). Choose another day, or untick “Send to "
                "followers”."
            )
            % values
        )
    if len(used) >= channel.broadcasts_per_month:
        return (
            _(
                "%(channel)s has no broadcasts left in %(month)s (%(count)s a month; "
                "used: %(used)s). Choose a day in another month, or untick “Send to "
                "followers”."
            )
            % values
        )
    return None
