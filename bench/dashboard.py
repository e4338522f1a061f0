"""Render time of the campaign dashboard (and its exports) over a year of data.

Usage: .venv/bin/python bench/dashboard.py [--channels 100] [--per-day 10]
           [--days 365] [--snapshots 12] [--repeat 7]
       scripts/with-postgres.sh .venv/bin/python bench/dashboard.py   (PostgreSQL)

A throwaway database (a SQLite file, or database `bench_dashboard` in the cluster of
DATABASE_URL when it is PostgreSQL) is migrated and given: a region with 10
districts, `--channels` channels spread over them (Facebook and Zalo alternately),
`--per-day` new campaign articles a day over 2 target groups, each posted on every
channel the day it is written (one share round), and `--again` of them shared
again a week later (round 2): `--per-day` posts a day on every channel for `--days`
days (latest counters on each), `--snapshots` engagement
snapshots per post (see below), one follower count per channel per day, press
items, outreach events, monthly enrolment reports per district and group, 18 goals.
The campaign runs from the first day to 180 days after today.

Snapshots: the storage policy keeps a row only when a count changed, every row for
a week, then each day's last; its upper bound (every read changes a count) is about
40 rows a post over 90 days (bench/engagement_sync.py prints it). Most posts stop
moving after a few days, so 12 a post is the default; `--snapshots 40` is the bound.

Then, as a superuser through Django's test client (warm: one unmeasured request
first), `--repeat` requests each, median and max wall time of:
1. the dashboard with its defaults (the year so far, all units);
2. one district (a tenth of the channels);
3. a month that ended (the snapshot path: each post's counts at that month's end);
4. the CSV and 5. the XLSX export of (1).
Target (issue 5): median < 500 ms for (1). Then the database size.
"""

import argparse
import datetime
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
BENCH_DB = "bench_dashboard"
DISTRICTS = 10


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--channels", type=int, default=100)
    parser.add_argument("--per-day", type=int, default=10)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--snapshots", type=int, default=12)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--again", type=float, default=0.02)
    parser.add_argument(
        "--queries", action="store_true", help="print each view's slowest queries"
    )
    parser.add_argument(
        "--reuse",
        metavar="SQLITE_FILE|postgres",
        help="measure again on the SQLite file of an earlier run, or (`postgres`) on "
        "the database an earlier --keep run left in DATABASE_URL's cluster "
        "(migrated first)",
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="PostgreSQL: keep the database, for --reuse postgres",
    )
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-dashboard-"))
    if args.reuse == "postgres":
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith("postgres"):
            sys.exit("--reuse postgres: DATABASE_URL must name the cluster")
        os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + BENCH_DB
    elif args.reuse:
        workdir = Path(args.reuse).resolve().parent
        os.environ["DATABASE_URL"] = f"sqlite:///{Path(args.reuse).resolve()}"
    else:
        os.environ["DATABASE_URL"] = bench_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    try:
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        print(f"database: {connection.vendor}; migrated in {elapsed(started)}")
        started = time.monotonic()
        if args.reuse:
            world = existing_world()
        else:
            world = make_world(args)
            print(f"data made in {elapsed(started)}: {counts()}")
        roll_up(world)
        measure(args, world)
        print(f"database size: {database_size(workdir) / 1e6:.0f} MB")
    finally:
        connection.close()
        if not (args.keep or args.reuse):
            drop_bench_database()


def elapsed(started):
    return f"{time.monotonic() - started:.0f} s"


def make_world(args):
    """Units, channels, articles, posts, snapshots, followers, records, goals."""
    from django.utils import timezone

    from cms.core.models import Campaign, TargetGroup, Unit

    today = timezone.localdate()
    first = today - datetime.timedelta(days=args.days - 1)
    region, home_section = make_tree()
    districts = [
        Unit.objects.create(
            name=f"BHXH cơ sở {n}", short_name=f"Huyện {n}", slug=f"d{n}", parent=region
        )
        for n in range(DISTRICTS)
    ]
    groups = [
        TargetGroup.objects.create(name="Chủ hộ kinh doanh", slug="ho-kinh-doanh"),
        TargetGroup.objects.create(name="Quản lý HTX", slug="quan-ly-htx"),
    ]
    campaign = Campaign.objects.create(
        name="Chiến dịch đo",
        slug="do",
        starts_on=first,
        ends_on=today + datetime.timedelta(days=180),
    )
    campaign.units.set([region])
    campaign.save()
    articles = make_articles(home_section, campaign, groups, args.per_day * args.days)
    channels = make_channels(args.channels, districts)
    make_posts(args, channels, articles, first)
    make_followers(channels, first, today)
    make_records(campaign, districts, groups, first, today)
    make_goals(campaign, districts)
    return {"campaign": campaign, "district": districts[0], "today": today}


def existing_world():
    from django.utils import timezone

    from cms.core.models import Campaign, Unit

    return {
        "campaign": Campaign.objects.get(slug="do"),
        "district": Unit.objects.get(slug="d0"),
        "today": timezone.localdate(),
    }


