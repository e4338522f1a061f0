"""The dashboard's daily roll-ups (publishing/metrics/rollups.py) stay equal to the
posts: the figures read from them equal the figures read from every post, for every
filter, and every change that moves a figure refreshes them (a post sent, counts
read, a post withdrawn, an article moved to another campaign, a channel moved to
another unit); the nightly rebuild repairs what a crash left behind."""

import datetime
import itertools

import pytest

from cms.core.models import Campaign, Role
from publishing import scheduler
from publishing.metrics import engagement, rollups
from publishing.metrics.dashboard.metrics import Scope, post_summary
from publishing.models import (
    EVERY_GROUP,
    ArticleDay,
    ChannelDay,
    Publication,
    PublicationStatus,
)
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import Data, at, due, fb_channel, make_due
from tests.publishing.helpers import set_counts

S = PublicationStatus


# Inside the campaigns written below (2025-2027), whatever today is.
NOW = datetime.datetime(2026, 6, 15, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


def both(scope):
    rolled, posts = post_summary(scope, "rollups"), post_summary(scope, "posts")
    return rolled, posts


def test_the_rollups_give_the_figures_of_the_posts_for_every_filter(org):
    data = Data(org)
    # An article posted twice on a channel in the period (a later share round):
    # two posts, one distinct article there.
    Publication.objects.create(
        page=data.a1,
        channel=data.c1,
        round=2,
        status=S.PUBLISHED,
        publish_at=at(data.d(6)),
        published_at=at(data.d(6)),
        reactions=3,
        reach=10,
    )
    # And a third time later: the period from d(6) holds rounds 2 and 3 but not
    # round 1 (one repeat there), the whole period all three (two repeats).
    Publication.objects.create(
        page=data.a1,
        channel=data.c1,
        round=3,
        status=S.PUBLISHED,
        publish_at=at(data.d(8)),
        published_at=at(data.d(8)),
        comments=1,
    )
    rollups.rebuild()
    units = [org.region.pk, org.bac_son.pk, org.loc_binh.pk]
    unit_sets = [
        frozenset(units),
        frozenset({org.bac_son.pk}),
        frozenset({org.loc_binh.pk, org.region.pk}),
    ]
    periods = [(data.S, data.today), (data.d(3), data.today), (data.d(6), data.d(20))]
    checked = 0
    for unit_ids, (start, end), network, group in itertools.product(
        unit_sets, periods, ("", "facebook", "zalo"), (None, org.household, org.coop)
    ):
        scope = Scope(data.campaign, start, end, unit_ids, network, group)
        rolled, posts = both(scope)
        assert rolled == posts, scope
        checked += 1
    assert checked == 3 * 3 * 3 * 3
    everything = post_summary(data.scope(), "rollups")
    assert everything.by_channel[data.c1.pk]["posts"] == 4  # p1, p3, rounds 2, 3
    assert everything.by_channel[data.c1.pk]["articles"] == 2  # a1 thrice, a2
    later = post_summary(data.scope(start=data.d(6), end=data.d(20)), "rollups")
    assert later.by_channel[data.c1.pk]["articles"] == 1  # a1's rounds 2 and 3
    assert everything.total["articles"] == 3


def test_a_period_that_ended_is_read_from_the_snapshots_not_the_rollups(org):
    data = Data(org)
    scope = data.scope(end=data.d(3))
    assert post_summary(scope) == post_summary(scope, "posts")
    assert post_summary(scope).total["engagements"] == 15  # test_dashboard's figure


@pytest.fixture
def sent(org, sandbox, campaign):
    """One article of `campaign` posted on a sandbox Facebook Page by the
    dispatcher (no rebuild: the dispatcher's own refresh)."""
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    page = org.article(campaign=campaign)
    publication = due(page, channel)
    summary = dispatcher.dispatch_due()
    assert summary.get("ok") == 1, summary
    publication.refresh_from_db()
    assert publication.status == S.PUBLISHED
    return publication


def day_rows(publication):
    day = rollups.local_day(publication.published_at)
    return (
        ChannelDay.objects.filter(day=day, channel=publication.channel),
        ArticleDay.objects.filter(day=day, page=publication.page),
    )


def test_a_post_sent_is_rolled_up_and_a_withdrawn_one_leaves(org, sent):
    channel_days, article_days = day_rows(sent)
    row = channel_days.get(group=EVERY_GROUP)
    assert (row.campaign_id, row.posts) == (sent.page.campaign_id, 1)
    assert article_days.get().unit_id == org.bac_son.pk
    manager = org.user("quanly.bacson", role=Role.MANAGER, unit=org.bac_son)
    actions.withdraw(manager, sent)
    assert not channel_days.exists()
    assert not article_days.exists()


def test_counts_read_by_the_sync_are_rolled_up(org, sandbox, sent):
    set_counts(sandbox, sent, reactions=7, comments=2, shares=1)
    make_due([sent])
    summary = engagement.sync_due()
    assert summary.done == 1
    assert summary.days_rolled_up == 1
    channel_days, article_days = day_rows(sent)
    assert channel_days.get(group=EVERY_GROUP).engagements == 10
    assert article_days.get().engagements == 10


def rows_of_every_table():
    def values(model):
        fields = [f.attname for f in model._meta.concrete_fields if f.name != "id"]
        return sorted(model.objects.values_list(*fields), key=repr)

    return values(ChannelDay), values(ArticleDay)


def test_the_syncs_differences_leave_the_rows_a_rebuild_would(org, sandbox, sent):
    """The sync adds each changed post's difference to every row it counts in
    (every post, each of its article's two groups, its article's day; a post of
    an article in no campaign too); unknown reach turning known, counts going
    down. Then a rebuild from the posts changes nothing."""
    page = sent.page
    page.target_groups.set([org.household, org.coop])
    page.save_revision().publish()  # its rows again, with the groups
    loose = due(org.article(title="Bài ngoài chiến dịch"), sent.channel)
    assert dispatcher.dispatch_due().get("ok") == 1
    loose.refresh_from_db()
    for reads in (
        {"reactions": 7, "comments": 2, "shares": 1, "reach": 40},
        {"reactions": 9, "comments": 1, "shares": 1, "reach": 55},  # a comment gone
    ):
        set_counts(sandbox, sent, **reads)
        set_counts(sandbox, loose, reactions=reads["reactions"] + 1)
        make_due([sent, loose])
        summary = engagement.sync_due()
        assert (summary.done, summary.days_rolled_up) == (2, 1)
        channel_days, article_days = day_rows(sent)
        assert channel_days.get(group=org.coop.pk).engagements == sum(
            reads[name] for name in ("reactions", "comments", "shares")
        )
        assert article_days.get().reach == reads["reach"]
        assert article_days.get().reach_unknown == 0
        adjusted = rows_of_every_table()
        rollups.rebuild()
        assert rows_of_every_table() == adjusted
    loose_row = ChannelDay.objects.get(campaign=None, group=EVERY_GROUP)
    assert (loose_row.posts, loose_row.engagements) == (1, 10)


def test_an_article_moved_to_another_campaign_moves_its_figures(org, sent):
    other = Campaign.objects.create(
        name="Chiến dịch khác",
        slug="khac",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 1, 1),
    )
    page = sent.page
    page.campaign = other
    page.save_revision().publish()
    _, article_days = day_rows(sent)
    assert article_days.get().campaign == other


