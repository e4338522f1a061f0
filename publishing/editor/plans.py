"""The article's "Social sharing" tab: the share-plan row form, what its script reads,
and the checks a page's plans pass before it is saved, submitted or published.

The checks run on the server (`check_share_plans`, one of the article form's
validators): the channel choices the form offers are a convenience, never the guard.
"""

import copy

from django import forms
from django.forms.formsets import DELETION_FIELD_NAME
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.core import dates
from publishing.channels.time_picker import PlannedTimeInput
from publishing.models import (
    BroadcastTarget,
    Channel,
    ChannelStatus,
    Network,
    PayloadKind,
    Publication,
    SharePlan,
    TargetKind,
)
from publishing.models import audience as audiences
from publishing.networks import network_class
from publishing.outbox import compose
from publishing.permissions import channels_for, may

RELATION = "share_plans"
PLAN_FIELDS = ["channel", "message", "publish_at", "kind", "video", "broadcast"]
AUDIENCE_FIELDS = ["audience_gender", "audience_ages", "audience_provinces"]
TIME_HELP = _(
    "Empty: the channel's next free posting time after the article goes live, or "
    "at once when the channel has no posting times."
)
PREVIEW_MARKER = "pub-0"
PLACEHOLDER_HELP = _(
    "Leave empty for the network's usual text. Placeholders: {title} the title, "
    "{intro} the intro, {url} the article's link, {hashtags} #BHXH and the tags."
)
KIND_HELP = _(
    "Facebook: a link card (the usual), the cover as a photo, the cover and the "
    "article's images, or a video. Zalo: an article (the usual) or a video article."
)
NOT_ALLOWED = _(
    "You may not plan shares on this channel: it belongs to a unit you do not "
    "edit for. Choose one of your units' channels."
)
NOT_OFFERED = _(
    "This channel cannot be chosen: it belongs to a unit you do not edit for, or it "
    "is switched off. Choose one of the channels offered."
)


# Channels --------------------------------------------------------------------------
def message_limit(network):
    """Characters allowed in the text a person writes for `network`, from its adapter.

    On a network whose posts have no body text (a Zalo article) the message becomes
    the description, so the description's limit applies.
    """
    adapter = network_class(network)
    return adapter.max_message_length or adapter.max_description_length


def channel_label(channel):
    """The channel's label (e.g. "Facebook · Trang Bắc Sơn"); warns when it must be
    reconnected or is switched off."""
    label = channel.label
    if channel.status == ChannelStatus.NEEDS_RECONNECT:
        label += " ⚠ " + gettext("needs reconnecting")
    elif channel.status == ChannelStatus.DISABLED:
        label += " ⛔ " + gettext("switched off")
    return label


def kind_choices(network):
    """[value, label] of the kinds a plan may ask for on `network`. A Zalo OA's
    default post is an article (not one of Facebook's kinds): its default reads
    "Bài viết", beside the video article it may also post."""
    taken = network_class(network).payload_kinds
    default = gettext("Article") if "article" in taken else None
    return [
        [value, default if value == PayloadKind.DEFAULT and default else str(label)]
        for value, label in PayloadKind.choices
        if value == PayloadKind.DEFAULT or value in taken
    ]


def plannable_channels(user):
    """The channels `user` may choose for a new plan (not switched off)."""
    if user is None:
        return Channel.objects.none()
    return channels_for(user, "plan").exclude(status=ChannelStatus.DISABLED)


# Callables `extra(channel_ids)` -> {channel id: {key: value}}, whose keys join each
# channel's data below: other features add theirs here (the editor imports none of
# them), filled in apps.py, e.g. metrics' "best_times".
CHANNEL_DATA_EXTRAS = []


def channel_data(user):
    """What the tab's script reads: each channel the user may plan on (with what
    CHANNEL_DATA_EXTRAS add), and per unit the channels "all channels of the unit"
    adds."""
    channels, units = {}, {}
    for channel in plannable_channels(user).order_by(*Channel._meta.ordering):
        channels[str(channel.pk)] = {
            "network": channel.network,
            "network_label": network_class(channel.network).label,
            "label": channel_label(channel),
            "limit": message_limit(channel.network),
            "template": network_class(channel.network).default_template,
            "kinds": kind_choices(channel.network),
            "reconnect": channel.status == ChannelStatus.NEEDS_RECONNECT,
            "broadcasts_left": (
                audiences.left_text(channel) if channel.network == Network.ZALO else ""
            ),
        }
        unit = units.setdefault(
            channel.unit_id,
            {"id": channel.unit_id, "label": channel.unit.label, "channels": []},
        )
        unit["channels"].append(channel.pk)
    for extra in CHANNEL_DATA_EXTRAS:
        for pk, values in extra([int(pk) for pk in channels]).items():
            channels[str(pk)].update(values)
    return {"channels": channels, "units": list(units.values())}


class ChannelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return channel_label(obj)


