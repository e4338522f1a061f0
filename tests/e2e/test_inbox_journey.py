"""Issue 21's journey: a citizen comments under a Bắc Sơn post on the sandbox's
Facebook; the collection job, run at a driven time within the 15-minute interval,
brings the comment to Bắc Sơn's inbox; the approver takes the answer suggested
from the article's FAQ block, edits it and sends it; the answer job runs after
and the reply is under the comment exactly once; the answer time shows on the
dashboard. An editor's reply in their own words waits for approval and is not
posted. The browser runs at the real time; the jobs under a driven clock."""

import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.translation import override
from playwright.sync_api import expect

from cms.content.models import ArticlePage
from publishing import scheduler
from publishing.metrics.dashboard.questions import Duration
from publishing.models import PublicationStatus, Question
from publishing.outbox import dispatcher
from sandbox import graph_comments
from tests.e2e.helpers import bac_son_facebook, sign_in
from tests.publishing.factories import due

ARTICLE = "bac-son-tieu-thuong-cho-phien-tim-hieu-bhxh-bat-buoc"
ASKED = "Tôi buôn bán theo mùa quýt, có tháng không có thu nhập thì đóng BHXH thế nào?"
OWN_WORDS = "Chào anh, chủ hộ kinh doanh có đăng ký thì phải tham gia ạ."
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def facebook(sandbox, demo, settings):
    settings.PUBLISHING_WORKERS = 1  # the test database is not shared with threads
    return bac_son_facebook(sandbox)


@pytest.fixture
def post(facebook):
    """The Bắc Sơn article posted on the Page by the dispatcher an hour ago."""
    with time_machine.travel(timezone.now() - 60 * MINUTE, tick=False):
        article = ArticlePage.objects.get(slug=ARTICLE)
        publication = due(article, facebook)
        dispatcher.dispatch_due()
    publication.refresh_from_db()
    assert publication.status == PublicationStatus.PUBLISHED
    return publication


def comment(sandbox, post, text, author, at):
    body = {
        "post_id": post.external_id,
        "message": text,
        "author": author,
        "created_time": at.timestamp(),
    }
    return sandbox.control("facebook/comments", body)


def replies(sandbox, comment_id):
    """The replies under a comment on the sandbox's Page (a form's textarea sends
    its line breaks as CRLF, read here as LF)."""
    return [
        c["message"].replace("\r\n", "\n")
        for c in graph_comments.comments(sandbox.state).values()
        if c["parent"] == comment_id
    ]


def test_a_citizens_comment_is_answered_once_from_the_faq(
    post, sandbox, live_server, page
):
    base = live_server.url
    asked_at = timezone.now() - 12 * MINUTE
    first = comment(sandbox, post, ASKED, "Nguyễn Thị Hoa", asked_at)
    other = comment(
        sandbox,
        post,
        "Hộ kinh doanh nhà tôi có phải đóng không?",
        "Bế Văn Tú",
        asked_at,
    )
    assert not Question.objects.filter(external_id=first["id"]).exists()
    # The job runs every 10 minutes: at the latest 10 minutes after the comment.
    with time_machine.travel(asked_at + 10 * MINUTE, tick=False):
        scheduler.collect_comments_job()
    question = Question.objects.get(external_id=first["id"])

    sign_in(page, base, "duyet.bacson")
    page.goto(f"{base}/admin/publishing/inbox/")
    row = page.locator(f'tr[data-question="{question.pk}"]')
    expect(row).to_contain_text(f"Nguyễn Thị Hoa: {ASKED}")
    expect(row).to_contain_text("Mới")
    row.get_by_role("link", name=f"Nguyễn Thị Hoa: {ASKED[:20]}").click()
    suggestion = page.locator("[data-suggestion]", has_text="mùa quýt").first
    expect(suggestion).to_contain_text("mức tham chiếu")
    suggestion.get_by_role("link", name="Dùng câu trả lời này").click()
    box = page.locator("#id_text")
    suggested = box.input_value()
    assert "mức tham chiếu" in suggested and "1900 9068" in suggested
    assert f"/l/{post.link_code}" in suggested  # the article by its short link
    answer = f"Chào chị Hoa, {suggested}"
    box.fill(answer)
    page.get_by_role("button", name="Gửi", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi câu trả lời.")
    expect(page.locator("[data-question-status]")).to_have_text("Đã trả lời")

    with time_machine.travel(timezone.now() + MINUTE, tick=False):
        scheduler.send_answers_job()
    assert replies(sandbox, first["id"]) == [answer]  # exactly once, as edited

    question.refresh_from_db()
    assert question.response_time >= 12 * MINUTE
    with override("vi"):
        waited = str(Duration(question.response_time))
    page.goto(f"{base}/admin/publishing/dashboard/")
    table = page.locator('[data-table="q_channels"]')
    html = table.evaluate("t => t.outerHTML")
    cells = [
        [c.get_text(strip=True) for c in r.select("th, td")]
        for r in BeautifulSoup(html, "html.parser")("tr")
    ]
    row = next(r for r in cells if r[0] == post.channel.name)
    # two questions, one answered (within 24 h): its time is the median and p90
    assert row[1:] == ["Bắc Sơn", "Trang Facebook", "2", "1", "1", waited, waited]

    # The editor's own words wait for the approver; nothing is posted.
    mine = Question.objects.get(external_id=other["id"])
    page.context.clear_cookies()
    sign_in(page, base, "bientap.bacson")
    page.goto(f"{base}/admin/publishing/inbox/{mine.pk}/")
    page.locator("#id_text").fill(OWN_WORDS)
    page.get_by_role("button", name="Gửi (hoặc xin duyệt)").click()
    expect(page.locator(".messages")).to_contain_text(
        "Câu trả lời của bạn đang chờ người duyệt của đơn vị quản lý kênh."
    )
    expect(page.locator('[data-answer-status="waiting"]')).to_contain_text(OWN_WORDS)
    with time_machine.travel(timezone.now() + MINUTE, tick=False):
        scheduler.send_answers_job()
    assert replies(sandbox, other["id"]) == []
