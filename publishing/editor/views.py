"""The "Preview" of one share plan: the post as its network will show it, made from
the editor's form values (saved or not) with compose() on an in-memory article."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseForbidden
from django.template.response import TemplateResponse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.images import get_image_model
from wagtail.models import Page

from cms.content.models import ArticlePage
from publishing.editor.plans import PREVIEW_MARKER, channel_label, draft_article
from publishing.models import Channel
from publishing.outbox import compose
from publishing.permissions import may


def _refuse(response_class, message):
    return response_class(
        format_html('<p class="help-block help-critical">{}</p>', message)
    )


def _number(value):
    return int(value) if str(value or "").isdigit() else None


def _article(request):
    """(page as in the form, None) or (None, refusal): the page's latest draft or a
    new article under `parent`, with the title, intro and cover from the form."""
    user, data = request.user, request.POST
    page_id, parent_id = _number(data.get("page")), _number(data.get("parent"))
    if page_id:
        page = Page.objects.filter(pk=page_id).first()
        if page is None or not page.permissions_for_user(user).can_edit():
            return None, _refuse(
                HttpResponseForbidden, _("You may not edit this page.")
            )
        base, parent = page.get_latest_revision_as_object(), page.get_parent()
    else:
        parent = Page.objects.filter(pk=parent_id).first() if parent_id else None
        if parent is None or not parent.permissions_for_user(user).can_add_subpage():
            return None, _refuse(
                HttpResponseForbidden, _("You may not add an article here.")
            )
        base = ArticlePage()
    if not isinstance(base, ArticlePage):
        return None, _refuse(HttpResponseBadRequest, _("This page is not an article."))
    cover_id = _number(data.get("cover_image"))
    cover = get_image_model().objects.filter(pk=cover_id).first() if cover_id else None
    page = draft_article(
        base,
        parent,
        title=data.get("title", ""),
        slug=data.get("slug") or base.slug,
        intro=data.get("intro", ""),
        cover_image=cover,
    )
    return page, None


def _on_this_site(url):
    """Images are shown from this server, whatever BASE_URL says."""
    return url.removeprefix(settings.BASE_URL) if url else url


@require_POST
def share_preview(request):
    channel_id = _number(request.POST.get("channel"))
    channel = Channel.objects.select_related("unit").filter(pk=channel_id).first()
    if channel is None:
        return _refuse(HttpResponseBadRequest, _("Choose a channel first."))
    if not may(request.user, "plan", channel):
        return _refuse(
            HttpResponseForbidden, _("You may not plan shares on this channel.")
        )
    page, refusal = _article(request)
    if refusal:
        return refusal
    message = request.POST.get("message", "").replace("\r\n", "\n") or None
    kind = request.POST.get("kind") or None
    # payload None: it cannot be composed (an unknown placeholder), said in problems.
    payload, problems = compose.checked(page, channel, PREVIEW_MARKER, message, kind)
    context = {
        "channel": channel,
        "channel_label": channel_label(channel),
        "payload": payload,
        "problems": problems,
        "page": page,
    }
    if payload is not None:
        context.update(
            domain=urlsplit(payload.link).netloc,
            cover=_on_this_site(payload.cover.url if payload.cover else ""),
            images=[_on_this_site(image.url) for image in payload.images],
            link_image=_on_this_site(page.og_image().url) if page.cover_image else "",
        )
    return TemplateResponse(request, "publishing/editor/preview.html", context)
