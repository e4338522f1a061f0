"""The page editor for an approver (hooks registered in publishing/wagtail_hooks.py):
"approve and publish" as the footer's main button, and after it a message that
says the article is live and which posts are queued for when, in place of
Wagtail's "Page ... has been updated."."""

import html

from django.contrib import messages
from django.utils.dateformat import format as date_format
from django.utils.html import strip_tags
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from wagtail.admin.action_menu import WorkflowMenuItem
from wagtail.models import Page

from publishing.lifecycle import DUE
from publishing.models import Publication, ShareRequest, ShareRequestStatus


# The footer --------------------------------------------------------------------------
def _rank(item):
    """Approve (no dialog) first, then the other decisions, then saving; publishing
    past the workflow, cancelling it and the rest last."""
    if isinstance(item, WorkflowMenuItem):
        if item.name == "approve":
            return 0 if not item.launch_modal else 1
        return 2
    return {"action-save-draft": 3}.get(item.name, 4)


def approver_first(menu_items, request, context):
    """`construct_page_action_menu`: on a page waiting for this person's approval,
    "Approve and publish" becomes the main button (Wagtail makes the first item
    the default one); the order of the others is kept within their rank."""
    if any(_rank(item) == 0 for item in menu_items):
        menu_items.sort(key=_rank)


# The message after approving ---------------------------------------------------------
def _approved_here(request):
    return request.method == "POST" and (
        "action-publish" in request.POST
        or (
            "action-workflow-action" in request.POST
            and request.POST.get("workflow-action-name") == "approve"
        )
    )


def _when(moment):
    return date_format(localtime(moment), "d/m/Y H:i")


def queued_message(page):
    """What went live and what is queued: each post due with its channel and time,
    and the shares still waiting for another approver."""
    due = (
        Publication.objects.filter(page_id=page.pk, status__in=DUE)
        .select_related("channel__unit")
        .order_by("publish_at", "pk")
    )
    posts = "; ".join(
        _("%(channel)s at %(time)s")
        % {"channel": p.channel, "time": _when(p.publish_at)}
        for p in due
    )
    title = page.get_admin_display_title()
    if posts:
        text = _("“%(title)s” is live. Posts queued: %(posts)s.") % {
            "title": title,
            "posts": posts,
        }
    else:
        text = _("“%(title)s” is live. No post is queued for it.") % {"title": title}
    waiting = ShareRequest.objects.filter(
        page_id=page.pk, status=ShareRequestStatus.PENDING
    ).count()
    if waiting:
        text += " " + _("%(n)s share(s) wait for another approver.") % {"n": waiting}
    return text


def _text(message):
    """A message as read: Wagtail's are HTML (its template, maybe buttons)."""
    return " ".join(html.unescape(strip_tags(str(message.message))).split())


def _drop(request, unwanted):
    """Remove the message `unwanted`, keeping the others (reading the storage marks
    them read; the kept ones are queued again)."""
    storage = messages.get_messages(request)
    kept = [m for m in storage if _text(m) != unwanted]
    for message in kept:
        storage.add(message.level, message.message, message.extra_tags)


def say_what_is_queued(request, page):
    """`after_edit_page`: once an approval (or a publish) put the article live."""
    if not _approved_here(request):
        return None
    page = Page.objects.get(pk=page.pk).specific
    if not page.live or not hasattr(page, "share_plans"):
        return None
    if page.workflow_in_progress:
        return None  # approved one step of several: not live with this version
    _drop(
        request,
        _("Page '%(page_title)s' has been updated.")
        % {"page_title": page.get_admin_display_title()},
    )
    messages.success(request, queued_message(page))
    return None
