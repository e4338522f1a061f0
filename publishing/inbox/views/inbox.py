"""The inbox of citizens' questions ("Hỏi đáp của người dân"), in the admin.

`/admin/publishing/inbox/`: the questions of the channels a person sees (their
units and the units below), newest first, filtered by status, channel, topic,
target group and date, 50 a page; the channels lacking the permissions comments
need are named at the top. `<pk>/`: one question with its post or conversation,
what was answered, suggested answers (`?use=<key>` puts one in the answer box to
edit) and the actions (answer, take, file, no reply, hide). Waiting answers are
approved or rejected there by an approver of the channel's unit.

Everything is checked on the server: a question of a channel the person does not
see is a 404; the actions check the role again (`publishing/inbox/actions.py`,
`publishing/inbox/answers.py`). URL names: `publishing_inbox:index`, `:detail`,
`:act` (args: pk, action), `:decide` (args: answer pk, decision).
"""

import datetime

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from cms.core import dates
from cms.core.models import TargetGroup
from publishing.inbox import actions, answers, suggest
from publishing.models import (
    Answer,
    AnswerStatus,
    Channel,
    InboxAccess,
    Question,
    QuestionStatus,
    Topic,
)
from publishing.models.functions import local_range
from publishing.permissions import channels_for, may, unit_ids_for
from publishing.planning.views.publications import LongSelect

PER_PAGE = 50
DATE_WIDGET = forms.DateInput(
    attrs={"placeholder": gettext_lazy("dd/mm/yyyy"), "inputmode": "numeric"},
    format="%d/%m/%Y",
)


class InboxFilters(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Waiting (new or assigned)")), ("all", "—")],
    )
    channel = forms.ModelChoiceField(
        label=gettext_lazy("Channel"),
        queryset=Channel.objects.none(),
        required=False,
        widget=LongSelect,
        empty_label=gettext_lazy("All channels"),
    )
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"),
        queryset=Topic.objects.all(),
        required=False,
        empty_label=gettext_lazy("All topics"),
    )
    target_group = forms.ModelChoiceField(
        label=gettext_lazy("Target group"),
        queryset=TargetGroup.objects.all(),
        required=False,
        empty_label=gettext_lazy("All target groups"),
    )
    since = dates.DateField(
        label=gettext_lazy("From"), required=False, widget=DATE_WIDGET
    )
    until = dates.DateField(
        label=gettext_lazy("To"), required=False, widget=DATE_WIDGET
    )

    def __init__(self, data, user):
        super().__init__(data)
        self.fields["channel"].queryset = channels_for(user, "view")
        self.fields["status"].choices = [
            *self.fields["status"].choices[:1],
            ("all", _("All")),
            *QuestionStatus.choices,
        ]

    def clean(self):
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise ValidationError(_("“From” is after “To”."))
        return data


def visible(user):
    return Question.objects.filter(channel__in=channels_for(user, "view"))


def filtered(questions, data):
    status = data.get("status") or ""
    if status == "":
        questions = questions.filter(
            status__in=(QuestionStatus.NEW, QuestionStatus.ASSIGNED)
        )
    elif status != "all":
        questions = questions.filter(status=status)
    for name in ("channel", "topic", "target_group"):
        if data.get(name) is not None:
            questions = questions.filter(**{name: data[name]})
    if data.get("since") or data.get("until"):
        start, end = local_range(
            data.get("since") or datetime.date(2000, 1, 1),
            data.get("until") or datetime.date(2100, 1, 1),
        )
        questions = questions.filter(received_at__gte=start, received_at__lt=end)
    return questions


def lacking_channels(user):
    """The person's channels whose token lacks what the inbox needs."""
    access = InboxAccess.objects.filter(channel__in=channels_for(user, "view")).exclude(
        missing_permissions=[]
    )
    return list(access.select_related("channel__unit"))


def index(request):
    form = InboxFilters(request.GET or None, request.user)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    questions = filtered(visible(request.user), data).select_related(
        "channel__unit", "publication__page", "topic", "assigned_to"
    )
    page = Paginator(questions, PER_PAGE).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "publishing/inbox/index.html",
        {
            "page_title": _("Citizens' questions"),
            "header_icon": "mail",
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "lacking": lacking_channels(request.user),
        },
    )


def _question(request, pk):
    return get_object_or_404(
        visible(request.user).select_related(
            "channel__unit", "publication__page", "topic", "target_group"
        ),
        pk=pk,
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Answer"),
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
    )
    suggestion = forms.CharField(widget=forms.HiddenInput, required=False)
    topic = forms.ModelChoiceField(
        label=gettext_lazy("Topic"), queryset=Topic.objects.all(), required=False
    )
    target_group = forms.ModelChoiceField(
        label=gettext_lazy("Target group"),
        queryset=TargetGroup.objects.all(),
        required=False,
    )


