"""What people do with a question besides answering it: take it (or give it to a
colleague of the unit), file it under a topic and target group, mark it as needing
no reply, hide an abusive comment on the Page. Each is checked on the server
against the channel's unit (`publishing/permissions.py`): editors take, file and
close; hiding speaks for the agency in public, so it takes an approver."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from publishing.models import OPEN_STATUSES, Question, QuestionKind, QuestionStatus
from publishing.networks import NetworkError, adapter_for
from publishing.permissions import may


def _check(user, action, question):
    if not may(user, action, question.channel):
        raise PermissionDenied


def assign(question, user, to):
    """Give an open question to `to` (a person with a role on the channel's unit)."""
    _check(user, "plan", question)
    if to is not None and not may(to, "plan", question.channel):
        raise ValidationError(
            _("%(name)s has no role on this channel's unit.")
            % {"name": to.get_full_name() or to.get_username()}
        )
    changed = Question.objects.filter(pk=question.pk, status__in=OPEN_STATUSES).update(
        assigned_to=to,
        status=QuestionStatus.ASSIGNED if to else QuestionStatus.NEW,
    )
    if not changed:
        raise ValidationError(_("This question is no longer open."))


def classify(question, user, topic, target_group):
    _check(user, "plan", question)
    Question.objects.filter(pk=question.pk).update(
        topic=topic, target_group=target_group
    )


def no_reply(question, user):
    _check(user, "plan", question)
    changed = Question.objects.filter(pk=question.pk, status__in=OPEN_STATUSES).update(
        status=QuestionStatus.NO_REPLY
    )
    if not changed:
        raise ValidationError(_("This question is no longer open."))


def hide(question, user):
    """Hide the comment on the Page (an approver of the channel's unit)."""
    _check(user, "approve", question)
    if question.kind != QuestionKind.COMMENT:
        raise ValidationError(_("Only a comment can be hidden; this is a message."))
    if question.status == QuestionStatus.HIDDEN:
        raise ValidationError(_("This comment is hidden already."))
    try:
        adapter_for(question.channel).hide_comment(question.external_id)
    except NetworkError as error:
        raise ValidationError(
            _("The comment was not hidden: %(reason)s") % {"reason": error.message}
        ) from None
    Question.objects.filter(pk=question.pk).update(status=QuestionStatus.HIDDEN)
