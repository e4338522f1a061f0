"""The admin home's summary: the current campaign so far, for the user's units,
with the goals' pace and a link to the dashboard (at most 10 minutes old).
Nothing for users without a role or when there is no campaign (registered in
publishing/wagtail_hooks.py)."""

from django.core.cache import cache
from django.http import QueryDict
from django.urls import reverse
from django.utils.functional import cached_property
from wagtail.admin.ui.components import Component

from cms.core.models import GoalMetric
from publishing.metrics.dashboard.forms import DashboardFilterForm, may_open
from publishing.metrics.dashboard.goals import goal_progress
from publishing.metrics.dashboard.metrics import totals
from publishing.metrics.dashboard.tables import display

CACHE_SECONDS = 600
SHOWN = (
    GoalMetric.POSTS_PUBLISHED,
    GoalMetric.FOLLOWERS,
    GoalMetric.REACH,
    GoalMetric.ENGAGEMENTS,
    GoalMetric.NEW_PARTICIPANTS,
    GoalMetric.TOTAL_PARTICIPANTS,
)


class DashboardSummaryPanel(Component):
    name = "publishing_dashboard_summary"
    template_name = "publishing/dashboard/home_panel.html"
    order = 60  # below the incidents to act on

    def __init__(self, user):
        self.user = user

    @cached_property
    def form(self):
        if not may_open(self.user):
            return None
        form = DashboardFilterForm(QueryDict(), self.user)
        return form if form.is_valid() else None

    def get_context_data(self, parent_context):
        # Every admin home load would count a campaign's year of posts again: the
        # summary is kept CACHE_SECONDS per user (the dashboard itself is live).
        key = f"publishing-dashboard-summary:{self.user.pk}:{self.form.today}"
        context = cache.get(key)
        if context is None:
            context = self.summary()
            cache.set(key, context, CACHE_SECONDS)
        return context

    def summary(self):
        form = self.form
        scope = form.scope()
        figures = totals(scope)
        labels = dict(GoalMetric.choices)
        progress = goal_progress(
            scope.campaign,
            form.campaign_units(),
            form.visible,
            form.selected_units(),
            form.today,
        )
        return {
            "scope": scope,
            "figures": [(labels[key], display(figures[key])) for key in SHOWN],
            "goals": [
                {
                    "label": p.goal.get_metric_display(),
                    "unit": p.goal.unit.label if p.goal.unit else "",
                    "value": display(p.value),
                    "target": display(p.target),
                    "expected": display(p.expected),
                    "on_track": p.on_track,
                    "pace": str(p.pace.label),
                    "no_channel": p.no_channel,
                }
                for p in progress
            ],
            "url": reverse("publishing_dashboard:index"),
        }

    def render_html(self, parent_context=None):
        if self.form is None:
            return ""
        return super().render_html(parent_context)
