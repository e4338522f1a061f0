"""Issue 20's journey: an editor uploads a short video to the media library, plans it
on the article's share tab as a Facebook video (Bắc Sơn's Page) and a Zalo video
article (Bắc Sơn's OA), both on the sandbox; a video too long for Facebook is refused
in the editor with its figures, nothing saved; the approver approves, the dispatcher
uploads, and each network shows exactly one video."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import expect
from wagtailmedia.models import Media

from publishing.models import Publication, PublicationStatus
from publishing.outbox import dispatcher
from publishing.outbox.reconcile import reconcile_unconfirmed
from tests.e2e.helpers import (
    SHARING_TAB,
    bac_son_facebook,
    open_editor,
    sign_in,
    submit_then_approve,
    wait_for_autosave,
)
from tests.publishing.factories import FAST_ZALO, mp4_bytes, video_media, zalo_channel
from tests.sandbox import network_options

VIDEO_TITLE = "Họp dân Bắc Sơn về BHXH hộ kinh doanh"
TOO_LONG = "Video dài 5 giờ 12 phút, Facebook cho tối đa 4 giờ."


@pytest.fixture
def channels(sandbox, demo, settings):
    """Bắc Sơn's Facebook Page and Zalo OA, connected on the sandbox; its video
    processing and Zalo's verification read back without waiting."""
    network_options(settings, "facebook", video_poll_interval=0.01)
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    account = sandbox.zalo_oa("BHXH Bắc Sơn (Zalo)")
    zalo = zalo_channel(
        None, account, datetime.timedelta(days=3), name="BHXH Bắc Sơn (Zalo)"
    )
    return {"facebook": bac_son_facebook(sandbox), "zalo": zalo}


def upload_video(page, base, tmp_path):
    """The media library's upload form, as an editor fills it: a file and a title."""
    path = tmp_path / "hop-dan-bac-son.mp4"
    path.write_bytes(mp4_bytes(seconds=8, padding=4000))
    page.goto(base + reverse("wagtailmedia:add", args=["video"]))
    page.locator("#id_file").set_input_files(str(path))
    # The form's script fills the title from the file name: ours goes in after.
    expect(page.locator("#id_title")).to_have_value("hop-dan-bac-son")
    page.fill("#id_title", VIDEO_TITLE)
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".messages .success")).to_contain_text(VIDEO_TITLE)
    return Media.objects.get(title=VIDEO_TITLE)


def row_of(page, channel):
    """The share tab's row planning `channel`."""
    rows = page.locator("#id_share_plans-FORMS > [data-inline-panel-child]")
    for index in range(rows.count()):
        if page.locator(f"#id_share_plans-{index}-channel").input_value() == str(
            channel.pk
        ):
            return index, rows.nth(index)
    pytest.fail(f"no row for {channel}")


def choose_video(page, index, title):
    """The row's media chooser: the library's videos in a modal, one clicked."""
    row = page.locator(f"#inline_child_share_plans-{index}")
    chooser = row.locator(f"#id_share_plans-{index}-video-chooser")
    if "blank" in (chooser.get_attribute("class") or ""):
        chooser.locator(".unchosen [data-chooser-action-choose]").click()
    else:  # "Choose another" is in the chosen item's menu
        chooser.locator(".chosen .w-dropdown__toggle").click()
        chooser.locator(".chosen [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name=title).click()
    expect(modal).to_have_count(0)
    expect(chooser.locator(".chooser__title")).to_have_text(title)


def plan_videos(page, channels, video):
    page.get_by_role("tab", name=SHARING_TAB).click()
    page.locator("[data-action='share-plans#addUnit']").click()
    rows = page.locator("#id_share_plans-FORMS > [data-inline-panel-child]")
    expect(rows).to_have_count(2)
    wait_for_autosave(page)
    indexes = {}
    for network, channel in channels.items():
        index, row = row_of(page, channel)
        indexes[network] = index
        # The time picker's choices load after the channel is set and push the row
        # down: wait for them before clicking below them.
        expect(
            row.locator(f".time-picker__group[data-channel='{channel.pk}']")
        ).to_be_visible()
        # A video post without its video is refused (autosave pauses) until the
        # video is chosen. Rows are autosaved before the next change: Wagtail takes
        # the form as saved when an autosave answers, so a change made while a
        # valid one was in flight and not yet noticed would never be saved.
        page.select_option(f"#id_share_plans-{index}-kind", "video")
        choose_video(page, index, video.title)
        wait_for_autosave(page)
    return indexes


def latest_plans(article):
    """{channel: (kind, video)} of the article's latest revision's plans (what an
    autosave keeps)."""
    article.refresh_from_db()  # its latest revision moved on
    revision = article.get_latest_revision_as_object()
    return {p.channel_id: (p.kind, p.video_id) for p in revision.share_plans.all()}


def test_editor_posts_a_library_video_to_facebook_and_zalo(
    draft, channels, sandbox, live_server, page, tmp_path
):
    base = live_server.url
    # An earlier upload of the editor's (their chooser lists their own uploads).
    long = video_media(
        title="Hội nghị toàn cảnh (bản đầy đủ)",
        seconds=5 * 3600 + 12 * 60,
        uploaded_by_user=get_user_model().objects.get(username="bientap.bacson"),
    )
    sign_in(page, base, "bientap.bacson")
    video = upload_video(page, base, tmp_path)
    assert video.type == "video" and video.file.size > 4000

    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    indexes = plan_videos(page, channels, video)
    wait_for_autosave(page)
    planned = {channel.pk: ("video", video.pk) for channel in channels.values()}
    assert latest_plans(draft) == planned

    # Too long for Facebook: refused on its row with the figures, nothing saved.
    choose_video(page, indexes["facebook"], long.title)
    page.locator("footer button.action-save").click()
    expect(page.locator(".messages .error")).to_contain_text(
        "Không lưu được trang vì nội dung còn lỗi"
    )
    page.get_by_role("tab", name=SHARING_TAB).click()
    facebook = page.locator(f"#inline_child_share_plans-{indexes['facebook']}")
    expect(facebook.locator(".error-message")).to_have_text(f"Facebook: {TOO_LONG}")
    assert latest_plans(draft) == planned  # as autosaved before

    # The editor comes back to the article: the short video is still planned.
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    for index in indexes.values():
        title = page.locator(f"#id_share_plans-{index}-video-chooser .chooser__title")
        expect(title).to_have_text(VIDEO_TITLE)
    submit_then_approve(page, base, draft)

    publications = Publication.objects.filter(page=draft)
    assert {p.channel_id: (p.kind, p.video_id) for p in publications} == planned
    dispatcher.dispatch_due()  # uploads, follows processing, creates, verifies
    reconcile_unconfirmed()  # anything left unconfirmed (nothing, answers kept)
    for publication in publications:
        publication.refresh_from_db()
        assert publication.status == PublicationStatus.PUBLISHED, publication
    # Each network holds exactly one video, the one uploaded, whole.
    [on_facebook] = sandbox.state.data["videos"].values()
    assert on_facebook["finished"] and on_facebook["title"] == VIDEO_TITLE
    assert on_facebook["received"] == on_facebook["file_size"] == video.file.size
    [on_zalo] = sandbox.state.data["zalo_videos"].values()
    assert on_zalo["size"] == video.file.size
    [zalo_article] = sandbox.state.data["articles"].values()
    assert (zalo_article["type"], zalo_article["video_id"]) == (
        "video",
        on_zalo["video_id"],
    )
