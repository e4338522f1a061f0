"""The citizens' questions model: one row per network id, the network copied from
the channel, the time to first answer, a first topic list."""

import datetime

import pytest
import time_machine
from django.db import IntegrityError, transaction

from publishing.models import Question, QuestionKind, QuestionStatus, Topic
from tests.publishing.factories import make_channel

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def clock():
    """The questions are received at AT, and the clock stands there too."""
    with time_machine.travel(AT, tick=False) as traveller:
        yield traveller


def question(channel, external_id="c1", **fields):
    return Question.objects.create(
        channel=channel,
        kind=QuestionKind.COMMENT,
        external_id=external_id,
        author_name="Nguyễn Văn A",
        text="Tôi bán hàng ở chợ, có phải đóng BHXH bắt buộc không?",
        received_at=AT,
        **fields,
    )


def test_a_comment_is_stored_once_per_channel(org):
    channel = make_channel(org.bac_son)
    first = question(channel)
    assert first.network == "facebook"
    assert first.status == QuestionStatus.NEW and first.waiting
    with pytest.raises(IntegrityError), transaction.atomic():
        question(channel)
    other = make_channel(org.bac_son)
    assert question(other).pk != first.pk


def test_time_to_first_answer(org):
    asked = question(make_channel(org.bac_son))
    assert asked.response_time is None
    asked.first_answered_at = AT + datetime.timedelta(minutes=42)
    assert asked.response_time == datetime.timedelta(minutes=42)


def test_a_first_topic_list_is_there_to_edit():
    names = list(Topic.objects.values_list("name", flat=True))
    assert "Đóng BHXH bắt buộc" in names and names[-1] == "Khác"
