"""Article -> the payload one channel posts, and what is wrong with it.

Every link we post carries the publication's marker in `utm_content=pub-<id>`: it is
how reconciliation finds a post whose outcome was unknown. Images are renditions
sized and compressed for the network, with absolute, percent-encoded URLs.
"""

import re
from urllib.parse import quote, urlencode

from bs4 import BeautifulSoup
from django.conf import settings
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from publishing.networks import ImageRef, Payload, adapter_for

DEFAULT_TEMPLATES = {
    "facebook": "{title}\n\n{intro}\n\n{url}\n\n{hashtags}",
    "zalo": "{intro}",
}
PLACEHOLDERS = ("title", "intro", "url", "hashtags")
IMAGE_SPEC = "max-1200x1200|format-jpeg|jpegquality-{quality}"
COVER_SPEC = "fill-1200x630|format-jpeg|jpegquality-{quality}"
ZALO_ALLOWED_TAGS = {"p", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "br"}


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
        alt=alt or image.title,
        width=rendition.width,
        height=rendition.height,
        size=size,
        path=rendition.file.path if hasattr(rendition.file, "path") else None,
    )


def compose(page, channel, marker, message=None, kind=None, adapter=None):
    """The Payload for `page` on `channel`; `message` is the custom text, if any;
    `adapter`, the channel's adapter when the caller has one."""
    adapter = adapter or adapter_for(channel)
    link = article_link(page, channel.network, marker)
    template = message or DEFAULT_TEMPLATES.get(channel.network, "{title}\n\n{url}")
    text = render_message(template, page, link)
    if channel.network == "zalo":
        return _zalo_article(page, channel, marker, text, link, adapter)
    images = []
    if kind in ("photo", "photos") and page.cover_image_id:
        images = [
            image_ref(page.cover_image, IMAGE_SPEC, adapter.max_image_bytes)
        ] + _body_images(page, adapter, limit=adapter.max_photos - 1)
        kind = "photos" if len(images) > 1 and kind == "photos" else "photo"
        images = images[:1] if kind == "photo" else images
    return Payload(
        kind=kind or "link", marker=marker, message=text, link=link, images=images
    )


def _body_images(page, adapter, limit):
    refs = []
    for block in page.body:
        if block.block_type == "image" and len(refs) < max(limit, 0):
            value = block.value
            refs.append(
                image_ref(
                    value["image"],
                    IMAGE_SPEC,
                    adapter.max_image_bytes,
                    alt=value.get("alt_text") or "",
                )
            )
    return refs


def _zalo_article(page, channel, marker, text, link, adapter):
    cover = None
    if page.cover_image_id:
        cover = image_ref(page.cover_image, COVER_SPEC, adapter.max_image_bytes)
    body = zalo_body(page, adapter) + [
        {"type": "text", "content": _link_html(link, _("Read the full article"))}
    ]
    author = page.owner_unit.label if page.owner_unit else ""
    return Payload(
        kind="article",
        marker=marker,
        title=page.title,
        description=text,
        author=author[:50],
        cover=cover,
        link=link,
        body=body,
    )


def sanitise(html):
    """Rich text reduced to the tags a Zalo article accepts; links made absolute."""
    soup = BeautifulSoup(expand_db_html(html), "html.parser")
    for tag in soup.find_all(True):
        if tag.name not in ZALO_ALLOWED_TAGS:
            tag.unwrap()
            continue
        href = tag.get("href") if tag.name == "a" else None
        tag.attrs = {"href": public_url(href)} if href else {}
    return str(soup).strip()


def zalo_body(page, adapter):
    """StreamField -> Zalo body blocks: text (allowed HTML), image, links for video."""
    blocks = []
    for block in page.body:
        value, kind = block.value, block.block_type
        if kind == "paragraph":
            html = sanitise(value.source)
        elif kind == "heading":
            html = f"<p><strong>{escape(value['text'])}</strong></p>"
        elif kind == "image":
            ref = image_ref(value["image"], IMAGE_SPEC, adapter.max_image_bytes)
            blocks.append(
                {"type": "image", "url": ref.url, "caption": value.get("caption") or ""}
            )
            continue
        else:
            html = _block_as_html(kind, value)
        if html:
            blocks.append({"type": "text", "content": html})
    return blocks


def _block_as_html(kind, value):
    if kind == "quote":
        return (
            f"<p><em>\u201c{escape(value['text'])}\u201d</em> \u2014 "
            f"{escape(value['speaker'])}</p>"
        )
    if kind == "faq":
        items = "".join(
            f"<p><strong>{escape(i['question'])}</strong></p>{sanitise(i['answer'].source)}"
            for i in value["items"]
        )
        return items
    if kind == "key_figures":
        rows = "".join(
            f"<li><strong>{escape(i['number'])}</strong>: {escape(i['label'])}</li>"
            for i in value["items"]
        )
        return f"<ul>{rows}</ul>"
    if kind == "embed" and value.get("url"):
        return _link_html(public_url(value["url"].url), _("Watch the video"))
    if kind == "video" and value.get("video"):
        return _link_html(public_url(value["video"].url), _("Watch the video"))
    if kind == "document" and value.get("document"):
        title = value.get("title") or value["document"].title
        return _link_html(public_url(value["document"].url), title)
    if kind == "call_to_action":
        target = f"tel:{value['phone']}" if value["kind"] == "hotline" else value["url"]
        return (
            f"<p>{escape(value['text'])} "
            f'<a href="{escape(target)}">{escape(value["label"])}</a></p>'
        )
    return ""


def _link_html(url, text):
    return f'<p><a href="{escape(url)}">{escape(text)}</a></p>'


def checked(page, channel, marker="pub-0", message=None, kind=None):
    """(payload, problems): the payload (None if it cannot be composed) and what
    stops it from going out on `channel`, in sentences for people."""
    try:
        payload = compose(page, channel, marker, message=message, kind=kind)
    except ValueError as error:
        return None, [str(error)]
    return payload, [str(p) for p in adapter_for(channel).validate(payload)]


def problems(page, channel, marker="pub-0", message=None, kind=None):
    """What stops `page` from going out on `channel`, in sentences for people."""
    return checked(page, channel, marker, message=message, kind=kind)[1]
