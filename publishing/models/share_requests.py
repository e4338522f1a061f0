"""Shares made outside their article's approval, waiting for an approver."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from publishing.models.channels import Channel
from publishing.models.publications import (
    LINK_CODE_LENGTH,
    Publication,
    audience_field,
    broadcast_field,
    kind_of_post_field,
    new_link_code,
    video_field,
)


class ShareRequestStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ShareRequest(models.Model):
    """A share made outside its article's approval, waiting for an approver.

    Guarantee 5: what goes out was approved. "Share again" or a bulk share made by an
    editor, or a plan on a channel the person who published the page may not approve,
    becomes a request; an approver of the channel's unit (or a unit above it) approves
    it, which creates its `Publication`, or rejects it with a reason.
    """

    page = models.ForeignKey(
        "cms_content.ArticlePage",
        verbose_name=_("page"),
        on_delete=models.CASCADE,
        related_name="share_requests",
    )
    channel = models.ForeignKey(
        Channel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        related_name="share_requests",
    )
    message = models.TextField(_("message"), blank=True)
    # The short link its publication will carry, fixed now so that the approver
    # reads the very text that goes out (`Publication.link_code`, given at approval).
    link_code = models.CharField(
        _("short link code"),
        max_length=LINK_CODE_LENGTH,
        default=new_link_code,
        editable=False,
    )
    kind = kind_of_post_field()
    video = video_field()  # the plan's choice travels with the request
    broadcast = broadcast_field()
    audience = audience_field()
    # A broadcast of an article already posted on a Zalo OA (no new post).
    broadcast_for = models.ForeignKey(
        Publication,
        verbose_name=_("broadcast of"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="broadcast_requests",
    )
    publish_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ShareRequestStatus.choices,
        default=ShareRequestStatus.PENDING,
        db_index=True,
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
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
    publication = models.OneToOneField(
        Publication,
        verbose_name=_("publication"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="share_request",
    )

    class Meta:
        verbose_name = _("share request")
        verbose_name_plural = _("share requests")
        ordering = ["-requested_at", "-pk"]

    def __str__(self):
        return f"{self.page_id} → {self.channel} ({self.status})"
