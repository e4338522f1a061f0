"""seed_demo's offline figures, goals and follower history: the dashboard has a story
on first open, and seeding again (even on another day) changes nothing."""

import datetime
import io
import zoneinfo

from django.core.management import call_command
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
from publishing.demo import DEMO_UNITS
from publishing.models import Channel, FollowerSnapshot, Network

MODELS = (PressCoverage, OutreachEvent, EnrolmentReport, CampaignGoal)
LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


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


def test_records_are_inside_the_campaign_and_seeding_twice_adds_nothing(db):
    out = seed()
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


def test_enrolment_reports_are_monthly_per_district_and_group_and_grow(db):
    seed()
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


def test_every_goal_metric_has_a_region_goal_and_some_districts_have_theirs(db):
    seed()
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


def test_demo_channels_get_a_follower_history_before_they_were_connected(
    db, sandbox, settings, time_machine
):
    # Mid half-year: on its first day (1 January, 1 July) the campaign has no day
    # before the channels were connected, so no history.
    time_machine.move_to(datetime.datetime(2026, 10, 15, 10, 0, tzinfo=LOCAL))
    settings.SANDBOX_URL = sandbox.url
    settings.PUBLISHING_WORKERS = 1
    seed()
    campaign = Campaign.objects.get()
    channels = Channel.objects.all()
    assert channels.count() == 6
    yesterday = datetime.date(2026, 10, 14)
    days = (yesterday - campaign.starts_on).days + 1
    assert campaign.starts_on == datetime.date(2026, 7, 1) and days == 106
    for channel in channels:
        history = list(channel.follower_snapshots.order_by("captured_on"))
        assert len(history) == days
        assert history[0].captured_on == campaign.starts_on
        assert history[-1].captured_on == yesterday
        counts = [row.followers for row in history]
        assert counts == sorted(counts) and counts[0] < counts[-1]
        final = DEMO_UNITS[channel.unit.slug]
        if channel.network == Network.ZALO:
            final //= 2
        assert counts[-1] == final

    before = sorted(FollowerSnapshot.objects.values_list("channel", "captured_on"))
    seed()
    after = sorted(FollowerSnapshot.objects.values_list("channel", "captured_on"))
    assert after == before
