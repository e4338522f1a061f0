"""Answers go out once: a reply under the comment as the Page, a message within
Zalo's window as the OA; an editor's own words wait for an approver; a reply whose
answer was lost (a 500 after Facebook made it, a scheduler killed mid-call) is read
back and never sent twice; a channel needing reconnection holds its answers."""

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cms.core.models import Role
from publishing.inbox import answers
from publishing.inbox.collect import collect_comments
from publishing.models import (
    Answer,
    AnswerStatus,
    ChannelStatus,
    PauseScope,
    PublicationStatus,
    PublishingPause,
    Question,
    QuestionKind,
    QuestionStatus,
)
from publishing.networks import adapter_for
from tests.publishing.concurrency import CLICKS, all_at_once, meet_before
from tests.publishing.factories import due, fresh, make_channel, zalo_channel
from tests.publishing.helpers import link_payload, login

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
MINUTE = datetime.timedelta(minutes=1)
ASKED = "Tôi bán hàng ở chợ, có phải đóng BHXH bắt buộc không?"
ANSWER = "Chào bạn, chủ hộ kinh doanh đóng BHXH bắt buộc từ 01/7/2025."


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def question(sandbox, fb, article, clock):
    """A citizen's comment under Bắc Sơn's post, collected."""
    post = adapter_for(fb).publish(link_payload())
    publication = due(article, fb)
    publication.status = PublicationStatus.PUBLISHED
    publication.external_id = post.external_id
    publication.published_at = T0
    publication.save()
    clock.shift(MINUTE)
    body = {"post_id": post.external_id, "message": ASKED, "author": "Nguyễn Thị Hoa"}
    sandbox.control("facebook/comments", body)
    clock.shift(10 * MINUTE)
    collect_comments()
    return Question.objects.get()


def page_replies(fb, question):
    return adapter_for(fb).page_replies(question.external_id)


@pytest.fixture
def approver(org):
    return org.user("duyet", Role.APPROVER, org.bac_son)


@pytest.fixture
def editor(org):
    return org.user("bientap", Role.EDITOR, org.bac_son)


def test_an_approver_replies_once_under_the_comment(fb, question, approver, clock):
    clock.shift(30 * MINUTE)
    answer = answers.write(question, approver, f"  {ANSWER}  ")
    assert answers.send_now(answer) == "sent"

    [(reply_id, text)] = page_replies(fb, question)
    answer.refresh_from_db()
    assert (answer.status, answer.external_id, text) == ("sent", reply_id, ANSWER)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.response_time == 40 * MINUTE  # the comment came at T0 + 1 min
    assert answers.dispatch_answers() == {}  # nothing left to send
    assert len(page_replies(fb, question)) == 1


def test_an_editors_own_reply_waits_for_an_approver(
    fb, question, editor, approver, clock
):
    answer = answers.write(question, editor, ANSWER)
    assert answer.status == AnswerStatus.WAITING
    assert answers.dispatch_answers() == {} and page_replies(fb, question) == []
    with pytest.raises(PermissionDenied):
        answers.approve(answer, editor)
    answers.approve(answer, approver)
    assert answers.dispatch_answers() == {"sent": 1}
    assert [text for _id, text in page_replies(fb, question)] == [ANSWER]


def test_send_is_single_use(question, approver):
    answers.write(question, approver, ANSWER)
    with pytest.raises(ValidationError) as refused:
        answers.write(question, approver, "Câu trả lời khác")
    assert "đã có câu trả lời" in str(refused.value)
    assert Answer.objects.count() == 1


def test_bad_input_is_refused_and_nothing_saved(question, approver):
    for text, words in (
        ("   ", "Hãy viết câu trả lời"),
        ("x" * 2001, "dài 2001 ký tự"),
    ):
        with pytest.raises(ValidationError) as refused:
            answers.write(question, approver, text)
        assert words in str(refused.value)
    assert not Answer.objects.exists()
    assert Question.objects.get().status == QuestionStatus.NEW


@pytest.mark.parametrize("fault", ["500_but_created", "drop_after_create"])
def test_a_lost_reply_is_read_back_not_sent_twice(
    sandbox, fb, question, approver, fault
):
    sandbox.fault("facebook", "reply", fault)
    answer = answers.write(question, approver, ANSWER)
    assert answers.send_now(answer) == "unconfirmed"
    assert fresh(answer).status == AnswerStatus.UNCONFIRMED

    assert answers.dispatch_answers() == {"reconciled": 1}
    [(reply_id, _text)] = page_replies(fb, question)
    assert (fresh(answer).status, fresh(answer).external_id) == ("sent", reply_id)
    assert Question.objects.get().status == QuestionStatus.ANSWERED


def test_line_breaks_from_the_form_do_not_hide_a_lost_reply(
    sandbox, fb, question, approver
):
    """A browser sends CRLF; the reply read back has LF (and no spaces ending a
    line): still the same answer, found, not sent again."""
    sandbox.fault("facebook", "reply", "500_but_created")
    answer = answers.write(question, approver, "Chào chị,  \r\nChị cần đăng ký.\r\n")
    assert fresh(answer).text == "Chào chị,\nChị cần đăng ký."
    assert answers.send_now(answer) == "unconfirmed"
    # An answer stored before the text was made plain, CRLF and all.
    Answer.objects.filter(pk=answer.pk).update(text="Chào chị,  \r\nChị cần đăng ký.")
    assert answers.dispatch_answers() == {"reconciled": 1}
    assert len(page_replies(fb, question)) == 1


