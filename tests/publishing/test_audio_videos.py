"""An audio (a radio spot) goes out as a video: the article's cover as its still
picture and the audio's sound, made by ffmpeg (imageio-ffmpeg's binary) when the
publication is sent, uploaded like a video to the sandbox, the temporary MP4
removed after; a lost answer reconciled without a second video; ffmpeg failing or
missing fails the publication with the reason, nothing posted; the editor's checks
against each network's limits with the figures (Zalo's size estimated)."""

import os
import re
import shutil
import subprocess

import pytest
from django.utils import translation

from publishing.models import PublicationStatus
from publishing.outbox import audio, dispatcher
from publishing.outbox.compose import compose, problems
from publishing.outbox.reconcile import reconcile_unconfirmed
from tests.publishing.factories import (
    FAST_ZALO,
    audio_media,
    due,
    fresh,
    zalo_channel,
)
from tests.sandbox import network_options

S = PublicationStatus
pytestmark = pytest.mark.django_db
COVER_RGB = (11, 83, 148)  # the test cover's colour (tests/conftest.py png_bytes)


@pytest.fixture
def fast(settings):
    network_options(settings, "facebook", video_poll_interval=0.01)
    network_options(settings, "zalo", **FAST_ZALO)


@pytest.fixture
def audio_article(article):
    article.featured_video = audio_media()
    article.save(update_fields=["featured_video"])
    return article


@pytest.fixture
def rendered(monkeypatch, tmp_path):
    """The MP4s ffmpeg made, copied aside (the outbox removes its own)."""
    made, render = [], audio.render

    def keep(source, target):
        render(source, target)
        made.append((target, shutil.copy(target, tmp_path / f"{len(made)}.mp4")))

    monkeypatch.setattr(audio, "render", keep)
    return made


def page_videos(sandbox):
    return [v for v in sandbox.state.data.get("videos", {}).values() if v["finished"]]


def ffmpeg_says(path):
    """What `ffmpeg -i` tells of a file (no ffprobe is bundled)."""
    run = [audio.ffmpeg(), "-hide_banner", "-nostdin", "-i", str(path)]
    return subprocess.run(run, capture_output=True, check=False).stderr.decode()


def middle_pixel(path):
    """The RGB of the first frame's centre pixel, decoded by ffmpeg."""
    run = [audio.ffmpeg(), "-v", "error", "-i", str(path), "-frames:v", "1"]
    run += ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"]
    frame = subprocess.run(run, capture_output=True, check=True).stdout
    assert len(frame) == 1280 * 720 * 3
    at = (360 * 1280 + 640) * 3
    return tuple(frame[at : at + 3])


def vi(texts):
    with translation.override("vi"):
        return [str(t) for t in texts]


