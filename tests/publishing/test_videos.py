"""Video posts through the outbox against the sandbox: Facebook's resumable upload
and Zalo's video article, posted once whatever answer is lost, processing followed
to the end, a processing failure told with its reason, the editor's checks with
their figures, and the views read back."""

import datetime

import pytest
import time_machine
from django.utils import timezone, translation

from cms.core.models import Role
from publishing.metrics import engagement
from publishing.models import PublicationStatus
from publishing.networks.video import MultipartFile, mp4_seconds
from publishing.outbox import dispatcher
from publishing.outbox.compose import problems
from publishing.outbox.reconcile import reconcile_unconfirmed
from publishing.planning import actions
from sandbox import videos as sandbox_videos
from tests.publishing.factories import (
    FAST_ZALO,
    due,
    fresh,
    mp4_bytes,
    video_media,
    zalo_channel,
)
from tests.sandbox import network_options

S = PublicationStatus
pytestmark = pytest.mark.django_db


@pytest.fixture
def fast(settings, monkeypatch):
    """Small chunks (several transfer calls) and no wait between status reads."""
    monkeypatch.setattr(sandbox_videos, "CHUNK", 700)
    network_options(settings, "facebook", video_poll_interval=0.01)
    network_options(settings, "zalo", **FAST_ZALO)


@pytest.fixture
def video_article(article):
    article.featured_video = video_media(seconds=42, padding=2000)
    article.save(update_fields=["featured_video"])
    return article


def page_videos(sandbox):
    return [v for v in sandbox.state.data.get("videos", {}).values() if v["finished"]]


def vi(text):
    with translation.override("vi"):
        return [str(t) for t in text]


