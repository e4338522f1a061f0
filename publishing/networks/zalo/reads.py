"""Engagement and follower reads, for `ZaloNetwork`.

`getdetail` reads one article per call; only its `total_view` is counted.
"""

from publishing.networks.base import ContentRejected, Engagement
from publishing.networks.zalo.api import INVALID_PARAMETER, READ


class ZaloReads:
    """Reads of `ZaloNetwork`: uses its `_call`."""

    def fetch_engagement(self, external_ids):
        result = {}
        for article_id in external_ids:
            try:
                data = self._call(
                    READ, "GET", "v2.0/article/getdetail", params={"id": article_id}
                )
            except ContentRejected as error:
                if error.code != INVALID_PARAMETER:
                    raise
                # Zalo knows no live article by that id: it was removed.
                result[article_id] = Engagement(removed=True)
                continue
            views = data.get("total_view")
            result[article_id] = Engagement(
                views=views if isinstance(views, int) else None
            )
        return result

    def fetch_followers(self):
        return self._call(READ, "GET", "v2.0/oa/getoa").get("num_follower")
