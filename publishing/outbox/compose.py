"""Article -> the payload one channel posts, and what is wrong with it.

Every link we post carries the publication's marker in `utm_content=pub-<id>`, and
every text its short link (`/l/<code>`, which redirects to that link and counts the
visit) instead of the long address: either is how reconciliation finds a post whose
outcome was unknown. Previews, before a publication exists, show a sample short
link of the real form (`SAMPLE_LINK_CODE`). Images are renditions
sized and compressed for the network, with absolute, percent-encoded URLs. What is
common to every network is prepared here, in a `Draft`; the channel's adapter
turns it into its payload (`BaseNetwork.build_payload`).
"""

import functools
import re
from urllib.parse import quote, urlencode

from django.conf import settings
from django.utils.translation import gettext as _

from publishing.models.publications import LINK_CODE_LENGTH, SHORT_LINK_PREFIX
from publishing.networks import Draft, ImageRef, VideoRef, adapter_for
from publishing.networks.video import mp4_seconds
from publishing.outbox.audio import audio_seconds

PLACEHOLDERS = ("title", "intro", "url", "hashtags")
IMAGE_SPEC = "max-1200x1200|format-jpeg|jpegquality-{quality}"
COVER_SPEC = "fill-1200x630|format-jpeg|jpegquality-{quality}"
STILL_SPEC = "fill-1280x720|format-jpeg|jpegquality-90"
"""An audio's video picture (publishing/outbox/audio.py)."""
# What previews show in place of a code not made yet: the real length, plainly a
# sample (it answers the public 404 page).
SAMPLE_LINK_CODE = "x" * LINK_CODE_LENGTH


def public_url(url):
    """Absolute and percent-encoded (no spaces, no raw Vietnamese characters)."""
    if not url.startswith(("http://", "https://")):
        url = settings.BASE_URL + url
    return quote(url, safe=":/?&=%#@+,;~")


def article_link(page, network, marker):
    campaign = page.campaign.slug if page.campaign_id else "bhxh"
    query = urlencode(
        {
            "utm_source": network,
            "utm_medium": "social",
            "utm_campaign": campaign,
            "utm_content": marker,
        }
    )
    return f"{page.canonical_url}?{query}"


def short_link(code=None):
    """The short link of a publication's `code`; the sample one without a code."""
    return f"{settings.BASE_URL}{SHORT_LINK_PREFIX}{code or SAMPLE_LINK_CODE}"


def hashtags(page):
    tags = ["BHXH"] + [re.sub(r"\W+", "", t.name.title()) for t in page.tags.all()]
    return " ".join(f"#{tag}" for tag in dict.fromkeys(t for t in tags if t))


def render_message(template, page, url):
    values = {
        "title": page.title,
        "intro": page.intro,
        "url": url,
        "hashtags": hashtags(page),
    }
    try:
        return template.format(**values).strip()
    except (KeyError, IndexError, ValueError) as error:
        raise ValueError(
            _(
                "The message uses an unknown placeholder %(name)s; allowed: "
                "{title}, {intro}, {url}, {hashtags}."
            )
            % {"name": error}
        ) from None


def image_ref(image, spec, max_bytes=None, alt=""):
    """A rendition small enough for the network: JPEG quality lowered until it fits."""
    for quality in (85, 75, 65, 55):
        rendition = image.get_rendition(spec.format(quality=quality))
        size = rendition.file.size
        if not max_bytes or size <= max_bytes:
            break
    return ImageRef(
        url=public_url(rendition.url),
        alt=alt or image.default_alt_text,
        width=rendition.width,
        height=rendition.height,
        size=size,
        path=rendition.file.path if hasattr(rendition.file, "path") else None,
    )


