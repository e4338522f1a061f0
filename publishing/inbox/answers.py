"""Answers going out: written, approved, claimed, sent once, reconciled.

What people do (`write`, `approve`, `reject`): an answer is written on a question
the person may plan on (an editor of the channel's unit or above). Approvers and
managers send directly; an editor sends directly only an approved suggestion left
unchanged (an article's FAQ or an `ApprovedAnswer`, `suggest.py`); their own words
wait for an approver of the channel's unit, like a share request. One live
answer per question: the database constraint makes "Send" single-use, whatever
requests run at once; the loser is told it was answered already.

Sending is an outbox item like a publication or a broadcast: `claim` records the
attempt (`sending`, `sent_at`, a lease) by a conditional update before the call,
so two processes never both send it; `_record` stores the outcome from the typed
error. An answer whose reply was lost (a 5xx, a timeout, a process killed
mid-call: its lease runs out) is `unconfirmed`, and `reconcile` reads the
comment's replies (or the Zalo conversation) back and compares the text: found,
it is `sent`; not there, it is sent again. A channel needing reconnection holds
its answers until it is reconnected. `dispatch_answers` (the scheduler's
`send_answers_job`) does all of it; "Send" in the inbox claims and sends at once.

Nothing of the person (name, text) is logged: only ids and outcomes.
"""

import datetime
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from publishing.conf import setting
from publishing.models import (
    Answer,
    AnswerStatus,
    ChannelStatus,
    InboxAccess,
    Question,
    QuestionKind,
    QuestionStatus,
)
from publishing.networks import (
    ContentRejected,
    ReconnectNeeded,
    RetryLater,
    adapter_for,
)
from publishing.outbox.claims import (
    _site_text,
    db_phase,
    default_worker,
    stopped_by_pause,
)
from publishing.outbox.send import backoff
from publishing.permissions import may

logger = logging.getLogger("publishing.inbox.answers")

A = AnswerStatus
MAX_LENGTH = 2000
"""Zalo's consultation message takes 2,000 characters; a Page reply more: one
limit for both keeps an answer movable between them."""
ENGAGEMENT_PERMISSION = "pages_manage_engagement"
INTERRUPTED = gettext_noop(
    "The network's answer was lost: the reply is looked for under the comment "
    "before it is ever sent again."
)
HELD_REASON = gettext_noop(
    "The channel needs reconnecting: the answer goes out once it is reconnected."
)


# What people do --------------------------------------------------------------------
def window_closes(question):
    """When Zalo stops letting the OA answer this follower (None: a comment)."""
    if question.kind != QuestionKind.MESSAGE:
        return None
    latest = Question.objects.filter(
        channel_id=question.channel_id, conversation_id=question.conversation_id
    ).aggregate(latest=Max("received_at"))["latest"]
    days = datetime.timedelta(days=setting("PUBLISHING_ZALO_ANSWER_DAYS"))
    return (latest or question.received_at) + days


def check_answerable(question, text):
    """ValidationError (in the person's language) when `text` cannot go out."""
    if question.personal_data_removed_at is not None:
        raise ValidationError(
            _("This question is past its retention period: it cannot be answered.")
        )
    if question.status == QuestionStatus.HIDDEN:
        raise ValidationError(_("This comment is hidden: it cannot be answered."))
    if not text:
        raise ValidationError(_("Write the answer before sending it."))
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            _("The answer is %(length)s characters long; at most %(limit)s.")
            % {"length": len(text), "limit": MAX_LENGTH}
        )
    closes = window_closes(question)
    if closes is not None and closes <= timezone.now():
        raise ValidationError(
            _(
                "Zalo no longer lets the OA answer this person: the %(days)s days "
                "after their last message ended on %(when)s. Answer when they "
                "write again, or call them back from the hotline."
            )
            % {
                "days": setting("PUBLISHING_ZALO_ANSWER_DAYS"),
                "when": timezone.localtime(closes).strftime("%d/%m/%Y %H:%M"),
            }
        )


