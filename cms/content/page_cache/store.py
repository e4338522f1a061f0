"""Keys, versions and entries of the page cache, and the purges.

A purge never looks for entries (an address has as many as its query strings and
encodings): it gives a new random *version* to what changed, and an entry only
counts while the versions it was rendered under are still current. Each entry for
the path P is rendered under three versions: the site's (every page: the header's
navigation, unit and target group names), P's own (the page and what it lists) and
the children of P's parent (an article's related articles are its siblings).

The versions an entry is stored under are those read *before* it was rendered: a
purge committed while a page renders makes that render stale at once, so a page
rendered from the old data can never outlive the purge. Purges run after the
change is committed (`purge.py`), so no render after a purge reads the old data.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse

SITE = "pages:v:site"
NAV = "pages:nav"


def enabled():
    return settings.PAGE_CACHE_SECONDS > 0


def page_cache():
    return caches["pages"]


def _digest(text):
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def path_version(path):
    return f"pages:v:{_digest(path)}"


def children_version(path):
    return f"pages:c:{_digest(path)}"


def parent_path(path):
    """'/tin-tuc/bac-son/' for '/tin-tuc/bac-son/bai-viet/'; None for '/'."""
    trimmed = path.rstrip("/")
    return trimmed.rsplit("/", 1)[0] + "/" if trimmed else None


def version_keys(path):
    keys = [SITE, path_version(path)]
    parent = parent_path(path)
    if parent is not None:
        keys.append(children_version(parent))
    return keys


def new_version():
    return uuid.uuid4().hex[:16]


def current_versions(cache, keys, found):
    """The versions of `keys` (those in `found` already read); a missing one is
    set first, so an entry is never stored under "no version"."""
    missing = [key for key in keys if key not in found]
    for key in missing:
        cache.add(key, new_version(), None)
    if missing:
        found = {**found, **cache.get_many(missing)}
    return tuple(found.get(key) for key in keys)


class Entry:
    """The cached response for one request's address, query and encoding."""

    def __init__(self, request, path, query, encoding):
        self.cache = page_cache()
        host = f"{request.scheme}://{request.get_host()}"
        self.key = f"pages:e:{_digest(f'{host}{path}?{query}|{encoding}')}"
        self.keys = version_keys(path)
        self.versions = None

    def fetch(self):
        """A fresh response from the cache, or None (and the versions now
        current remembered for `store`)."""
        found = self.cache.get_many([*self.keys, self.key])
        entry = found.pop(self.key, None)
        self.versions = current_versions(self.cache, self.keys, found)
        if entry is None or entry["versions"] != self.versions:
            return None
        response = HttpResponse(entry["content"], status=entry["status"])
        for name, value in entry["headers"]:
            response[name] = value
        return response

    def store(self, response):
        entry = {
            "versions": self.versions,
            "status": response.status_code,
            "headers": list(response.items()),
            "content": response.content,
        }
        self.cache.set(self.key, entry, settings.PAGE_CACHE_SECONDS)


def purge_paths(paths, children_of=()):
    """New versions for `paths` (every query and encoding of each) and for the
    children of `children_of`."""
    keys = [path_version(p) for p in paths]
    keys += [children_version(p) for p in children_of]
    page_cache().set_many(dict.fromkeys(keys, new_version()), None)


def purge_all():
    page_cache().set(SITE, new_version(), None)


def cached_nav(build):
    """The header's navigation (cms/content/context_processors.py), kept with the
    pages and purged with every page: it names the home and news index pages."""
    cache = page_cache()
    found = cache.get_many([SITE, NAV])
    (site,) = current_versions(cache, [SITE], found)
    kept = found.get(NAV)
    if kept is not None and kept["site"] == site:
        return kept["nav"]
    nav = build()
    cache.set(NAV, {"site": site, "nav": nav}, settings.PAGE_CACHE_SECONDS or 300)
    return nav