# The row form ----------------------------------------------------------------------
def target_choices(kind):
    """(key, name) of Zalo's targeting codes of `kind`: chosen by name."""
    return list(BroadcastTarget.objects.filter(kind=kind).values_list("key", "name"))


class AudienceChooser(forms.Form):
    """A broadcast's audience chosen in three fields, by name (never Zalo's codes):
    the share tab's rows, "Send to followers" on a publication's page and share
    again use the same. `chosen_audience()` gives the keys of the targeting table
    ({} for all followers); a key the table does not have is refused."""

    audience_gender = forms.ChoiceField(label=_("Followers' gender"), required=False)
    audience_ages = forms.MultipleChoiceField(
        label=_("Age bands"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: every age."),
    )
    audience_provinces = forms.MultipleChoiceField(
        label=_("Provinces"),
        required=False,
        help_text=_("None chosen: every province. Hold Ctrl to choose several."),
    )

    def _audience_fields(self, audience=None):
        fields, audience = self.fields, audience or {}
        fields["audience_gender"].choices = [("", _("All followers"))] + [
            choice
            for choice in target_choices(TargetKind.GENDER)
            if choice[0] != audiences.ALL_GENDERS
        ]
        fields["audience_ages"].choices = target_choices(TargetKind.AGE)
        fields["audience_provinces"].choices = target_choices(TargetKind.PROVINCE)
        fields["audience_provinces"].widget.attrs.update(size=8)
        fields["audience_gender"].initial = audience.get("gender", "")
        fields["audience_ages"].initial = audience.get("ages", [])
        fields["audience_provinces"].initial = audience.get("provinces", [])

    def chosen_audience(self):
        cleaned = self.cleaned_data
        return audiences.normalised(
            cleaned.get("audience_gender", ""),
            cleaned.get("audience_ages", []),
            cleaned.get("audience_provinces", []),
        )


class SharePlanForm(AudienceChooser, WagtailAdminModelForm):
    """One share-plan row. Wagtail gives it the request user (`for_user`).

    The audience of a broadcast is chosen in `AudienceChooser`'s fields; they make
    the plan's `audience` (keys of the targeting table, {} for all followers)."""

    class Meta:
        model = SharePlan
        fields = PLAN_FIELDS
        field_classes = {"channel": ChannelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = plannable_channels(self.for_user)
        if self.instance.channel_id:
            # A plan someone else made stays as it is (the checks refuse changing it).
            choices = choices | Channel.objects.filter(pk=self.instance.channel_id)
        field = self.fields["channel"]
        field.queryset = choices.select_related("unit")
        field.error_messages["invalid_choice"] = NOT_OFFERED
        self.fields["message"].help_text = PLACEHOLDER_HELP
        self.fields["message"].widget.attrs.update(rows=4)
        self.fields["kind"].help_text = KIND_HELP
        self.fields["publish_at"].help_text = TIME_HELP
        self.fields["publish_at"].widget = PlannedTimeInput()
        self._audience_fields(self.instance.audience)
        dates.bound_dates(self)

    def clean_message(self):
        # Browsers send CRLF; the network and the character count see one "\n".
        return self.cleaned_data["message"].replace("\r\n", "\n")

    def clean(self):
        cleaned = super().clean()
        chosen = self.chosen_audience()
        # No audience without a broadcast: unticking it forgets the choice.
        self.instance.audience = chosen if cleaned.get("broadcast") else {}
        return cleaned


# The page as it is in the form -----------------------------------------------------
def draft_article(page, parent=None, **values):
    """An in-memory copy of `page` with `values` (title, slug, intro, cover_image,
    body) set, placed under `parent`: what compose() needs, nothing saved."""
    draft = copy.copy(page)
    for name, value in values.items():
        setattr(draft, name, value)
    parent = parent or (page.get_parent() if page.pk else None)
    if parent is not None:
        parent = parent.specific
        draft.url_path = f"{parent.url_path}{draft.slug or 'x'}/"
        # cached_property: the owning unit is the parent section's, even unsaved.
        draft.__dict__["owner_unit"] = getattr(parent, "unit", None)
    return draft


def page_in_form(form):
    data = form.cleaned_data
    values = {
        name: data[name]
        for name in ("title", "slug", "intro", "cover_image", "featured_video", "body")
        if name in data
    }
    return draft_article(form.instance, getattr(form, "parent_page", None), **values)


# The checks ------------------------------------------------------------------------
def row_problems(page, channel, message="", kind="", video=None):
    """compose.problems() for one plan, each with the field it comes from: "message"
    or "kind" when it goes away without it, None when the article is the cause.
    `video`: the media item chosen for a video post (None: the featured video)."""

    def found(with_message, with_kind):
        return compose.problems(
            page,
            channel,
            PREVIEW_MARKER,
            message=(message if with_message else None) or None,
            kind=(kind if with_kind else None) or None,
            video=video,
        )

    problems = found(True, True)
    if not problems:
        return []
    by_article_or_kind = set(found(False, True)) if message else set(problems)
    by_article = set(found(False, False)) if kind else by_article_or_kind
    return [
        (_cause(problem, by_article_or_kind, by_article), problem)
        for problem in problems
    ]


def _cause(problem, by_article_or_kind, by_article):
    if problem not in by_article_or_kind:
        return "message"
    return "kind" if problem not in by_article else None


def check_share_plans(form):
    """ARTICLE_FORM_VALIDATORS entry: refuse plans that could not go out as planned.

    Errors go on the row and field concerned; an error anywhere keeps the whole page
    (and its plans) unsaved.
    """
    formset = getattr(form, "formsets", {}).get(RELATION)
    if formset is None:
        return
    formset.is_valid()  # cleans each row once; the errors stay on the rows
    user = form.for_user
    shared = bool(form.instance.pk) and _already_shared(form.instance)
    page, seen, taken = None, set(), {}
    for row in formset.forms:
        cleaned = getattr(row, "cleaned_data", {})
        if cleaned.get(DELETION_FIELD_NAME):
            _check_removal(form, row, user)
            continue
        channel = cleaned.get("channel")
        if channel is None:
            continue
        if not _check_channel(row, channel, user):
            continue
        if channel.pk in seen:
            row.add_error(
                "channel",
                _(
                    "This channel is already planned in another row: each channel "
                    "takes one share per article. Remove one of the two rows."
                ),
            )
            continue
        seen.add(channel.pk)
        if shared and not _edited(row):
            continue  # its share went out (or is on its way): history, not a plan
        _check_time(row)
        _check_broadcast(row, channel, taken)
        page = page or page_in_form(form)
        _check_content(form, row, page, channel)


def _already_shared(page):
    return Publication.objects.filter(page_id=page.pk).exists()


def _edited(row):
    """A new row, or one whose plan changed (moving a row is no change)."""
    changed = set(row.changed_data) & set(PLAN_FIELDS + AUDIENCE_FIELDS)
    return not row.instance.pk or bool(changed)


def _may_plan(user, channel):
    return user is not None and may(user, "plan", channel)


def _check_channel(row, channel, user):
    """A new or changed plan needs a channel the user may plan on. (The row's field
    already refuses channels switched off or not offered; this holds for a plan
    someone else made, whose channel the field keeps.)"""
    if not _edited(row):
        return True  # left as it is, maybe someone else's
    if _may_plan(user, channel):
        return True
    row.add_error("channel", NOT_ALLOWED)
    return False


def _check_removal(form, row, user):
    channel = row.instance.channel if row.instance.pk else None
    if channel is not None and not _may_plan(user, channel):
        form.add_error(
            None,
            _(
                "You may not remove the share on %(channel)s: it belongs to a unit "
                "you do not edit for. Ask that unit's editors."
            )
            % {"channel": channel_label(channel)},
        )


def _check_time(row):
    publish_at = row.cleaned_data.get("publish_at")
    if publish_at and "publish_at" in row.changed_data and publish_at < timezone.now():
        row.add_error(
            "publish_at",
            _(
                "%(time)s has already passed. Choose a later time, or leave it empty "
                "to share when the article goes live."
            )
            % {"time": timezone.localtime(publish_at).strftime("%H:%M %d/%m/%Y")},
        )


def _check_broadcast(row, channel, taken):
    """A broadcast only on a Zalo OA, within its monthly quota (this page's other
    plans count too: `taken` holds their days per channel)."""
    if not row.cleaned_data.get("broadcast"):
        return
    if channel.network != Network.ZALO:
        row.add_error(
            "broadcast",
            _(
                "Only a Zalo OA sends posts to its followers: untick “Send to "
                "followers” on %(network)s."
            )
            % {"network": network_class(channel.network).label},
        )
        return
    day = audiences.broadcast_day(row.cleaned_data.get("publish_at"))
    problem = audiences.quota_problem(channel, day, taken.get(channel.pk, []))
    if problem:
        row.add_error("broadcast", problem)
        return
    taken.setdefault(channel.pk, []).append(day)


def broadcast_note(row):
    """What the row says under "Send to followers": the window's warning."""
    data = getattr(row, "cleaned_data", None) or {}
    if row.is_bound and data:
        broadcast, publish_at = data.get("broadcast"), data.get("publish_at")
    else:
        broadcast, publish_at = row.instance.broadcast, row.instance.publish_at
    return audiences.window_warning(publish_at) if broadcast else ""


def _check_content(form, row, page, channel):
    data = row.cleaned_data
    for field, problem in row_problems(
        page, channel, data.get("message", ""), data.get("kind", ""), data.get("video")
    ):
        if field is None and form.is_deferred_validation:
            continue  # a draft: the article is checked when submitted or published
        row.add_error(field, f"{network_class(channel.network).label}: {problem}")
