"""What goes out, before it goes: the text, link, images and time of a share request
or of a post not sent yet, composed by `outbox.compose` as the dispatcher will
compose it (the same article, message, kind and short link: a request's link code
is the one its publication gets); once a payload is stored, that payload.

An approver reads this before approving, so it is never a template with
placeholders nor "composed when it is sent".
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from publishing.outbox import compose
from publishing.planning.slots import default_time

# A request has no publication number yet: the long link's tracking marker is
# added at approval; the short link in the text is already the final one.
REQUEST_MARKER = "pub-0"


def readable(data):
    """A payload (as stored) in the parts a person reads."""
    data = data or {}
    images = [i.get("url") for i in data.get("images") or []]
    if data.get("cover"):
        images.insert(0, data["cover"].get("url"))
    video = data.get("video") or {}
    return {
        "kind": data.get("kind", ""),
        "video": video.get("title") or video.get("name", ""),
        "title": data.get("title", ""),
        "text": data.get("message") or data.get("description", ""),
        "link": data.get("link", ""),
        "images": [i for i in images if i],
        "problems": [],
    }


def _composed(page, channel, marker, message, kind, code, video=None):
    payload, problems = compose.checked(
        page.specific,
        channel,
        marker,
        message or None,
        kind or None,
        code=code,
        video=video,
    )
    view = readable(payload.as_dict() if payload else {})
    view["problems"] = problems
    if view["kind"] == "link" and page.cover_image_id:
        # The network's card shows the article's own share image (og:image).
        view["images"] = [compose.public_url(page.specific.og_image().url)]
    return view


def for_publication(publication):
    """What `publication` sent, or will send if nothing in the article changes."""
    if publication.payload:
        return readable(publication.payload)
    return _composed(
        publication.page,
        publication.channel,
        publication.marker,
        publication.message,
        publication.kind,
        publication.link_code,
        publication.video,
    )


def for_request(share_request):
    """What approving `share_request` sends (a broadcast request: the post it
    sends to the followers), with the time it would go if approved now."""
    if share_request.broadcast_for_id:
        view = for_publication(share_request.broadcast_for)
    else:
        view = _composed(
            share_request.page,
            share_request.channel,
            REQUEST_MARKER,
            share_request.message,
            share_request.kind,
            share_request.link_code,
            share_request.video,
        )
        view["link"] = compose.short_link(share_request.link_code)
    view["at"], view["at_note"] = request_time(share_request)
    return view


def request_time(share_request, now=None):
    """(when, note): when the post goes out if approved now (as
    `sharing.add_publication` sets it), and why that time when none was asked."""
    now = now or timezone.now()
    asked = share_request.publish_at
    if asked and asked > now:
        return asked, ""
    if share_request.broadcast_for_id:
        return now, _("as soon as it is approved")
    at = default_time(share_request.channel, now)
    if at > now:
        return at, _("the channel's next free slot, if approved now")
    return now, _("as soon as it is approved")


def full_name(user):
    """A person as others know them: their name, the username when none is set."""
    if user is None:
        return "—"
    return user.get_full_name().strip() or user.get_username()
