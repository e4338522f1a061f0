"""`PageCacheMiddleware`: public pages served to anonymous visitors from the cache.

Placed after the short links' middleware (`cms/settings/base.py`), which sees every
request and counts the visits our posts bring on cached pages too, and before
sessions, login and the compression of public HTML: a hit skips them all, and an
entry holds the page compressed as the visitor's browser accepts it.

Served from the cache and stored: GET (and HEAD, served only) with no session and no
messages cookie (a person signed in always has a session), no preview, outside the
admin, documents and files, whose query holds only what the pages read (`trang`,
`nhom`, `don-vi`) besides tracking parameters (`utm_*`, `fbclid`, `ref`...), which
are left out of the key. Stored: a 200 that sets no cookie, does not vary with
cookies (a session read, a CSRF token) and is no preview.
"""

import re

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.utils.cache import has_vary_header
from django.utils.http import urlencode

from cms.content.page_cache.store import Entry, enabled
from cms.core.compression import accepted_encoding
from cms.core.csp import is_admin_path

HEADER = "X-Page-Cache"
# Parameters the public pages read: page number, target group, unit.
KEYED = frozenset({"trang", "nhom", "don-vi"})
# Added by links in posts and by the networks; no page reads them.
TRACKING = re.compile(r"utm_\w+|fbclid|gclid|zarsrc|ref|_ga|_gl")
NOT_PAGES = ("/documents/", settings.MEDIA_URL, settings.STATIC_URL)
NEVER_STORED = ("private", "no-cache", "no-store")


def cache_address(request):
    """(path, query of the key), or None when the request is not for the cache."""
    # Wagtail runs a preview through the middleware as a request of its own.
    if request.method not in ("GET", "HEAD") or getattr(request, "is_dummy", False):
        return None
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
        return None
    path = request.path_info
    if is_admin_path(path) or path.startswith(NOT_PAGES):
        return None
    query = []
    for name, values in request.GET.lists():
        if TRACKING.fullmatch(name):
            continue
        if name not in KEYED:
            return None  # a search query, or what a page might read one day
        query.append((name, values))
    return path, urlencode(sorted(query), doseq=True)


def storable(request, response):
    control = response.get("Cache-Control", "")
    return (
        request.method == "GET"
        and response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not has_vary_header(response, "Cookie")
        and not getattr(request, "is_preview", False)
        and not any(word in control for word in NEVER_STORED)
    )


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        address = cache_address(request) if enabled() else None
        if address is None:
            return self.get_response(request)
        entry = Entry(request, *address, accepted_encoding(request))
        response = entry.fetch()
        if response is not None:
            response[HEADER] = "hit"
            return response
        response = self.get_response(request)
        if storable(request, response):
            entry.store(response)
            response[HEADER] = "miss"
        return response
