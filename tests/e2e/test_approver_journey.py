"""Issue 18's journey for an approver: the share an editor asked for is read as it
will be posted (the composed text with its short link, and the time) before it is
approved, and it is that text the network receives; an article waiting for review
is approved with the footer's main button, and the message says it is live and
which post is queued for when. The browser runs at the real time; the dispatcher
runs at the post's time under a driven clock (time-machine)."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import ArticlePage, UnitSectionPage
from publishing.models import Publication, SharePlan
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.e2e.helpers import DRAFT_TITLE, bac_son_facebook, sign_in

MESSAGE = "Tin mới từ BHXH Bắc Sơn: {title} tại {url}"


@pytest.fixture
def facebook(sandbox, demo, settings):
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    return bac_son_facebook(sandbox)


def in_two_hours():
    return (timezone.localtime() + datetime.timedelta(hours=2)).replace(
        second=0, microsecond=0
    )


def shown(moment):
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def posted_text(sandbox):
    [post] = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    return post["message"]


def test_the_approver_reads_the_request_as_posted_then_approves(
    facebook, sandbox, live_server, page
):
    base, at = live_server.url, in_two_hours()
    users = get_user_model().objects
    article = (
        ArticlePage.objects.live()
        .descendant_of(UnitSectionPage.objects.get(unit__slug="bac-son"))
        .first()
    )
    _made, (request,) = actions.share_again(
        users.get(username="bientap.bacson"),
        article,
        [facebook],
        message=MESSAGE,
        publish_at=at,
    )
    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/publishing/share-requests/?status=pending")
    row = page.locator("tr", has=page.locator("[data-outgoing]")).first
    text = row.locator("[data-payload-text]").inner_text()
    assert "{title}" not in text and "{url}" not in text
    assert text.startswith(f"Tin mới từ BHXH Bắc Sơn: {article.title} tại ")
    assert text.endswith(f"/l/{request.link_code}")  # the post's own short link
    expect(row.locator("[data-payload-at]")).to_have_text(shown(at))
    expect(row).to_contain_text("Đăng lúc")
    approve = row.locator("[data-w-action-url-value*='/approve/']")
    expect(approve).to_contain_text("Duyệt")
    approve.click()
    expect(page.locator(".messages .success")).to_contain_text(
        f"sẽ được đăng trên {facebook} lúc {shown(at)}"
    )
    with time_machine.travel(at, tick=False):
        dispatcher.dispatch_due()
    assert posted_text(sandbox) == text


def test_the_approver_approves_with_the_main_button_and_reads_what_is_queued(
    draft, facebook, sandbox, live_server, page
):
    base, at = live_server.url, in_two_hours()
    draft.share_plans.add(SharePlan(channel=facebook, message=MESSAGE, publish_at=at))
    editor = get_user_model().objects.get(username="bientap.bacson")
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    main = page.locator("footer [data-workflow-action-name='approve']").first
    expect(main).to_be_visible()  # not hidden in the dropdown
    expect(main).to_contain_text("Duyệt và xuất bản")
    main.click()
    message = page.locator(".messages .success")
    expect(message).to_contain_text(
        f"“{DRAFT_TITLE}” đã lên trang. Bài đăng đã xếp lịch: "
        f"{facebook} lúc {shown(at)}."
    )
    expect(page.locator(".messages")).not_to_contain_text("Đã cập nhật trang")
    publication = Publication.objects.get(page=draft, channel=facebook)
    page.goto(f"{base}/admin/publishing/publications/{publication.pk}/")
    text = page.locator("[data-payload-text]").inner_text()
    assert text.endswith(f"/l/{publication.link_code}")
    with time_machine.travel(at, tick=False):
        dispatcher.dispatch_due()
    assert posted_text(sandbox) == text
