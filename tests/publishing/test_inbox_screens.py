"""The inbox in the admin: a district sees only its questions; filters; the
channels lacking comment permissions named; the count on the admin home; answers
from a suggestion (an article's FAQ, matched without diacritics, with the hotline
and the short link) sent by an approver, an editor's own words waiting; an abusive
comment hidden by an approver only; bad input refused in Vietnamese."""

import copy
import datetime

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.content.models import ArticlePage
from cms.core.models import Role
from publishing.inbox import suggest
from publishing.inbox.collect import collect_comments
from publishing.models import (
    Answer,
    AnswerStatus,
    ApprovedAnswer,
    InboxAccess,
    PauseScope,
    PublicationStatus,
    PublishingPause,
    Question,
    QuestionStatus,
)
from publishing.networks import adapter_for
from tests.publishing.factories import due, make_channel
from tests.publishing.helpers import link_payload, login, text

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
INBOX = reverse("publishing_inbox:index")
ASKED = "Toi ban hang o cho, co phai dong BHXH bat buoc khong?"  # no diacritics
FAQ = {
    "type": "faq",
    "value": {
        "title": "Hỏi đáp",
        "items": [
            {
                "question": "Hộ kinh doanh bán hàng ở chợ có phải đóng BHXH bắt buộc?",
                "answer": "<p>Có. Chủ hộ kinh doanh có đăng ký đóng BHXH bắt buộc "
                "từ 01/7/2025; tra cứu quá trình đóng trên ứng dụng VssID.</p>",
            },
            {"question": "Lương hưu tăng khi nào?", "answer": "<p>Từ 01/7.</p>"},
        ],
    },
}


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def asked(channel, text_=ASKED, minutes=0, **fields):
    return Question.objects.create(
        channel=channel,
        kind="comment",
        external_id=f"c-{Question.objects.count() + 1}",
        author_name="Nguyễn Thị Hoa",
        text=text_,
        received_at=T0 - datetime.timedelta(minutes=minutes),
        **fields,
    )


def rows(response):
    return text(response).count("data-question=")


def test_the_filters_and_the_channel_read_as_everywhere_else(org, client, clock):
    """Filters say what an empty choice means, dates are asked for in Vietnamese,
    and the channel is named by the one rule (Channel.label), not "(Zalo)"."""
    oa = make_channel(org.bac_son, "zalo", name="BHXH Bắc Sơn (Zalo)")
    asked(oa, "Nộp tiền ở đâu?", conversation_id="u-1")
    login(client, org.user("bs", Role.EDITOR, org.bac_son), "vi")
    soup = BeautifulSoup(client.get(INBOX).content, "html.parser")
    empty = {
        select["name"]: select.find("option").get_text(strip=True)
        for select in soup.select("form.publishing-inbox__filters select")
    }
    assert empty == {
        "status": "Đang chờ (mới hoặc đã giao)",
        "channel": "Tất cả kênh",
        "topic": "Mọi chủ đề",
        "target_group": "Tất cả nhóm đối tượng",
    }
    assert soup.select_one("input[name=since]")["placeholder"] == "ngày/tháng/năm"
    [row] = soup.select("tr[data-question]")
    assert "Zalo · BHXH Bắc Sơn" in row.get_text(" ", strip=True)
    assert "(Zalo)" not in row.get_text()


class TestWhoSeesWhat:
    def test_a_district_sees_only_its_questions(self, org, client, clock):
        mine = asked(make_channel(org.bac_son), "Bắc Sơn hỏi")
        theirs = asked(make_channel(org.loc_binh), "Lộc Bình hỏi")
        login(client, org.user("bs", Role.EDITOR, org.bac_son))
        page = text(client.get(INBOX))
        assert "Bắc Sơn hỏi" in page and "Lộc Bình hỏi" not in page
        detail = reverse("publishing_inbox:detail", args=(theirs.pk,))
        assert client.get(detail).status_code == 404
        answer = reverse("publishing_inbox:answer", args=(theirs.pk,))
        assert client.post(answer, {"text": "Có"}).status_code == 404
        assert not Answer.objects.exists()
        ok = client.get(reverse("publishing_inbox:detail", args=(mine.pk,)))
        assert ok.status_code == 200

        login(client, org.user("vung", Role.APPROVER, org.region))
        page = text(client.get(INBOX))
        assert "Bắc Sơn hỏi" in page and "Lộc Bình hỏi" in page


