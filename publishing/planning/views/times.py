"""What the time picker (channels/time_picker.py) offers beside a "Publish at" box:
per channel, its next three free posting slots and, from what the share tab's data
gets (editor/plans.py CHANNEL_DATA_EXTRAS, "best_times"), its best times or how
many more posts they need. Each choice carries the text the box takes
(dd/mm/yyyy HH:MM).

Only channels the person may see are answered; anything else asked is left out.
"""

import datetime

from django.conf import settings
from django.http import JsonResponse
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET

from publishing.editor import plans
from publishing.permissions import channels_for
from publishing.planning.slots import free_slots

SLOTS = 3
MAX_CHANNELS = 50  # more than any unit has; a longer query string is cut


def box_text(moment):
    """A moment as the picker's box writes it (WAGTAIL_DATETIME_FORMAT)."""
    return timezone.localtime(moment).strftime(settings.WAGTAIL_DATETIME_FORMAT)


def slot_choice(moment):
    local = timezone.localtime(moment)
    return {"label": dateformat.format(local, "l d/m H:i"), "value": box_text(local)}


def best_choices(best):
    """The best times of the contract ({"ready", "times": [{"label", "at"}],
    "needed"}) with each ISO moment as the box's text and, until ready, the note
    of how many more posts they need; None without them."""
    if not best:
        return None
    times = []
    for time in best.get("times") or []:
        try:
            moment = datetime.datetime.fromisoformat(time["at"])
        except (KeyError, TypeError, ValueError):
            continue
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        times.append({"label": str(time.get("label", "")), "value": box_text(moment)})
    needed = int(best.get("needed") or 0)
    ready = bool(best.get("ready"))
    note = "" if ready else (best.get("note") or needed_note(needed))
    return {"ready": ready, "times": times, "needed": needed, "note": note}


def needed_note(needed):
    return ngettext(
        "Best times: %(needed)s more post needed.",
        "Best times: %(needed)s more posts needed.",
        needed,
    ) % {"needed": needed}


def extras(channel_ids):
    """{channel id: what other features add to the share tab's data} (editor/
    plans.py CHANNEL_DATA_EXTRAS: metrics' "best_times"), for these channels only."""
    found = {}
    for extra in plans.CHANNEL_DATA_EXTRAS:
        for pk, values in extra(channel_ids).items():
            found.setdefault(int(pk), {}).update(values)
    return found


def _ids(values):
    return [int(value) for value in values if value.isdigit()][:MAX_CHANNELS]


@require_GET
def time_choices(request):
    ids = _ids(request.GET.getlist("channel"))
    exclude = _ids([request.GET.get("exclude", "")])
    channels = channels_for(request.user, "view").filter(pk__in=ids).order_by("pk")
    best = extras([channel.pk for channel in channels]) if ids else {}
    now = timezone.now()
    answer = [
        {
            "id": channel.pk,
            "label": channel.label,
            "slots": [
                slot_choice(moment)
                for moment in free_slots(
                    channel, now, SLOTS, exclude[0] if exclude else None
                )
            ],
            "best_times": best_choices(best.get(channel.pk, {}).get("best_times")),
        }
        for channel in channels
    ]
    return JsonResponse({"channels": answer, "texts": texts()})


def texts():
    return {
        "slots": _("Next free posting times:"),
        "best": _("Best times:"),
        "none": _("No posting times set for this channel."),
    }
