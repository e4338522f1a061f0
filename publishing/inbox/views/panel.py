"""The admin home's count of citizens' questions waiting (new or assigned) on the
channels a person sees, and, for approvers, the answers waiting for them; nothing
is shown when there are none. Registered in publishing/wagtail_hooks.py."""

from django.utils.functional import cached_property
from wagtail.admin.ui.components import Component

from publishing.models import OPEN_STATUSES, Answer, AnswerStatus, Question
from publishing.permissions import channels_for


class QuestionsPanel(Component):
    name = "publishing_questions"
    template_name = "publishing/inbox/home_panel.html"
    order = 42  # what waits for someone: after the shares to approve (40)

    def __init__(self, user):
        self.user = user

    @cached_property
    def counts(self):
        seen = channels_for(self.user, "view")
        waiting = Question.objects.filter(channel__in=seen, status__in=OPEN_STATUSES)
        answers = Answer.objects.filter(
            status=AnswerStatus.WAITING,
            question__channel__in=channels_for(self.user, "approve"),
        )
        return waiting.count(), answers.count()

    def get_context_data(self, parent_context):
        questions, answers = self.counts
        return {"questions": questions, "answers": answers}

    def render_html(self, parent_context=None):
        if not any(self.counts):
            return ""
        return super().render_html(parent_context)
