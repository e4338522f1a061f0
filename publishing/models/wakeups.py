"""Waking the schedulers when something may fall due sooner than they planned.

A scheduler sleeps until the next due thing (`publishing/outbox/wakeups.py`). Every
change that can bring work forward goes through one of two doors here:
- the querysets of Publication and Broadcast (`update`, `bulk_create`: bulk paths
  send no model signal): a status or a due time set, except by a claim (taking
  work makes none due), wakes them;
- the model signals (`connect`, called by `publishing/apps.py`): a publication or
  broadcast saved, a pause switch or a rate pause lifted, a channel saved active,
  an article published (its waiting publications may go out again).
So a publication made, rescheduled, posted now, released from hold or pause, or a
post finished (its channel is free for the next one) wakes them, whoever made it.

On PostgreSQL a wake-up is `NOTIFY publishing_due` on the connection that made the
change: inside a transaction it is delivered at commit, and dropped with a
rollback; the repeats of one transaction are folded into one. On SQLite processes
share no signal: the scheduler polls instead, and nothing is sent.
"""

from django.db import DEFAULT_DB_ALIAS, connections, models

from publishing.lifecycle import BroadcastStatus, PublicationStatus
from publishing.models.channels import ChannelStatus

CHANNEL = "publishing_due"


def wake_schedulers(using=DEFAULT_DB_ALIAS):
    """Tell sleeping schedulers to look again for what is due (PostgreSQL)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {CHANNEL}")


class WakingQuerySet(models.QuerySet):
    """Bulk changes that may make work due sooner wake the schedulers."""

    claimed = None  # the status a claim sets
    due_times = ()  # the fields that say when it is due

    def wakes(self, fields):
        status = fields.get("status")
        if status is not None and status != self.claimed:
            return True
        return any(name in fields for name in self.due_times)

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        if rows and self.wakes(kwargs):
            wake_schedulers(self.db)
        return rows

    def bulk_create(self, objs, *args, **kwargs):
        made = super().bulk_create(objs, *args, **kwargs)
        if made:
            wake_schedulers(self.db)
        return made


class PublicationQuerySet(WakingQuerySet):
    claimed = PublicationStatus.PUBLISHING
    due_times = ("publish_at", "next_attempt_at")


class BroadcastQuerySet(WakingQuerySet):
    claimed = BroadcastStatus.SENDING
    due_times = ("send_at", "next_attempt_at")


# Model signals -------------------------------------------------------------------
def connect():
    """Connect the receivers below (from the app's `ready`)."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.signals import page_published

    from publishing.models import (
        Broadcast,
        Channel,
        ChannelPause,
        Publication,
        PublishingPause,
    )

    for model in (Publication, Broadcast):
        post_save.connect(on_saved, sender=model, dispatch_uid=f"wake_{model}")
    for model in (PublishingPause, ChannelPause):
        post_delete.connect(on_lifted, sender=model, dispatch_uid=f"wake_{model}")
    post_save.connect(on_channel_saved, sender=Channel, dispatch_uid="wake_channel")
    page_published.connect(on_page_published, dispatch_uid="wake_page")


def on_saved(sender, instance, using, update_fields=None, **kwargs):
    """`post_save` of Publication and Broadcast: as their querysets' `update`."""
    names = set(update_fields) if update_fields is not None else {"status"}
    fields = {name: getattr(instance, name, None) for name in names}
    if sender._default_manager.all().wakes(fields):
        wake_schedulers(using)


def on_lifted(sender, using, **kwargs):
    """`post_delete` of a pause switch or a rate pause: its channels may post."""
    wake_schedulers(using)


def on_channel_saved(sender, instance, using, **kwargs):
    """`post_save` of Channel: an active one may post what waited for it."""
    if instance.status == ChannelStatus.ACTIVE:
        wake_schedulers(using)


def on_page_published(sender, instance, **kwargs):
    """Wagtail's `page_published`: an article back online may be shared again."""
    wake_schedulers()