def make_tree():
    from wagtail.models import Site

    from cms.content.models import ArticleIndexPage, HomePage, UnitSectionPage
    from cms.content.sections import ensure_tree_roots
    from cms.core.models import Unit

    home = HomePage(title="Trang chủ", slug="trang-chu", hero_title="BHXH")
    ensure_tree_roots().add_child(instance=home)
    Site.objects.all().delete()
    Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    home.add_child(instance=ArticleIndexPage(title="Tin tức", slug="tin-tuc"))
    region = Unit.objects.create(name="BHXH khu vực", slug="khu-vuc")
    return region, UnitSectionPage.objects.get(unit=region)


def make_articles(section, campaign, groups, count):
    from bench.dispatch import cover_image
    from cms.content.models import ArticlePage

    cover, articles = cover_image(), []
    for n in range(count):
        page = ArticlePage(
            title=f"Bài số {n}",
            intro="Chủ hộ kinh doanh tham gia BHXH bắt buộc.",
            body=[{"type": "paragraph", "value": "<p>Bảo hiểm xã hội.</p>"}],
            campaign=campaign,
            cover_image=cover,
            target_groups=groups[: 1 + n % 2],
        )
        section.add_child(instance=page)
        articles.append(page)
    return articles


def roll_up(world):
    """The dashboard's roll-ups from the posts, as the scheduler's nightly job
    does (the posts were bulk-made, so no dispatch refreshed them); and what one
    day's refresh costs (the dispatcher's, after each batch)."""
    from django.db import connection

    from publishing.metrics import rollups
    from publishing.models import ArticleDay, ChannelDay

    started = time.monotonic()
    days = rollups.rebuild()
    print(
        f"roll-ups rebuilt in {elapsed(started)}: {days} days, "
        f"{ChannelDay.objects.count()} channel days, "
        f"{ArticleDay.objects.count()} article days"
    )
    times = []
    for _ in range(5):
        started = time.perf_counter()
        rollups.refresh_days([world["today"]])
        times.append((time.perf_counter() - started) * 1000)
    print(f"refresh of one day: median {statistics.median(times):.0f} ms")
    if connection.vendor == "postgresql":
        # What autovacuum does on a live database a while after a bulk load:
        # statistics for the planner, visibility for index-only scans.
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {elapsed(started)}")


def make_channels(count, districts):
    from publishing.models import Channel

    return Channel.objects.bulk_create(
        Channel(
            unit=districts[n % DISTRICTS],
            network="facebook" if n % 2 == 0 else "zalo",
            name=f"Kênh {n}",
            external_id=f"ext-{n}",
        )
        for n in range(count)
    )


def make_posts(args, channels, articles, first):
    """`per_day` posts a day per channel: the day's new articles, and a share of
    them (`--again`) replaced by an article of a week earlier in its round 2."""
    from django.db import connection, transaction
    from django.utils import timezone

    from publishing.models import EngagementSnapshot, Publication

    tz = timezone.get_current_timezone()
    rng = random.Random(5)
    rows, slot, again = [], 0, set()
    for day in range(args.days):
        date = first + datetime.timedelta(days=day)
        for k in range(args.per_day):
            when = datetime.datetime.combine(date, datetime.time(7 + k), tzinfo=tz)
            article, round_ = articles[slot], 1
            earlier = slot - 7 * args.per_day
            if earlier >= 0 and earlier not in again and rng.random() < args.again:
                again.add(earlier)
                article, round_ = articles[earlier], 2
            slot += 1
            for channel in channels:
                counts = [rng.randrange(0, 200) for _ in range(4)]
                rows.append(
                    Publication(
                        page=article,
                        channel=channel,
                        round=round_,
                        status="published",
                        publish_at=when,
                        published_at=when,
                        external_id=f"{channel.pk}_{len(rows)}",
                        reactions=counts[0],
                        comments=counts[1] // 4,
                        shares=counts[2] // 8,
                        reach=counts[3] * 20,
                    )
                )
    with transaction.atomic():
        Publication.objects.bulk_create(rows, batch_size=5000)
    print(f"{len(rows)} posts")
    if not args.snapshots:
        return
    table = EngagementSnapshot._meta.db_table
    sql = (
        f"INSERT INTO {table} (publication_id, captured_at, reactions, comments, "
        "shares, views, reach, clicks) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
    )
    step = datetime.timedelta(days=90) / args.snapshots
    batch, written = [], 0
    pubs = Publication.objects.values_list(
        "pk", "published_at", "reactions", "comments", "shares", "reach"
    ).iterator(chunk_size=20000)
    with transaction.atomic(), connection.cursor() as cursor:
        for pk, at, reactions, comments, shares, reach in pubs:
            for n in range(1, args.snapshots + 1):
                share = n / args.snapshots
                batch.append(
                    (
                        pk,
                        at + step * n,
                        int(reactions * share),
                        int(comments * share),
                        int(shares * share),
                        None,
                        int(reach * share),
                        None,
                    )
                )
            if len(batch) >= 50000:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        cursor.executemany(sql, batch)
        written += len(batch)
    print(f"{written} snapshots")


