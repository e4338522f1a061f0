"""The district editor writes an article, the approver approves, the public sees it."""

import io
import re

from PIL import Image
from playwright.sync_api import expect

from cms.content.models import ArticlePage, UnitSectionPage
from tests.conftest import png_bytes
from tests.e2e.helpers import log_in, log_out

TITLE = "Hộ kinh doanh ở Bắc Sơn hỏi, BHXH trả lời"


def write_article(page, base, section, cover_path):
    page.goto(f"{base}/admin/pages/add/cms_content/articlepage/{section.pk}/")
    page.fill("#id_title", TITLE)
    page.locator("#id_title").blur()  # the slug follows the title on change
    page.fill(
        "#id_intro",
        "Chủ hộ kinh doanh ở chợ Bắc Sơn hỏi về BHXH bắt buộc: phải đóng từ khi nào, "
        "được hưởng gì. Cán bộ BHXH cơ sở trả lời.",
    )
    # Cover image: uploaded from the chooser's upload tab.
    page.locator("#id_cover_image-chooser [data-chooser-action-choose]").click()
    modal = page.locator(".modal-dialog")
    modal.locator("a[href='#tab-upload']").click()
    modal.locator("input[type=file]").set_input_files(cover_path)
    title = modal.locator("#tab-upload input[name='image-chooser-upload-title']")
    # Wagtail fills the title from the file name when the file is chosen; wait for
    # it, or it may overwrite ours on a slow machine.
    expect(title).to_have_value("cho-bac-son")
    title.fill("Chợ Bắc Sơn")
    modal.locator("#tab-upload button[type=submit]").click()
    expect(page.locator("#id_cover_image-chooser .chooser__title")).to_have_text(
        "Chợ Bắc Sơn"
    )
    # Body: an FAQ block with one question and its answer.
    page.locator("#panel-child-noi_dung-body-content .c-sf-add-button").first.click()
    page.locator(".w-combobox__option", has_text="Hỏi đáp").click()
    page.locator("input[name$='-question']").first.fill(
        "Hộ kinh doanh nhỏ có phải đóng không?"
    )
    editor = page.locator("[data-contentpath='answer'] [contenteditable=true]").first
    editor.click()
    editor.type("Có, nếu hộ đã đăng ký kinh doanh. Hỏi BHXH cơ sở để biết lộ trình.")


def test_editor_writes_approver_approves_public_sees(demo, live_server, page, tmp_path):
    base = live_server.url
    section = UnitSectionPage.objects.get(unit__slug="bac-son")
    cover = tmp_path / "cho-bac-son.png"
    cover.write_bytes(png_bytes(1600, 900, "#2d6a4f"))

    log_in(page, base, "bientap.bacson")
    write_article(page, base, section, str(cover))
    # Wagtail autosaves the draft (and moves to its edit URL); submitting before
    # that lands would race it for the slug, as a person never does.
    page.wait_for_url(re.compile(r".*/admin/pages/\d+/edit/$"))
    # ...and for the last autosave to land (it starts 0.5 s after the last change):
    # a submission racing an autosave is refused as out of date.
    page.wait_for_timeout(1000)
    expect(page.locator("#w-autosave-indicator")).to_have_attribute(
        "data-w-autosave-state-value", "saved", timeout=15000
    )
    # Editors have no publish button: they submit to the unit's approval workflow.
    expect(page.locator("button[name='action-publish']")).to_have_count(0)
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[name='action-submit']").click()
    # Wagtail autosaves drafts meanwhile: wait for the submission's own message.
    expect(page.locator(".messages .success")).to_contain_text(TITLE)
    article = ArticlePage.objects.get(title=TITLE)
    assert not article.live
    assert article.current_workflow_state.status == "in_progress"

    log_out(page, base)
    log_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/pages/{article.pk}/edit/")
    page.locator("footer .w-dropdown__toggle").first.click()
    page.locator("button[data-workflow-action-name='approve']").first.click()
    # "Approve with comment" opens a modal; plain "approve" posts at once.
    expect(page.locator(".messages .success")).to_be_visible()
    article.refresh_from_db()
    assert article.live, "approval must publish the article"

    log_out(page, base)
    page.goto(f"{base}{article.url}")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("details summary")).to_have_text(
        "Hộ kinh doanh nhỏ có phải đóng không?"
    )
    og_image = page.locator("meta[property='og:image']").get_attribute("content")
    assert og_image and og_image.endswith(".jpg")
    path = og_image.split("/media/", 1)[1]
    response = page.request.get(f"{base}/media/{path}")
    assert response.ok
    assert Image.open(io.BytesIO(response.body())).size == (1200, 630)