def plain(text):
    """The answer's text as posted and as compared when read back: a browser's
    form sends CRLF line breaks, a network may give them back as LF and drop the
    spaces ending a line; told apart, a lost reply would be sent again."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip()


def write(question, user, text, suggestion_key="", suggestion_text=None):
    """A new answer to `question`: `scheduled` when `user` may send it directly
    (an approver, or an approved suggestion left unchanged), else `waiting` for an
    approver. Raises PermissionDenied or ValidationError; nothing is saved then."""
    channel = question.channel
    if not may(user, "plan", channel):
        raise PermissionDenied
    text = plain(text)
    check_answerable(question, text)
    unchanged = bool(suggestion_key) and suggestion_text is not None
    unchanged = unchanged and text == plain(suggestion_text)
    direct = may(user, "approve", channel) or unchanged
    try:
        with transaction.atomic():
            answer = Answer.objects.create(
                question=question,
                text=text,
                status=A.SCHEDULED if direct else A.WAITING,
                suggestion=suggestion_key if unchanged else "",
                created_by=user,
            )
            _taken_by(question, user)
    except IntegrityError:
        raise ValidationError(
            _("This question has an answer already (sent or waiting for approval).")
        ) from None
    return answer


def _taken_by(question, user):
    Question.objects.filter(pk=question.pk, status=QuestionStatus.NEW).update(
        status=QuestionStatus.ASSIGNED, assigned_to=user
    )


def approve(answer, user):
    """An approver of the channel's unit lets a waiting answer go out."""
    if not may(user, "approve", answer.question.channel):
        raise PermissionDenied
    changed = Answer.objects.filter(pk=answer.pk, status=A.WAITING).update(
        status=A.SCHEDULED, decided_by=user, decided_at=timezone.now()
    )
    if not changed:
        raise ValidationError(_("This answer is no longer waiting for approval."))


def reject(answer, user, note):
    if not may(user, "approve", answer.question.channel):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Say why the answer is rejected."))
    changed = Answer.objects.filter(pk=answer.pk, status=A.WAITING).update(
        status=A.REJECTED, decided_by=user, decided_at=timezone.now(), note=note
    )
    if not changed:
        raise ValidationError(_("This answer is no longer waiting for approval."))


