"""Visits counted: one more on a publication's daily counter (`VisitDay`) for each
person its short link or its `utm_content=pub-<id>` address brings to the site.

Nothing about the visitor is stored: no cookie, no address, no user agent; the
agent is only read to leave out robots. Counting is one statement (an upsert),
run after the response has been sent (`count_after`), and never fails a page:
an error is logged and the visit is lost.

Robots: CrawlerDetect's list (the `crawlerdetect` package: ~1,500 patterns, with
the browser tokens it strips first) matched with RE2, which takes the alternation
in linear time (Python's `re` takes ~2 ms an agent on it, RE2 a few µs); plus
what it misses: link previews, and Zalo's own client (an agent beginning with
"Zalo"; Zalo's in-app browser, whose agent begins "Mozilla/5.0" and carries
"Zalo android/..." or "Zalo iOS/...", is a person and is counted).
"""

import functools
import logging
import re

import re2
from crawlerdetect.providers.crawlers import data as CRAWLERS
from crawlerdetect.providers.exclusions import data as BROWSER_TOKENS
from django.db import connection
from django.utils import timezone

from publishing.models import Publication, VisitDay

logger = logging.getLogger(__name__)

# Link-preview fetchers CrawlerDetect does not name, and Zalo's app itself.
PREVIEWS = [r"preview", r"^zalo"]
# RE2 has no look-around: the few patterns using it are left to the catch-all
# ("[a-z0-9-_]*(bot|crawl|spider|headless|fetcher|...)"), which covers them.
LOOK_AROUND = ("(?=", "(?!", "(?<=", "(?<!")


def _re2(patterns):
    options = re2.Options()
    options.case_sensitive = False
    options.never_capture = True
    options.max_mem = 64 << 20  # the DFA of ~1,500 patterns
    usable = [p for p in patterns if not any(m in p for m in LOOK_AROUND)]
    return re2.compile("|".join(usable), options)


@functools.cache
def _robots():
    """(browser tokens, robot patterns), compiled once per process."""
    tokens = re.compile("|".join(BROWSER_TOKENS), re.IGNORECASE)
    return tokens, _re2(CRAWLERS + PREVIEWS)


@functools.lru_cache(maxsize=4096)
def is_robot(user_agent):
    """True for a crawler, a link-preview fetcher, a script, a headless browser,
    or no user agent at all (every browser sends one)."""
    agent = (user_agent or "").strip()
    if not agent:
        return True
    tokens, robots = _robots()
    return robots.search(tokens.sub("", agent)) is not None


def countable(request):
    """A GET by a person: HEAD requests and robots are not counted."""
    return request.method == "GET" and not is_robot(
        request.META.get("HTTP_USER_AGENT", "")
    )


def _upsert_sql():
    """One statement, race-safe on both databases: a new day's row made with 1,
    or its visits + 1; nothing when the publication does not exist."""
    quote = connection.ops.quote_name
    table = quote(VisitDay._meta.db_table)
    return (
        f"INSERT INTO {table} (publication_id, day, visits) "
        f"SELECT id, %s, 1 FROM {quote(Publication._meta.db_table)} WHERE id = %s "
        f"ON CONFLICT (publication_id, day) "
        f"DO UPDATE SET visits = {table}.visits + 1"
    )


def count_visit(publication_id, day=None):
    """One more visit for `publication_id` today (local date)."""
    day = day or timezone.localdate()
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [day, publication_id])


def count_after(response, publication_id):
    """Count once the response has been sent (its `close()`, which WSGI servers
    and the test client call after the last byte): the visitor never waits for
    the write, and a failing write never shows."""

    def count():
        try:
            count_visit(publication_id)
        except Exception:  # noqa: BLE001  (a lost visit, never a failed page)
            logger.exception(
                "counting a visit of publication %s failed", publication_id
            )

    # Django's own hook for work at close() (FileResponse closes its file there).
    response._resource_closers.append(count)
    return response
