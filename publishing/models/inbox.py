"""Citizens' questions: comments under our Facebook posts and messages to our Zalo
OAs, collected for the inbox (`publishing/inbox/`).

Decree 13/2023/NĐ-CP: a question keeps only what answering needs, the author's
name as the network shows it, the text and the times. No phone, no avatar, no
profile link, no network user id for a comment (a reply goes under the comment);
for a Zalo message the follower's id in the OA (`conversation_id`), which the
answer is sent to. After `PUBLISHING_QUESTIONS_RETENTION` the person's data
(`Question.PERSONAL_FIELDS`) is wiped by `publishing/inbox/retention.py`; the
timings, topic and target group stay, so the figures survive.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cms.core.hidden_chars import no_hidden_chars
from publishing.models.channels import Channel
from publishing.models.publications import Publication


class QuestionKind(models.TextChoices):
    COMMENT = "comment", pgettext_lazy("question kind", "Comment")
    """A comment under one of our Facebook posts."""
    MESSAGE = "message", pgettext_lazy("question kind", "Message")
    """A message a follower sent to our Zalo OA."""


class QuestionStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    ANSWERED = "answered", _("Answered")
    HIDDEN = "hidden", _("Hidden")
    """An abusive comment hidden on the Page."""
    NO_REPLY = "no_reply", _("No reply needed")


OPEN_STATUSES = (QuestionStatus.NEW, QuestionStatus.ASSIGNED)
"""Questions still waiting for someone (the admin home's count)."""


class Topic(models.Model):
    """A short, editable list of what people ask about (contributions, sickness,
    pensions...), picked by the person answering, counted on the dashboard."""

    name = models.CharField(
        _("topic name"), max_length=100, unique=True, validators=[no_hidden_chars]
    )
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)

    class Meta:
        verbose_name = _("question topic")
        verbose_name_plural = _("question topics")
        ordering = ["sort_order", "name"]

    def __str__(self):
        return self.name


class Question(models.Model):
    """One comment or Zalo message, as collected, and what became of it."""

    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    network = models.CharField(_("network"), max_length=20, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=QuestionKind.choices)
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("post"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        help_text=_("The post the comment is under."),
    )
    post_external_id = models.CharField(_("post id"), max_length=100, blank=True)
    conversation_id = models.CharField(
        _("conversation"),
        max_length=100,
        blank=True,
        help_text=_("Zalo: the follower's id in the OA, whom the answer goes to."),
    )
    external_id = models.CharField(_("comment or message id"), max_length=100)
    parent_external_id = models.CharField(
        _("replies to"),
        max_length=100,
        blank=True,
        help_text=_("The comment this one answers, if any."),
    )
    author_name = models.CharField(_("author"), max_length=200, blank=True)
    text = models.TextField(_("text"), blank=True)
    received_at = models.DateTimeField(_("received at"))
    collected_at = models.DateTimeField(_("collected at"), default=timezone.now)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=QuestionStatus.choices,
        default=QuestionStatus.NEW,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.ForeignKey(
        Topic,
        verbose_name=_("topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
    )
    target_group = models.ForeignKey(
        "cms_core.TargetGroup",
        verbose_name=_("target group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    first_answered_at = models.DateTimeField(
        _("first answered at"), null=True, blank=True
    )
    personal_data_removed_at = models.DateTimeField(
        _("personal data removed at"), null=True, blank=True, editable=False
    )

    PERSONAL_FIELDS = ("author_name", "text", "conversation_id")
    """What the retention job wipes: the person's data."""

    class Meta:
        verbose_name = _("citizen's question")
        verbose_name_plural = _("citizens' questions")
        ordering = ["-received_at", "-pk"]
        constraints = [
            # Collection is repeated (every read, the webhook, the read-back):
            # the network's id makes it idempotent.
            models.UniqueConstraint(
                fields=["channel", "external_id"], name="one_question_per_external_id"
            )
        ]
        indexes = [
            # The inbox: a unit's channels, newest first, by status or all.
            models.Index(
                fields=["channel", "status", "-received_at"],
                name="question_inbox_idx",
            ),
            models.Index(
                fields=["channel", "-received_at"], name="question_channel_idx"
            ),
            # Many channels at once (a region), every status: the newest first
            # read in order and stopped at a page, not 100,000 rows sorted
            # (bench/inbox.py, PostgreSQL, 100,000 questions: 425 ms -> 9 ms).
            models.Index(fields=["-received_at", "-id"], name="question_newest_idx"),
            # The retention job's scan.
            models.Index(
                fields=["received_at"],
                condition=models.Q(personal_data_removed_at__isnull=True),
                name="question_personal_idx",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.external_id}"

    def save(self, *args, **kwargs):
        if self.channel_id and not self.network:
            self.network = self.channel.network
        super().save(*args, **kwargs)

    @property
    def waiting(self):
        return self.status in OPEN_STATUSES

    @property
    def response_time(self):
        """Time to first answer (a timedelta), None until answered."""
        if self.first_answered_at is None:
            return None
        return self.first_answered_at - self.received_at


class InboxAccessQuerySet(models.QuerySet):
    def lacking(self):
        """Channels found lacking a permission since they were last connected: a
        reconnection may have granted it, so an older finding no longer counts
        (the next read finds out again)."""
        return self.exclude(missing_permissions=[]).filter(
            models.Q(channel__connected_at__isnull=True)
            | models.Q(checked_at__gte=models.F("channel__connected_at"))
        )


class InboxAccess(models.Model):
    """What a channel lets the inbox do: the network permissions it lacks (a
    Facebook Page connected before comments were collected lacks
    `pages_read_user_content` and `pages_manage_engagement` until reconnected),
    and how far its Zalo conversations were read back."""

    channel = models.OneToOneField(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.CASCADE,
        related_name="inbox_access",
    )
    missing_permissions = models.JSONField(
        _("missing permissions"), default=list, blank=True
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    collected_at = models.DateTimeField(_("last collected"), null=True, blank=True)

    objects = InboxAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbox access")
        verbose_name_plural = _("inbox access")

    def __str__(self):
        return str(self.channel)

    @property
    def complete(self):
        return not self.missing_permissions


class CommentWatch(models.Model):
    """When a post's comments were last read, and its comment count then: a post
    older than a week is read again only when its count (read with its
    engagement) has grown past it."""

    publication = models.OneToOneField(
        Publication,
        on_delete=models.CASCADE,
        related_name="comment_watch",
    )
    read_at = models.DateTimeField(null=True, blank=True)
    comments_seen = models.PositiveIntegerField(default=0)
    newest_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="The newest comment collected: a read pages back to it, no further.",
    )

    def __str__(self):
        return f"{self.publication_id}: {self.comments_seen}"