def test_audio_goes_out_on_facebook_as_one_video_of_the_cover(
    sandbox, fb, audio_article, fast, rendered
):
    publication = due(audio_article, fb, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.PUBLISHED, publication.last_error
    [video] = page_videos(sandbox)
    assert publication.external_id == video["id"]
    [(target, copy)] = rendered
    assert not os.path.exists(target)  # the temporary MP4 is removed
    assert video["received"] == video["file_size"] == os.path.getsize(copy)
    said = ffmpeg_says(copy)
    assert "Duration: 00:00:02.00" in said
    assert re.search(r"Video: h264 .*1280x720", said)
    assert re.search(r"Audio: aac .*44100 Hz, stereo", said)
    pixel = middle_pixel(copy)
    assert all(abs(a - b) <= 6 for a, b in zip(pixel, COVER_RGB, strict=True)), pixel
    assert publication.payload["video"]["media_type"] == "audio"  # made at each try
    assert dispatcher.dispatch_due()["claimed"] == 0


def test_audio_goes_out_on_zalo_as_one_video_article(
    sandbox, org, audio_article, fast, rendered
):
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(audio_article, channel, kind="video")
    dispatcher.dispatch_due()
    assert fresh(publication).status == S.PUBLISHED, fresh(publication).last_error
    [article] = sandbox.state.data["articles"].values()
    assert (article["type"], article["title"]) == ("video", audio_article.title)
    [upload] = sandbox.state.data["zalo_videos"].values()
    assert upload["video_id"] == article["video_id"]
    assert re.fullmatch(r"ban-tin\w*\.mp4", upload["name"])  # the WAV's name
    assert upload["size"] == os.path.getsize(rendered[0][1])


def test_lost_answer_after_the_audio_video_is_reconciled_not_made_again(
    sandbox, fb, audio_article, fast, rendered
):
    publication = due(audio_article, fb, kind="video")
    sandbox.fault("facebook", "video_finish", "500_but_created")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.UNCONFIRMED
    [video] = page_videos(sandbox)
    assert publication.verify_token == video["id"]  # stored at `start`
    while reconcile_unconfirmed()["left"]:  # processing: read until ready
        pass
    publication = fresh(publication)
    assert (publication.status, publication.external_id) == (S.PUBLISHED, video["id"])
    assert len(page_videos(sandbox)) == 1
    assert len(rendered) == 1
    assert len(sandbox.calls("facebook", "video_start")) == 1


def test_ffmpeg_failing_fails_the_publication_with_its_reason(
    sandbox, fb, article, fast
):
    article.featured_video = audio_media(data=b"not a sound " * 100)
    article.save(update_fields=["featured_video"])
    publication = due(article, fb, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.FAILED
    assert publication.last_error.startswith("Không làm được video từ âm thanh: ")
    assert "Invalid data found when processing input" in publication.last_error
    assert "/" not in publication.last_error.split(":", 1)[1]  # no server path
    assert publication.last_error.endswith("hệ thống sẽ không tự thử lại.")
    assert sandbox.calls("facebook", "video_start") == []
    assert page_videos(sandbox) == []
    assert dispatcher.dispatch_due()["claimed"] == 0


def test_ffmpeg_missing_fails_the_publication_and_says_so(
    sandbox, org, audio_article, fast, monkeypatch
):
    monkeypatch.setenv("IMAGEIO_FFMPEG_EXE", "/nonexistent/ffmpeg")
    channel = zalo_channel(org, sandbox.zalo_oa())
    publication = due(audio_article, channel, kind="video")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.FAILED
    assert publication.last_error == (
        "Không làm được video từ âm thanh: máy chủ thiếu ffmpeg. Hãy báo quản trị "
        "viên cài đặt lại (make install); hệ thống sẽ không tự thử lại."
    )
    assert sandbox.calls("zalo", "preparevideo") == []
    assert sandbox.state.data.get("articles", {}) == {}


# What the editor is told before saving ----------------------------------------------
def test_audio_is_checked_against_each_networks_limits_with_the_figures(
    sandbox, org, fb, article
):
    zalo = zalo_channel(org, sandbox.zalo_oa())
    short = audio_media()  # 2 s, read from the file by ffmpeg
    assert compose(article, fb, "pub-0", kind="video", video=short).video.seconds == 2
    assert problems(article, fb, kind="video", video=short) == []
    assert problems(article, zalo, kind="video", video=short) == []
    podcast = audio_media(title="Tọa đàm", duration=50 * 60)
    assert vi(problems(article, zalo, kind="video", video=podcast)) == [
        "Âm thanh dài 50 phút: video làm từ nó nặng khoảng 57 MB (ước tính theo "
        "160 kbit/s), Zalo cho tối đa 50 MB."
    ]
    assert problems(article, fb, kind="video", video=podcast) == []
    long = audio_media(title="Cả ngày hội nghị", duration=5 * 3600)
    assert vi(problems(article, fb, kind="video", video=long)) == [
        "Âm thanh dài 5 giờ, Facebook cho video tối đa 4 giờ."
    ]


def test_audio_without_a_picture_is_refused(sandbox, fb, article):
    article.cover_image = None  # not saved: a draft without its cover
    assert vi(problems(article, fb, kind="video", video=audio_media())) == [
        "Âm thanh được đăng thành video với ảnh bìa của bài viết làm hình: hãy đặt "
        "ảnh bìa cho bài viết (hoặc ảnh thu nhỏ cho tệp âm thanh)."
    ]
