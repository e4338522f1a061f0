"""The one picker of every "Publish at" field: the share tab's rows, "Reschedule"
and "Share again".

Wagtail's AdminDateTimeInput (its calendar, written and read as
WAGTAIL_DATETIME_FORMAT, dd/mm/yyyy HH:MM) with, beside it, one-click choices for
the channel's next free posting slots and, once it has enough history, its best
times. The choices come from `publishing_time_choices` (editor/views.py) for the
channel the form names: a fixed one (a post being rescheduled) or the value of a
sibling field (a row's channel select, the share-again checkboxes), read again when
it changes. The choices only fill the box in: the form still checks the time.
"""

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.widgets import AdminDateTimeInput

URL_NAME = "publishing_time_choices"
PLACEHOLDER = _("dd/mm/yyyy hh:mm")
FAILED = _("The suggested times could not be loaded; type the time.")


class PlannedTimeInput(AdminDateTimeInput):
    """`channel_field`: the name (in the same form, prefix and all) of the field
    that chooses the channel(s); `channel`: a fixed channel id instead; `exclude`:
    the publication being moved, whose own slot stays offered."""

    template_name = "publishing/widgets/planned_time_input.html"

    def __init__(self, attrs=None, channel_field="channel", channel=None, exclude=None):
        super().__init__(attrs={"placeholder": PLACEHOLDER, **(attrs or {})})
        self.channel_field, self.channel, self.exclude = channel_field, channel, exclude

    def sibling(self, name):
        """The channel field's full name next to this one (`share_plans-0-publish_at`
        -> `share_plans-0-channel`)."""
        prefix = name.rsplit("-", 1)[0] + "-" if "-" in name else ""
        return prefix + self.channel_field

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["picker"] = {
            "url": reverse(URL_NAME),
            "channel": self.channel or "",
            "channel_field": "" if self.channel else self.sibling(name),
            "exclude": self.exclude or "",
            "failed": FAILED,
        }
        return context

    @property
    def media(self):
        return super().media + forms.Media(
            js=["publishing/time_picker.js"],
            css={"all": ["publishing/time_picker.css"]},
        )
