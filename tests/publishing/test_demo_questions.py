"""The demo's citizens' questions: seed_demo puts a few on Bắc Sơn's and the
region's channels, some answered, the open Zalo ones real conversations in the
sandbox; under `make run` the sandbox's simulated audience asks questions under
the demo posts, and the collection job brings them into the inbox."""

import datetime
import io

import time_machine
from django.core.management import call_command

from publishing.inbox.collect import collect_comments
from publishing.models import (
    AnswerStatus,
    Network,
    PublicationStatus,
    Question,
    QuestionKind,
    QuestionStatus,
)
from publishing.networks import adapter_for
from sandbox.simulate import QUESTIONS, Simulator
from tests.publishing.factories import due
from tests.publishing.helpers import link_payload
from tests.sandbox import network_options

START = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
HOUR = datetime.timedelta(hours=1)


class Clock:
    """The sandbox's and the simulator's time (Unix seconds), moved by the test."""

    def __init__(self):
        self.now = START.timestamp()

    def __call__(self):
        return self.now


def test_the_simulated_audience_asks_and_the_job_collects(sandbox, fb, article):
    clock = Clock()
    sandbox.state.clock = clock
    simulator = Simulator(sandbox.state, seed=7, clock=clock)
    publication = due(article, fb)
    post = adapter_for(fb).publish(link_payload())
    publication.status, publication.external_id = (
        PublicationStatus.PUBLISHED,
        (post.external_id),
    )
    publication.published_at = START
    publication.save()

    simulator.step()  # at the moment of posting nobody has asked yet
    with time_machine.travel(START + 5 * HOUR, tick=False):
        assert collect_comments().new == 0
        clock.now += 5 * 3600
        assert simulator.step()
        assert not simulator.step()  # asked once, not again
        run = collect_comments()

    questions = list(Question.objects.filter(channel=fb))
    assert 1 <= run.new == len(questions) <= 3
    for question in questions:
        assert (question.author_name, question.text) in QUESTIONS
        assert question.publication == publication
        assert START < question.received_at <= START + 4 * HOUR


def seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_shows_questions_some_answered(db, sandbox, settings):
    settings.SANDBOX_URL = sandbox.url
    network_options(settings, "zalo", verify_interval=0)
    sandbox.state.clock = Clock()
    with time_machine.travel(START, tick=False):
        out = seed()
    questions = Question.objects.select_related("channel__unit", "topic")
    assert "Câu hỏi mẫu của người dân: 6 câu hỏi." in out
    assert {q.channel.unit.slug for q in questions} == {"bac-son", "khu-vuc-v"}
    assert {(q.kind, q.channel.network) for q in questions} == {
        (QuestionKind.COMMENT, Network.FACEBOOK),
        (QuestionKind.MESSAGE, Network.ZALO),
    }
    answered = questions.filter(status=QuestionStatus.ANSWERED)
    assert answered.count() == 3
    for question in answered:
        [answer] = question.answers.all()
        assert answer.status == AnswerStatus.SENT and "1900 9068" in answer.text
        assert question.first_answered_at == answer.sent_at > question.received_at
        assert question.topic and question.target_group
    waiting = questions.filter(status=QuestionStatus.NEW)
    assert waiting.count() == 2
    # The open ones are conversations in the sandbox: they can be answered.
    assert all(q.kind == QuestionKind.MESSAGE and q.conversation_id for q in waiting)
    assert "Lê Thị Mai" in set(questions.values_list("author_name", flat=True))

    with time_machine.travel(START + HOUR, tick=False):
        assert "Câu hỏi mẫu" not in seed()
    assert Question.objects.count() == 6
