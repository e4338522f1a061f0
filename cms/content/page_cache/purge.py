"""What each change purges from the page cache, once the change is committed.

- An article published (a new revision, by a person or by the scheduler's go-live,
  Wagtail's `publish_scheduled`), unpublished (by hand or on expiry), deleted or
  moved (its old and its new address): its address, every address above it (its
  section, the news index, home: the pages listing it), its siblings (their related
  articles) and the sitemap.
- Any other page (home, news index, a section) published, unpublished, deleted or
  moved, a unit or a target group saved or deleted (their names are on every list
  and filter), an image saved or deleted (covers): every page, and the header's
  navigation.

A purge runs after the commit: run before it, a request could render the old data
again under the new versions (store.py). A failed purge is logged and does not fail
the change that was saved.
"""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.urls import reverse
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    pre_page_move,
)

from cms.content.page_cache.store import parent_path, purge_all, purge_paths


def page_changed(instance, **kwargs):
    from cms.content.models import ArticlePage

    parts = instance.get_url_parts()
    if not issubclass(instance.specific_class or Page, ArticlePage) or not parts:
        transaction.on_commit(purge_all, robust=True)
        return
    path = parts[2]
    listing = []
    above = parent_path(path)
    while above is not None:
        listing.append(above)
        above = parent_path(above)
    purge = partial(
        purge_paths, [path, *listing, reverse("sitemap")], children_of=listing[:1]
    )
    transaction.on_commit(purge, robust=True)


def shown_everywhere_changed(**kwargs):
    transaction.on_commit(purge_all, robust=True)


def connect():
    """Called once, from ContentConfig.ready()."""
    from cms.core.models import TargetGroup, Unit

    for signal in (page_published, page_unpublished, pre_page_move, post_page_move):
        signal.connect(page_changed, dispatch_uid=f"page_cache_{id(signal)}")
    # Sent for the Page row of every page deleted (a section's articles too); a
    # receiver for any sender would stop Django's fast deletes of every model.
    pre_delete.connect(page_changed, sender=Page, dispatch_uid="page_cache_deleted")
    for model in (Unit, TargetGroup, get_image_model()):
        for signal in (post_save, post_delete):
            signal.connect(
                shown_everywhere_changed,
                sender=model,
                dispatch_uid=f"page_cache_{model._meta.label}_{id(signal)}",
            )
