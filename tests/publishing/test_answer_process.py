"""An answer and the real scheduler process (`manage.py run_scheduler`) killed with
SIGKILL while the reply call is in flight, then restarted: exactly one reply under
the citizen's comment, whether Facebook made it after we died or never did. Runs
on both databases (make test's SQLite and PostgreSQL passes)."""

import signal
import time

import pytest
from django.utils import timezone

from cms.core.models import Role
from publishing.inbox import answers
from publishing.inbox.collect import collect_comments
from publishing.models import AnswerStatus, PublicationStatus, Question
from publishing.networks import adapter_for
from tests.publishing.factories import due, fb_channel, fresh
from tests.publishing.helpers import link_payload
from tests.publishing.processes import (
    LEASE,
    finish,
    output,
    scheduler_env,
    shared_database,
    start_scheduler,
    wait_until,
)

# Scheduler processes keep the real clock.
pytestmark = pytest.mark.external_clock

ANSWER = "Chào chị, chủ hộ kinh doanh đóng BHXH bắt buộc từ 01/7/2025."


def reply_calls(sandbox):
    return [c for c in sandbox.calls("facebook", "reply") if c["method"] == "POST"]


def replies(channel, question):
    return adapter_for(channel).page_replies(question.external_id)


@pytest.mark.parametrize(
    ("fault", "created"),
    [("delay", True), ("timeout", False)],
    ids=["network-replied", "network-did-not"],
)
def test_killed_mid_reply_then_restarted_replies_exactly_once(
    transactional_db, sandbox, org, tmp_path, fault, created
):
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    post = adapter_for(channel).publish(link_payload())
    publication = due(org.article(), channel)
    publication.status = PublicationStatus.PUBLISHED
    publication.external_id = post.external_id
    publication.published_at = timezone.now()
    publication.save()
    body = {"post_id": post.external_id, "message": "Tôi bán hàng ở chợ, có phải đóng?"}
    sandbox.control("facebook/comments", {**body, "author": "Nguyễn Thị Hoa"})
    collect_comments()
    question = Question.objects.get()
    answer = answers.write(
        question, org.user("duyet", Role.APPROVER, org.bac_son), ANSWER
    )
    sandbox.fault("facebook", "reply", fault, seconds=1)
    with shared_database(tmp_path) as url:
        env = scheduler_env(sandbox, url)
        process = start_scheduler(env, tmp_path / "first.log")
        wait_until(
            lambda: any(c["status"] is None for c in reply_calls(sandbox)),
            60,
            process,
            "the reply call",
        )
        process.send_signal(signal.SIGKILL)
        assert finish(process) == -signal.SIGKILL
        if created:  # the network finishes what it received
            wait_until(lambda: len(replies(channel, question)) == 1, 5, what="reply")
        time.sleep(LEASE + 0.5)  # the dead process's lease runs out
        again = start_scheduler(env, tmp_path / "again.log", "--once")
        assert finish(again, 60) == 0, output(again)
    assert [text for _id, text in replies(channel, question)] == [ANSWER]
    assert fresh(answer).status == AnswerStatus.SENT, output(again)
    # Sent once (never finished), then read back: found, or not and sent again.
    assert len(reply_calls(sandbox)) == (1 if created else 2)
