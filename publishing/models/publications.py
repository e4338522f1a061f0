"""Share plans (inline on the article), publications (one article on one channel,
its life cycle in docs/architecture.md) and the history of their attempts."""

import secrets
import string

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.models import Orderable

from cms.core.hidden_chars import no_hidden_chars_in_text
from publishing.lifecycle import PublicationStatus
from publishing.models.channels import Channel
from publishing.models.wakeups import PublicationQuerySet


class PayloadKind(models.TextChoices):
    """What kind of post a plan asks for ("" = the network's default)."""

    DEFAULT = "", _("Default")
    LINK = "link", _("Link")
    PHOTO = "photo", _("Photo")
    PHOTOS = "photos", _("Several photos")
    VIDEO = "video", _("Video")
    """A video from the media library (Facebook: a Page video; Zalo: a video
    article)."""


def kind_of_post_field():
    """The kind of post a plan, a publication and a share request carry."""
    return models.CharField(
        _("kind of post"),
        max_length=10,
        blank=True,
        choices=PayloadKind.choices,
        default=PayloadKind.DEFAULT,
    )


def video_field():
    """The video of a video post: empty, the article's featured video."""
    return models.ForeignKey(
        "wagtailmedia.Media",
        verbose_name=_("video"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Video posts: empty means the article's featured video."),
    )


def audience_field():
    """Who a Zalo broadcast goes to, by `BroadcastTarget` keys (models/broadcasts.py):
    {"gender": key or "", "ages": [keys], "provinces": [keys]}; empty = all
    followers. Keys, not Zalo's codes: the codes are corrected in one table."""
    return models.JSONField(_("audience"), default=dict, blank=True)


def broadcast_field():
    return models.BooleanField(
        _("send to followers"),
        default=False,
        help_text=_(
            "Zalo only: after the article is posted, send it to the OA's followers "
            "(one of the OA's monthly broadcasts; 06:00-21:59 only)."
        ),
    )


# A publication's short link, /l/<code>: URL-safe letters and digits without
# look-alikes (0/O, 1/l/I), 54 ** 8 codes: far too many to enumerate.
LINK_CODE_ALPHABET = "".join(
    c for c in string.ascii_letters + string.digits if c not in "0O1lI"
)
LINK_CODE_LENGTH = 8
# Where the short links live on our domain: /l/<code> (publishing/shortlinks.py).
SHORT_LINK_PREFIX = "/l/"


def new_link_code():
    return "".join(secrets.choice(LINK_CODE_ALPHABET) for _ in range(LINK_CODE_LENGTH))


class SharePlan(Orderable):
    page = ParentalKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="share_plans",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="share_plans",
    )
    message = models.TextField(
        _("message"),
        blank=True,
        help_text=_("Custom text; placeholders: {title}, {intro}, {url}, {hashtags}."),
        validators=[no_hidden_chars_in_text],
    )
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Empty: when the page goes live."),
    )
    kind = kind_of_post_field()
    video = video_field()
    broadcast = broadcast_field()
    audience = audience_field()

    class Meta(Orderable.Meta):
        verbose_name = _("share plan")
        verbose_name_plural = _("share plans")

    def __str__(self):
        return f"{self.page_id} → {self.channel}"


class Publication(models.Model):
    page = models.ForeignKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    plan = models.ForeignKey(
        SharePlan,
        verbose_name=_("share plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    round = models.PositiveIntegerField(_("share round"), default=1)
    # Fixed when the publication is made; also a reconcile marker like `pub-<id>`.
    link_code = models.CharField(
        _("short link code"),
        max_length=LINK_CODE_LENGTH,
        unique=True,
        default=new_link_code,
        editable=False,
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=PublicationStatus.choices,
        default=PublicationStatus.SCHEDULED,
    )
    publish_at = models.DateTimeField(_("publish at"))
    # The approved text and kind, frozen when the round is made (guarantee 5).
    message = models.TextField(_("message"), blank=True)
    kind = kind_of_post_field()
    video = video_field()
    payload = models.JSONField(_("payload"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    lease_until = models.DateTimeField(_("lease until"), null=True, blank=True)
    leased_by = models.CharField(_("leased by"), max_length=200, blank=True)
    external_id = models.CharField(_("post id"), max_length=200, blank=True, default="")
    permalink = models.URLField(_("link"), max_length=500, blank=True)
    verify_token = models.CharField(_("verify token"), max_length=500, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_error_code = models.CharField(_("last error code"), max_length=50, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reactions = models.PositiveIntegerField(_("reactions"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("comments"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("shares"), null=True, blank=True)
    views = models.PositiveIntegerField(_("views"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("reach"), null=True, blank=True)
    clicks = models.PositiveIntegerField(_("clicks"), null=True, blank=True)
    # Engagement tracking (publishing/metrics/engagement.py): when the counts were last
    # read, when they are due next (None: not tracked, or no longer), and when the
    # post was found removed on the network (history kept, tracking stopped).
    engagement_synced_at = models.DateTimeField(
        _("engagement read at"), null=True, blank=True
    )
    engagement_due_at = models.DateTimeField(
        _("engagement due at"), null=True, blank=True
    )
    removed_at = models.DateTimeField(
        _("removed on the network at"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = PublicationQuerySet.as_manager()  # its changes wake the schedulers

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["page", "channel", "round"], name="one_publication_per_round"
            )
        ]
        indexes = [
            models.Index(
                fields=["status", "next_attempt_at"], name="publication_due_idx"
            ),
            models.Index(fields=["channel", "status"], name="publication_channel_idx"),
            models.Index(
                fields=["engagement_due_at"], name="publication_engagement_idx"
            ),
            # The scale run (bench/scale.py: 1,000 channels x 10 posts a day): the
            # list's newest first, and one channel's; the calendar's posted days and
            # its planned ones.
            models.Index(fields=["publish_at", "id"], name="publication_time_idx"),
            models.Index(
                fields=["channel", "publish_at"], name="publication_channel_time_idx"
            ),
            # (id last: a day's earliest by (time, id) are read off the index, not
            # sorted from the 10,000 posts of the day)
            models.Index(
                fields=["status", "published_at", "id"], name="publication_posted_idx"
            ),
            # The few posts of a later share round (the dashboard's distinct
            # articles per channel), found by round IN (2, ..., the highest).
            models.Index(
                fields=["status", "round", "published_at"],
                name="publication_round_idx",
            ),
            models.Index(
                fields=["publish_at", "id"],
                name="publication_planned_idx",
                condition=~models.Q(status="published"),
            ),
        ]

    def __str__(self):
        return f"pub-{self.pk}"

    @property
    def marker(self):
        return f"pub-{self.pk}"


class AttemptOutcome(models.TextChoices):
    """How one publish (or reconcile) attempt ended."""

    OK = "ok", _("Posted")
    RETRY = "retry", _("Will retry")
    HELD = "held", _("Held")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Outcome unknown")
    RECONCILED = "reconciled", _("Reconciled")


class PublishAttempt(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="attempt_history",
    )
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AttemptOutcome.choices, blank=True
    )
    error_code = models.CharField(_("error code"), max_length=50, blank=True)
    message = models.TextField(_("message"), blank=True)
    worker = models.CharField(_("worker"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("publish attempt")
        verbose_name_plural = _("publish attempts")
        ordering = ["started_at", "pk"]

    def __str__(self):
        return f"{self.publication} {self.outcome} {self.started_at:%Y-%m-%d %H:%M:%S}"
