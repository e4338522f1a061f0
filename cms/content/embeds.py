"""Video embeds built from the URL alone, with no network request.

The stock oEmbed finder needs the internet (which our servers may not have), does
not cache failures, and Facebook's oEmbed needs app credentials. Building the iframe
from the URL is faster, needs nothing, and the YouTube one uses the no-cookie host.
"""

import re
from urllib.parse import parse_qs, quote, urlsplit

from django.utils.html import escape
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.base import EmbedFinder

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "m.facebook.com", "fb.watch"}
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{6,20}$")
_YOUTUBE_PATHS = ("/embed/", "/shorts/", "/live/", "/v/")


def _youtube_start(query):
    raw = (query.get("t") or query.get("start") or [""])[0]
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", raw)
    if not raw or not match:
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def youtube_id(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host not in YOUTUBE_HOSTS:
        return None, 0
    query = parse_qs(parts.query)
    if host == "youtu.be":
        candidate = parts.path.strip("/").split("/")[0]
    elif parts.path == "/watch":
        candidate = (query.get("v") or [""])[0]
    else:
        prefix = next((p for p in _YOUTUBE_PATHS if parts.path.startswith(p)), None)
        candidate = parts.path[len(prefix) :].split("/")[0] if prefix else ""
    if not _YOUTUBE_ID.match(candidate or ""):
        return None, 0
    return candidate, _youtube_start(query)


def is_facebook_video(url):
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host == "fb.watch":
        return bool(parts.path.strip("/"))
    if host not in FACEBOOK_HOSTS:
        return False
    path = parts.path
    return (
        (path.rstrip("/") == "/watch" and "v" in parse_qs(parts.query))
        or bool(re.match(r"^/[^/]+/videos/(?:[^/]+/)?\d+", path))
        or bool(re.match(r"^/reel/\d+", path))
    )


def is_supported_video_url(url):
    return youtube_id(url)[0] is not None or is_facebook_video(url)


class OfflineVideoFinder(EmbedFinder):
    def accept(self, url):
        return is_supported_video_url(url)

    def find_embed(self, url, max_width=None, max_height=None):
        video_id, start = youtube_id(url)
        if video_id:
            src = f"https://www.youtube-nocookie.com/embed/{video_id}"
            if start:
                src += f"?start={start}"
            provider = "YouTube"
            thumbnail = f"https://i.ytimg.com/vi/{video_id}/hqdefault.jpg"
        elif is_facebook_video(url):
            src = "https://www.facebook.com/plugins/video.php?href=" + quote(
                url, safe=""
            )
            provider = "Facebook"
            thumbnail = ""
        else:
            raise EmbedNotFoundException
        html = (
            f'<iframe src="{escape(src)}" width="640" height="360" loading="lazy" '
            'title="Video" frameborder="0" allow="accelerometer; encrypted-media; '
            'picture-in-picture; web-share" allowfullscreen></iframe>'
        )
        return {
            "title": "",
            "author_name": "",
            "provider_name": provider,
            "type": "video",
            "thumbnail_url": thumbnail,
            "width": 640,
            "height": 360,
            "html": html,
        }
