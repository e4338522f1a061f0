"""An OA article composed from a page: what Zalo accepts in an article's body.

Composing (`publishing.outbox.compose`) prepares what every network shares (the
text, the link with its marker, images as renditions) in a `Draft`; this turns it
into an article: the title, the message as its description, the cover, and the
StreamField body as Zalo body blocks. Zalo takes a few HTML tags only
(`ALLOWED_TAGS`): the rest is unwrapped, links are made absolute, and what has no
place in an article (a video, a document) becomes a link.
"""

from bs4 import BeautifulSoup
from django.utils.html import escape
from django.utils.translation import gettext as _
from wagtail.rich_text import expand_db_html

from publishing.networks.base import Payload

ALLOWED_TAGS = {"p", "strong", "b", "em", "i", "u", "ul", "ol", "li", "a", "br"}


def article_payload(draft, max_author_length):
    """The Payload of kind "article" for `draft`."""
    # Readers follow the short link, which counts them (the text shows no long
    # address either).
    link = draft.short_link or draft.link
    body = article_body(draft) + [
        {"type": "text", "content": _link_html(link, _("Read the full article"))}
    ]
    return Payload(
        kind="article",
        marker=draft.marker,
        title=draft.page.title,
        description=draft.message,
        author=draft.author()[:max_author_length],
        cover=draft.cover(),
        link=draft.link,
        body=body,
    )


def sanitise(html, public_url=str):
    """Rich text reduced to the tags a Zalo article accepts; links made absolute
    with `public_url`."""
    soup = BeautifulSoup(expand_db_html(html), "html.parser")
    for tag in soup.find_all(True):
        if tag.name not in ALLOWED_TAGS:
            tag.unwrap()
            continue
        href = tag.get("href") if tag.name == "a" else None
        tag.attrs = {"href": public_url(href)} if href else {}
    return str(soup).strip()


def article_body(draft):
    """StreamField -> Zalo body blocks: text (allowed HTML), image, links for video."""
    blocks = []
    for block in draft.page.body:
        value, kind = block.value, block.block_type
        if kind == "paragraph":
            html = sanitise(value.source, draft.public_url)
        elif kind == "heading":
            html = f"<p><strong>{escape(value['text'])}</strong></p>"
        elif kind == "image":
            ref = draft.image(value["image"])
            blocks.append(
                {"type": "image", "url": ref.url, "caption": value.get("caption") or ""}
            )
            continue
        else:
            html = _block_as_html(kind, value, draft.public_url)
        if html:
            blocks.append({"type": "text", "content": html})
    return blocks


def _block_as_html(kind, value, public_url):
    if kind == "quote":
        return (
            f"<p><em>\u201c{escape(value['text'])}\u201d</em> \u2014 "
            f"{escape(value['speaker'])}</p>"
        )
    if kind == "faq":
        return "".join(
            f"<p><strong>{escape(i['question'])}</strong></p>"
            f"{sanitise(i['answer'].source, public_url)}"
            for i in value["items"]
        )
    if kind == "key_figures":
        rows = "".join(
            f"<li><strong>{escape(i['number'])}</strong>: {escape(i['label'])}</li>"
            for i in value["items"]
        )
        return f"<ul>{rows}</ul>"
    return _linked_block(kind, value, public_url)


def _linked_block(kind, value, public_url):
    """Blocks an article cannot hold, as a link (or a call to action's line)."""
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
