"""Posts by kind (a link, a photo, several photos, a video; on Zalo an article or a
video article) for the dashboard's "By kind of post" table: views beside reach
and engagements, so that videos are read against the other posts.

Counts at the period's end, as every other figure (metrics.py): a post's latest
counters when the period ends today or later, else its last snapshot captured
before the end of the period's last day.
"""

from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from publishing.models import ENGAGEMENT_COUNTERS, EngagementSnapshot, Network
from publishing.models.functions import local_range
from publishing.models.publications import PayloadKind

READ = (*ENGAGEMENT_COUNTERS, "views", "reach")
DEFAULT_KIND = {Network.FACEBOOK: PayloadKind.LINK, Network.ZALO: "article"}
"""What a plan without a kind posts on each network."""
ORDER = ["link", "photo", "photos", "article", "video"]
ARTICLE = _("Article")


def by_kind(scope, posts, ended):
    """[{network, kind, posts, articles, views, reach, engagements}] of `posts`
    (the scope's published posts), Facebook first, each network's kinds in
    `ORDER`; views None when none was read. `ended`: the period ended before
    today (its counts are the snapshots')."""
    rows = {}
    for network, kind, page_id, counts in _posts(scope, posts.order_by(), ended):
        kind = kind or DEFAULT_KIND.get(network, "")
        row = rows.setdefault((network, kind), _empty(network, kind))
        *engagement, views, reach = counts
        row["posts"] += 1
        row["pages"].add(page_id)
        row["engagements"] += sum(count or 0 for count in engagement)
        row["reach"] += reach or 0
        if views is not None:
            row["views"] = (row["views"] or 0) + views
    for row in rows.values():
        row["articles"] = len(row.pop("pages"))
    return sorted(rows.values(), key=_place)


def _empty(network, kind):
    return {
        "network": network,
        "kind": kind,
        "posts": 0,
        "pages": set(),
        "views": None,
        "reach": 0,
        "engagements": 0,
    }


def _place(row):
    kind = row["kind"]
    return (row["network"], ORDER.index(kind) if kind in ORDER else len(ORDER))


def _posts(scope, posts, ended):
    """(network, kind, page id, counts in `READ` order) of each post."""
    where = ("channel__network", "kind", "page_id")
    if not ended:
        for row in posts.values_list(*where, *READ).iterator():
            yield (*row[:3], row[3:])
        return
    _lower, upper = local_range(scope.start, scope.end)
    latest = EngagementSnapshot.objects.filter(
        publication=OuterRef("pk"), captured_at__lt=upper
    ).order_by("-captured_at", "-pk")
    rows = list(posts.values_list(*where, Subquery(latest.values("pk")[:1])))
    ids = [row[-1] for row in rows if row[-1] is not None]
    found = {}
    for start in range(0, len(ids), 5000):
        chosen = EngagementSnapshot.objects.filter(pk__in=ids[start : start + 5000])
        found.update((pk, values) for pk, *values in chosen.values_list("pk", *READ))
    unknown = (None,) * len(READ)
    for *row, snapshot in rows:
        yield (*row, found.get(snapshot, unknown))


def kind_label(kind):
    """A kind of post in words (a Zalo article has no PayloadKind of its own)."""
    if kind == "article":
        return ARTICLE
    return PayloadKind(kind).label if kind in PayloadKind.values else kind
