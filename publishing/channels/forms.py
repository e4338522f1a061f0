"""Admin forms for channels. Secrets are write-only: never rendered back."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from publishing.models import Channel, Network
from publishing.models import audience as audiences

BROADCASTS_RANGE = _(
    "Zalo allows an OA 1 to 6 broadcasts a month, by its package: enter a whole "
    "number from 1 to 6."
)


class ChannelForm(WagtailAdminModelForm):
    """The administrator's fallback: paste a Page token or an OA refresh token.
    A Zalo OA's broadcasts a month (its package) is set here; a Facebook Page has
    none, so its form does not show the field."""

    token = forms.CharField(
        label=_("Token"),
        required=False,
        strip=True,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text=_(
            "Facebook: a Page access token. Zalo: an OA refresh token (it is used "
            "once, at saving). Leave empty to keep the stored token. Prefer the "
            "“Connect” buttons: they fetch the tokens for you."
        ),
    )

    class Meta:
        model = Channel
        fields = [
            "unit",
            "network",
            "name",
            "external_id",
            "status",
            "posting_slots",
            "broadcasts_per_month",
        ]

    def clean_posting_slots(self):
        """Stored in one canonical form: sorted, HH:MM, comma-separated."""
        from publishing.models.channels import format_slots, parse_slots

        return format_slots(parse_slots(self.cleaned_data.get("posting_slots")))

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from publishing.permissions import UnitRolePermissionPolicy

            policy = UnitRolePermissionPolicy(Channel)
            self.fields["unit"].queryset = policy.allowed_units(for_user, "change")
        self._broadcasts_field()

    def _broadcasts_field(self):
        """Only a Zalo OA sends to its followers: a Facebook channel's form does
        not show the field (hidden and disabled: a value sent anyway is ignored);
        a new channel's may be left empty (one a month, the smallest package)."""
        field = self.fields["broadcasts_per_month"]
        if self.instance.pk and self.instance.network != Network.ZALO:
            field.disabled, field.widget = True, forms.HiddenInput()
            return
        field.required = bool(self.instance.pk)
        for kind in ("required", "invalid", "min_value", "max_value"):
            field.error_messages[kind] = BROADCASTS_RANGE
        if self.instance.pk:
            field.help_text = f"{field.help_text} {audiences.left_text(self.instance)}."

    def clean_broadcasts_per_month(self):
        value = self.cleaned_data.get("broadcasts_per_month")
        if value is not None and not 1 <= value <= 6:
            raise forms.ValidationError(BROADCASTS_RANGE)
        return 1 if value is None else value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("network") not in (None, Network.ZALO):
            cleaned["broadcasts_per_month"] = 1  # a Page has no broadcasts
        token = cleaned.get("token")
        if not self.instance.pk and not token:
            self.add_error("token", _("A new channel needs a token."))
        if token and not self.errors:
            self._verify_token(cleaned, token)
        return cleaned

    def _verify_token(self, cleaned, token):
        """Check the token with the network before anything is saved."""
        from publishing.channels.connect import (
            ConnectError,
            credentials_from_token,
            verify,
        )

        candidate = Channel(
            network=cleaned["network"],
            external_id=cleaned["external_id"],
            unit=cleaned["unit"],
            name=cleaned["name"],
        )
        try:
            candidate.set_credentials(credentials_from_token(cleaned["network"], token))
            self.verified = verify(candidate)
        except ConnectError as error:
            self.add_error("token", error.message)
            return
        self.verified_credentials = candidate.credentials

    def save(self, commit=True):
        channel = super().save(commit=False)
        if getattr(self, "verified_credentials", None):
            from publishing.channels.connect import mark_connected

            channel.credentials = self.verified_credentials
            mark_connected(channel, self.for_user, self.verified)
        if commit:
            channel.save()
        return channel


def _offer_existing(form, name, channel, user):
    """Offer a Page or OA that is already a channel only as what connecting may do
    with it: refresh its token in its own unit, for a person who may manage it. To
    anyone else it is shown unavailable, with the reason, and a choice sent anyway
    is refused in `_refuse_unavailable`."""
    from publishing.channels.connect import (
        may_reconnect,
        not_moved_message,
        not_yours_message,
    )

    field, owner = form.fields[name], channel.unit.label
    if may_reconnect(channel, user):
        field.queryset = field.queryset.filter(pk=channel.unit_id)
        field.help_text = _(
            "Already a channel of %(owner)s: connecting refreshes its token, and it "
            "stays with %(owner)s."
        ) % {"owner": owner}
        # Django formats this message with its own parameters: keep names' % signs.
        message = str(not_moved_message(channel)).replace("%", "%%")
        field.error_messages = {**field.error_messages, "invalid_choice": message}
    else:
        field.disabled, field.required = True, False
        field.help_text = _(
            "Unavailable: already a channel of %(owner)s, which you do not manage."
        ) % {"owner": owner}
        form.unavailable[name] = not_yours_message(channel)


def _refuse_unavailable(form, always=False):
    """A choice sent for a disabled (unavailable) field: Django would ignore it
    silently; the person is told why instead. True when one was refused."""
    refused = False
    for name, reason in form.unavailable.items():
        if always or form.data.get(form.add_prefix(name)):
            form.add_error(name, reason)
            refused = True
    return refused


class _PickForm(forms.Form):
    """The fields of Pages or OAs that are channels the person may not reconnect
    are kept in `unavailable` (name: reason), shown disabled with the reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.unavailable = {}

    @property
    def offers_nothing(self):
        return bool(self.fields) and set(self.fields) == set(self.unavailable)


class PickPagesForm(_PickForm):
    """After a login giving several accounts (Facebook's Pages): which become
    channels of `network`, and of which unit."""

    def __init__(self, *args, pages=(), units=None, user=None, network="", **kwargs):
        from publishing.channels.connect import existing_channels

        super().__init__(*args, **kwargs)
        self.pages = list(pages)
        existing = existing_channels(network, [p["id"] for p in self.pages])
        for page in self.pages:
            name = f"unit_{page['id']}"
            self.fields[name] = forms.ModelChoiceField(
                queryset=units,
                required=False,
                label=page["name"],
                empty_label=_("— do not connect —"),
            )
            if page["id"] in existing:
                _offer_existing(self, name, existing[page["id"]], user)

    def chosen(self):
        """[(page, unit)] for the Pages given a unit."""
        return [
            (page, self.cleaned_data[f"unit_{page['id']}"])
            for page in self.pages
            if self.cleaned_data.get(f"unit_{page['id']}")
        ]

    def clean(self):
        cleaned = super().clean()
        if _refuse_unavailable(self):
            return cleaned
        if not any(cleaned.get(f"unit_{p['id']}") for p in self.pages):
            raise forms.ValidationError(_("Choose a unit for at least one Page."))
        return cleaned


class PickUnitForm(_PickForm):
    """After a login giving one account (Zalo's OA): the unit whose channel it
    becomes."""

    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))

    def __init__(self, data, account, *, units=None, channel=None, user=None):
        super().__init__(data)
        self.account = account
        self.fields["unit"].queryset = units
        if channel is not None:
            _offer_existing(self, "unit", channel, user)

    def clean(self):
        cleaned = super().clean()
        _refuse_unavailable(self, always=True)  # the only OA: nothing else to do
        return cleaned

    def chosen(self):
        """[(account, unit)]: the one account and its unit."""
        return [(self.account, self.cleaned_data["unit"])]
