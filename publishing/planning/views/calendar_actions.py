"""What the calendar's week lets a person do in place: move a post to another time
(dragged, or with the keyboard) and start a new share at an hour or on a day.

`move` is "Change time" (`publications.RescheduleForm`, `actions.reschedule`:
the same reading of the time, the same rights and checks) answered in JSON for
the calendar's script: `{"message": ...}` when moved (also left as the next
page's message), `{"error": ...}` in Vietnamese and nothing moved when refused.

`new_share` asks which article, with the time chosen in the calendar filled in,
then opens "Share again" for it at that time: the share is made, checked and
(for an editor) sent for approval there, as from the article's own menu.
"""

import datetime
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.widgets import AdminDateTimeInput

from cms.content.models import ArticlePage, UnitSectionPage
from cms.core import dates
from publishing.models import Publication
from publishing.permissions import channels_for, may, unit_ids_for
from publishing.planning import actions
from publishing.planning.views.publications import RescheduleForm

# A new share started from a day (not an hour) is offered at this local time.
DAY_START = datetime.time(8, 0)
ARTICLES_OFFERED = 200  # the latest live articles of the person's sections


@require_POST
def move(request, pk):
    publication = get_object_or_404(
        Publication.objects.select_related("page", "channel__unit"), pk=pk
    )
    if not may(request.user, "view", publication.channel):
        raise PermissionDenied
    form = RescheduleForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(
                [e for errors in form.errors.values() for e in errors]
            )
        actions.reschedule(request.user, publication, form.cleaned_data["publish_at"])
    except PermissionDenied:
        refused = _("You may not change the time of posts on %(channel)s.")
        return JsonResponse(
            {"error": refused % {"channel": publication.channel}}, status=403
        )
    except ValidationError as error:
        return JsonResponse({"error": " ".join(error.messages)}, status=400)
    done = _("“%(title)s” on %(channel)s now goes out at %(time)s.") % {
        "title": publication.page.title,
        "channel": publication.channel,
        "time": timezone.localtime(publication.publish_at).strftime("%H:%M %d/%m/%Y"),
    }
    messages.success(request, done)
    return JsonResponse({"message": done})


class NewShareForm(forms.Form):
    page = forms.ModelChoiceField(
        label=gettext_lazy("Article"), queryset=ArticlePage.objects.none()
    )
    publish_at = dates.DateTimeField(
        label=gettext_lazy("Publish at"),
        widget=AdminDateTimeInput,
        validators=[dates.check_within_a_year],
    )

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["page"].queryset = articles_for(user)

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError(_("Choose a time in the future."))
        return value


def articles_for(user):
    """The live articles in the sections of the person's units, latest first."""
    sections = UnitSectionPage.objects.all()
    if not user.is_superuser:
        sections = sections.filter(unit_id__in=unit_ids_for(user, "view"))
    within = Q(pk__in=[])
    for section_path in sections.values_list("path", flat=True):
        within |= Q(path__startswith=section_path)
    latest = ArticlePage.objects.live().filter(within).order_by("-last_published_at")
    ids = list(latest.values_list("pk", flat=True)[:ARTICLES_OFFERED])
    return ArticlePage.objects.filter(pk__in=ids).order_by("-last_published_at")


def _asked_time(value):
    """`?at=` of the calendar: a day (then DAY_START) or a day and hour."""
    for pattern, on_day in (("%Y-%m-%dT%H:%M", False), ("%Y-%m-%d", True)):
        try:
            at = datetime.datetime.strptime(value or "", pattern)
        except ValueError:
            continue
        if on_day:
            at = datetime.datetime.combine(at.date(), DAY_START)
        return timezone.make_aware(at)
    return None


def new_share(request):
    if not channels_for(request.user, "share_again").exists():
        raise PermissionDenied
    if "page" in request.GET:
        form = NewShareForm(request.user, request.GET)
        if form.is_valid():
            at = timezone.localtime(form.cleaned_data["publish_at"])
            query = urlencode({"publish_at": at.strftime("%Y-%m-%d %H:%M")})
            url = reverse(
                "publishing_share_again", args=(form.cleaned_data["page"].pk,)
            )
            return redirect(f"{url}?{query}")
    else:
        form = NewShareForm(
            request.user, initial={"publish_at": _asked_time(request.GET.get("at"))}
        )
    return TemplateResponse(
        request,
        "publishing/calendar/new_share.html",
        {
            "form": form,
            "page_title": _("New share"),
            "header_title": _("New share"),
            "header_icon": "date",
            "back": reverse("publishing_calendar:index"),
        },
    )