class TestFilters:
    def test_status_channel_and_dates(self, org, client, clock):
        page_a, page_b = make_channel(org.bac_son), make_channel(org.bac_son)
        asked(page_a, "Câu mới", minutes=5)
        asked(page_b, "Câu kênh B", minutes=10)
        asked(page_a, "Câu đã trả lời", status=QuestionStatus.ANSWERED)
        asked(page_a, "Câu hôm trước", minutes=24 * 60 + 180)
        login(client, org.user("bs", Role.EDITOR, org.bac_son))
        assert rows(client.get(INBOX)) == 3  # waiting only, by default
        assert rows(client.get(INBOX, {"status": "all"})) == 4
        assert rows(client.get(INBOX, {"status": "answered"})) == 1
        assert rows(client.get(INBOX, {"channel": page_b.pk})) == 1
        today = {"since": "01/03/2027", "until": "01/03/2027"}
        response = client.get(INBOX, {**today, "status": "all"})
        assert rows(response) == 3 and "Câu hôm trước" not in text(response)

    def test_a_reversed_date_range_is_refused_in_vietnamese(self, org, client):
        login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
        response = client.get(INBOX, {"since": "02/03/2027", "until": "01/03/2027"})
        assert "“Từ ngày” sau “Đến ngày”." in text(response)

    def test_channels_lacking_permissions_are_named(self, org, client):
        channel = make_channel(org.bac_son, name="BHXH Bắc Sơn cũ")
        InboxAccess.objects.create(
            channel=channel, missing_permissions=["pages_read_user_content"]
        )
        login(client, org.user("bs", Role.EDITOR, org.bac_son))
        page = text(client.get(INBOX))
        assert "BHXH Bắc Sơn cũ" in page and "pages_read_user_content" in page


def test_the_admin_home_counts_new_questions(org, client, clock):
    channel = make_channel(org.bac_son)
    asked(channel)
    asked(channel, status=QuestionStatus.ASSIGNED)
    asked(channel, status=QuestionStatus.ANSWERED)
    login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
    home = text(client.get(reverse("wagtailadmin_home")))
    assert 'data-questions-waiting="2"' in home
    assert "2 câu hỏi đang chờ trả lời." in home


# Answering through the screens -----------------------------------------------------
@pytest.fixture
def faq_article(org):
    return org.article(body=[FAQ])


@pytest.fixture
def question(sandbox, fb, faq_article, clock):
    post = adapter_for(fb).publish(link_payload())
    publication = due(faq_article, fb)
    publication.status = PublicationStatus.PUBLISHED
    publication.external_id = post.external_id
    publication.published_at = T0
    publication.save()
    clock.shift(datetime.timedelta(minutes=1))
    body = {"post_id": post.external_id, "message": ASKED, "author": "Hoa"}
    sandbox.control("facebook/comments", body)
    clock.shift(datetime.timedelta(minutes=10))
    collect_comments()
    return Question.objects.get()


def detail_url(question):
    return reverse("publishing_inbox:detail", args=(question.pk,))


def send(client, question, text_, suggestion=""):
    url = reverse("publishing_inbox:answer", args=(question.pk,))
    return client.post(url, {"text": text_, "suggestion": suggestion}, follow=True)


def test_the_faq_matches_without_diacritics_with_hotline_and_short_link(
    question, faq_article
):
    [best, *_rest] = suggest.suggestions(question)
    assert best.question.startswith("Hộ kinh doanh bán hàng ở chợ")
    publication = question.publication
    assert best.text.splitlines() == [
        "Có. Chủ hộ kinh doanh có đăng ký đóng BHXH bắt buộc từ 01/7/2025; tra cứu "
        "quá trình đóng trên ứng dụng VssID.",
        "Tra cứu trên ứng dụng VssID – Bảo hiểm xã hội số.",
        "Tổng đài: 1900 9068",
        f"Xem thêm: http://testserver/l/{publication.link_code}",
    ]


def reads_article_bodies(queries):
    return [q["sql"] for q in queries if '"cms_content_articlepage"."body"' in q["sql"]]


def test_the_faq_is_read_once_and_follows_what_is_published(question, faq_article, org):
    suggest.suggestions(question)  # read
    with CaptureQueriesContext(connection) as again:
        [best, *_rest] = suggest.suggestions(question)
    assert reads_article_bodies(again.captured_queries) == []
    assert best.key.startswith(f"faq-{faq_article.pk}-")

    # Published here: the new question is offered at once.
    page = faq_article.specific
    faq = copy.deepcopy(FAQ)
    faq["value"]["items"][0]["question"] = "Người bán hàng ở chợ đóng BHXH bắt buộc?"
    page.body = [faq]
    page.save_revision().publish()
    [best, *_rest] = suggest.suggestions(question)
    assert best.question == "Người bán hàng ở chợ đóng BHXH bắt buộc?"

    # Taken down by another process (no signal here): the number of live articles
    # tells, the latest publishing time being another article's.
    org.article(title="Lương hưu 2027")
    suggest.suggestions(question)
    ArticlePage.objects.filter(pk=page.pk).update(live=False)
    assert [s.key for s in suggest.suggestions(question)] == []


