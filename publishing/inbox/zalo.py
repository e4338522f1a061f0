"""Messages to our Zalo OAs into `Question` rows: from the webhook (`store_event`,
called by `publishing/inbox/views/webhooks.py` once the signature is checked) and,
for events the webhook missed, by reading the recent conversations back
(`read_back`, a scheduler job). Keyed by (channel, message id): an event and its
read-back make one question. The webhook's event carries no name: the read-back
fills it in. Nothing personal is logged."""

import datetime
import logging

from django.utils import timezone

from publishing.models import (
    Channel,
    ChannelStatus,
    InboxAccess,
    Network,
    Question,
    QuestionKind,
)
from publishing.networks import NetworkError, adapter_for

logger = logging.getLogger("publishing.inbox")

TEXT_EVENTS = {"user_send_text"}


def store_event(event, now=None):
    """The question of a verified `user_send_text` event, or None (another event,
    or an OA that is none of our channels)."""
    if event.get("event_name") not in TEXT_EVENTS:
        return None
    oa_id = str((event.get("recipient") or {}).get("id") or "")
    channel = Channel.objects.filter(network=Network.ZALO, external_id=oa_id).first()
    message = event.get("message") or {}
    user_id = str((event.get("sender") or {}).get("id") or "")
    if channel is None or not message.get("msg_id") or not user_id:
        return None
    received = datetime.datetime.fromtimestamp(
        int(event["timestamp"]) / 1000, datetime.UTC
    )
    question, _ = Question.objects.get_or_create(
        channel=channel,
        external_id=str(message["msg_id"]),
        defaults={
            "network": channel.network,
            "kind": QuestionKind.MESSAGE,
            "conversation_id": user_id,
            "text": str(message.get("text") or ""),
            "received_at": received,
            "collected_at": now or timezone.now(),
        },
    )
    return question


def read_back(now=None):
    """Every active OA's recent conversations read back; returns counts."""
    now = now or timezone.now()
    new = read = 0
    for channel in Channel.objects.filter(
        network=Network.ZALO, status=ChannelStatus.ACTIVE
    ):
        try:
            found = _read_channel(channel, now)
        except NetworkError:
            logger.warning("inbox: reading back OA channel %s failed", channel.pk)
            continue
        read += 1
        new += found
    return {"channels": read, "new": new}


def _read_channel(channel, now):
    adapter = adapter_for(channel)
    access = InboxAccess.objects.filter(channel=channel).first()
    since = access.collected_at if access and access.collected_at else None
    new = 0
    for user_id, latest in adapter.recent_chats():
        if since and latest and latest < since:
            continue
        for incoming in adapter.conversation(user_id):
            new += _store(channel, user_id, incoming, now)
    InboxAccess.objects.update_or_create(
        channel=channel, defaults={"collected_at": now}
    )
    return new


def _store(channel, user_id, incoming, now):
    question, created = Question.objects.get_or_create(
        channel=channel,
        external_id=incoming.external_id,
        defaults={
            "network": channel.network,
            "kind": QuestionKind.MESSAGE,
            "conversation_id": user_id,
            "author_name": incoming.author_name[:200],
            "text": incoming.text,
            "received_at": incoming.received_at,
            "collected_at": now,
        },
    )
    if not created and not question.author_name and incoming.author_name:
        Question.objects.filter(
            pk=question.pk, personal_data_removed_at__isnull=True
        ).update(author_name=incoming.author_name[:200])
    return int(created)
