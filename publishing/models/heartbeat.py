"""Each scheduler process says it is alive: one row per process, beaten every few
seconds by a job of its own, read by `/healthz` (publishing/health.py).

A process stopped cleanly removes its row; a killed one leaves it to go stale, and
rows stale for a day are swept by the next beat of any process.
"""

import datetime
import os
import socket

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Rows older than this are a process that died long ago: removed on the next beat.
FORGET_AFTER = datetime.timedelta(days=1)


def this_process():
    """`host:pid`, the same first two parts as a dispatch worker's lease id."""
    return f"{socket.gethostname()}:{os.getpid()}"


class SchedulerHeartbeat(models.Model):
    process = models.CharField(_("process"), max_length=255, unique=True)
    started_at = models.DateTimeField(_("started at"))
    beat_at = models.DateTimeField(_("last beat"), db_index=True)

    class Meta:
        verbose_name = _("scheduler heartbeat")
        verbose_name_plural = _("scheduler heartbeats")

    def __str__(self):
        return f"{self.process} @ {self.beat_at:%Y-%m-%d %H:%M:%S}"

    @classmethod
    def beat(cls, process=None, started_at=None):
        """Record that `process` (this one by default) is alive now."""
        now = timezone.now()
        cls.objects.update_or_create(
            process=process or this_process(),
            defaults={"started_at": started_at or now, "beat_at": now},
        )
        cls.objects.filter(beat_at__lt=now - FORGET_AFTER).delete()
        return now

    @classmethod
    def forget(cls, process=None):
        """A process that stops cleanly is no longer counted as alive."""
        cls.objects.filter(process=process or this_process()).delete()
