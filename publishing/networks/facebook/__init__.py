"""Facebook Pages through the Graph API, on facebook-sdk 3.1.0.

This module holds `FacebookNetwork`, the adapter for one Page: its capabilities
and options, content checks, publishing, corrections, withdrawal, reconciliation
and the connection check. The rest lives beside it:

- `graph`: the Graph client (`_Graph`), one call (`GraphCalls._call`) and the
  classification of its errors into typed ones, with the token scrubbed;
- `reads`: engagement reads (`EngagementReads`), counts and insights of many
  posts in few calls, and `POST_INSIGHTS`, the insights metrics read;
- `login`: Facebook Login for Pages (`FacebookLogin`);
- `replies`: the Page answering under a comment, its replies read back, a
  comment hidden (`CommentReplies`);
- `videos`: Page videos (`VideoUploads`): the resumable upload, processing
  followed, reconciliation by the video's id or the marker in its description.
"""

import datetime
import json
from urllib.parse import parse_qs, urlparse

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.networks import messages
from publishing.networks.base import (
    REQUIRED,
    BaseNetwork,
    CheckResult,
    ContentRejected,
    HttpSession,
    NetworkError,
    Option,
    Published,
    ReconnectNeeded,
    marker_pattern,
    strings_in,
)
from publishing.networks.facebook.comments import CommentReads
from publishing.networks.facebook.graph import (
    MISSING_OBJECT,
    READ,
    UPLOAD,
    WRITE,
    GraphCalls,
    _Graph,
)
from publishing.networks.facebook.login import FacebookLogin
from publishing.networks.facebook.reads import (  # noqa: F401  (re-exported)
    POST_INSIGHTS,
    EngagementReads,
)
from publishing.networks.facebook.replies import CommentReplies
from publishing.networks.facebook.videos import VideoUploads
from publishing.networks.video import video_problems

FEED_FIELDS = "id,message,permalink_url,created_time,attachments{unshimmed_url,url}"


