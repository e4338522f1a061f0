"""A video post and the real scheduler process (`manage.py run_scheduler`) killed
with SIGKILL mid-upload, then restarted: exactly one video on the Page, whether
the network finished the upload after we died (the lost answer) or never did.
Runs on both databases (make test's SQLite and PostgreSQL passes)."""

import signal
import time

import pytest
from django.conf import settings

from publishing.models import Publication, PublicationStatus
from tests.publishing.factories import due, fb_channel, fresh, video_media
from tests.publishing.processes import (
    LEASE,
    finish,
    output,
    scheduler_env,
    shared_database,
    start_scheduler,
    wait_until,
)

S = PublicationStatus
# Scheduler processes keep the real clock.
pytestmark = pytest.mark.external_clock


def uploads(sandbox, phase):
    return sandbox.calls("facebook", f"video_{phase}")


def in_flight(sandbox, phase):
    return any(call["status"] is None for call in uploads(sandbox, phase))


def page_videos(sandbox):
    return [v for v in sandbox.state.data.get("videos", {}).values() if v["finished"]]


@pytest.mark.parametrize(
    ("phase", "finished"),
    [("finish", True), ("transfer", False)],
    ids=["answer-lost-after-the-upload", "killed-mid-transfer"],
)
def test_killed_mid_upload_then_restarted_leaves_one_video(
    transactional_db, sandbox, org, tmp_path, phase, finished
):
    """kill -9 while `phase` is in flight (`delay`: the sandbox completes the call
    after we died). `finish`: the video is on the Page, found by the id `start`
    gave and never uploaded again; `transfer`: the upload never finished, nothing
    shows, and the restarted scheduler uploads it anew, once."""
    page = sandbox.facebook_page("BHXH Bắc Sơn")
    # Processed at once: the restart's one reconcile run finds it ready (following
    # the processing is test_videos.py's).
    sandbox.state.data["pages"][page["id"]]["video_polls"] = 0
    channel = fb_channel(org, page)
    article = org.article()
    article.featured_video = video_media(seconds=8, padding=4000)
    article.save(update_fields=["featured_video"])
    publication = due(article, channel, kind="video")
    sandbox.fault("facebook", f"video_{phase}", "delay", seconds=1)
    with shared_database(tmp_path) as url:
        env = scheduler_env(
            sandbox,
            url,
            FACEBOOK_VIDEO_URL=sandbox.url,
            TEST_MEDIA_ROOT=settings.MEDIA_ROOT,
        )
        process = start_scheduler(env, tmp_path / "first.log")
        wait_until(lambda: in_flight(sandbox, phase), 60, process, f"the {phase}")
        process.send_signal(signal.SIGKILL)
        assert finish(process) == -signal.SIGKILL
        wait_until(lambda: not in_flight(sandbox, phase), 5, what="the sandbox")
        assert len(page_videos(sandbox)) == (1 if finished else 0)
        time.sleep(LEASE + 0.5)  # the dead process's lease runs out
        again = start_scheduler(env, tmp_path / "again.log", "--once")
        assert finish(again, 60) == 0, output(again)
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, (publication.last_error, output(again))
    assert not Publication.objects.filter(status=S.PUBLISHING).exists()
    [video] = page_videos(sandbox)
    assert publication.external_id == video["id"]
    assert video["received"] == video["file_size"] == article.featured_video.file.size
    assert len(uploads(sandbox, "start")) == (1 if finished else 2)
    outcomes = list(publication.attempt_history.values_list("outcome", flat=True))
    assert outcomes.count("reconciled") == 1, outcomes
