"""The dispatch threads of a backlog: one set for all its batches, each thread one
database connection, closed at the end (on PostgreSQL a connection is a server
process: a new one per thread per batch was most of the dispatcher's cost there)."""

import datetime
import time

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.utils import timezone

from publishing.models import AttemptOutcome, Publication, PublicationStatus
from publishing.outbox import dispatcher
from tests.publishing.factories import fb_channel, posts


def backends():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_backlog_drains_on_one_set_of_threads_and_closes_their_connections(
    transactional_db, sandbox, org, settings
):
    assert connection.vendor == "postgresql", (
        "dispatch threads share no in-memory SQLite database: run this test through "
        "scripts/with-postgres.sh (make test does)"
    )
    settings.PUBLISHING_WORKERS = 2
    settings.PUBLISHING_CLAIM_LIMIT = 6  # 36 publications: 6 full batches, then one
    channels = [
        fb_channel(org, sandbox.facebook_page(f"Trang {n}"), f"Trang {n}")
        for n in range(6)
    ]
    articles = [org.article(title=f"Bài {n}") for n in range(6)]
    due_at = timezone.now() - datetime.timedelta(minutes=1)
    Publication.objects.bulk_create(
        Publication(page=page, channel=channel, publish_at=due_at)
        for page in articles
        for channel in channels
    )
    before = backends()
    opened = []

    def count(sender, connection, **kwargs):
        opened.append(connection)

    connection_created.connect(count)
    try:
        summary = dispatcher.dispatch_all()
    finally:
        connection_created.disconnect(count)

    assert summary["claimed"] == 36 and summary[AttemptOutcome.OK] == 36
    assert Publication.objects.filter(status=PublicationStatus.PUBLISHED).count() == 36
    assert len(posts(sandbox)) == 36
    # Threads made per batch opened 4 connections per batch (7 batches: 28).
    assert len(opened) <= 2 * settings.PUBLISHING_WORKERS
    # Every thread's connection closed. The server ends a backend a moment after
    # its client hung up (seen to lag on a loaded machine): wait for it, a while.
    deadline = time.monotonic() + 10
    while backends() != before and time.monotonic() < deadline:
        time.sleep(0.1)
    assert backends() == before
