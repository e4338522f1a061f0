"""Admin forms for channels. Secrets are write-only: never rendered back."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Channel


class ChannelForm(WagtailAdminModelForm):
    """The administrator's fallback: paste a Page token or an OA refresh token."""

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
        fields = ["unit", "network", "name", "external_id", "status", "posting_slots"]

    def clean_posting_slots(self):
        """Stored in one canonical form: sorted, HH:MM, comma-separated."""
        from .slots import format_slots, parse_slots

        return format_slots(parse_slots(self.cleaned_data.get("posting_slots")))

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None:
            from .permissions import UnitRolePermissionPolicy

            policy = UnitRolePermissionPolicy(Channel)
            self.fields["unit"].queryset = policy.allowed_units(for_user, "change")

    def clean(self):
        cleaned = super().clean()
        token = cleaned.get("token")
        if not self.instance.pk and not token:
            self.add_error("token", _("A new channel needs a token."))
        if token and not self.errors:
            self._verify_token(cleaned, token)
        return cleaned

    def _verify_token(self, cleaned, token):
        """Check the token with the network before anything is saved."""
        from .connect import ConnectError, credentials_from_token, verify

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
            from .connect import mark_connected

            channel.credentials = self.verified_credentials
            mark_connected(channel, self.for_user, self.verified)
        if commit:
            channel.save()
        return channel


class PickPagesForm(forms.Form):
    """After Facebook Login: which Pages become channels, and of which unit."""

    def __init__(self, *args, pages=(), units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pages = list(pages)
        for page in self.pages:
            self.fields[f"unit_{page['id']}"] = forms.ModelChoiceField(
                queryset=units,
                required=False,
                label=page["name"],
                empty_label=_("— do not connect —"),
            )

    def chosen(self):
        """[(page, unit)] for the Pages given a unit."""
        return [
            (page, self.cleaned_data[f"unit_{page['id']}"])
            for page in self.pages
            if self.cleaned_data.get(f"unit_{page['id']}")
        ]

    def clean(self):
        cleaned = super().clean()
        if not any(cleaned.get(f"unit_{p['id']}") for p in self.pages):
            raise forms.ValidationError(_("Choose a unit for at least one Page."))
        return cleaned


class PickUnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=None, label=_("Unit"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