def detail(request, pk, form=None):
    question = _question(request, pk)
    offered = suggest.suggestions(question)
    if form is None:
        used = next((s for s in offered if s.key == request.GET.get("use")), None)
        form = AnswerForm(
            initial={
                "text": used.text if used else "",
                "suggestion": used.key if used else "",
                "topic": question.topic_id,
                "target_group": question.target_group_id,
            }
        )
    history = question.answers.select_related("created_by", "decided_by")
    user = request.user
    return TemplateResponse(
        request,
        "publishing/inbox/detail.html",
        {
            "page_title": _("Citizen's question"),
            "header_icon": "mail",
            "question": question,
            "suggestions": offered,
            "form": form,
            "answers": history,
            "live": history.filter(status__in=LIVE_SHOWN).first(),
            "may_approve": may(user, "approve", question.channel),
            "may_plan": may(user, "plan", question.channel),
            "window_closes": answers.window_closes(question),
            "response_time": duration(question.response_time),
            "colleagues": colleagues(question),
        },
    )


LIVE_SHOWN = [
    s for s in AnswerStatus if s not in (AnswerStatus.FAILED, AnswerStatus.REJECTED)
]


def duration(delta):
    """ "2 h 05 min" (in the person's language); None for no answer yet."""
    if delta is None:
        return None
    minutes = max(0, int(delta.total_seconds() // 60))
    return _("%(hours)s h %(minutes)02d min") % {
        "hours": minutes // 60,
        "minutes": minutes % 60,
    }


def colleagues(question):
    """People with a role on the channel's unit or above (for "assign to")."""
    unit = question.channel.unit
    units = [unit, *unit.ancestors()]
    users = get_user_model().objects.filter(
        is_active=True, unit_memberships__unit__in=units
    )
    return users.distinct().order_by("username")[:100]


@require_POST
def answer(request, pk):
    question = _question(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return detail(request, pk, form)
    data = form.cleaned_data
    key = data["suggestion"]
    offered = suggest.by_key(question, key) if key else None
    try:
        made = answers.write(
            question,
            request.user,
            data["text"],
            suggestion_key=data["suggestion"],
            suggestion_text=offered.text if offered else None,
        )
    except ValidationError as error:
        form.add_error("text", error)
        return detail(request, pk, form)
    actions.classify(question, request.user, data["topic"], data["target_group"])
    return _after_writing(request, made)


def _after_writing(request, made):
    if made.status == AnswerStatus.WAITING:
        messages.success(
            request,
            _("Your answer waits for an approver of the channel's unit."),
        )
    else:
        answers.send_now(made)
        made.refresh_from_db()
        if made.status == AnswerStatus.SENT:
            messages.success(request, _("The answer was sent."))
        elif made.status == AnswerStatus.SCHEDULED:  # a pause switch holds it
            messages.warning(
                request,
                _(
                    "Posting is paused on this channel: the answer goes out when "
                    "the pause is lifted."
                ),
            )
        else:
            messages.warning(
                request,
                _("The answer is “%(status)s”. %(reason)s")
                % {"status": made.get_status_display(), "reason": made.last_error},
            )
    return redirect("publishing_inbox:detail", made.question_id)


ACTIONS = {"take", "assign", "no_reply", "hide"}


@require_POST
def act(request, pk, action):
    question = _question(request, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    try:
        _do(request, question, action)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("publishing_inbox:detail", question.pk)


def _do(request, question, action):
    user = request.user
    if action == "take":
        actions.assign(question, user, user)
        messages.success(request, _("The question is yours."))
    elif action == "assign":
        to = get_user_model().objects.filter(pk=request.POST.get("to")).first()
        actions.assign(question, user, to)
        messages.success(request, _("The question was assigned."))
    elif action == "no_reply":
        actions.no_reply(question, user)
        messages.success(request, _("Marked as needing no reply."))
    elif action == "hide":
        actions.hide(question, user)
        messages.success(request, _("The comment is hidden on the Page."))


@require_POST
def decide(request, pk, decision):
    made = get_object_or_404(
        Answer.objects.filter(question__in=visible(request.user)), pk=pk
    )
    try:
        if decision == "approve":
            answers.approve(made, request.user)
            made.refresh_from_db()
            _after_writing(request, made)
        else:
            answers.reject(made, request.user, request.POST.get("note"))
            messages.success(request, _("The answer was rejected."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("publishing_inbox:detail", made.question_id)


class InboxMenuItem(MenuItem):
    def is_shown(self, request):
        user = request.user
        seen = user.is_superuser or bool(unit_ids_for(user, "view"))
        return user.is_active and seen


class InboxViewSet(ViewSet):
    name = "publishing_inbox"
    url_prefix = "publishing/inbox"
    icon = "mail"
    menu_label = gettext_lazy("Citizens' questions")
    add_to_admin_menu = False  # shown in the Publishing group
    menu_item_class = InboxMenuItem

    def get_urlpatterns(self):
        return [
            path("", index, name="index"),
            path("<int:pk>/", detail, name="detail"),
            path("<int:pk>/answer/", answer, name="answer"),
            path("<int:pk>/<slug:action>/", act, name="act"),
            path("answers/<int:pk>/<slug:decision>/", decide, name="decide"),
        ]


def inbox_url(question):
    return reverse("publishing_inbox:detail", args=(question.pk,))