# Facebook --------------------------------------------------------------------------
def test_facebook_video_goes_by_resumable_chunks_once(sandbox, fb, video_article, fast):
    publication = due(video_article, fb, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, publication.last_error
    [video] = page_videos(sandbox)
    assert publication.external_id == video["id"]
    assert publication.verify_token == video["id"]  # stored at `start`
    transfers = sandbox.calls("facebook", "video_transfer")
    assert len(transfers) == 4  # 2,1xx bytes in chunks of 700
    assert (
        video["received"]
        == video["file_size"]
        == video_article.featured_video.file.size
    )
    assert f"/l/{publication.link_code}" in video["description"]
    assert video["title"] == "Họp dân Bắc Sơn"
    assert publication.payload["video"]["seconds"] == 42  # read from the file
    assert dispatcher.dispatch_due()["claimed"] == 0


def test_facebook_lost_answer_after_finish_is_reconciled_not_resent(
    sandbox, fb, video_article, fast
):
    publication = due(video_article, fb, kind="video")
    sandbox.fault("facebook", "video_finish", "500_but_created")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.UNCONFIRMED
    [video] = page_videos(sandbox)
    assert publication.verify_token == video["id"]
    # Processing: two reads say "processing", the third "ready".
    assert reconcile_unconfirmed()["left"] == 1
    assert reconcile_unconfirmed()["left"] == 1
    assert reconcile_unconfirmed()["published"] == 1
    publication = fresh(publication)
    assert (publication.status, publication.external_id) == (S.PUBLISHED, video["id"])
    assert len(page_videos(sandbox)) == 1
    assert len(sandbox.calls("facebook", "video_start")) == 1


def test_facebook_broken_transfer_restarts_without_a_second_video(
    sandbox, fb, video_article, fast
):
    publication = due(video_article, fb, kind="video")
    sandbox.fault("facebook", "video_transfer", "drop")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.RETRYING  # nothing shows before `finish`
    with time_machine.travel(publication.next_attempt_at, tick=True):
        dispatcher.dispatch_due()
    assert fresh(publication).status == S.PUBLISHED
    assert len(sandbox.calls("facebook", "video_start")) == 2
    assert len(page_videos(sandbox)) == 1


def test_facebook_processing_failure_is_told_with_its_reason(
    sandbox, fb, video_article, fast
):
    publication = due(video_article, fb, kind="video")
    sandbox.fault("facebook", "video_finish", "video_processing_error")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.FAILED
    assert publication.last_error == (
        "Facebook không xử lý được video: The video could not be processed. Hãy "
        "kiểm tra tệp (định dạng, độ dài) rồi chọn video khác hoặc thử lại."
    )


def test_facebook_video_refused_for_its_format_says_so(sandbox, fb, article, fast):
    article.featured_video = video_media(data=b"\x00" * 64)
    article.save(update_fields=["featured_video"])
    publication = due(article, fb, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.FAILED
    assert publication.last_error.startswith("Facebook từ chối tệp video")
    assert "format that we don't support. Hãy chọn" in publication.last_error


def test_views_of_a_video_are_read_back(sandbox, fb, video_article, fast):
    publication = due(video_article, fb, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    sandbox.control(
        "engagement",
        {"post_id": publication.external_id, "views": 321, "reactions": 7},
    )
    later = timezone.now() + datetime.timedelta(minutes=10)
    engagement.sync_due(now=later)
    publication = fresh(publication)
    assert (publication.views, publication.reactions) == (321, 7)


# Zalo ------------------------------------------------------------------------------
def test_zalo_video_article_uploaded_then_created(sandbox, org, video_article, fast):
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(video_article, channel, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, publication.last_error
    [article] = sandbox.state.data["articles"].values()
    assert article["type"] == "video" and article["title"] == video_article.title
    assert f"/l/{publication.link_code}" in article["description"]
    assert len(sandbox.calls("zalo", "preparevideo")) == 1


def test_zalo_lost_answer_of_the_video_article_is_reconciled(
    sandbox, org, video_article, fast
):
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(video_article, channel, kind="video")
    sandbox.fault("zalo", "create", "500_but_created")
    dispatcher.dispatch_due()
    assert fresh(publication).status == S.UNCONFIRMED
    assert reconcile_unconfirmed()["published"] == 1
    assert len(sandbox.state.data["articles"]) == 1
    assert len(sandbox.calls("zalo", "create")) == 1


def test_zalo_processing_failure_is_told(sandbox, org, video_article, fast):
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(video_article, channel, kind="video")
    sandbox.fault("zalo", "preparevideo", "video_processing_error")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.FAILED
    assert publication.last_error.startswith("Zalo không xử lý được video")
    assert "Upload media failed" in publication.last_error
    assert sandbox.state.data["articles"] == {}


# Correcting a video post ----------------------------------------------------------
@pytest.fixture
def approver(org):
    return org.user("duyet.bacson", Role.APPROVER, org.bac_son)


def test_facebook_video_text_is_corrected_in_its_description(
    sandbox, fb, video_article, fast, approver
):
    publication = due(video_article, fb, kind="video")
    dispatcher.dispatch_due()
    actions.correct(approver, fresh(publication), "Đã sửa: {title} {url}")
    [video] = page_videos(sandbox)
    short = f"http://testserver/l/{publication.link_code}"
    assert video["description"] == f"Đã sửa: {video_article.title} {short}"
    assert video["title"] == "Họp dân Bắc Sơn"  # the video's own title stays
    post = sandbox.state.data["posts"][video["id"]]
    assert post["message"] == video["description"]  # what the Page shows
    assert fresh(publication).payload["message"] == video["description"]
    assert len(sandbox.calls("facebook", "video_start")) == 1  # not uploaded again


def test_zalo_video_article_is_corrected_as_a_video_article(
    sandbox, org, video_article, fast, approver
):
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(video_article, channel, kind="video")
    dispatcher.dispatch_due()
    [before] = [dict(a) for a in sandbox.state.data["articles"].values()]
    actions.correct(approver, fresh(publication), "Mô tả mới của video")
    [article] = sandbox.state.data["articles"].values()
    assert (article["type"], article["video_id"]) == ("video", before["video_id"])
    short = f"http://testserver/l/{publication.link_code}"  # the marker stays
    assert article["description"] == f"Mô tả mới của video\n{short}"
    assert article["avatar"] == before["avatar"]
    assert len(sandbox.calls("zalo", "update")) == 1
    assert len(sandbox.calls("zalo", "preparevideo")) == 1  # not uploaded again
    assert fresh(publication).payload["kind"] == "video"


# What the editor is told before saving ----------------------------------------------
def test_too_long_a_video_is_refused_with_the_figures(sandbox, fb, article):
    long = video_media(seconds=5 * 3600 + 12 * 60)
    assert vi(problems(article, fb, kind="video", video=long)) == [
        "Video dài 5 giờ 12 phút, Facebook cho tối đa 4 giờ."
    ]
    assert problems(article, fb, kind="video", video=video_media(seconds=12)) == []


def test_zalo_takes_mp4_only(sandbox, org, article):
    # An audio goes out as an MP4 made from it: tests/publishing/test_audio_videos.py
    channel = zalo_channel(org, sandbox.zalo_oa())
    mov = video_media(name="phong-van.mov")
    assert vi(problems(article, channel, kind="video", video=mov)) == [
        "Video là tệp .mov; Zalo nhận mp4."
    ]
    assert vi(problems(article, channel, kind="video")) == [
        "Chưa có video để đăng: hãy chọn một video trong thư viện, hoặc đặt video "
        "tiêu biểu cho bài viết."
    ]


# Streaming ----------------------------------------------------------------------------
def test_multipart_body_is_streamed_with_its_length(tmp_path):
    path = tmp_path / "v.mp4"
    path.write_bytes(mp4_bytes(3, padding=3 * 1024 * 1024))
    with open(path, "rb") as source:
        body = MultipartFile("file", source, "v.mp4", path.stat().st_size)
        pieces = list(body)
    assert max(len(p) for p in pieces) <= 1024 * 1024
    assert sum(len(p) for p in pieces) == len(body)
    assert mp4_seconds(path) == 3
