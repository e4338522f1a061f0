"""The dashboard's filters, limited to what the user may see.

Who may open the dashboard: anyone with a unit role (editor and up) and superusers.
An editor sees the figures of the units they work for, like a manager does: the
figures are a report of published work, not an action, and the campaign needs
every district's editors to see how their posts do. The unit choices are the units
the user holds a role on (with the units below them); a unit outside them, sent by
hand, is refused with a message and nothing is shown or exported.
"""

import datetime

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cms.core import dates
from cms.core.models import Campaign, Role, TargetGroup, Unit
from cms.core.roles import units_for
from publishing.metrics.dashboard.metrics import (
    Scope,
    campaign_unit_ids,
    current_campaign,
    local_today,
)
from publishing.models import Network

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def visible_unit_ids(user):
    """Units whose figures `user` may see (a role on a unit covers those below)."""
    if not user.is_active or not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_unit_role_cache", {})
    if Role.EDITOR not in cache:
        cache[Role.EDITOR] = units_for(user, Role.EDITOR)
    return frozenset(cache[Role.EDITOR])


def may_open(user):
    return user.is_active and (user.is_superuser or bool(visible_unit_ids(user)))


def with_ancestors(unit_ids):
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    result = set()
    for pk in unit_ids:
        while pk is not None and pk not in result:
            result.add(pk)
            pk = parents.get(pk)
    return result


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.label


class DashboardFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"),
        queryset=Campaign.objects.none(),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": _("This campaign does not exist.")},
    )
    start = dates.DateField(label=_("From"), required=False, input_formats=DATE_FORMATS)
    end = dates.DateField(label=_("To"), required=False, input_formats=DATE_FORMATS)
    unit = UnitChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All my units"),
        help_text=_("With the units below it."),
        error_messages={
            "invalid_choice": _(
                "You can only see the figures of the units you work for; "
                "this unit is not one of them."
            )
        },
    )
    network = forms.ChoiceField(
        label=_("Network"),
        required=False,
        choices=[("", _("All networks"))] + list(Network.choices),
        error_messages={"invalid_choice": _("This network does not exist.")},
    )
    target_group = forms.ModelChoiceField(
        label=_("Target group"),
        queryset=TargetGroup.objects.all(),
        required=False,
        empty_label=_("All target groups"),
        error_messages={"invalid_choice": _("This target group does not exist.")},
    )

    def __init__(self, data, user, today=None):
        super().__init__(data)
        self.user = user
        self.today = today or local_today()
        self.visible = visible_unit_ids(user)
        self.fields["unit"].queryset = Unit.objects.filter(pk__in=self.visible)
        campaigns = Campaign.objects.all()
        if not user.is_superuser:
            # A campaign of the region covers its districts: match the units above.
            covering = with_ancestors(self.visible)
            campaigns = campaigns.filter(
                Q(units__in=covering) | Q(units__isnull=True)
            ).distinct()
        self.fields["campaign"].queryset = campaigns.order_by("-starts_on", "-pk")
        self.default_campaign = current_campaign(campaigns, self.today)

    def clean(self):
        data = super().clean()
        campaign = data.get("campaign") or self.default_campaign
        if campaign is None:
            raise forms.ValidationError(_("There is no campaign to show yet."))
        data["campaign"] = campaign
        if self.has_error("start") or self.has_error("end"):
            return data  # refused already: no period to check
        data["start"] = data.get("start") or campaign.starts_on
        data["end"] = data.get("end") or max(
            data["start"], min(self.today, campaign.ends_on)
        )
        if data["end"] < data["start"]:
            self.add_error(
                "end",
                _("The end of the period (%(end)s) is before its start (%(start)s).")
                % {
                    "end": data["end"].strftime("%d/%m/%Y"),
                    "start": data["start"].strftime("%d/%m/%Y"),
                },
            )
        elif data["end"] - data["start"] > datetime.timedelta(days=3 * 366):
            self.add_error("end", _("Pick a period of at most three years."))
        return data

    def campaign_units(self):
        return frozenset(campaign_unit_ids(self.cleaned_data["campaign"]))

    def selected_units(self):
        """The campaign's units the user sees, within the chosen unit's subtree."""
        units = self.campaign_units() & self.visible
        unit = self.cleaned_data.get("unit")
        if unit is not None:
            units &= frozenset(unit.descendant_ids())
        return units

    def scope(self):
        data = self.cleaned_data
        return Scope(
            campaign=data["campaign"],
            start=data["start"],
            end=data["end"],
            unit_ids=self.selected_units(),
            network=data.get("network") or "",
            target_group=data.get("target_group"),
        )