def make_followers(channels, first, today):
    from publishing.models import FollowerSnapshot

    rows, day = [], first
    while day <= today:
        for n, channel in enumerate(channels):
            count = 1000 + 50 * n + (day - first).days * (n % 7)
            rows.append(
                FollowerSnapshot(
                    channel=channel,
                    captured_on=day,
                    followers=count,
                    captured_at=datetime.datetime.combine(
                        day, datetime.time(1), tzinfo=datetime.UTC
                    ),
                )
            )
        day += datetime.timedelta(days=1)
    FollowerSnapshot.objects.bulk_create(rows, batch_size=5000)


def make_records(campaign, districts, groups, first, today):
    from cms.core.models import EnrolmentReport, OutreachEvent, PressCoverage

    day, n = first, 0
    press, events = [], []
    while day <= today:
        unit = districts[n % DISTRICTS]
        press += [
            PressCoverage(
                campaign=campaign,
                unit=unit,
                outlet=f"Báo {k}",
                title="Tin",
                published_on=day,
            )
            for k in range(2)
        ]
        events.append(
            OutreachEvent(
                campaign=campaign,
                unit=unit,
                kind="village_meeting",
                held_on=day,
                place="Thôn",
                attendees=40,
            )
        )
        day += datetime.timedelta(days=1)
        n += 1
    PressCoverage.objects.bulk_create(press)
    for event in OutreachEvent.objects.bulk_create(events):
        event.target_groups.set(groups[: 1 + event.pk % 2])
    reports = []
    for unit in districts:
        for group in groups:
            start, total = first, 0
            while start <= today:
                end = min(start + datetime.timedelta(days=29), today)
                total += 15
                reports.append(
                    EnrolmentReport(
                        campaign=campaign,
                        unit=unit,
                        target_group=group,
                        period_start=start,
                        period_end=end,
                        identified_eligible=800,
                        new_participants=15,
                        total_participants=total,
                    )
                )
                start = end + datetime.timedelta(days=1)
    EnrolmentReport.objects.bulk_create(reports)


def make_goals(campaign, districts):
    from cms.core.models import CampaignGoal, GoalMetric

    for n, metric in enumerate(GoalMetric.values):
        CampaignGoal.objects.create(
            campaign=campaign, metric=metric, target=1000 * (n + 1), sort_order=n
        )
    for n, unit in enumerate(districts):
        CampaignGoal.objects.create(
            campaign=campaign,
            metric=GoalMetric.NEW_PARTICIPANTS,
            target=300,
            unit=unit,
            sort_order=20 + n,
        )


def counts():
    from cms.core.models import CampaignGoal, EnrolmentReport
    from publishing.models import EngagementSnapshot, FollowerSnapshot, Publication

    return ", ".join(
        f"{model.__name__} {model.objects.count()}"
        for model in (
            Publication,
            EngagementSnapshot,
            FollowerSnapshot,
            EnrolmentReport,
            CampaignGoal,
        )
    )


def measure(args, world):
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    user = get_user_model().objects.filter(username="bench").first()
    user = user or get_user_model().objects.create_superuser("bench", password="x")
    client = Client()
    client.force_login(user)
    verify_second_step(client, user)
    today = world["today"]
    month_end = today.replace(day=1) - datetime.timedelta(days=1)
    cases = [
        ("dashboard, defaults", "publishing_dashboard:index", {}),
        ("one district", "publishing_dashboard:index", {"unit": world["district"].pk}),
        (
            "a month that ended (snapshots)",
            "publishing_dashboard:index",
            {
                "start": month_end.replace(day=1).strftime("%d/%m/%Y"),
                "end": month_end.strftime("%d/%m/%Y"),
            },
        ),
        ("CSV export", "publishing_dashboard:export_csv", {}),
        ("XLSX export", "publishing_dashboard:export_xlsx", {}),
    ]
    for label, name, query in cases:
        url = reverse(name)
        response = client.get(url, query)
        assert response.status_code == 200, response.content[:500]
        if args.queries:
            slowest(client, url, query)
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
        print(
            f"{label}: median {statistics.median(times):.0f} ms, "
            f"max {max(times):.0f} ms ({len(response.content) // 1024} KB)"
        )


def slowest(client, url, query, count=6):
    """The request's slowest queries (their execution, as the driver reports it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        client.get(url, query)
    ranked = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))
    total = sum(float(q["time"]) for q in ranked)
    print(f"  {len(ranked)} queries, {total * 1000:.0f} ms:")
    for q in ranked[:count]:
        print(f"  {float(q['time']) * 1000:6.0f} ms  {q['sql'][:150]}")


def verify_second_step(client, user):
    """A superuser must pass the two-step sign-in (cms/twofactor): the session is
    marked verified by an authenticator, as django_otp.login() does after a right
    code (the same as tests/conftest.py)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=user, name="bench", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def database_size(workdir):
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return cursor.fetchone()[0]
    return (workdir / "bench.sqlite3").stat().st_size


def bench_database(workdir):
    """The DATABASE_URL of a fresh throwaway database."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{workdir / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["BENCH_ADMIN_URL"] = url
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def drop_bench_database():
    admin_url = os.environ.get("BENCH_ADMIN_URL")
    if admin_url:
        import psycopg
        from django.db import connections

        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
