"""Broadcasts on the dashboard ("Lượt gửi đến người theo dõi"): a Zalo OA's
articles sent to its followers in the period, counted apart from the posts. A
broadcast is not a post: it never adds to "posts published" (read from the
roll-ups of publications, which have no broadcast in them).

Counted: the broadcasts Zalo accepted (`sent`) in the period's local days, of the
campaign's articles on channels of the scope's units (and network, target group).
An unconfirmed one ("probably sent") is not counted: nothing says it went out.
"""

from dataclasses import dataclass, field

from django.db.models import Count

from publishing.lifecycle import BroadcastStatus
from publishing.models import Broadcast
from publishing.models.functions import local_range

GROUPINGS = (
    ("by_channel", "publication__channel_id"),
    ("by_unit", "publication__channel__unit_id"),
    ("by_network", "publication__channel__network"),
)


@dataclass
class BroadcastSummary:
    """Broadcasts sent in the scope's period: in total and per grouping."""

    total: int = 0
    by_channel: dict = field(default_factory=dict)
    by_unit: dict = field(default_factory=dict)
    by_network: dict = field(default_factory=dict)


def sent_broadcasts(scope):
    lower, upper = local_range(scope.start, scope.end)
    sent = Broadcast.objects.filter(
        status=BroadcastStatus.SENT,
        sent_at__gte=lower,
        sent_at__lt=upper,
        publication__page__campaign=scope.campaign,
        publication__channel__unit_id__in=scope.unit_ids,
    )
    if scope.network:
        sent = sent.filter(publication__channel__network=scope.network)
    if scope.target_group is not None:
        sent = sent.filter(publication__page__target_groups=scope.target_group)
    return sent.order_by()


def broadcast_summary(scope):
    summary = BroadcastSummary()
    sent = sent_broadcasts(scope)
    for key, field_name in GROUPINGS:
        counts = sent.values_list(field_name).annotate(n=Count("pk"))
        setattr(summary, key, dict(counts))
    summary.total = sum(summary.by_channel.values())
    return summary
