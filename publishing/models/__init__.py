"""The models of publishing, one module per concern; all importable from here."""

from .channels import Channel, ChannelStatus, Network
from .confirmations import Confirmation, ConfirmationPurpose
from .engagement import (
    COUNTERS,
    ENGAGEMENT_COUNTERS,
    EngagementSnapshot,
    FollowerSnapshot,
)
from .heartbeat import SchedulerHeartbeat  # noqa: F401  (scheduler liveness)
from .incidents import Incident, IncidentKind
from .pauses import ChannelPause, PauseScope, PublishingPause
from .publications import (
    AttemptOutcome,
    PayloadKind,
    Publication,
    PublicationStatus,
    PublishAttempt,
    SharePlan,
)
from .rollups import EVERY_GROUP, ArticleDay, ChannelDay
from .share_requests import ShareRequest, ShareRequestStatus

__all__ = [
    "EVERY_GROUP",
    "ArticleDay",
    "ChannelDay",
    "COUNTERS",
    "ENGAGEMENT_COUNTERS",
    "AttemptOutcome",
    "Channel",
    "ChannelPause",
    "ChannelStatus",
    "Confirmation",
    "ConfirmationPurpose",
    "EngagementSnapshot",
    "FollowerSnapshot",
    "Incident",
    "IncidentKind",
    "Network",
    "PauseScope",
    "PayloadKind",
    "Publication",
    "PublicationStatus",
    "PublishAttempt",
    "PublishingPause",
    "SharePlan",
    "ShareRequest",
    "ShareRequestStatus",
]
