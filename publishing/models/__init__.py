"""The models of publishing, one module per concern; all importable from here."""

from publishing.models.answers import Answer, AnswerStatus, ApprovedAnswer
from publishing.models.broadcasts import Broadcast, BroadcastTarget, TargetKind
from publishing.models.channels import Channel, ChannelStatus, Network
from publishing.models.confirmations import Confirmation, ConfirmationPurpose
from publishing.models.engagement import (
    COUNTERS,
    ENGAGEMENT_COUNTERS,
    EngagementSnapshot,
    FollowerSnapshot,
)
from publishing.models.heartbeat import SchedulerHeartbeat  # noqa: F401  (scheduler liveness)
from publishing.models.inbox import (
    OPEN_STATUSES,
    CommentWatch,
    InboxAccess,
    Question,
    QuestionKind,
    QuestionStatus,
    Topic,
)
from publishing.models.incidents import Incident, IncidentKind
from publishing.models.pauses import ChannelPause, PauseScope, PublishingPause
from publishing.models.publications import (
    AttemptOutcome,
    PayloadKind,
    Publication,
    PublicationStatus,
    PublishAttempt,
    SharePlan,
)
from publishing.models.rollups import EVERY_GROUP, ArticleDay, ChannelDay
from publishing.models.share_requests import ShareRequest, ShareRequestStatus
from publishing.models.visits import VisitDay

__all__ = [
    "Answer",
    "AnswerStatus",
    "ApprovedAnswer",
    "EVERY_GROUP",
    "ArticleDay",
    "ChannelDay",
    "COUNTERS",
    "OPEN_STATUSES",
    "CommentWatch",
    "InboxAccess",
    "Question",
    "QuestionKind",
    "QuestionStatus",
    "Topic",
    "ENGAGEMENT_COUNTERS",
    "AttemptOutcome",
    "Broadcast",
    "BroadcastTarget",
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
    "TargetKind",
    "VisitDay",
]
