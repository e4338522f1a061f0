"""Retention (Decree 13/2023/NĐ-CP): after `PUBLISHING_QUESTIONS_RETENTION` days a
question loses the person's data (`Question.PERSONAL_FIELDS`: name, text, Zalo id)
and keeps its timings, status, topic and target group, so the figures (time to
first answer, questions by topic and group) survive. Run daily by the scheduler."""

import datetime
import logging

from django.utils import timezone

from publishing.conf import setting
from publishing.models import Question

logger = logging.getLogger("publishing.inbox")


def forget_people(now=None):
    """Wipe the person's data of questions past the retention period; returns
    how many. One UPDATE: nothing of what is wiped is read first."""
    now = now or timezone.now()
    days = setting("PUBLISHING_QUESTIONS_RETENTION")
    cutoff = now - datetime.timedelta(days=days)
    wiped = Question.objects.filter(
        received_at__lt=cutoff, personal_data_removed_at__isnull=True
    ).update(
        **dict.fromkeys(Question.PERSONAL_FIELDS, ""), personal_data_removed_at=now
    )
    if wiped:
        logger.info("inbox: personal data of %s questions removed", wiped)
    return wiped
