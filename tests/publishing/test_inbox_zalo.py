"""Zalo messages reach the inbox by the signed webhook, or by reading the
conversations back when an event was missed; an unsigned, forged or stale call is
refused and stores nothing, and its refusal logs nothing personal."""

import datetime
import logging

import pytest
import time_machine

from publishing.inbox.zalo import read_back
from publishing.models import Question, QuestionKind
from tests.publishing.factories import zalo_channel

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
TEXT = "Tôi làm tự do, đóng BHXH tự nguyện ở đâu?"


@pytest.fixture
def oa(sandbox, org):
    with time_machine.travel(T0, tick=False):
        made = sandbox.zalo_oa("BHXH Bắc Sơn")
        zalo_channel(org, made)
        yield made


def event(sandbox, oa, **extra):
    body = {"oa": oa["id"], "user_id": "u77", "user_name": "Trần Văn Nam"}
    return sandbox.control("zalo/messages", {**body, "text": TEXT, **extra})


def post(client, sent):
    return client.post(
        "/hooks/zalo/",
        data=sent["body"].encode(),
        content_type="application/json",
        headers={k: v for k, v in sent["headers"].items() if k != "Content-Type"},
    )


def test_a_signed_event_becomes_one_question(client, sandbox, oa):
    with time_machine.travel(T0 + datetime.timedelta(seconds=3), tick=False):
        sent = event(sandbox, oa)
        assert post(client, sent).status_code == 200
        assert post(client, sent).status_code == 200  # Zalo may send it twice
    asked = Question.objects.get()
    assert (asked.kind, asked.text, asked.conversation_id) == (
        QuestionKind.MESSAGE,
        TEXT,
        "u77",
    )
    assert asked.external_id == sent["message"]["message_id"]


@pytest.mark.parametrize(
    "kind, extra, status",
    [
        ("unsigned", {"sign": "none"}, 403),
        ("forged", {"sign": "forged"}, 403),
        ("stale", {"age": 3600}, 400),
    ],
)
def test_a_bad_call_is_refused_and_stores_nothing(
    client, sandbox, oa, caplog, kind, extra, status
):
    with time_machine.travel(T0, tick=False), caplog.at_level(logging.DEBUG):
        response = post(client, event(sandbox, oa, **extra))
    assert response.status_code == status
    assert Question.objects.count() == 0
    assert kind in caplog.text
    assert "Nam" not in caplog.text and "tự nguyện" not in caplog.text


def test_a_missed_event_is_read_back_with_the_name(sandbox, oa):
    with time_machine.travel(T0 + datetime.timedelta(minutes=5), tick=False):
        event(sandbox, oa)  # the webhook never reached us
        assert read_back()["new"] == 1
        assert read_back()["new"] == 0
    asked = Question.objects.get()
    assert (asked.author_name, asked.text) == ("Trần Văn Nam", TEXT)
