"""The Page answering under a comment, for `FacebookNetwork`.

- `POST /{comment-id}/comments message=` -> `{"id"}`: the Page's reply;
- `GET /{comment-id}/comments`: the replies, read back to reconcile a reply whose
  answer was lost (a reply carries no marker: the Page's replies are compared by
  their text);
- `POST /{comment-id} is_hidden=true`: an abusive comment hidden.
Replying and hiding need `pages_manage_engagement` (code 200 without it:
`ReconnectNeeded`), reading needs `pages_read_user_content`.
"""

from publishing.networks import messages
from publishing.networks.base import OutcomeUnknown
from publishing.networks.facebook.graph import READ, WRITE

REPLIES_READ = 100
"""Replies read back at most (newest first): a comment rarely has more."""


class CommentReplies:
    """Answers of `FacebookNetwork`: uses its `_call` and `page_id`."""

    def reply_to_comment(self, comment_id, text):
        """The Page's reply under `comment_id`; its id."""
        answer = self._call(WRITE, f"{comment_id}/comments", post={"message": text})
        reply_id = (answer or {}).get("id")
        if not reply_id:
            # Graph said yes without an id: it may exist; read it back first.
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        return str(reply_id)

    def page_replies(self, comment_id):
        """[(reply id, text)] of the Page's replies under `comment_id`."""
        answer = self._call(
            READ,
            f"{comment_id}/comments",
            args={
                "fields": "id,message,from",
                "order": "reverse_chronological",
                "limit": REPLIES_READ,
            },
        )
        return [
            (str(reply.get("id")), reply.get("message") or "")
            for reply in (answer or {}).get("data") or []
            if str((reply.get("from") or {}).get("id")) == str(self.page_id)
        ]

    def hide_comment(self, comment_id):
        self._call(WRITE, comment_id, post={"is_hidden": "true"})
