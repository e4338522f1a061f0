"""Share requests (guarantee 5): the approvers' list, approve / reject, and the
article's "Share again" form.

URL names: `publishing_share_requests:index`, `publishing_share_requests:approve`
and `:reject` (args: pk), `publishing_share_again` (args: page id).
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import (
    ButtonsColumnMixin,
    Column,
    DateColumn,
    StatusTagColumn,
    TitleColumn,
)
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.models import Page

from cms.core import dates
from cms.core.hidden_chars import no_hidden_chars_in_text
from publishing.channels.time_picker import PlannedTimeInput
from publishing.editor.plans import AudienceChooser
from publishing.models import (
    ConfirmationPurpose,
    Network,
    ShareRequest,
    ShareRequestStatus,
)
from publishing.permissions import channels_for, may
from publishing.planning import actions, confirmations, outgoing, sharing
from publishing.planning.views.publications import (
    PublicationPermissionPolicy,
    breadcrumbs,
    register_permission_policy,
)

register_permission_policy(ShareRequest, PublicationPermissionPolicy(ShareRequest))


class ShareRequestIndexView(generic.IndexView):
    def get_base_queryset(self):
        pending_first = Case(
            When(status=ShareRequestStatus.PENDING, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return (
            ShareRequest.objects.filter(
                channel__in=channels_for(self.request.user, "view")
            )
            .select_related(
                "page",
                "page__cover_image",
                "page__campaign",
                "channel__unit",
                "requested_by",
                "decided_by",
                "publication",
                "broadcast_for",
            )
            .order_by(pending_first, "-requested_at", "-pk")
        )


class ShareRequestFilterSet(WagtailFilterSet):
    """The channel filter offers the channels the person sees, no others' names."""

    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=ShareRequestStatus.choices
    )
    channel = django_filters.ModelChoiceFilter(
        label=_("Channel"),
        queryset=lambda request: channels_for(request.user, "view"),
    )

    class Meta:
        model = ShareRequest
        fields = []


class RequestColumn(ButtonsColumnMixin, TitleColumn):
    """The article's title; under it Approve and Reject, for its approvers."""

    def get_buttons(self, instance, parent_context):
        user = parent_context["request"].user
        if instance.status != ShareRequestStatus.PENDING or not may(
            user, "approve", instance.channel
        ):
            return []
        approve = reverse("publishing_share_requests:approve", args=(instance.pk,))
        return [
            ListingButton(
                _("Approve"),
                url="#",
                icon_name="check",
                attrs={
                    "data-controller": "w-action",
                    "data-action": "w-action#post",
                    "data-w-action-url-value": approve,
                },
            ),
            ListingButton(
                _("Reject"),
                url=reverse("publishing_share_requests:reject", args=(instance.pk,)),
                icon_name="cross",
            ),
        ]


class OutgoingColumn(Column):
    """The post as it goes out on the request's channel: composed text, link,
    image and time (once approved, its publication's)."""

    cell_template_name = "publishing/requests/outgoing_cell.html"

    def get_value(self, instance):
        if instance.publication_id:
            view = outgoing.for_publication(instance.publication)
            view["at"] = instance.publication.publish_at
            return view
        return outgoing.for_request(instance)


def _pending(request, pk):
    share_request = get_object_or_404(
        ShareRequest.objects.select_related("page", "channel"), pk=pk
    )
    if not may(request.user, "approve", share_request.channel):
        raise PermissionDenied
    return share_request


@require_POST
def approve(request, pk):
    share_request = _pending(request, pk)
    try:
        publication = actions.approve_request(request.user, share_request)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _approved(share_request, publication))
    return redirect("publishing_share_requests:index")


def _approved(share_request, publication):
    names = {"page": share_request.page.title, "channel": share_request.channel}
    if share_request.broadcast_for_id:
        return _("Approved: %(page)s will be sent to the followers of %(channel)s.") % (
            names
        )
    return _("Approved: %(page)s will be posted on %(channel)s at %(time)s.") % {
        **names,
        "time": date_format(localtime(publication.publish_at), "d/m/Y H:i"),
    }


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


def reject(request, pk):
    share_request = _pending(request, pk)
    form = RejectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.reject_request(
                request.user, share_request, form.cleaned_data["note"]
            )
        except ValidationError as error:
            form.add_error("note", error)
        else:
            messages.success(request, _("Rejected; the editor sees your reason."))
            return redirect("publishing_share_requests:index")
    return TemplateResponse(
        request,
        "publishing/requests/reject.html",
        {
            "form": form,
            "share_request": share_request,
            "page_title": _("Reject"),
            "header_title": _("Reject"),
            "breadcrumbs_items": breadcrumbs(
                (reverse("publishing_share_requests:index"), _("Share requests")),
                ("", _("Reject")),
            ),
        },
    )


class ShareRequestViewSet(ModelViewSet):
    model = ShareRequest
    icon = "tasks"
    menu_label = _("Share requests")
    url_prefix = "publishing/share-requests"
    url_namespace = "publishing_share_requests"
    add_to_admin_menu = False
    index_view_class = ShareRequestIndexView
    inspect_view_enabled = False
    copy_view_enabled = False
    filterset_class = ShareRequestFilterSet
    form_fields = []
    list_display = [
        RequestColumn("page", label=_("Article")),
        Column("channel", label=_("Channel")),
        StatusTagColumn(
            "status",
            label=_("Status"),
            accessor="get_status_display",
            primary=lambda r: r.status == ShareRequestStatus.PENDING,
        ),
        Column(
            "requested_by",
            label=_("Requested by"),
            accessor=lambda r: outgoing.full_name(r.requested_by),
        ),
        DateColumn("requested_at", label=_("Requested at")),
        OutgoingColumn("outgoing", label=_("What goes out")),
        Column("note", label=_("Reason")),
    ]

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/approve/", approve, name="approve"),
            path("<int:pk>/reject/", reject, name="reject"),
        ]


