"""Follower figures read from the readings of the days that matter (the start,
the end, the series' bucket ends, looked back a week when a day has none) equal
those read from every reading, whatever the gaps."""

import datetime

from django.utils import timezone

from publishing.metrics.dashboard import metrics
from publishing.metrics.dashboard.metrics import Scope
from publishing.models import Channel, FollowerSnapshot


def test_the_days_that_matter_give_the_figures_of_every_reading(org, campaign):
    today = timezone.localdate()
    first = today - datetime.timedelta(days=120)

    def day(n):
        return first + datetime.timedelta(days=n)

    histories = {
        "daily": range(0, 121),
        "today not read yet": range(0, 120),
        "gap of 3 days before the end": [*range(0, 60), *range(63, 118)],
        "new in the period": range(70, 121),
        "gap of 10 days around the start": [*range(0, 20), *range(31, 121)],
        "never read": [],
    }
    channels = {}
    for n, (name, days) in enumerate(histories.items()):
        channels[name] = Channel.objects.create(
            unit=org.bac_son, network="facebook", name=name, external_id=str(n)
        )
        FollowerSnapshot.objects.bulk_create(
            FollowerSnapshot(
                channel=channels[name],
                captured_on=day(d),
                followers=1000 + 7 * d + n,
                captured_at=timezone.now(),
            )
            for d in days
        )
    ids = [c.pk for c in channels.values()]
    units = frozenset({org.bac_son.pk})
    for start, end in [(day(25), today), (day(30), day(100)), (day(0), day(200))]:
        scope = Scope(campaign, start, end, units)
        ends = [last for _, last in metrics.buckets(scope)]
        fast = metrics.follower_readings(scope, ids, ends)
        full = metrics.all_readings(scope, ids)
        assert metrics.follower_figures(fast, scope) == metrics.follower_figures(
            full, scope
        ), (start, end)
        for pk in ids:
            assert metrics.followers_at(fast[pk], ends) == metrics.followers_at(
                full[pk], ends
            ), (start, end, pk)
    # the daily channel is read on the days that matter only
    scope = Scope(campaign, day(25), today, units)
    daily = channels["daily"].pk
    fast = metrics.follower_readings(scope, [daily], [today])
    assert [d for d, _ in fast[daily]] == [day(25), today]
