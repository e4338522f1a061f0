"""`/healthz` (publishing/health.py) and the scheduler heartbeat it reads."""

import contextlib
import datetime
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys

import pytest
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from publishing import scheduler
from publishing.models import Channel, ChannelStatus, SchedulerHeartbeat
from publishing.models.heartbeat import this_process
from tests.publishing.processes import (
    ROOT,
    finish,
    output,
    scheduler_env,
    shared_database,
    start_scheduler,
    wait_until,
)


def beat(seconds_ago, process="web-1:100"):
    now = timezone.now()
    SchedulerHeartbeat.objects.create(
        process=process,
        started_at=now - datetime.timedelta(hours=1),
        beat_at=now - datetime.timedelta(seconds=seconds_ago),
    )


def healthz(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


@pytest.mark.django_db
class TestHealthz:
    def test_healthy_with_a_fresh_heartbeat(self, client):
        beat(5)
        beat(200, process="web-2:200")  # a dead second process does not matter
        response, body = healthz(client)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/json"
        assert "no-store" in response["Cache-Control"]
        assert body["status"] == "ok" and body["database"] == "ok"
        assert body["scheduler"] == {
            "status": "ok",
            "processes": 1,
            "last_beat_age": 5,
        }
        assert body["channels_needing_reconnection"] == 0

    def test_a_stale_heartbeat_is_a_failure(self, client):
        beat(90)
        response, body = healthz(client)
        assert response.status_code == 503
        assert body["status"] == "fail" and body["database"] == "ok"
        assert body["scheduler"]["status"] == "stale"
        assert body["scheduler"]["processes"] == 0
        assert body["scheduler"]["last_beat_age"] >= 90

    def test_no_scheduler_ever_is_a_failure(self, client):
        response, body = healthz(client)
        assert response.status_code == 503
        assert body["scheduler"] == {
            "status": "missing",
            "processes": 0,
            "last_beat_age": None,
        }

    def test_channels_needing_reconnection_are_counted_not_failed(self, client, org):
        statuses = [
            ChannelStatus.NEEDS_RECONNECT,
            ChannelStatus.NEEDS_RECONNECT,
            ChannelStatus.ACTIVE,
            ChannelStatus.DISABLED,
        ]
        for n, status in enumerate(statuses):
            channel = Channel(
                unit=org.bac_son,
                network="facebook",
                name=f"Trang {n}",
                external_id=f"page-{n}",
                status=status,
            )
            channel.set_credentials({"page_token": f"EAAB-secret-{n}"})
            channel.save()
        beat(1)
        response, body = healthz(client)
        assert response.status_code == 200
        assert body["channels_needing_reconnection"] == 2
        text = response.content.decode()
        assert "EAAB-secret" not in text and "Trang" not in text
        assert "web-1" not in text  # no host names or process ids either

    @override_settings(SECURE_SSL_REDIRECT=True, ALLOWED_HOSTS=["bhxh.example"])
    def test_a_load_balancer_probe_over_http_by_ip_is_answered(self, client):
        """Production redirects to HTTPS and checks the host; /healthz does not."""
        beat(1)
        response = client.get("/healthz", HTTP_HOST="10.0.0.7:8000")
        assert response.status_code == 200
        assert client.get("/", HTTP_HOST="bhxh.example").status_code == 301

    def test_only_reads_are_allowed_and_no_session_is_started(self, client):
        beat(1)
        assert client.post("/healthz").status_code == 405
        response = client.get("/healthz/")
        assert response.status_code == 200
        assert not response.cookies
        assert client.head("/healthz").status_code == 200


def test_the_heartbeat_job_beats_and_a_clean_stop_forgets(transactional_db):
    """transactional: the job closes old connections, as in the scheduler."""
    started = timezone.now()
    scheduler.heartbeat_job("host-a:1", started)
    first = SchedulerHeartbeat.objects.get(process="host-a:1").beat_at
    scheduler.heartbeat_job("host-a:1", started)
    row = SchedulerHeartbeat.objects.get(process="host-a:1")
    assert row.beat_at >= first and row.started_at == started
    beat(2 * 24 * 3600, process="long-dead:7")
    scheduler.heartbeat_job("host-b:2", started)
    assert set(SchedulerHeartbeat.objects.values_list("process", flat=True)) == {
        "host-a:1",
        "host-b:2",
    }, "rows dead for a day are swept"
    SchedulerHeartbeat.forget("host-a:1")
    assert not SchedulerHeartbeat.objects.filter(process="host-a:1").exists()
    assert this_process() == f"{socket.gethostname()}:{os.getpid()}"


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_the_database_down_is_a_503_without_details(tmp_path):
    """A real process whose DATABASE_URL points at a port nobody listens on."""
    with socket.socket() as probe:  # a free port, closed again at once
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    script = (
        "import json, django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps([r.status_code, r.content.decode()]))"
    )
    env = {
        **scheduler_env(_NoSandbox, f"postgres://ops:pw-s3cret@127.0.0.1:{port}/x"),
        "PYTHONWARNINGS": "ignore",
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, content = json.loads(result.stdout.strip().splitlines()[-1])
    assert status == 503
    body = json.loads(content)
    assert body["status"] == "fail" and body["database"] == "unavailable"
    assert str(port) not in content and "pw-s3cret" not in content
    assert "healthz: the database did not answer" in result.stderr


class _NoSandbox:
    url = "http://127.0.0.1:9/"


def _heartbeats(url):
    if connection.vendor == "postgresql":
        return list(SchedulerHeartbeat.objects.values_list("process", flat=True))
    with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
        rows = db.execute("SELECT process FROM publishing_schedulerheartbeat")
        return [row[0] for row in rows]


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_a_running_scheduler_beats_and_forgets_on_sigterm(
    transactional_db, sandbox, tmp_path
):
    with shared_database(tmp_path) as url:
        process = start_scheduler(scheduler_env(sandbox, url), tmp_path / "s.log")
        try:
            wait_until(
                lambda: _heartbeats(url), 60, process, "the scheduler's first beat"
            )
            assert _heartbeats(url) == [f"{socket.gethostname()}:{process.pid}"]
        finally:
            process.send_signal(signal.SIGTERM)
            code = finish(process)
    assert code == 0, output(process)
    assert not SchedulerHeartbeat.objects.exists()


def test_the_heartbeat_beats_every_15_seconds_on_a_thread_of_its_own():
    """Long jobs filling the default pool must not silence it."""
    built = scheduler.build_scheduler()
    job = built.get_job("heartbeat_job")
    assert job.executor == "heartbeat"
    assert job.trigger.interval.total_seconds() == scheduler.HEARTBEAT_SECONDS == 15
    assert {j.executor for j in built.get_jobs() if j.id != "heartbeat_job"} == {
        "default"
    }