class FacebookNetwork(
    GraphCalls,
    EngagementReads,
    CommentReads,
    CommentReplies,
    VideoUploads,
    BaseNetwork,
):
    """One Facebook Page, posting with its Page token."""

    name = "facebook"
    label = "Facebook"
    connect_label = _("Connect Facebook")
    login = FacebookLogin
    default_template = "{title}\n\n{intro}\n\n{url}\n\n{hashtags}"
    """Title, intro, link and hashtags, a blank line apart."""
    post_hosts = ("facebook.com", "fb.com", "fb.watch")
    api_url_option = "graph_url"
    max_message_length = 63206
    """Graph's limit for the text of a Page post."""
    payload_kinds = ("link", "photo", "photos", "video")
    """A link post, one photo with a caption, several photos in one post, or a
    video with its text."""
    max_photos = 10
    """Photos we attach to one post (Graph allows more; more is rarely read)."""
    max_image_bytes = 10 * 1024 * 1024
    """Photos under 10 MB (Meta's figure, unconfirmed)."""
    video_formats = ("mp4", "mov", "m4v")
    """Meta lists many more; these are what the media library holds."""
    max_video_bytes = 10 * 1024**3
    """10 GB by the resumable upload (Meta's figure, unconfirmed)."""
    max_video_seconds = 240 * 60
    """240 minutes for a Page video (Meta's figure, unconfirmed)."""
    metrics = ("reactions", "comments", "shares", "views", "reach", "clicks")
    """Counts from the post itself, the rest from post insights."""
    read_batch_size = 50
    """Graph's maximum of ids in one `?ids=` read."""
    reconcile_pages = 5
    """Feed pages (of 100 posts) read at most when looking for a post."""
    declared_options = {
        **BaseNetwork.declared_options,
        "graph_url": Option(str, "https://graph.facebook.com/", "the Graph API"),
        "dialog_url": Option(
            str, "https://www.facebook.com/", "where the login dialog lives"
        ),
        "api_version": Option(str, "v24.0", "the Graph API version pinned"),
        "video_url": Option(
            str, "https://graph-video.facebook.com/", "the host videos go to"
        ),
        "video_polls": Option(int, 5, "reads of a video's processing after upload"),
        "video_poll_interval": Option((int, float), 2, "seconds between two reads"),
        "app_id": Option(str, REQUIRED, "the Facebook app's id (FACEBOOK_APP_ID)"),
        "app_secret": Option(
            str, help="the Facebook app's secret (FACEBOOK_APP_SECRET)"
        ),
    }

    def __init__(self, channel, options=None, **hooks):
        super().__init__(channel, options, **hooks)
        self.page_id = channel.external_id
        self.version = self.options["api_version"]
        self._token = self.credentials.get("page_token", "")
        self.graph = _Graph(
            base_url=self.options["graph_url"],
            access_token=self._token,
            timeout=self.options["timeout"],
            session=HttpSession(),
        )
        self.graph.version = self.version
        self.video_graph = _Graph(
            base_url=self.options["video_url"],
            access_token=self._token,
            timeout=self.options["timeout"],
            session=self.graph.session,
        )
        self.video_polls = max(1, self.options["video_polls"])
        self.video_poll_interval = float(self.options["video_poll_interval"])
        self._rejected_metrics = set()
        self._insights_denied = False

    # Content --------------------------------------------------------------------
    def validate(self, payload):
        problems = super().validate(payload)
        if payload.kind == "link" and not payload.link:
            problems.append(messages.LINK_MISSING)
        count = len(payload.images)
        if payload.kind == "photo" and count != 1:
            problems.append(messages.PHOTO_ONE % {"count": count})
        if payload.kind == "photos" and count < 2:
            problems.append(messages.PHOTOS_FEW % {"count": count})
        if payload.kind == "video":
            problems.extend(video_problems(self, payload))
        return problems

    def publish(self, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        if payload.kind == "link":
            answer = self._call(
                WRITE,
                f"{self.page_id}/feed",
                post={
                    "message": payload.message,
                    "link": payload.link,
                    "fields": "permalink_url",
                },
            )
            return self._published(answer["id"], answer.get("permalink_url"))
        if payload.kind == "video":
            return self._publish_video(payload)
        if payload.kind == "photo":
            answer = self._upload_photo(payload.images[0], payload.message, WRITE)
            post_id = answer.get("post_id") or answer["id"]
            return self._published(post_id, answer.get("permalink_url"))
        media = [
            self._upload_photo(image, "", UPLOAD, published=False)["id"]
            for image in payload.images
        ]
        post = {"message": payload.message, "fields": "permalink_url"}
        for index, media_id in enumerate(media):
            post[f"attached_media[{index}]"] = json.dumps({"media_fbid": media_id})
        answer = self._call(WRITE, f"{self.page_id}/feed", post=post)
        return self._published(answer["id"], answer.get("permalink_url"))

    def _upload_photo(self, image, caption, op, published=True):
        post = {"caption": caption} if caption else {}
        if not published:
            post["published"] = "false"
        if image.path:
            with open(image.path, "rb") as source:
                return self._call(
                    op, f"{self.page_id}/photos", post=post, files={"source": source}
                )
        return self._call(op, f"{self.page_id}/photos", post={**post, "url": image.url})

    def _published(self, post_id, permalink):
        if not permalink:
            # The post exists: a failed permalink read must not turn it into an error.
            try:
                permalink = self._call(
                    READ, post_id, args={"fields": "permalink_url"}
                ).get("permalink_url", "")
            except NetworkError:
                permalink = ""
        return Published(post_id, permalink or "", timezone.now())

    def update(self, external_id, payload):
        # A video's text is its `description`: the Video node has no `message`.
        field = "description" if payload.kind == "video" else "message"
        self._call(WRITE, external_id, post={field: payload.message})
        return Published(external_id)

    def withdraw(self, external_id):
        try:
            self._call(WRITE, external_id, method="DELETE")
        except ContentRejected as error:
            if (error.code, error.subcode) != MISSING_OBJECT:
                raise
            # Already gone: withdrawing is done.

    def reconcile(self, lookup):
        if lookup.kind == "video":
            return self.reconcile_video(lookup)
        return self.find_published(lookup.marker, lookup.since, lookup.short_path)

    def find_published(self, marker, since, short_path=""):
        """The post made since `since` whose text or link carries `marker` or the
        short link's `short_path` (a photo post's text has only the short link)."""
        pattern = marker_pattern(marker, short_path)
        # A little slack for the clocks: the marker decides, not the time.
        args = {"fields": FEED_FIELDS, "limit": 100}
        if since:
            args["since"] = int((since - datetime.timedelta(minutes=5)).timestamp())
        for _page in range(self.reconcile_pages):
            answer = self._call(READ, f"{self.page_id}/feed", args=args)
            for post in answer.get("data", []):
                if any(pattern.search(text) for text in strings_in(post)):
                    return Published(
                        post["id"],
                        post.get("permalink_url", ""),
                        _parse_time(post.get("created_time")),
                    )
            after = _next_cursor(answer)
            if not after or not answer.get("data"):
                return None
            args = {**args, "after": after}
        return None

    # Page -----------------------------------------------------------------------
    def fetch_followers(self):
        answer = self._call(
            READ, self.page_id, args={"fields": "followers_count,fan_count"}
        )
        return _followers(answer)

    def check(self):
        try:
            me = self._call(READ, "me", args={"fields": "id,name"})
            if str(me.get("id")) != str(self.page_id):
                return CheckResult(
                    ok=False, reconnect=True, reason=self._wrong_token_reason(me)
                )
            page = self._call(
                READ, self.page_id, args={"fields": "name,followers_count,fan_count"}
            )
        except ReconnectNeeded as error:
            return CheckResult(ok=False, reconnect=True, reason=error.message)
        except ContentRejected:
            return CheckResult(
                ok=False,
                reconnect=True,
                reason=messages.FB_PAGE_NOT_FOUND % {"page": self.page_id},
            )
        return CheckResult(
            ok=True,
            name=page.get("name", me.get("name", "")),
            followers=_followers(page),
        )

    def _wrong_token_reason(self, me):
        """A person's token lists the Pages they manage; a Page's token has no such
        edge (code 100). `debug_token` would say it too, but it wants the token in
        the URL, where logs keep it."""
        try:
            self._call(READ, "me/accounts", args={"fields": "id", "limit": 1})
        except ContentRejected:
            return messages.FB_OTHER_PAGE % {"name": me.get("name") or me.get("id")}
        except NetworkError:
            pass
        return messages.FB_USER_TOKEN


def _next_cursor(answer):
    paging = answer.get("paging") or {}
    after = (paging.get("cursors") or {}).get("after")
    if after or not paging.get("next"):
        return after
    return (parse_qs(urlparse(paging["next"]).query).get("after") or [None])[0]


def _followers(page):
    value = page.get("followers_count")
    return value if value is not None else page.get("fan_count")


def _parse_time(value):
    """Graph's `2025-07-01T08:00:00+0000`."""
    if not value:
        return None
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None