def test_a_reply_never_made_is_sent_again_after_the_read_back(
    sandbox, fb, question, approver
):
    sandbox.fault("facebook", "reply", "html_500")  # Graph did nothing
    answer = answers.write(question, approver, ANSWER)
    assert answers.send_now(answer) == "unconfirmed"
    assert answers.dispatch_answers() == {"rescheduled": 1, "sent": 1}
    assert len(page_replies(fb, question)) == 1


def test_a_scheduler_killed_mid_call_sends_nothing_twice(fb, question, approver, clock):
    answer = answers.write(question, approver, ANSWER)
    assert answers.claim(answer)
    # The call went out, then the process died before recording anything.
    adapter_for(fb).reply_to_comment(question.external_id, ANSWER)
    assert answers.dispatch_answers() == {}  # its lease still runs
    clock.shift(datetime.timedelta(hours=1))
    assert answers.dispatch_answers() == {"recovered": 1, "reconciled": 1}
    assert len(page_replies(fb, question)) == 1
    assert fresh(answer).status == AnswerStatus.SENT


def test_a_channel_needing_reconnection_holds_its_answers(
    sandbox, fb, question, approver
):
    sandbox.fault("facebook", "reply", "expired_token")
    answer = answers.write(question, approver, ANSWER)
    assert answers.send_now(answer) == "held"
    assert fresh(fb).status == ChannelStatus.NEEDS_RECONNECT
    assert answers.dispatch_answers() == {}
    fb.status = ChannelStatus.ACTIVE  # reconnected
    fb.save(update_fields=["status"])
    assert answers.dispatch_answers() == {"released": 1, "sent": 1}
    assert len(page_replies(fb, question)) == 1


@pytest.mark.parametrize("scope", ["global", "unit", "channel"])
def test_a_pause_switch_keeps_answers_waiting(fb, question, approver, org, scope):
    """A reply is the agency speaking in public: the switches that stop posts
    stop answers too, "Send" included; lifted, the scheduler sends it once."""
    pause = PublishingPause.objects.create(
        scope=scope,
        unit=org.bac_son if scope == PauseScope.UNIT else None,
        channel=fb if scope == PauseScope.CHANNEL else None,
    )
    answer = answers.write(question, approver, ANSWER)
    assert answers.send_now(answer) is None
    assert answers.dispatch_answers() == {}
    assert fresh(answer).status == AnswerStatus.SCHEDULED
    assert page_replies(fb, question) == []
    pause.delete()
    assert answers.dispatch_answers() == {"sent": 1}
    assert [text for _id, text in page_replies(fb, question)] == [ANSWER]


# Zalo -------------------------------------------------------------------------------
@pytest.fixture
def oa(sandbox, org):
    return sandbox.zalo_oa("OA Bắc Sơn")


def zalo_question(sandbox, org, oa, clock):
    channel = zalo_channel(org, oa)
    body = {"oa": oa["id"], "user_id": "u-77", "text": ASKED, "user_name": "Hoa"}
    sandbox.control("zalo/messages", body)
    from publishing.inbox.zalo import read_back

    read_back()
    question = Question.objects.get(channel=channel)
    assert question.kind == QuestionKind.MESSAGE
    return channel, question


def test_the_oa_answers_within_zalos_window(sandbox, org, oa, approver, clock):
    channel, question = zalo_question(sandbox, org, oa, clock)
    clock.shift(datetime.timedelta(days=6))
    answer = answers.write(question, approver, ANSWER)
    assert answers.send_now(answer) == "sent"
    assert [t for _i, t in adapter_for(channel).oa_messages("u-77")] == [ANSWER]


def test_a_closed_window_is_said_and_nothing_saved(sandbox, org, oa, approver, clock):
    _channel, question = zalo_question(sandbox, org, oa, clock)
    clock.shift(datetime.timedelta(days=7, minutes=1))
    with pytest.raises(ValidationError) as refused:
        answers.write(question, approver, ANSWER)
    assert "Zalo không còn cho OA trả lời người này" in str(refused.value)
    assert "08/03/2027 09:00" in str(refused.value)  # 7 days on, Vietnam time
    assert not Answer.objects.exists()


# Parallel "Send" ------------------------------------------------------------------
def test_five_parallel_sends_make_one_answer(
    client, org, threads_db, monkeypatch, clock
):
    """Every click passes the checks before any saves (the worst interleaving):
    the constraint lets one answer in, the others are told it was answered."""
    channel = make_channel(org.bac_son, status=ChannelStatus.NEEDS_RECONNECT)
    question = Question.objects.create(
        channel=channel, kind="comment", external_id="c-1", text=ASKED, received_at=T0
    )
    login(client, org.user("duyet", Role.APPROVER, org.bac_son), language="vi")
    threads_db()
    meet_before(monkeypatch, answers, "check_answerable")
    url = reverse("publishing_inbox:answer", args=(question.pk,))
    results = all_at_once(client, url, {"text": ANSWER})
    statuses = sorted(status for status, _said in results)
    assert statuses == [200] * (CLICKS - 1) + [302], results  # refused: the form
    assert Answer.objects.count() == 1
    assert Answer.objects.get().status == AnswerStatus.HELD  # no call: reconnect
