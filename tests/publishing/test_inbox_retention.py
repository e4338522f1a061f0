"""Retention: past PUBLISHING_QUESTIONS_RETENTION the person's data is wiped and
the timings, status, topic and target group stay."""

import datetime

import pytest
import time_machine

from cms.core.models import TargetGroup
from publishing import scheduler
from publishing.models import Question, QuestionKind, QuestionStatus, Topic
from tests.publishing.factories import make_channel

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)


def test_old_questions_lose_the_person_and_keep_the_figures(org, settings):
    settings.PUBLISHING_QUESTIONS_RETENTION = 365
    channel = make_channel(org.bac_son, "zalo")
    topic, group = Topic.objects.first(), TargetGroup.objects.first()

    def asked(days_ago, external_id):
        return Question.objects.create(
            channel=channel,
            kind=QuestionKind.MESSAGE,
            external_id=external_id,
            conversation_id="u77",
            author_name="Trần Văn Nam",
            text="Tôi làm tự do, đóng BHXH tự nguyện ở đâu?",
            received_at=T0 - datetime.timedelta(days=days_ago),
            first_answered_at=T0 - datetime.timedelta(days=days_ago, hours=-2),
            status=QuestionStatus.ANSWERED,
            topic=topic,
            target_group=group,
        )

    old, recent = asked(366, "m1"), asked(364, "m2")
    with time_machine.travel(T0, tick=False):
        assert scheduler.forget_questions_job() == {"forgotten": 1}
        assert scheduler.forget_questions_job() == {"forgotten": 0}
    old.refresh_from_db()
    assert (old.author_name, old.text, old.conversation_id) == ("", "", "")
    assert old.personal_data_removed_at == T0
    assert old.response_time == datetime.timedelta(hours=2)
    assert (old.topic, old.target_group, old.status) == (
        topic,
        group,
        QuestionStatus.ANSWERED,
    )
    recent.refresh_from_db()
    assert recent.author_name == "Trần Văn Nam" and recent.text
