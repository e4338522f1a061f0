"""Who may change what in a campaign, checked on the server when it is saved.

- The campaign itself (name, slug, description, period, target groups, units) and
  its campaign-wide goals (no unit) belong to the leads of a top unit (a unit
  without a parent) and to superusers: they set what the whole region aims for.
- A manager or lead sets the goals of their units and of the units below them:
  adding, changing or removing a goal of another unit, or a campaign-wide goal, is
  refused with the goal's row named, and nothing is saved.
- Creating a campaign is the top leads' work too.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.core import dates
from cms.core.models import CampaignGoal, Role, UnitMembership
from cms.core.roles import units_for

CAMPAIGN_FIELDS = (
    "name",
    "slug",
    "description",
    "starts_on",
    "ends_on",
    "target_groups",
    "units",
)


def sets_whole_campaigns(user):
    return user.is_active and (
        user.is_superuser
        or UnitMembership.objects.filter(
            user=user, role=Role.LEAD, unit__parent__isnull=True
        ).exists()
    )


class CampaignForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        dates.bound_dates(self)
        self.actor = for_user

    def is_valid(self):
        """Django's and Wagtail's checks first (goals cleaned too), then ours."""
        valid = super().is_valid()
        actor = self.actor
        if not valid or actor is None or sets_whole_campaigns(actor):
            return valid
        if self.instance.pk is None:
            self.add_error(None, _("Only the lead of the region creates campaigns."))
            return False
        changed = [name for name in CAMPAIGN_FIELDS if name in self.changed_data]
        if changed:
            labels = ", ".join(str(self.fields[name].label) for name in changed)
            self.add_error(
                None,
                _(
                    "Only the lead of the region changes the campaign itself "
                    "(%(fields)s); you may set the goals of your units."
                )
                % {"fields": labels},
            )
            return False
        return self._goals_allowed(units_for(actor, Role.MANAGER))

    def _goals_allowed(self, allowed):
        """Each goal added, changed or removed concerns its unit (before and
        after); unchanged rows are compared by value, not by what the browser
        sent (hidden order fields and empty strings differ from the initial)."""
        formset = self.formsets.get("goals")
        if formset is None:
            return True
        before = {
            goal.pk: (goal.metric, goal.target, goal.unit_id)
            for goal in CampaignGoal.objects.filter(campaign_id=self.instance.pk)
        }
        ok = True
        for form in formset.forms:
            data = getattr(form, "cleaned_data", None) or {}
            pk = form.instance.pk if form.instance.pk in before else None
            deleting = bool(data.get("DELETE"))
            unit = data.get("unit")
            after = (data.get("metric"), data.get("target"), unit.pk if unit else None)
            if pk is None and (deleting or not data.get("metric")):
                continue  # an empty or discarded new row
            if pk is not None and not deleting and after == before[pk]:
                continue
            units = {before[pk][2]} if pk is not None else set()
            if not deleting:
                units.add(after[2])
            if None in units:
                message = _("Only the lead of the region sets campaign-wide goals.")
            elif units - allowed:
                message = _("You may set goals only for the units you manage.")
            else:
                continue
            form.add_error(None if deleting else "unit", message)
            ok = False
        if not ok:
            self.add_error(None, _("Some goals are not yours to set: see below."))
        return ok
