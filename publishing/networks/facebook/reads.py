"""Engagement reads for `FacebookNetwork`: counts and post insights, in separate
`?ids=` reads of at most 50 posts each.

Per chunk of 50: one read of the counts (`shares`, `reactions`, `comments`), then
one read of the insights of the posts still there (`insights.metric(...)`). Graph
fails a whole read when one post is gone or one insights metric is retired, so the
counts never depend on the insights: a failed insights read leaves the counts, a
gone post is found by halving the counts read, a retired metric by asking each
metric alone on one post. A rejected metric is dropped for this adapter and
remembered for a day in the cache (`RETIRED_KEY`), so other channels do not probe
it again. The metric names live in `POST_INSIGHTS`, below: the one table.

Calls for N posts: ceil(N/50) count reads + ceil(N/50) insights reads, plus, once,
the failed read and one probe per metric when a metric is retired.
"""

import logging

from django.core.cache import cache

from publishing.networks.base import (
    ContentRejected,
    Engagement,
    ReconnectNeeded,
    RetryLater,
    chunks,
)
from publishing.networks.facebook.graph import READ, _missing, _permission

logger = logging.getLogger("publishing.networks.facebook")

COUNT_FIELDS = (
    "shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(true)"
)
POST_INSIGHTS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
}
"""Post insights we read -> Engagement field. The one place metric names live: a
retired metric fails the whole insights request, and so the whole `?ids=` read that
expands `insights.metric(...)` (Graph fails it whole)."""
RETIRED_KEY = "publishing:facebook:retired-metrics"
RETIRED_FOR = 24 * 3600
"""Seconds a metric Graph rejected is left out for every Page (then probed again)."""


class EngagementReads:
    """Reads of `FacebookNetwork`: uses its `_call`, `read_batch_size`,
    `_rejected_metrics` and `_insights_denied`."""

    def fetch_engagement(self, external_ids):
        """{id: Engagement} for every id: per chunk of `read_batch_size`, one read
        of the counts and one of the insights. A metric that cannot be read is
        None (unknown); a post gone from Graph is `removed`."""
        result = {}
        for chunk in chunks(external_ids, self.read_batch_size):
            items = self._read_counts(chunk)
            if items:
                self._add_insights(items)
            for post_id in chunk:
                item = items.get(post_id)
                if item is None:
                    result[post_id] = Engagement(removed=True)
                    continue
                result[post_id] = Engagement(
                    reactions=_total(item.get("reactions")),
                    comments=_total(item.get("comments")),
                    shares=(item.get("shares") or {}).get("count", 0),
                    **_insight_values(item),
                )
        return result

    def _metrics(self):
        """The insights metrics still asked for: none once insights were refused
        (permission), never one Graph rejected (here or, lately, for any Page)."""
        if self._insights_denied:
            return []
        retired = self._rejected_metrics | set(cache.get(RETIRED_KEY) or ())
        return [m for m in POST_INSIGHTS if m not in retired]

    def _add_insights(self, items, again=True):
        """Put the insights into `items` ({id: fields}) in one call. When it fails:
        - a permission error (10/200): insights are not readable, asked no more;
        - a post gone since the counts were read: halve the list;
        - another code 100: a retired metric; find it (`_probe`) and read the
          accepted ones in one more call (once more with the same ones when
          each was accepted alone: `again`).
        Whatever cannot be read stays unknown; the counts are kept either way."""
        metrics = self._metrics()
        if not metrics:
            return
        try:
            answer = self._read_ids(list(items), _insights_field(metrics))
        except ReconnectNeeded as error:
            if not _permission(error):
                raise
            self._deny_insights(error)
            return
        except (ContentRejected, RetryLater) as error:
            if _missing(error):
                if len(items) > 1:
                    middle = len(items) // 2
                    ids = list(items)
                    self._add_insights({i: items[i] for i in ids[:middle]})
                    self._add_insights({i: items[i] for i in ids[middle:]})
                return
            if not isinstance(error, ContentRejected) or error.code != 100:
                raise
            if not self._probe(next(iter(items)), metrics):
                return
            learnt = self._metrics() != metrics
            if learnt or again:
                self._add_insights(items, again=learnt)
            return
        for post_id, item in items.items():
            insights = (answer.get(post_id) or {}).get("insights")
            if insights is not None:
                item["insights"] = insights

    def _probe(self, post_id, metrics):
        """Ask each metric alone on one post; the ones Graph rejects (code 100) are
        dropped. False when nothing can be learnt (the post went away, or
        insights are refused)."""
        rejected = []
        for metric in metrics:
            try:
                self._call(READ, post_id, args={"fields": _insights_field([metric])})
            except ContentRejected as error:
                if _missing(error):
                    return False
                rejected.append(metric)
            except ReconnectNeeded as error:
                if not _permission(error):
                    raise
                self._deny_insights(error)
                return False
        self._reject(rejected)
        return True

    def _deny_insights(self, error):
        logger.warning("Facebook insights not readable (code %s)", error.code)
        self._insights_denied = True

    def _reject(self, metrics):
        for metric in metrics:
            logger.warning("Facebook rejected the insights metric %s", metric)
        self._rejected_metrics.update(metrics)
        if metrics:
            retired = set(cache.get(RETIRED_KEY) or ()) | set(metrics)
            cache.set(RETIRED_KEY, sorted(retired), RETIRED_FOR)

    def _read_counts(self, ids):
        """{id: fields} for `ids` without insights, in one call. Graph fails the
        whole read when one post is gone: halve the list until the missing ones
        are found."""
        try:
            return self._read_ids(ids, COUNT_FIELDS)
        except (ContentRejected, RetryLater) as error:
            if not _missing(error):
                raise
            return _halved(self._read_counts, ids)

    def _read_ids(self, ids, fields):
        answer = self._call(READ, "", args={"ids": ",".join(ids), "fields": fields})
        return {key: value for key, value in answer.items() if isinstance(value, dict)}


def _halved(read, ids):
    """`read` on each half of `ids`, merged; nothing for a single (gone) post."""
    if len(ids) == 1:
        return {}
    middle = len(ids) // 2
    return {**read(ids[:middle]), **read(ids[middle:])}


def _insights_field(metrics):
    return f"insights.metric({','.join(metrics)})"


def _insight_values(item):
    """{Engagement field: value or None} from the expanded `insights` field; None
    for a metric not read (rejected, refused or not answered)."""
    values = dict.fromkeys(POST_INSIGHTS.values())
    for entry in (item.get("insights") or {}).get("data") or []:
        field = POST_INSIGHTS.get(entry.get("name"))
        value = ((entry.get("values") or [{}])[-1] or {}).get("value")
        if field and isinstance(value, int) and not isinstance(value, bool):
            values[field] = value
    return values


def _total(edge):
    return ((edge or {}).get("summary") or {}).get("total_count")