def test_a_channel_moved_to_another_unit_moves_its_figures(org, sent):
    channel = sent.channel
    channel.name = "Tên mới"
    channel.save()  # no move, nothing to do
    channel.unit = org.loc_binh
    channel.save()
    _, article_days = day_rows(sent)
    assert article_days.get().unit_id == org.loc_binh.pk


def test_the_nightly_rebuild_repairs_what_a_crash_left(org, sent):
    channel_days, _ = day_rows(sent)
    # A change the application never saw (a crash between it and its refresh).
    Publication.objects.filter(pk=sent.pk).update(reactions=50)
    assert channel_days.get(group=EVERY_GROUP).engagements == 0
    assert scheduler.rollups_job in [job for job, _seconds in scheduler.jobs()]
    assert scheduler.rollups_job()["days"] >= 1
    assert channel_days.get(group=EVERY_GROUP).engagements == 50
    Publication.objects.filter(pk=sent.pk).delete()
    scheduler.rollups_job()
    assert not ChannelDay.objects.exists()
    assert not ArticleDay.objects.exists()


def test_refresh_touches_only_the_days_asked(org):
    data = Data(org)
    ChannelDay.objects.all().delete()
    rollups.refresh_days([data.d(3)])
    assert set(ChannelDay.objects.values_list("day", flat=True)) == {data.d(3)}
    # p3 (a2: two groups) and p4: every post, then one row per group and channel
    rows = ChannelDay.objects.filter(day=data.d(3))
    assert rows.filter(group=EVERY_GROUP).count() == 2
    assert rows.filter(group=org.household.pk).count() == 2
    assert rows.filter(group=org.coop.pk).count() == 2


def test_a_start_catches_up_without_rebuilding_every_day(org):
    data = Data(org)  # rebuilt: every day of its posts rolled up
    ChannelDay.objects.all().delete()
    ArticleDay.objects.all().delete()
    # No roll-ups at all (a database from before them): everything is rebuilt.
    # every day from the first post (d-2) to the last (d5)
    assert scheduler.rollups_catch_up_job() == {"rebuilt": 8}
    assert ChannelDay.objects.filter(day=data.d(1)).exists()
    # Otherwise only today and yesterday: an older day left wrong waits for the
    # night (the nightly rebuild is a cron job, not one at every start).
    ChannelDay.objects.filter(day=data.d(1)).delete()
    assert scheduler.rollups_catch_up_job() == {"refreshed": 2}
    assert not ChannelDay.objects.filter(day=data.d(1)).exists()
    nightly = scheduler.build_scheduler().get_job("rollups_job")
    assert str(nightly.trigger).startswith("cron[hour='3'")