def compose(
    page, channel, marker, message=None, kind=None, adapter=None, code=None, video=None
):
    """The Payload for `page` on `channel`; `message` is the custom text, if any;
    `adapter`, the channel's adapter when the caller has one; `code`, the
    publication's short link code (None: a preview, with the sample link);
    `video`, the media item of a video post (None: the article's featured video)."""
    adapter = adapter or adapter_for(channel)
    link = article_link(page, channel.network, marker)
    short = short_link(code)
    text = render_message(message or adapter.default_template, page, short)
    made = draft(page, marker, text, (link, short), kind, adapter)
    made.video = functools.partial(video_ref, page, video)
    return adapter.build_payload(made)


def video_ref(page, media=None):
    """The VideoRef of `media`, or of the article's featured video; None if none.
    Its duration is the media item's, else read from the file (an MP4 says it;
    ffmpeg reads an audio's). An audio's `still` is its video's picture."""
    media = media or (page.featured_video if page.featured_video_id else None)
    if media is None:
        return None
    path = media.file.path if hasattr(media.file, "path") else None
    try:
        size = media.file.size
    except (OSError, ValueError):
        size = None
    audio = media.type == "audio"
    thumbnail = public_url(media.thumbnail.url) if media.thumbnail else ""
    read = audio_seconds if audio else mp4_seconds
    return VideoRef(
        url=public_url(media.url),
        name=media.filename,
        size=size,
        seconds=media.duration or (read(path) if path else None),
        media_type=media.type,
        title=media.title,
        thumbnail=thumbnail,
        path=path,
        still=_still(page, media) if audio else None,
    )


def _still(page, media):
    """The local file of an audio's picture: the article's cover fitted to 16:9,
    else the audio's own thumbnail; None without either."""
    if page.cover_image_id:
        rendition = page.cover_image.get_rendition(STILL_SPEC)
        if hasattr(rendition.file, "path"):
            return rendition.file.path
    if media.thumbnail and hasattr(media.thumbnail, "path"):
        return media.thumbnail.path
    return None


def draft(page, marker, text, links, kind, adapter):
    """What every network's payload is made of, images sized for `adapter`;
    `links`: the article's long address and the short link."""
    limit = adapter.max_image_bytes
    return Draft(
        page=page,
        marker=marker,
        message=text,
        link=links[0],
        short_link=links[1],
        kind=kind,
        author=functools.partial(_author, page),
        photos=functools.partial(_photos, page, limit),
        cover=functools.partial(_cover, page, limit),
        image=lambda image, alt="": image_ref(image, IMAGE_SPEC, limit, alt=alt),
        public_url=public_url,
    )


def _author(page):
    return page.owner_unit.label if page.owner_unit else ""


def _cover(page, max_bytes):
    if not page.cover_image_id:
        return None
    return image_ref(page.cover_image, COVER_SPEC, max_bytes)


def _photos(page, max_bytes, limit):
    """The cover, then the body's images: `limit` at most; none without a cover."""
    if not page.cover_image_id or limit < 1:
        return []
    refs = [image_ref(page.cover_image, IMAGE_SPEC, max_bytes)]
    for block in page.body:
        if block.block_type == "image" and len(refs) < limit:
            value = block.value
            refs.append(
                image_ref(
                    value["image"],
                    IMAGE_SPEC,
                    max_bytes,
                    alt=value.get("alt_text") or "",
                )
            )
    return refs


def checked(
    page, channel, marker="pub-0", message=None, kind=None, code=None, video=None
):
    """(payload, problems): the payload (None if it cannot be composed) and what
    stops it from going out on `channel`, in sentences for people."""
    try:
        payload = compose(
            page, channel, marker, message=message, kind=kind, code=code, video=video
        )
    except ValueError as error:
        return None, [str(error)]
    return payload, [str(p) for p in adapter_for(channel).validate(payload)]


def problems(page, channel, marker="pub-0", message=None, kind=None, video=None):
    """What stops `page` from going out on `channel`, in sentences for people."""
    return checked(page, channel, marker, message=message, kind=kind, video=video)[1]
