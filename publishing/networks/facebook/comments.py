"""Comment reads for `FacebookNetwork`: the newest comments of many posts in the
batched `?ids=` read, and paging past the first 25 of a post.

Per chunk of 50 posts, one read of `comments.filter(stream).order(reverse_
chronological).limit(25).summary(true){...}`; a post whose 25 comments are all newer
than the newest already collected (`stop_at`) is read further on its own
`/{post-id}/comments` edge, 100 a page, until one older than that is met. Calls for N
posts: ceil(N/50), plus one per further page of a busy post. Listing comments needs
`pages_read_user_content`: without it Graph answers code 10 (`ReconnectNeeded`
naming the permission), which the caller records without touching the channel's
posting.
"""

from publishing.networks.base import ContentRejected, RetryLater, chunks
from publishing.networks.facebook.graph import READ, _missing
from publishing.networks.facebook.reads import _halved
from publishing.networks.inbox import Incoming, PostComments

SUBFIELDS = "id,message,from,created_time,parent"
FIRST_PAGE, NEXT_PAGE = 25, 100
COMMENTS_FIELD = (
    f"comments.filter(stream).order(reverse_chronological).limit({FIRST_PAGE})"
    f".summary(true){{{SUBFIELDS}}}"
)
MAX_PAGES = 20
"""Further pages read at most per post and run (2,000 comments)."""


class CommentReads:
    """Reads of `FacebookNetwork`: uses its `_call`, `_read_ids`, `page_id` and
    `read_batch_size`."""

    def fetch_comments(self, post_ids, stop_at=None):
        """{post id: PostComments} for every id; `stop_at` maps a post to the time
        of its newest comment already collected (paging stops there)."""
        stop_at = stop_at or {}
        result = {}
        for chunk in chunks(list(post_ids), self.read_batch_size):
            items = self._read_comment_ids(chunk)
            for post_id in chunk:
                item = items.get(post_id)
                if item is None:
                    result[post_id] = PostComments(removed=True)
                    continue
                result[post_id] = self._post_comments(
                    post_id, item.get("comments") or {}, stop_at.get(post_id)
                )
        return result

    def _read_comment_ids(self, ids):
        try:
            return self._read_ids(ids, COMMENTS_FIELD)
        except (ContentRejected, RetryLater) as error:
            if not _missing(error):
                raise
            return _halved(self._read_comment_ids, ids)

    def _post_comments(self, post_id, edge, stop):
        found = [self._incoming(c) for c in edge.get("data") or []]
        total = ((edge.get("summary") or {}).get("total_count")) or 0
        after = _after(edge)
        for _page in range(MAX_PAGES):
            if not after or not found or (stop and found[-1].received_at <= stop):
                break
            answer = self._call(
                READ,
                f"{post_id}/comments",
                args={
                    "fields": SUBFIELDS,
                    "filter": "stream",
                    "order": "reverse_chronological",
                    "limit": NEXT_PAGE,
                    "after": after,
                },
            )
            found += [self._incoming(c) for c in answer.get("data") or []]
            after = _after(answer)
        mine = [c for c in found if c.author_id != str(self.page_id)]
        return PostComments(comments=mine, total=int(total))

    def _incoming(self, comment):
        from publishing.networks.facebook import _parse_time

        author = comment.get("from") or {}
        return Incoming(
            external_id=str(comment.get("id")),
            text=comment.get("message") or "",
            received_at=_parse_time(comment.get("created_time")),
            author_name=author.get("name") or "",
            author_id=str(author.get("id") or ""),
            parent_id=str((comment.get("parent") or {}).get("id") or ""),
        )


def _after(edge):
    paging = edge.get("paging") or {}
    if not paging.get("next"):
        return None
    return (paging.get("cursors") or {}).get("after")
