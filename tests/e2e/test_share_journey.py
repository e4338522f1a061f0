"""An editor plans a Facebook share with its own text, sees the count and the preview,
submits; the approver approves; the dispatcher posts it to the sandbox; the admin
shows the post's link."""

import pytest
from playwright.sync_api import expect

from publishing.models import Publication, PublicationStatus
from publishing.networks.facebook import FacebookNetwork
from publishing.outbox import dispatcher
from tests.e2e.helpers import (
    DRAFT_TITLE,
    SHARING_TAB,
    bac_son_facebook,
    open_editor,
    sign_in,
    submit_then_approve,
    wait_for_autosave,
)

MESSAGE = "Tin mới từ BHXH Bắc Sơn: {title}"


@pytest.fixture
def facebook(sandbox, demo):
    return bac_son_facebook(sandbox)


def plan_share(page, channel):
    page.get_by_role("tab", name=SHARING_TAB).click()
    # "All channels of the unit": one row per channel of Bắc Sơn not yet planned.
    add_unit = page.locator("[data-action='share-plans#addUnit']")
    add_unit.click()
    expect(page.locator("#id_share_plans-0-channel")).to_have_value(str(channel.pk))
    add_unit.click()  # every channel is planned now: no second row
    expect(
        page.locator("#id_share_plans-FORMS > [data-inline-panel-child]")
    ).to_have_count(1)
    page.fill("#id_share_plans-0-message", MESSAGE)
    expected = len(MESSAGE.replace("{title}", DRAFT_TITLE))
    count = page.locator("#inline_child_share_plans-0 [data-share-plans-count]")
    expect(count).to_contain_text(f"{expected} / {FacebookNetwork.max_message_length}")
    row = page.locator("#inline_child_share_plans-0")
    row.locator("[data-action='share-plans#preview']").click()
    post = row.locator(".share-preview--facebook")
    expect(post.locator(".share-preview__text")).to_have_text(
        MESSAGE.replace("{title}", DRAFT_TITLE)
    )
    expect(post.locator(".share-preview__title")).to_have_text(DRAFT_TITLE)


def test_editor_shares_approver_approves_post_goes_out(
    draft, facebook, sandbox, live_server, page
):
    base = live_server.url
    sign_in(page, base, "bientap.bacson")
    open_editor(page, f"{base}/admin/pages/{draft.pk}/edit/")
    plan_share(page, facebook)
    wait_for_autosave(page)
    submit_then_approve(page, base, draft)

    publication = Publication.objects.get(page=draft, channel=facebook)
    assert publication.message == MESSAGE
    dispatcher.dispatch_due()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    [post] = [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]
    assert post["message"] == MESSAGE.replace("{title}", DRAFT_TITLE)
    assert post["permalink_url"] == publication.permalink

    page.goto(f"{base}/admin/pages/{draft.pk}/edit/")
    page.get_by_role("tab", name=SHARING_TAB).click()
    expect(page.locator(f"a[href='{publication.permalink}']")).to_be_visible()
