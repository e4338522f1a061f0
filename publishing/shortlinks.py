"""`/l/<code>`: a publication's short link, and the visits our posts bring.

A short link answers a 302 to the article's address with the UTM parameters of
the publication (`compose.article_link`: `utm_content=pub-<id>`), and counts the
visit; an article page reached through a long link already out
(`utm_content=pub-<id>`) is counted the same way. Codes of withdrawn or cancelled
publications still redirect: people click old posts. An unknown or malformed
code answers the site's 404 page.

A middleware rather than a URL: `cms` (the URLconf) never imports `publishing`,
and a redirect needs no session, login or two-step check: it is placed before
them, after the HTTPS redirect and the security headers. Counting happens after
the response is sent (`publishing.metrics.counting`).
"""

import re
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponseRedirect
from django.utils.cache import add_never_cache_headers

from publishing.metrics.counting import count_after, countable
from publishing.models import Publication
from publishing.models.publications import (
    LINK_CODE_ALPHABET,
    LINK_CODE_LENGTH,
    SHORT_LINK_PREFIX,
)
from publishing.outbox.compose import article_link

CODE = re.compile(
    rf"{re.escape(SHORT_LINK_PREFIX)}([{LINK_CODE_ALPHABET}]{{{LINK_CODE_LENGTH}}})/?"
)
MARKER = re.compile(r"pub-(\d{1,18})")
CACHE_SECONDS = 60
# Added to the address a short link leads to: the redirect counted that visit,
# the page it lands on must not count it again (one click, one visit).
VIA_SHORT_LINK = ("ref", "l")


def target(code):
    """(publication id, the address it redirects to), or None for no such code;
    kept a minute in the cache: a post being clicked costs no query (a moved
    article's new address is used within the minute)."""
    key = f"shortlink:{code}"
    found = cache.get(key)
    if found is None:
        found = _target(code)
        if found is not None:
            cache.set(key, found, CACHE_SECONDS)
    return found


def _target(code):
    publication = (
        Publication.objects.filter(link_code=code)
        .select_related("channel", "page__campaign")
        .only(
            "id",
            "channel__network",
            "page__campaign__slug",
            *(f"page__{name}" for name in ("id", "url_path", "campaign")),
        )
        .first()
    )
    if publication is None:
        return None
    link = article_link(
        publication.page, publication.channel.network, publication.marker
    )
    return publication.pk, f"{link}&{urlencode([VIA_SHORT_LINK])}"


class ShortLinkMiddleware:
    """Answers `/l/<code>`; counts article views reached with `utm_content`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if path.startswith(SHORT_LINK_PREFIX):
            return self.redirect(request, path)
        response = self.get_response(request)
        if (
            response.status_code == 200
            and "utm_content" in request.GET
            and request.GET.get(VIA_SHORT_LINK[0]) != VIA_SHORT_LINK[1]
        ):
            marker = MARKER.fullmatch(request.GET["utm_content"])
            if marker and countable(request):
                count_after(response, int(marker[1]))
        return response

    def redirect(self, request, path):
        match = CODE.fullmatch(path)
        found = target(match[1]) if match else None
        if found is None:
            raise Http404("no such short link")
        publication_id, link = found
        response = HttpResponseRedirect(link)
        # Every click must reach us to be counted: no cache keeps the redirect.
        add_never_cache_headers(response)
        if countable(request):
            count_after(response, publication_id)
        return response
