"""Engagement sync of many posts against the sandbox, and the storage it takes.

Usage: .venv/bin/python bench/engagement_sync.py [--posts 10000] [--channels 200]
           [--sample 200000]
       scripts/with-postgres.sh .venv/bin/python bench/engagement_sync.py   (PostgreSQL)

A throwaway database (a SQLite file, or database `bench_engagement` in the cluster of
DATABASE_URL when it is PostgreSQL) is migrated; `--channels` Facebook Pages on a
sandbox (a subprocess, in memory) get `--posts` posts between them, and as many
publications, all due. Then `engagement.sync_due` runs three times:
1. first reading: every post read, a snapshot each (counts go from unknown to 0);
2. nothing changed: every post read again, no snapshot;
3. 10 % of the posts changed: every post read, a snapshot for each changed one.
For each: Graph calls (counted on the adapters' HTTP sessions), wall time, rows
written. Then storage: `--sample` snapshot rows inserted, bytes per row measured
(PostgreSQL: pg_total_relation_size, table + indexes; SQLite: dbstat when compiled
in), and the policy's row count for 1,000 channels x 10 posts a day tracked 90 days
computed from the tiers and the roll-up (`policy_rows`).
"""

import argparse
import datetime
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cms.settings.test")
BENCH_DB = "bench_engagement"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--channels", type=int, default=200)
    parser.add_argument("--sample", type=int, default=200_000)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="bench-engagement-"))
    os.environ["DATABASE_URL"] = bench_database(workdir)
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    logging.getLogger("publishing").setLevel(logging.WARNING)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from bench.dispatch import make_articles, start_sandbox, use_sandbox

    call_command("migrate", verbosity=0)
    sandbox = start_sandbox()
    try:
        url = sandbox.url
        use_sandbox(settings, url)
        print(f"database: {connection.vendor}; sandbox {url}")
        articles = make_articles(1)
        started = time.monotonic()
        publications = make_posts(url, articles[0], args.channels, args.posts)
        print(f"{len(publications)} posts made in {time.monotonic() - started:.0f} s")
        run_syncs(url, publications)
        storage(args.sample, publications)
    finally:
        sandbox.terminate()
        sandbox.wait()
        connection.close()
        drop_bench_database()


def make_posts(url, article, channel_count, post_count):
    from django.utils import timezone

    from bench.dispatch import control
    from cms.core.models import Unit
    from publishing.models import Channel, Publication, PublicationStatus
    from publishing.networks.base import HttpSession

    session = HttpSession()
    unit = Unit.objects.get(slug="bench")
    now = timezone.now()
    publications = []
    for n in range(channel_count):
        page = control(url, "facebook/pages", {"name": f"Trang {n}"})
        channel = Channel(
            unit=unit,
            network="facebook",
            name=f"Trang {n}",
            external_id=page["id"],
        )
        channel.set_credentials({"page_token": page["page_token"]})
        channel.save()
        share = post_count // channel_count + (n < post_count % channel_count)
        for k in range(share):
            answer = session.post(
                f"{url}v24.0/{page['id']}/feed",
                data={"message": f"Bài {n}-{k}", "access_token": page["page_token"]},
                timeout=10,
            )
            answer.raise_for_status()
            publications.append(
                Publication(
                    page=article,
                    channel=channel,
                    round=k + 1,
                    publish_at=now,
                    status=PublicationStatus.PUBLISHED,
                    external_id=answer.json()["id"],
                    published_at=now - datetime.timedelta(hours=1),
                    engagement_due_at=now,
                )
            )
    return Publication.objects.bulk_create(publications, batch_size=1000)


