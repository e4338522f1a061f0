"""A video post waiting for an approver keeps the video chosen in its plan: the
request carries it, the approver reads its name, and the network receives that
video, not the article's featured one."""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cms.core.models import Role
from publishing.models import SharePlan, ShareRequest
from publishing.outbox import dispatcher
from publishing.planning import actions, sharing
from sandbox import videos as sandbox_videos
from tests.publishing.factories import fresh, video_media
from tests.publishing.helpers import login, text
from tests.sandbox import network_options

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=HCM)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def fast(settings, monkeypatch):
    monkeypatch.setattr(sandbox_videos, "CHUNK", 700)
    network_options(settings, "facebook", video_poll_interval=0.01)


@pytest.fixture
def editor(org):
    return org.user("bt.bacson", Role.EDITOR, org.bac_son)


@pytest.fixture
def approver(org):
    return org.user("dt.bacson", Role.APPROVER, org.bac_son)


@pytest.fixture
def videos(article):
    """The article's featured video, and the interview chosen in the plan."""
    article.featured_video = video_media(seconds=42, padding=2000)
    article.save(update_fields=["featured_video"])
    chosen = video_media("Phỏng vấn Giám đốc", seconds=20, name="pv.mp4", padding=900)
    return article.featured_video, chosen


def plan_video(article, channel, video):
    article.share_plans.add(SharePlan(channel=channel, kind="video", video=video))
    article.save()


def page_videos(sandbox):
    return [v for v in sandbox.state.data.get("videos", {}).values() if v["finished"]]


def test_share_again_by_an_editor_posts_the_chosen_video(
    client, clock, sandbox, fb, article, videos, fast, editor, approver
):
    featured, chosen = videos
    plan_video(article, fb, chosen)
    article.save_revision().publish()
    dispatcher.dispatch_due()  # round 1, by the publisher: the chosen video
    _made, (request,) = actions.share_again(editor, article, [fb])
    login(client, approver)
    listing = text(client.get(reverse("publishing_share_requests:index")))
    shown = re.search(r"data-payload-video>(.*?)</dd>", listing)
    assert shown and html.unescape(shown.group(1)) == "Phỏng vấn Giám đốc"
    client.post(reverse("publishing_share_requests:approve", args=(request.pk,)))
    dispatcher.dispatch_due()
    first, again = page_videos(sandbox)
    assert again["title"] == "Phỏng vấn Giám đốc"
    assert again["file_size"] == chosen.file.size != featured.file.size
    assert fresh(request).publication.video == chosen


def test_a_plan_the_publisher_may_not_approve_waits_with_its_video(
    sandbox, fb, article, videos, editor, approver
):
    _featured, chosen = videos
    plan_video(article, fb, chosen)
    assert sharing.create_round(article, user=editor) == []
    request = ShareRequest.objects.get(page=article, channel=fb)
    assert request.video == chosen
    publication = actions.approve_request(approver, request)
    assert (publication.kind, publication.video) == ("video", chosen)
