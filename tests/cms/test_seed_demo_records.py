"""seed_demo's offline figures and goals: the dashboard has a story on first open, and
seeding again changes nothing. (The demo channels' follower history, which needs the
sandbox: tests/publishing/test_demo_shares.py.)"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cms.content.demo.organisation import DISTRICTS
from cms.content.demo.records import OUTREACH_EVENTS, PRESS_ITEMS
from cms.core.models import (
    Campaign,
    CampaignGoal,
    EnrolmentReport,
    GoalMetric,
    OutreachEvent,
    PressCoverage,
    TargetGroup,
)

MODELS = (PressCoverage, OutreachEvent, EnrolmentReport, CampaignGoal)


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The first run's output, made once for the module (it takes seconds) in a
    transaction rolled back after it: each test runs in a savepoint of it
    (pytest-django's `db`), so what a test changes, a second run included, is
    undone before the next one."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield seed()
        transaction.set_rollback(True)


def rows():
    """Every seeded row's fields, to compare two runs exactly."""
    return {
        model: sorted(
            tuple(sorted((k, str(v)) for k, v in row.items() if k != "created_at"))
            for row in model.objects.values()
        )
        for model in MODELS
    }


def whole_months_before(campaign, today):
    months, start = 0, campaign.starts_on
    while True:
        following = (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        if following - datetime.timedelta(days=1) >= today:
            return months
        months, start = months + 1, following


def test_records_are_inside_the_campaign_and_seeding_twice_adds_nothing(seeded, db):
    out = seeded
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    first = rows()
    assert f"{len(PRESS_ITEMS)} tin báo chí" in out
    assert seed() and rows() == first  # same rows, same values
    assert "0 tin báo chí, 0 hoạt động truyền thông trực tiếp, 0 báo cáo" in seed()

    assert PressCoverage.objects.count() == len(PRESS_ITEMS) == 12
    assert OutreachEvent.objects.count() == len(OUTREACH_EVENTS) == 20
    for item in PressCoverage.objects.all():
        assert campaign.starts_on <= item.published_on <= today
        item.full_clean()
    kinds = set()
    for event in OutreachEvent.objects.all():
        assert campaign.starts_on <= event.held_on <= today
        assert event.target_groups.exists() and event.attendees > 0
        event.full_clean()
        kinds.add(event.kind)
    assert kinds == {
        "village_meeting",
        "conference",
        "dialogue",
        "market_stand",
        "other",
    }
    districts = {slug for slug, _name, _short in DISTRICTS}
    event_units = set(OutreachEvent.objects.values_list("unit__slug", flat=True))
    assert len(event_units & districts) >= 8


def test_enrolment_reports_are_monthly_per_district_and_group_and_grow(seeded, db):
    campaign = Campaign.objects.get()
    today = timezone.localdate()
    months = whole_months_before(campaign, today)
    groups = TargetGroup.objects.count()
    reports = EnrolmentReport.objects.all()
    assert reports.count() == len(DISTRICTS) * groups * months
    for report in reports:
        assert campaign.starts_on <= report.period_start <= report.period_end < today
        assert report.period_start.day == 1
        assert report.identified_eligible >= report.total_participants
        report.full_clean()
    series = {}
    for report in reports.order_by("period_start"):
        series.setdefault((report.unit_id, report.target_group_id), []).append(report)
    for history in series.values():
        for before, after in zip(history, history[1:], strict=False):
            assert after.total_participants == (
                before.total_participants + after.new_participants
            )
    if months:
        new = sum(r.new_participants for r in reports)
        latest = reports.filter(period_end=max(r.period_end for r in reports))
        total = sum(r.total_participants for r in latest)
        # Plausible against the goals (1,000 new, 3,500 in all over six months).
        assert 100 * months <= new <= 220 * months
        assert 2200 < total < 3700


def test_every_goal_metric_has_a_region_goal_and_some_districts_have_theirs(seeded, db):
    campaign = Campaign.objects.get()
    region_goals = campaign.goals.filter(unit=None)
    assert set(region_goals.values_list("metric", flat=True)) == set(GoalMetric.values)
    district_units = campaign.goals.exclude(unit=None).values_list("unit__slug")
    assert {"bac-son", "loc-binh", "thanh-pho-lang-son"} <= {
        u for (u,) in district_units
    }

    # A demo database from before: goals missing are added, the others kept.
    campaign.goals.filter(metric__in=["reach", "press_items"]).delete()
    changed = campaign.goals.get(metric="followers", unit=None)
    changed.target = 12345
    changed.save()
    seed()
    assert set(region_goals.values_list("metric", flat=True)) == set(GoalMetric.values)
    assert campaign.goals.get(metric="followers", unit=None).target == 12345
    goals = campaign.goals.values_list("metric", "unit")
    assert len(goals) == len(set(goals))  # one goal per metric and unit
