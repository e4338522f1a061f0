"""The OA answering a follower, for `ZaloNetwork`.

`POST /v3.0/oa/message/cs {"recipient":{"user_id"},"message":{"text"}}` ->
`data.message_id`: a consultation message, allowed only within a window after
the follower's last message (7 days in Zalo's current rules:
`PUBLISHING_ZALO_ANSWER_DAYS`); outside it Zalo refuses with -230 (the window has
closed) or -213 (the person never wrote): `WindowClosed`, never retried.
A lost answer is reconciled by reading the conversation back
(`GET /v2.0/oa/conversation`, `src` 0: the OA's messages) and comparing the text.
"""

import json

from publishing.networks import messages
from publishing.networks.base import ContentRejected, OutcomeUnknown
from publishing.networks.zalo.api import READ, WRITE
from publishing.networks.zalo.chats import MAX_COUNT

WINDOW_CODES = {-213, -230}
FROM_OA = 0


class WindowClosed(ContentRejected):
    """Zalo no longer lets the OA write to this person (-230, -213)."""


class ZaloAnswers:
    """Answers of `ZaloNetwork`: uses its `_call`."""

    def send_text(self, user_id, text):
        """A consultation message to the follower `user_id`; Zalo's message id."""
        body = {"recipient": {"user_id": user_id}, "message": {"text": text}}
        try:
            data = self._call(WRITE, "POST", "v3.0/oa/message/cs", body=body)
        except ContentRejected as error:
            if error.code in WINDOW_CODES:
                raise WindowClosed(
                    messages.ZALO_WINDOW_CLOSED, code=error.code, detail=error.detail
                ) from None
            raise
        message_id = data.get("message_id") if isinstance(data, dict) else None
        if not message_id:
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        return str(message_id)

    def oa_messages(self, user_id):
        """[(message id, text)] of the OA's latest messages to `user_id`."""
        query = {"user_id": user_id, "offset": 0, "count": MAX_COUNT}
        data = self._call(
            READ, "GET", "v2.0/oa/conversation", params={"data": json.dumps(query)}
        )
        return [
            (str(m.get("message_id")), m.get("message") or "")
            for m in (data if isinstance(data, list) else [])
            if isinstance(m, dict) and m.get("src") == FROM_OA
        ]