# Sending ---------------------------------------------------------------------------
def due(now):
    """Scheduled answers whose time has come; a reply is the agency speaking in
    public, so the pause switches that stop posts (everything, a unit and the
    units below it, a channel) keep answers waiting too."""
    return (
        Answer.objects.filter(status=A.SCHEDULED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .exclude(stopped_by_pause("question__channel"))
    )


def claim(answer, now=None, worker=None):
    """Record the attempt before the call (`sending`, a lease): True when this
    caller took it. Held with the channel when it needs reconnecting."""
    now = now or timezone.now()
    lease = now + datetime.timedelta(seconds=setting("PUBLISHING_LEASE_SECONDS"))
    channel = answer.question.channel
    if channel.status != ChannelStatus.ACTIVE:
        Answer.objects.filter(pk=answer.pk, status=A.SCHEDULED).update(
            status=A.HELD, last_error=_site_text(HELD_REASON)
        )
        return False
    taken = (
        due(now)
        .filter(pk=answer.pk)
        .update(
            status=A.SENDING,
            attempts=answer.attempts + 1,
            sent_at=now,
            lease_until=lease,
            leased_by=worker or default_worker(),
        )
    )
    if taken:
        answer.status, answer.sent_at = A.SENDING, now
        answer.attempts += 1
    return bool(taken)


def send(answer):
    """The call for a claimed answer, and its outcome recorded: "sent", ..."""
    question = answer.question
    external_id = error = None
    try:
        adapter = adapter_for(question.channel)
        if question.kind == QuestionKind.COMMENT:
            external_id = adapter.reply_to_comment(question.external_id, answer.text)
        else:
            external_id = adapter.send_text(question.conversation_id, answer.text)
    except Exception as raised:  # noqa: BLE001  (recorded below)
        error = raised
    with db_phase():
        return _record(answer, external_id, error)


def send_now(answer):
    """ "Send" in the inbox: claim and send at once (the scheduler otherwise)."""
    with db_phase():
        taken = claim(answer)
    return send(answer) if taken else None


def _record(answer, external_id, error):
    if error is None:
        _sent(answer, external_id)
        logger.info("answer %s sent", answer.pk)
        return "sent"
    if isinstance(error, RetryLater):
        return _retry(answer, error)
    if isinstance(error, ReconnectNeeded):
        _hold(answer, error)
        return "held"
    if isinstance(error, ContentRejected):
        _end(answer, A.FAILED, sent_at=None, **_error(error))
        logger.warning("answer %s failed: code %s", answer.pk, error.code)
        return "failed"
    _end(answer, A.UNCONFIRMED, **_error(error))
    logger.warning("answer %s: the network's answer was lost", answer.pk)
    return "unconfirmed"


def _sent(answer, external_id):
    """Sent: the question is answered, at the time of the attempt that did it."""
    now = answer.sent_at or timezone.now()
    _end(answer, A.SENT, external_id=external_id, last_error="", last_error_code="")
    question = Question.objects.filter(pk=answer.question_id)
    question.filter(first_answered_at__isnull=True).update(first_answered_at=now)
    question.exclude(status=QuestionStatus.HIDDEN).update(
        status=QuestionStatus.ANSWERED
    )


def _end(answer, status, **fields):
    """The outcome of the attempt begun at `sent_at` (also after lease recovery
    made it unconfirmed meanwhile: the network's answer says more)."""
    Answer.objects.filter(
        pk=answer.pk, sent_at=answer.sent_at, status__in=(A.SENDING, A.UNCONFIRMED)
    ).update(status=status, lease_until=None, leased_by="", **fields)


def _error(error):
    message = getattr(error, "message", "") or type(error).__name__
    code = getattr(error, "code", None)
    return {"last_error": str(message), "last_error_code": str(code or "")[:50]}


def _retry(answer, error):
    if answer.attempts >= setting("PUBLISHING_MAX_ATTEMPTS"):
        _end(answer, A.FAILED, sent_at=None, **_error(error))
        return "failed"
    after = max(error.after, backoff(answer.attempts))
    _end(
        answer,
        A.SCHEDULED,
        sent_at=None,
        next_attempt_at=timezone.now() + after,
        **_error(error),
    )
    return "retrying"


def _hold(answer, error):
    """A missing engagement permission holds the channel's answers only (its
    posting goes on); a refused token holds the channel."""
    _end(answer, A.HELD, sent_at=None, **_error(error))
    channel = answer.question.channel
    if getattr(error, "permission", None) == ENGAGEMENT_PERMISSION:
        access, _made = InboxAccess.objects.get_or_create(channel=channel)
        if ENGAGEMENT_PERMISSION not in access.missing_permissions:
            access.missing_permissions = [
                *access.missing_permissions,
                ENGAGEMENT_PERMISSION,
            ]
            access.checked_at = timezone.now()
            access.save(update_fields=["missing_permissions", "checked_at"])
        return
    channel.mark_needs_reconnect(error.message, hold_posts=True, code=error.code)


# The job ---------------------------------------------------------------------------
def dispatch_answers(now=None, limit=50):
    """Recover, reconcile, release and send what is due; {what: how many}."""
    now = now or timezone.now()
    with db_phase():
        summary = {"recovered": recover_leases(now), "released": release_held()}
    for answer in list(_unconfirmed()):
        outcome = reconcile(answer)
        summary[outcome] = summary.get(outcome, 0) + 1
    for answer in list(due(now).select_related("question__channel")[:limit]):
        with db_phase():
            taken = claim(answer, now)
        if taken:
            outcome = send(answer)
            summary[outcome] = summary.get(outcome, 0) + 1
    return {key: count for key, count in summary.items() if count}


def recover_leases(now):
    """`sending` answers whose lease ran out (the process died mid-call)."""
    return Answer.objects.filter(status=A.SENDING, lease_until__lt=now).update(
        status=A.UNCONFIRMED,
        lease_until=None,
        leased_by="",
        last_error=_site_text(INTERRUPTED),
        last_error_code="lease_expired",
    )


def release_held():
    """Held answers of channels reconnected (and granted what the inbox needs)."""
    lacking = [
        channel_id
        for channel_id, missing in InboxAccess.objects.exclude(
            missing_permissions=[]
        ).values_list("channel_id", "missing_permissions")
        if ENGAGEMENT_PERMISSION in missing
    ]
    return (
        Answer.objects.filter(
            status=A.HELD, question__channel__status=ChannelStatus.ACTIVE
        )
        .exclude(question__channel_id__in=lacking)
        .update(status=A.SCHEDULED, next_attempt_at=None)
    )


def _unconfirmed():
    return Answer.objects.filter(status=A.UNCONFIRMED).select_related(
        "question__channel"
    )


def reconcile(answer):
    """Read the comment's replies (or the conversation) back: the answer found
    is `sent`; not there, it is scheduled again; a failed read leaves it."""
    question = answer.question
    try:
        adapter = adapter_for(question.channel)
        if question.kind == QuestionKind.COMMENT:
            found = adapter.page_replies(question.external_id)
        else:
            found = adapter.oa_messages(question.conversation_id)
    except Exception as error:  # noqa: BLE001  (tried again next run)
        logger.warning("answer %s: read-back failed (%s)", answer.pk, type(error))
        return "unconfirmed"
    wanted = plain(answer.text)
    match = next((ident for ident, text in found if plain(text) == wanted), None)
    with db_phase():
        if match is not None:
            _sent(answer, match)
            logger.info("answer %s found on the network: sent once", answer.pk)
            return "reconciled"
        _end(answer, A.SCHEDULED, sent_at=None, next_attempt_at=None)
    return "rescheduled"
