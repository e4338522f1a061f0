"""Public pages from a cache every process shares, purged when what they show changes.

A page an anonymous visitor gets (home, news index, sections, articles, the search
page without a query, the sitemap) is kept in the `pages` cache
(`cms/settings/base.py`: a table of the database by default, Redis on several
hosts) for `PAGE_CACHE_SECONDS` at most, and served from it until a change it shows
purges it:

- `store.py`: keys, versions and entries; `purge_paths()`, `purge_all()`.
- `middleware.py`: `PageCacheMiddleware`, serving and storing (who may be served,
  what may be kept).
- `purge.py`: what each change purges (Wagtail's page signals, units, target
  groups), once the change is committed.
"""