def run_syncs(url, publications):
    from django.utils import timezone

    from bench.dispatch import control
    from publishing.metrics import engagement
    from publishing.models import EngagementSnapshot, Publication

    print()
    print(
        "| run | posts | Graph calls | ceil(N/50) x 2 | wall time | snapshots written |"
    )
    print("|---|---|---|---|---|---|")
    changed = publications[::10]
    for label in ("first reading", "nothing changed", "10 % changed"):
        if label == "10 % changed":
            for publication in changed:
                control(
                    url,
                    "engagement",
                    {"post_id": publication.external_id, "reactions": 7, "views": 40},
                )
        Publication.objects.update(engagement_due_at=timezone.now())
        before = EngagementSnapshot.objects.count()
        started = time.monotonic()
        summary = engagement.sync_due()
        elapsed = time.monotonic() - started
        written = EngagementSnapshot.objects.count() - before
        channels = {p.channel_id for p in publications}
        ideal = sum(
            2 * -(-sum(1 for p in publications if p.channel_id == c) // 50)
            for c in channels
        )
        print(
            f"| {label} | {summary.done:,} | {summary.calls:,} | {ideal:,} |"
            f" {elapsed:.1f} s | {written:,} |"
        )
        assert summary.done == len(publications) and summary.errors == 0


def storage(sample, publications):
    from django.db import connection
    from django.utils import timezone

    from publishing.models import EngagementSnapshot

    EngagementSnapshot.objects.all().delete()
    now = timezone.now()
    rows = (
        EngagementSnapshot(
            publication_id=publications[n % len(publications)].pk,
            captured_at=now - datetime.timedelta(minutes=n),
            reactions=n % 500,
            comments=n % 40,
            shares=n % 25,
            views=n % 9000,
            reach=n % 7000,
            clicks=n % 300,
        )
        for n in range(sample)
    )
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) == 5000:
            EngagementSnapshot.objects.bulk_create(batch)
            batch = []
    EngagementSnapshot.objects.bulk_create(batch)
    table = EngagementSnapshot._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT pg_total_relation_size(%s), pg_relation_size(%s)",
                [table, table],
            )
            total, heap = cursor.fetchone()
        else:
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name = %s OR name IN "
                    "(SELECT name FROM sqlite_master WHERE tbl_name = %s)",
                    [table, table],
                )
                total = cursor.fetchone()[0]
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name = %s", [table]
                )
                heap = cursor.fetchone()[0]
            except Exception as error:  # dbstat not compiled in
                print(f"(no dbstat: {error})")
                total = heap = None
    print()
    if total:
        per_row, heap_row = total / sample, heap / sample
        print(
            f"{sample:,} snapshot rows: {total / 2**20:.1f} MiB with indexes "
            f"({per_row:.0f} bytes a row; table alone {heap_row:.0f})"
        )
    else:
        per_row = None
    policy_rows(per_row)


def policy_rows(per_row, channels=1000, per_day=10, days=90):
    """Rows kept under the policy (upper bound: every read changes a count), from
    the tiers of the settings and a roll-up to each local day's last after 7 days."""
    from django.utils import timezone

    from publishing.metrics import engagement

    posted = timezone.now().replace(hour=9, minute=0, second=0, microsecond=0)
    reads = [engagement.first_due(posted, "x")]
    while True:
        following = engagement.next_due(posted, reads[-1])
        if following is None:
            break
        reads.append(following)
    week = engagement.KEEP_ALL_FOR

    def kept(age):
        """Rows of one post at `age` after posting, rolled up."""
        now = posted + age
        done = [t for t in reads if t <= now]
        recent = [t for t in done if t >= now - week]
        old_days = {timezone.localdate(t) for t in done if t < now - week}
        return len(recent) + len(old_days)

    final = kept(datetime.timedelta(days=days + 1))
    window = sum(kept(datetime.timedelta(days=d, hours=12)) for d in range(days))
    posts_a_day = channels * per_day
    in_window = posts_a_day * window
    per_year = posts_a_day * 365 * final
    print(
        f"policy: {len(reads)} reads a post over {days} days; rows a post kept "
        f"for good after roll-up: {final}; at most {kept(datetime.timedelta(days=7))}"
        " in its first week"
    )
    print(
        f"{channels:,} channels x {per_day} posts a day, tracked {days} days: "
        f"{posts_a_day * days:,} posts tracked at once, at most {in_window:,} "
        f"snapshot rows for them; each year of posts adds at most {per_year:,}"
    )
    if per_row:
        print(
            f"bytes: {in_window * per_row / 2**30:.2f} GiB for the 90-day window, "
            f"{per_year * per_row / 2**30:.2f} GiB a year (at {per_row:.0f} B a row)"
        )


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

        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")


if __name__ == "__main__":
    main()
