"""Comments under our Facebook posts reach the inbox within the 15-minute interval,
paged past Graph's first 25, never twice, the Page's own replies left out, nothing
personal logged; older posts are read only when their count grew; a Page connected
before the inbox lacks two permissions: recorded, its posting untouched."""

import datetime
import logging

import pytest
import time_machine

from publishing import scheduler
from publishing.conf import setting
from publishing.inbox.collect import collect_comments
from publishing.models import (
    ChannelStatus,
    InboxAccess,
    PublicationStatus,
    Question,
    QuestionStatus,
)
from publishing.networks import adapter_for
from tests.publishing.factories import due, fresh
from tests.publishing.helpers import link_payload

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def published(channel, article, at=None):
    """A post made on the sandbox and its publication, published `at`."""
    post = adapter_for(channel).publish(link_payload())
    publication = due(article, channel)
    publication.status = PublicationStatus.PUBLISHED
    publication.external_id = post.external_id
    publication.published_at = at or T0
    publication.save()
    return publication


def comment(sandbox, publication, message, author="Nguyễn Thị Hoa", **extra):
    body = {"post_id": publication.external_id, "message": message, "author": author}
    return sandbox.control("facebook/comments", {**body, **extra})


def test_the_job_runs_within_the_fifteen_minutes():
    interval = dict((f.__name__, s) for f, s in scheduler.jobs())
    assert interval["collect_comments_job"] == setting("PUBLISHING_QUESTIONS_INTERVAL")
    assert interval["collect_comments_job"] <= 15 * 60


def test_comments_collected_with_paging_and_never_twice(
    sandbox, fb, article, clock, caplog
):
    post = published(fb, article)
    clock.shift(MINUTE)
    first = comment(sandbox, post, "Tôi bán hàng ở chợ, có phải đóng BHXH không?")
    for n in range(29):
        clock.shift(datetime.timedelta(seconds=5))
        comment(sandbox, post, f"Câu hỏi số {n}", author=f"Người dân {n}")
    clock.shift(10 * MINUTE)
    with caplog.at_level(logging.DEBUG):
        run = collect_comments()

    assert (run.new, run.calls) == (30, 2)  # the ids read, then one more page
    asked = Question.objects.get(external_id=first["id"])
    assert asked.author_name == "Nguyễn Thị Hoa"
    assert asked.text == "Tôi bán hàng ở chợ, có phải đóng BHXH không?"
    assert asked.publication_id == post.pk and asked.status == QuestionStatus.NEW
    assert asked.received_at == T0 + MINUTE
    assert "Hoa" not in caplog.text and "chợ" not in caplog.text

    # The Page answers, a citizen writes again: only the citizen's is new.
    adapter_for(fb)._call("write", f"{first['id']}/comments", post={"message": "Có."})
    clock.shift(MINUTE)
    again = comment(
        sandbox, post, "Cảm ơn, còn hộ gia đình thì sao?", parent=first["id"]
    )
    clock.shift(10 * MINUTE)
    run = collect_comments()
    assert (run.new, run.calls) == (1, 1)  # no paging back past what was collected
    assert Question.objects.count() == 31
    reply = Question.objects.get(external_id=again["id"])
    assert reply.parent_external_id == first["id"]
    assert collect_comments().new == 0 and Question.objects.count() == 31


def test_an_old_post_is_read_only_when_its_count_grew(sandbox, fb, article, clock):
    old = published(fb, article, at=T0 - datetime.timedelta(days=10))
    comment(sandbox, old, "Lương hưu của tôi khi nào được điều chỉnh?")
    assert collect_comments().calls == 0
    old.comments = 1  # as the engagement read finds it
    old.save(update_fields=["comments"])
    assert (collect_comments().new, Question.objects.count()) == (1, 1)
    assert collect_comments().calls == 0  # seen: not read again


def test_a_page_connected_before_the_inbox_is_recorded_not_held(
    sandbox, fb, article, clock
):
    page_scopes = ["pages_show_list", "pages_manage_posts", "pages_read_engagement"]
    post = published(fb, article)
    sandbox.control(
        "facebook/scopes", {"page_id": fb.external_id, "scopes": page_scopes}
    )
    comment(sandbox, post, "Có ai trả lời không?")
    run = collect_comments()
    assert run.channels_lacking == [fb.pk] and Question.objects.count() == 0
    assert InboxAccess.objects.get(channel=fb).missing_permissions == [
        "pages_read_user_content"
    ]
    assert fresh(fb).status == ChannelStatus.ACTIVE
    assert collect_comments().calls == 0  # left alone until reconnected
