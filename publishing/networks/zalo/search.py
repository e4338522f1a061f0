"""Finding the article of an unknown outcome, for `ZaloNetwork.reconcile`.

An article is ours when its verify token says so, or when its detail carries our
marker (`pub-<id>` in a link's utm_content, or the short link's `/l/<code>`).
Zalo's documentation promises neither the body in `getdetail` nor the dates in
`getslice`, so without them the only clue left is the title: the one article with
exactly our title made since the attempt began and linked to no other
publication. When Zalo's answers cannot settle it (several such articles, no
dates, more articles than are read), the answer is `CannotTell`: a person
decides, and nothing is created again.
"""

import dataclasses
import datetime
import re

from publishing.networks import messages
from publishing.networks.base import CannotTell, ContentRejected, Published, strings_in
from publishing.networks.zalo.api import READ
from publishing.networks.zalo.articles import _permalink

MARKERS = re.compile(r"(?<![\w-])pub-\d+(?![\w-])")
# Our short links' paths: the other marker a text carries.
SHORT_PATHS = re.compile(r"/l/[A-Za-z0-9]{6,8}(?![\w-])")


@dataclasses.dataclass
class Candidate:
    """An article with our title and no marker of another publication."""

    id: str
    permalink: str
    created: datetime.datetime | None


class ArticleSearch:
    """`reconcile` of `ZaloNetwork`: uses its `_call`, `_find_by_token`,
    `slice_limit`, `reconcile_pages` and `clock_slack`."""

    def reconcile(self, lookup):
        if lookup.token:
            found = self._find_by_token(lookup.token)
            if found:
                return found
        floor = lookup.since - self.clock_slack if lookup.since else None
        items, complete = self._articles_since(floor, lookup.kind)
        candidates = []
        for item in items:
            found = self._judge(item, lookup)
            if isinstance(found, Published):
                return found
            if found is not None:
                candidates.append(found)
        return _decide(candidates, lookup, complete, len(items))

    def _judge(self, item, lookup):
        """Published when the article carries our marker; a Candidate when it has
        our title and no marker of another publication; else None."""
        detail = self._detail(item)
        if detail is None:
            return None  # removed meanwhile
        texts = list(strings_in(detail))
        markers = {m for text in texts for m in MARKERS.findall(text)}
        markers |= {m for text in texts for m in SHORT_PATHS.findall(text)}
        created = _parse_time(item.get("create_date") or detail.get("create_date"))
        link = _permalink(item) or _permalink(detail)
        if lookup.marker in markers or lookup.short_path in markers:
            return Published(str(item["id"]), link, created)
        if not _same_title(item, detail, lookup.title):
            return None
        if markers and MARKERS.fullmatch(lookup.marker):
            return None  # another publication's article
        return Candidate(str(item["id"]), link, created)

    def _articles_since(self, floor, kind=""):
        """The OA's articles (video articles for a video), newest first, down to
        `floor`: (items, complete).
        Not complete when the pages read end before the list does or an older
        article shows: more articles of the period may be further down."""
        items = []
        for page in range(self.reconcile_pages):
            data = self._call(
                READ,
                "GET",
                "v2.0/article/getslice",
                params={
                    "offset": page * self.slice_limit,
                    "limit": self.slice_limit,
                    "type": "video" if kind == "video" else "normal",
                },
            )
            medias = data.get("medias") or []
            for item in medias:
                created = _parse_time(item.get("create_date"))
                if floor and created and created < floor:
                    return items, True  # newest first: the rest is older still
                items.append(item)
            if len(medias) < self.slice_limit:
                return items, True
        return items, floor is None

    def _detail(self, item):
        """The article's detail, None when Zalo no longer knows the id."""
        try:
            return self._call(
                READ, "GET", "v2.0/article/getdetail", params={"id": item["id"]}
            )
        except ContentRejected:
            return None


def _decide(candidates, lookup, complete, read):
    """Ours from the title candidates, None if none, CannotTell if Zalo's answers
    cannot settle it."""
    taken = lookup.taken([c.id for c in candidates]) if candidates else set()
    candidates = [c for c in candidates if c.id not in taken]
    if any(c.created is None for c in candidates):
        raise CannotTell(messages.ZALO_UNSURE_UNDATED, code="zalo_undated")
    if len(candidates) > 1:
        raise CannotTell(
            messages.ZALO_UNSURE_SEVERAL % {"count": len(candidates)},
            code="zalo_several",
        )
    if candidates:
        found = candidates[0]
        return Published(found.id, found.permalink, found.created)
    if not complete:
        raise CannotTell(
            messages.ZALO_UNSURE_TOO_MANY % {"count": read}, code="zalo_too_many"
        )
    return None


def _same_title(item, detail, title):
    theirs = item.get("title") or detail.get("title") or ""
    return bool(title.strip()) and theirs.strip() == title.strip()


def _parse_time(value):
    """Zalo's `create_date`: epoch milliseconds (or seconds, or ISO text)."""
    if isinstance(value, int | float) and value > 0:
        seconds = value / 1000 if value > 10**11 else value
        return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)
    if isinstance(value, str) and value:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)
    return None
