"""JSON lines logs (LOG_FORMAT=json, cms/logging.py): shape and secrets."""

import json
import logging
import subprocess
import sys

import pytest

from cms.logging import JsonLines
from publishing.outbox import dispatcher
from tests.publishing.factories import due, fb_channel
from tests.publishing.processes import ROOT

TOKEN = "EAABsEcReT123"


def record(msg, args=(), extra=None, exc_info=None):
    logger = logging.getLogger("publishing.outbox.send")
    item = logger.makeRecord(
        logger.name, logging.WARNING, __file__, 10, msg, args, exc_info, extra=extra
    )
    return json.loads(JsonLines().format(item))


def test_one_object_with_time_level_logger_message_and_extra_fields():
    entry = record(
        "Bài %s đã đăng lên %s", (12, "Trang Bắc Sơn"), {"publication_id": 12}
    )
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "publishing.outbox.send"
    assert entry["message"] == "Bài 12 đã đăng lên Trang Bắc Sơn"
    assert entry["publication_id"] == 12
    assert entry["time"].endswith("Z") and "T" in entry["time"]
    assert isinstance(entry["process"], int)


def test_tokens_in_args_and_extra_fields_are_not_written():
    line = JsonLines().format(
        logging.getLogger("x").makeRecord(
            "x",
            logging.INFO,
            __file__,
            1,
            "GET %s with %s",
            (f"/v24.0/me?access_token={TOKEN}", {"page_token": TOKEN}),
            None,
            extra={
                "access_token": TOKEN,
                "credentials": {"page_token": TOKEN},
                "url": f"https://graph.example/feed?access_token={TOKEN}&x=1",
                "payload": {"nested": [{"refresh_token": TOKEN}], "channel_id": 3},
            },
        )
    )
    assert TOKEN not in line
    entry = json.loads(line)
    assert entry["access_token"] == "***" and entry["credentials"] == "***"
    assert entry["url"] == "https://graph.example/feed?access_token=***&x=1"
    assert entry["payload"] == {"nested": [{"refresh_token": "***"}], "channel_id": 3}
    assert entry["message"].startswith("GET /v24.0/me?access_token=*** with")


def test_a_traceback_is_one_field_without_the_token():
    try:
        raise ValueError(f"call failed: access_token={TOKEN}")
    except ValueError:
        entry = record("dispatch failed", exc_info=sys.exc_info())
    assert "ValueError: call failed: access_token=***" in entry["exception"]
    assert TOKEN not in json.dumps(entry)


@pytest.mark.external_clock  # a process of its own, on the real clock
def test_production_settings_write_json_lines_with_log_format_json(tmp_path):
    """The real settings module and handler, in a process of its own."""
    script = (
        "import django, logging; django.setup();"
        "log = logging.getLogger('publishing.outbox.send');"
        f"log.warning('posted %s', 'https://g.example/?access_token={TOKEN}',"
        f" extra={{'publication_id': 7, 'channel_id': 3, 'page_token': '{TOKEN}'}});"
        "log.info('plain line')"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_SETTINGS_MODULE": "cms.settings.production",
        "SECRET_KEY": "p" * 20 + "roduction-secret-key-for-the-log-test-only-x1",
        "FIELD_ENCRYPTION_KEY": "h3sVmhrqDJX1r1n8C0TVxUZ1sa3FjzEIkkT3XSIjnNI=",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "VAR_DIR": str(tmp_path),
        "LOG_FORMAT": "json",
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
    assert TOKEN not in result.stderr
    lines = [json.loads(line) for line in result.stderr.splitlines()]
    assert [(e["level"], e["message"]) for e in lines] == [
        ("WARNING", "posted https://g.example/?access_token=***"),
        ("INFO", "plain line"),
    ]
    assert lines[0]["publication_id"] == 7 and lines[0]["channel_id"] == 3
    assert lines[0]["page_token"] == "***"


@pytest.mark.django_db
def test_the_dispatcher_logs_publication_and_channel_ids(sandbox, org, caplog):
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    posted = due(org.article(), channel)
    caplog.set_level(logging.INFO, logger="publishing.outbox.dispatcher")
    dispatcher.dispatch_due()
    sandbox.fault("facebook", "feed", "expired_token")
    held = due(org.article(title="Bài thứ hai"), channel)
    dispatcher.dispatch_due()
    entries = [
        json.loads(JsonLines().format(r))
        for r in caplog.records
        if r.name == "publishing.outbox.dispatcher"
    ]
    assert [(e["publication_id"], e["channel_id"]) for e in entries] == [
        (posted.pk, channel.pk),
        (held.pk, channel.pk),
    ]
    assert entries[0]["message"].startswith("posted ")
    assert "needs reconnecting" in entries[1]["message"]
    assert "page_token" not in json.dumps(entries)
