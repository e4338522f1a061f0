"""Engagement reads for `FacebookNetwork`: counts and post insights in `?ids=` reads.

Graph fails a whole `?ids=` read when one post is gone or one insights metric is
retired, so `EngagementReads` halves the list to find the gone posts and probes
the metrics one by one to drop the retired ones. The metric names live in
`POST_INSIGHTS`, in the package: it is looked up there at call time, so that it
stays the one table.
"""

import logging

from .. import facebook as package
from ..base import ContentRejected, Engagement, ReconnectNeeded, RetryLater, chunks
from .graph import READ, _missing, _permission

logger = logging.getLogger("publishing.networks.facebook")

COUNT_FIELDS = (
    "shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(true)"
)


class EngagementReads:
    """Reads of `FacebookNetwork`: uses its `_call`, `read_batch_size`,
    `_rejected_metrics` and `_insights_denied`."""

    def fetch_engagement(self, external_ids):
        """Counts and insights of every post in ceil(N/50) `?ids=` reads: the
        insights come by field expansion (`insights.metric(...)`) in the same read.
        More calls only when Graph fails a read (see `_read_chunk`)."""
        items = {}
        for chunk in chunks(external_ids, self.read_batch_size):
            items.update(self._read_chunk(chunk))
        result = {}
        for post_id in external_ids:
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
        (permission), never one Graph rejected."""
        if self._insights_denied:
            return []
        return [m for m in package.POST_INSIGHTS if m not in self._rejected_metrics]

    def _read_chunk(self, ids):
        """{id: fields} for `ids` with counts and insights, in one call. When it
        fails:
        - a post is gone (100/33, 803): halve the list, insights kept;
        - a permission error (10/200): insights are not readable; read the counts
          alone and ask no more insights (their fields stay unknown);
        - another code 100: a retired metric, or a gone post reported otherwise
          (see `_read_around_rejected`)."""
        metrics = self._metrics()
        if not metrics:
            return self._read_counts(ids)
        fields = f"{COUNT_FIELDS},{_insights_field(metrics)}"
        try:
            return self._read_ids(ids, fields)
        except ReconnectNeeded as error:
            if not _permission(error):
                raise
            counts = self._read_counts(ids)  # raises when counts are refused too
            # Insights need `read_insights`; check() reports it, counts still count.
            self._deny_insights(error)
            return counts
        except (ContentRejected, RetryLater) as error:
            if _missing(error):
                return _halved(self._read_chunk, ids)
            if not isinstance(error, ContentRejected) or error.code != 100:
                raise
        return self._read_around_rejected(ids, metrics)

    def _read_around_rejected(self, ids, metrics):
        """After a code 100: read the counts alone first (gone posts are found
        there, by halving), then find the rejected metric(s) on one post
        (`_probe`) and read the accepted ones for the chunk in one more call."""
        counts = self._read_counts(ids)
        if not counts:
            return counts
        if len(metrics) == 1:
            # The counts read without it: the one metric left is the one rejected.
            self._reject([metrics[0]])
        elif not self._probe(next(iter(counts)), metrics):
            return counts
        accepted = self._metrics()
        if accepted:
            self._add_insights(counts, accepted)
        return counts

    def _probe(self, post_id, metrics):
        """Ask each metric alone on one post; the ones Graph rejects (code 100) are
        dropped for the rest of this adapter's life. False when nothing can be
        learnt (the post went away, or insights are refused)."""
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

    def _add_insights(self, items, metrics):
        """Put the insights of `metrics` into `items` ({id: fields}) in one call;
        left out (unknown) when Graph still refuses them."""
        try:
            answer = self._read_ids(list(items), _insights_field(metrics))
        except (ContentRejected, ReconnectNeeded) as error:
            if isinstance(error, ReconnectNeeded) and not _permission(error):
                raise
            return
        for post_id, item in items.items():
            insights = (answer.get(post_id) or {}).get("insights")
            if insights is not None:
                item["insights"] = insights

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
    values = dict.fromkeys(package.POST_INSIGHTS.values())
    for entry in (item.get("insights") or {}).get("data") or []:
        field = package.POST_INSIGHTS.get(entry.get("name"))
        value = ((entry.get("values") or [{}])[-1] or {}).get("value")
        if field and isinstance(value, int) and not isinstance(value, bool):
            values[field] = value
    return values


def _total(edge):
    return ((edge or {}).get("summary") or {}).get("total_count")
