"""Answers to citizens' questions, and the approved answers they may start from.

An `Answer` is the agency speaking in public: a reply under a comment (as the
Page) or a message to a Zalo follower (as the OA). It is an outbox item like a
publication or a broadcast: claimed with a lease, its attempt recorded before the
call, its outcome from the network's typed error; a lost answer is `unconfirmed`
until the comment's replies are read back (`publishing/inbox/answers.py`).
At most one live answer per question (a database constraint): "Send" is
single-use, whatever requests run in parallel.

An `ApprovedAnswer` is an answer written and approved once (per target group, or
for everyone): an editor may send it unchanged without waiting for an approver.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.core.hidden_chars import no_hidden_chars
from publishing.models.inbox import Question


class AnswerStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for approval")
    """An editor's own words: an approver of the channel's unit decides."""
    SCHEDULED = "scheduled", _("To send")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    UNCONFIRMED = "unconfirmed", _("Checking whether it went out")
    """The network's answer was lost: read back before anything is sent again."""
    HELD = "held", _("Held: the channel needs reconnecting")
    FAILED = "failed", _("Failed")
    REJECTED = "rejected", _("Rejected")


LIVE_ANSWER = (
    AnswerStatus.WAITING,
    AnswerStatus.SCHEDULED,
    AnswerStatus.SENDING,
    AnswerStatus.SENT,
    AnswerStatus.UNCONFIRMED,
    AnswerStatus.HELD,
)
"""An answer in one of these blocks another one to the same question."""


class Answer(models.Model):
    question = models.ForeignKey(
        Question,
        verbose_name=_("question"),
        on_delete=models.CASCADE,
        related_name="answers",
    )
    text = models.TextField(_("answer"), validators=[no_hidden_chars])
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=AnswerStatus.choices,
        default=AnswerStatus.SCHEDULED,
    )
    suggestion = models.CharField(
        _("approved suggestion sent unchanged"),
        max_length=50,
        blank=True,
        help_text=_("An article's FAQ or an approved answer, not edited."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    external_id = models.CharField(_("reply or message id"), max_length=100, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(_("last error code"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # "Send" is single-use: two parallel requests cannot both make one.
            models.UniqueConstraint(
                fields=["question"],
                condition=models.Q(status__in=LIVE_ANSWER),
                name="one_live_answer_per_question",
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="answer_due_idx")
        ]

    def __str__(self):
        return f"answer-{self.pk} ({self.status})"


class ApprovedAnswer(models.Model):
    """An answer approved once, offered as a suggestion to questions that share
    its words (with or without diacritics)."""

    question = models.CharField(
        _("question it answers"), max_length=250, validators=[no_hidden_chars]
    )
    keywords = models.CharField(
        _("keywords"),
        max_length=250,
        blank=True,
        help_text=_("More words that point to this answer, separated by commas."),
    )
    answer = models.TextField(_("answer"), validators=[no_hidden_chars])
    target_group = models.ForeignKey(
        "cms_core.TargetGroup",
        verbose_name=_("target group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty: for everyone."),
    )
    article = models.ForeignKey(
        "cms_content.ArticlePage",
        verbose_name=_("article"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Linked by its short link when one of our posts shared it."),
    )
    mentions_vssid = models.BooleanField(_("mention the VssID app"), default=False)
    mentions_portal = models.BooleanField(
        _("mention the public-service portal"), default=False
    )
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("approved answer")
        verbose_name_plural = _("approved answers")
        ordering = ["question"]

    def __str__(self):
        return self.question