# Share again --------------------------------------------------------------------------
class ShareAgainForm(AudienceChooser):
    """Share a live article again; "Send to followers" has each Zalo OA chosen send
    it to its followers too, the audience chosen by name as in the share tab."""

    field_order = ["channels", "message", "publish_at", "broadcast"]
    channels = forms.ModelMultipleChoiceField(
        label=_("Channels"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    message = forms.CharField(
        label=_("Text of the post"),
        required=False,
        validators=[no_hidden_chars_in_text],
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Empty: each channel's approved message. Placeholders: {title}, "
            "{intro}, {url}, {hashtags}."
        ),
    )
    publish_at = dates.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=PlannedTimeInput(channel_field="channels"),
        help_text=_("Empty: now."),
        validators=[dates.check_within_a_year],
    )

    broadcast = forms.BooleanField(
        label=_("Send to followers"),
        required=False,
        help_text=_(
            "Zalo only: after the article is posted, send it to the OA's followers "
            "(one of the OA's monthly broadcasts; 06:00-21:59 only)."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["channels"].queryset = channels_for(user, "share_again")
        self._audience_fields()

    def clean(self):
        cleaned = super().clean()
        channels = cleaned.get("channels") or []
        if (
            cleaned.get("broadcast")
            and channels
            and not any(channel.network == Network.ZALO for channel in channels)
        ):
            self.add_error(
                "broadcast",
                _(
                    "Only a Zalo OA sends posts to its followers: choose a Zalo OA, "
                    "or untick “Send to followers”."
                ),
            )
        cleaned["audience"] = self.chosen_audience() if cleaned.get("broadcast") else {}
        return cleaned


AGAIN = ConfirmationPurpose.SHARE_AGAIN


class Duplicates(Exception):
    """The share repeats publications already there; the person has not gone on."""

    def __init__(self, found):
        super().__init__(len(found))
        self.found = found


def existing_shares(page, channels, publish_at):
    """[(channel, publication)] already there within an hour of the new share."""
    return [
        (channel, publication)
        for channel in channels
        for publication in sharing.existing_near(page, channel, publish_at)
    ]


def _share_once(request, page, data):
    """actions.share_again() in the transaction that uses the form's token up; a
    share that repeats an existing one waits for "Schedule anyway" (go_on)."""
    with transaction.atomic():
        confirmations.consume(request.user, AGAIN, request.POST.get("token"))
        found = existing_shares(page, data["channels"], data["publish_at"])
        if found and not request.POST.get("go_on"):
            raise Duplicates(found)  # rolls the token back: it may be sent again
        return actions.share_again(
            request.user,
            page,
            data["channels"],
            message=data["message"] or None,
            publish_at=data["publish_at"],
            broadcast=data["broadcast"],
            audience=data["audience"],
        )


def _shared(request, page, made, waiting):
    if made:
        messages.success(
            request, _("Shared again on %(n)s channel(s).") % {"n": len(made)}
        )
    if waiting:
        messages.info(
            request, _("%(n)s share(s) wait for an approver.") % {"n": len(waiting)}
        )
    return redirect("wagtailadmin_pages:edit", page.pk)


def _asked_time(request):
    """The time a share started from the calendar's week is for (`?publish_at=`),
    when it reads as one; nothing otherwise (the field stays empty: now)."""
    try:
        asked = request.GET.get("publish_at")
        return {"publish_at": forms.DateTimeField().clean(asked)}
    except ValidationError:
        return {}


def share_again(request, page_id):
    page = get_object_or_404(Page, pk=page_id).specific
    if not hasattr(page, "share_plans"):
        raise Http404  # only articles are shared
    if not channels_for(request.user, "share_again").exists():
        raise PermissionDenied
    form = ShareAgainForm(
        request.POST or None, user=request.user, initial=_asked_time(request)
    )
    token, found = request.POST.get("token"), []
    if request.method == "POST" and form.is_valid():
        try:
            made, waiting = _share_once(request, page, form.cleaned_data)
        except confirmations.AlreadyConfirmed as refused:
            messages.warning(request, refused.message)
            return redirect("wagtailadmin_pages:edit", page.pk)
        except confirmations.NotConfirmable as refused:
            form.add_error(None, refused.message)
            token = None
        except Duplicates as duplicates:
            found = duplicates.found
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _shared(request, page, made, waiting)
    return TemplateResponse(
        request,
        "publishing/requests/share_again.html",
        {
            "form": form,
            "page": page,
            "token": token or confirmations.issue(request.user, AGAIN),
            "duplicates": found,
            "page_title": _("Share again"),
            "header_title": _("Share again"),
            "breadcrumbs_items": breadcrumbs(
                (reverse("wagtailadmin_pages:edit", args=(page.pk,)), page.title),
                ("", _("Share again")),
            ),
        },
    )
