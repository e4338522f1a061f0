"""An OA article sent to the OA's followers (Zalo's "broadcast"), for `ZaloNetwork`.

`POST /v2.0/oa/message` with the article's id as a media template and the
audience as Zalo's targeting codes -> `data.message_id`. Zalo documents no
read-back of a broadcast: an answer lost after the request went out (a 5xx, a
timeout, a dropped connection) is an `OutcomeUnknown` that the outbox records as
"probably sent" and never sends again by itself.

The codes Zalo answers a broadcast with, and what they become here:
- -234 outside 06:00-21:59 Vietnam time: `OutsideHours`, after = until 06:00;
- -211 out of quota: `QuotaUsedUp`, after = until the 1st of next month, 00:00
  local (Zalo's quota is monthly): a wait, not a hold;
- -32 rate limited: `RetryLater` (the outbox pauses the channel);
- -216/-220 token: refreshed once by `_call`, then `ReconnectNeeded`;
- -221/-224/-235/-204/-205: `ChannelBroken`; -248/-201: `ContentRejected`.
The targeting codes' format (comma-separated strings) follows the OA API's
examples; no source we have confirms it.
"""

import datetime

from django.utils import timezone

from publishing.networks import messages
from publishing.networks.base import (
    OutcomeUnknown,
    OutsideHours,
    QuotaUsedUp,
    RetryLater,
)
from publishing.networks.zalo.api import BROADCAST_HOURS, VIETNAM, WRITE, _until_six

OUT_OF_QUOTA = -211
ALL_GENDERS = 0


def broadcast_body(article_id, targets):
    """The JSON Zalo wants: the article as a media template, the audience."""
    target = {"gender": str(ALL_GENDERS if targets.gender is None else targets.gender)}
    if targets.ages:
        target["ages"] = ",".join(str(code) for code in targets.ages)
    if targets.cities:
        target["cities"] = ",".join(str(code) for code in targets.cities)
    element = {"media_type": "article", "attachment_id": str(article_id)}
    return {
        "recipient": {"target": target},
        "message": {
            "attachment": {
                "type": "template",
                "payload": {"template_type": "media", "elements": [element]},
            }
        },
    }


def until_next_month(now):
    """Time until the 1st of next month, 00:00 in Vietnam (the quota resets)."""
    local = now.astimezone(VIETNAM)
    first = (local.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    start = datetime.datetime.combine(first, datetime.time(0), tzinfo=VIETNAM)
    return start - local


class ZaloBroadcasts:
    """Broadcasts of `ZaloNetwork`: uses its `_call`."""

    def broadcast(self, article_id, targets):
        """Send the OA article `article_id` to the followers `targets` chose (a
        `BroadcastTargets`); Zalo's message id. Raises the typed errors above."""
        body = broadcast_body(article_id, targets)
        try:
            data = self._call(WRITE, "POST", "v2.0/oa/message", body=body)
        except RetryLater as error:
            raise _broadcast_wait(error) from None
        message_id = data.get("message_id")
        if not message_id:
            # Zalo said yes without an id: it may have gone out; never send again.
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        return str(message_id)


def _broadcast_wait(error):
    """A broadcast's own waits, typed; any other RetryLater as it was."""
    now = timezone.now()
    kwargs = {"code": error.code, "detail": error.detail}
    if error.code == BROADCAST_HOURS:
        return OutsideHours(error.message, after=_until_six(now), **kwargs)
    if error.code == OUT_OF_QUOTA:
        after = until_next_month(now)
        return QuotaUsedUp(messages.ZALO_BROADCAST_QUOTA, after=after, **kwargs)
    return error