def test_an_approved_answer_for_the_target_group(question, org):
    ApprovedAnswer.objects.create(
        question="Hợp tác xã đóng BHXH thế nào?",
        keywords="hop tac xa, bhxh",
        answer="Người quản lý HTX không hưởng lương đóng BHXH bắt buộc.",
        target_group=org.coop,
        mentions_portal=True,
    )
    Question.objects.filter(pk=question.pk).update(target_group=org.household)
    question.refresh_from_db()
    assert all(not s.key.startswith("approved") for s in suggest.suggestions(question))
    Question.objects.filter(pk=question.pk).update(target_group=org.coop)
    question.refresh_from_db()
    offered = {s.key: s for s in suggest.suggestions(question)}
    [key] = [k for k in offered if k.startswith("approved")]
    assert "Nộp hồ sơ trực tuyến: https://dichvucong.gov.vn" in offered[key].text


def test_an_editor_sends_a_suggestion_unchanged_at_once(
    client, org, fb, question, sandbox
):
    login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
    best = suggest.suggestions(question)[0]
    page = text(client.get(detail_url(question), {"use": best.key}))
    assert "Tổng đài: 1900 9068" in page  # in the answer box, to edit

    response = send(client, question, best.text, best.key)
    assert "Đã gửi câu trả lời." in text(response)
    replies = adapter_for(fb).page_replies(question.external_id)
    assert [t for _i, t in replies] == [best.text]


def test_send_while_the_channel_is_paused_says_it_waits(client, org, fb, question):
    PublishingPause.objects.create(scope=PauseScope.CHANNEL, channel=fb)
    login(client, org.user("duyet", Role.APPROVER, org.bac_son), language="vi")
    response = send(client, question, "Chào chị, có ạ.")
    assert "đang tạm dừng: câu trả lời sẽ được gửi khi bỏ tạm dừng" in text(response)
    assert adapter_for(fb).page_replies(question.external_id) == []
    assert Answer.objects.get().status == AnswerStatus.SCHEDULED


def test_an_edited_suggestion_waits_for_an_approver_who_sends_it(
    client, org, fb, question
):
    editor = org.user("bs", Role.EDITOR, org.bac_son)
    login(client, editor, language="vi")
    best = suggest.suggestions(question)[0]
    edited = "Chào chị Hoa! " + best.text
    response = send(client, question, edited, best.key)
    assert "chờ người duyệt" in text(response)
    assert adapter_for(fb).page_replies(question.external_id) == []

    login(client, org.user("duyet", Role.APPROVER, org.bac_son), language="vi")
    answer = Answer.objects.get()
    assert 'data-answers-waiting="1"' in text(client.get(reverse("wagtailadmin_home")))
    url = reverse("publishing_inbox:decide", args=(answer.pk, "approve"))
    response = client.post(url, follow=True)
    assert "Đã gửi câu trả lời." in text(response)
    assert [t for _i, t in adapter_for(fb).page_replies(question.external_id)] == [
        edited
    ]
    assert Question.objects.get().status == QuestionStatus.ANSWERED


def test_an_empty_answer_is_refused_in_vietnamese(client, org, question):
    login(client, org.user("duyet", Role.APPROVER, org.bac_son), language="vi")
    response = send(client, question, "   ")
    assert "Hãy viết câu trả lời trước khi gửi." in text(response)
    assert not Answer.objects.exists()


def test_only_an_approver_hides_a_comment(client, org, fb, question, sandbox):
    url = reverse("publishing_inbox:act", args=(question.pk, "hide"))
    login(client, org.user("bs", Role.EDITOR, org.bac_son))
    client.post(url)
    assert Question.objects.get().status == QuestionStatus.NEW
    login(client, org.user("duyet", Role.APPROVER, org.bac_son))
    client.post(url)
    assert Question.objects.get().status == QuestionStatus.HIDDEN
    assert sandbox.state.data["comments"][question.external_id]["hidden"] is True
    assert AnswerStatus.SENT not in Answer.objects.values_list("status", flat=True)
