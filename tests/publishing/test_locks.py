"""Singleton jobs: one holder at a time (PostgreSQL: advisory lock on a session of
its own; SQLite: a lock file), and the scheduler skips a job another one holds."""

import threading

import pytest
from django.db import connection

from publishing import scheduler
from publishing.models import PublicationStatus
from publishing.outbox import dispatcher, locks
from tests.publishing.factories import due, fb_channel, fresh, posts

S = PublicationStatus


def try_elsewhere(name):
    """Whether another thread (another session, another open file) gets `name`."""
    result = {}

    def attempt():
        try:
            with locks.singleton(name) as held:
                result["held"] = held
        finally:
            connection.close()

    thread = threading.Thread(target=attempt)
    thread.start()
    thread.join(10)
    return result["held"]


@pytest.mark.django_db
def test_a_second_holder_is_refused_while_the_first_holds_it():
    with locks.singleton("reconcile_job") as first:
        assert first is True
        assert try_elsewhere("reconcile_job") is False
        with locks.singleton("reconcile_job") as again:  # even in this thread
            assert again is False
        assert try_elsewhere("check_channels_job") is True  # other names are free
    assert try_elsewhere("reconcile_job") is True  # released at the end


@pytest.mark.django_db
def test_the_lock_is_released_when_the_job_raises():
    with pytest.raises(RuntimeError), locks.singleton("publish_scheduled_job"):
        raise RuntimeError("a job failed")
    assert try_elsewhere("publish_scheduled_job") is True


@pytest.mark.django_db
def test_lock_keys_are_stable_and_distinct():
    names = [function.__name__ for function, _s in scheduler.jobs()]
    keys = {locks.lock_key(name) for name in names}
    assert len(keys) == len(names)
    assert all(-(2**63) <= key < 2**63 for key in keys)
    assert locks.lock_key("reconcile_job") == locks.lock_key("reconcile_job")


@pytest.mark.django_db
def test_every_job_but_dispatch_is_a_singleton():
    names = {function.__name__ for function, _s in scheduler.jobs()}
    assert scheduler.SHARED == {"dispatch_job"}
    assert {"reconcile_job", "publish_scheduled_job", "check_channels_job"} <= names


@pytest.mark.django_db
def test_the_scheduler_skips_a_singleton_job_another_process_holds(sandbox, org):
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    unknown = due(org.article(), channel)
    sandbox.fault("facebook", "feed", "500_but_created")
    dispatcher.dispatch_due()
    assert fresh(unknown).status == S.UNCONFIRMED
    waiting = due(org.article(title="Bài thứ hai"), channel)
    with locks.singleton("reconcile_job") as held:  # "another scheduler" has it
        assert held
        scheduler.run_once()
        # Dispatch is shared, so it ran; reconciliation did not.
        assert fresh(waiting).status == S.PUBLISHED
        assert fresh(unknown).status == S.UNCONFIRMED
    scheduler.run_once()
    assert fresh(unknown).status == S.PUBLISHED
    assert len(posts(sandbox)) == 2
