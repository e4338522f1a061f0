"""Zalo Official Account articles through the OA Open API, on `requests`.

No maintained Zalo SDK for Python exists, so this is a small client. This module
holds `ZaloNetwork`, the adapter for one OA: content checks, publishing,
corrections, withdrawal, reconciliation and the connection check. The rest lives
beside it:

- `api`: one Open API call (`OpenApiCalls._call`) and the classification of
  Zalo's error codes into typed errors;
- `tokens`: the access token, refreshed before it expires or once when rejected
  (`ZaloTokens`), and the secrets scrubbed from error details;
- `articles`: the article body sent and the `verify` polling that turns the
  create token into an article id (`ArticleVerification`);
- `payload`: an article composed from a page (`article_payload`): what Zalo
  accepts in its body (`ALLOWED_TAGS`, `sanitise`);
- `login`: Zalo's OA permission with PKCE (`ZaloLogin`);
- `search`: the article of an unknown outcome (`ArticleSearch.reconcile`);
- `reads`: engagement and follower reads (`ZaloReads`);
- `broadcasts`: an article sent to the OA's followers (`ZaloBroadcasts.broadcast`,
  the network's `broadcast` capability);
- `answers`: a consultation message to a follower within Zalo's window
  (`ZaloAnswers.send_text`), the OA's messages read back;
- `videos`: video articles, the file uploaded and verified first (`ZaloVideos`).
"""

import datetime

from django.utils.translation import gettext_lazy as _

from publishing.networks import messages
from publishing.networks.base import (
    REQUIRED,
    BaseNetwork,
    ChannelBroken,
    CheckResult,
    ContentRejected,
    HttpSession,
    Lookup,
    Option,
    OutcomeUnknown,
    Published,
    ReconnectNeeded,
    RetryLater,
)
from publishing.networks.video import video_problems
from publishing.networks.zalo.answers import ZaloAnswers
from publishing.networks.zalo.api import (
    READ,
    RETRY_CODES,
    VIETNAM,  # noqa: F401  (re-exported)
    WRITE,
    OpenApiCalls,
)
from publishing.networks.zalo.articles import (
    ArticleVerification,
    _article,
    _image_urls,
    _is_encoded_url,
)
from publishing.networks.zalo.broadcasts import ZaloBroadcasts
from publishing.networks.zalo.chats import ZaloChats
from publishing.networks.zalo.login import ZaloLogin
from publishing.networks.zalo.payload import article_payload
from publishing.networks.zalo.reads import ZaloReads
from publishing.networks.zalo.search import ArticleSearch
from publishing.networks.zalo.tokens import ZaloTokens
from publishing.networks.zalo.videos import ZaloVideos, video_payload


class ZaloNetwork(
    OpenApiCalls,
    ZaloTokens,
    ArticleVerification,
    ArticleSearch,
    ZaloReads,
    ZaloBroadcasts,
    ZaloChats,
    ZaloAnswers,
    ZaloVideos,
    BaseNetwork,
):
    """One Zalo OA, publishing articles with the OA's access token."""

    name = "zalo"
    label = "Zalo"
    connect_label = _("Connect Zalo OA")
    login = ZaloLogin
    default_template = "{intro}"
    """The article's description: its intro (the title is the article's own)."""
    post_hosts = ("zalo.me", "zaloapp.com", "zalo.vn")
    api_url_option = "openapi_url"
    max_title_length = 149
    """Zalo says 150, but exactly 150 was seen rejected."""
    max_description_length = 300
    """Characters in an article's description."""
    max_author_length = 50
    """Characters in an article's author line."""
    payload_kinds = ("article", "video")
    """OA articles and video articles; `broadcast` (ZaloBroadcasts) sends one to
    the followers."""
    video_formats = ("mp4",)
    """MP4 only (third-party SDKs; unconfirmed)."""
    max_video_bytes = 50 * 1024 * 1024
    """About 50 MB by `preparevideo` (third-party SDKs; unconfirmed)."""
    max_image_bytes = 1024 * 1024
    """Images in an article are at most 1 MB (unconfirmed figure)."""
    metrics = ("views",)
    """Only `total_view` of an article, when Zalo gives it."""
    read_batch_size = 1
    """`getdetail` reads one article per call."""
    slice_limit = 10
    """Articles per `getslice` page (Zalo's maximum)."""
    reconcile_pages = 5
    """`getslice` pages read at most when looking for an article."""
    clock_slack = datetime.timedelta(minutes=1)
    """Zalo's clock against ours, when an article's date is compared with an
    attempt's start."""

    declared_options = {
        **BaseNetwork.declared_options,
        "openapi_url": Option(str, "https://openapi.zalo.me/", "the OA Open API"),
        "oauth_url": Option(
            str, "https://oauth.zaloapp.com/", "the OA permission and tokens"
        ),
        "app_id": Option(str, REQUIRED, "the Zalo app's id (ZALO_APP_ID)"),
        "app_secret": Option(str, REQUIRED, "the Zalo app's secret (ZALO_APP_SECRET)"),
        "verify_attempts": Option(int, 10, "`verify` polls after a create"),
        "verify_interval": Option((int, float), 2, "seconds between two polls"),
        "oa_secret_key": Option(
            str, "", "the OA secret key signing webhook events (ZALO_OA_SECRET_KEY)"
        ),
    }

    def __init__(self, channel, options=None, **hooks):
        super().__init__(channel, options, **hooks)
        self.base_url = self.options["openapi_url"]
        self.oauth_url = self.options["oauth_url"]
        self.timeout = self.options["timeout"]
        self.session = HttpSession()
        self.verify_attempts = max(1, self.options["verify_attempts"])
        self.verify_interval = float(self.options["verify_interval"])
        self._secrets = set()

    # Content --------------------------------------------------------------------
    def build_payload(self, draft):
        """An OA article: the message becomes its description."""
        if draft.kind == "video":
            return video_payload(draft, self.max_description_length)
        return article_payload(draft, self.max_author_length)

    def validate(self, payload):
        problems = super().validate(payload)
        if not payload.title.strip():
            problems.append(messages.TITLE_EMPTY)
        for text, limit, message in (
            (payload.title, self.max_title_length, messages.TITLE_TOO_LONG),
            (
                payload.description,
                self.max_description_length,
                messages.DESCRIPTION_TOO_LONG,
            ),
            (payload.author, self.max_author_length, messages.AUTHOR_TOO_LONG),
        ):
            if len(text) > limit:
                problems.append(message % {"length": len(text), "max": limit})
        if payload.cover is None:
            problems.append(messages.COVER_MISSING)
        for url in _image_urls(payload):
            if not _is_encoded_url(url):
                problems.append(messages.IMAGE_URL_NOT_ENCODED % {"url": url})
        if payload.kind == "video":
            problems.extend(video_problems(self, payload))
        return problems

    def publish(self, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        if payload.kind == "video":
            return self._publish_video(payload)
        data = self._call(WRITE, "POST", "v2.0/article/create", body=_article(payload))
        token = data.get("token")
        if not token:
            # Zalo said yes without the key to follow it: look for it by title.
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        self.remember_receipt(token)
        return self._await_article(token)

    def update(self, external_id, payload):
        problems = self.validate(payload)
        if problems:
            raise ContentRejected(" ".join(str(p) for p in problems))
        if payload.kind == "video":
            return self._update_video(external_id, payload)
        body = {**_article(payload), "id": external_id}
        self._call(WRITE, "POST", "v2.0/article/update", body=body)
        return Published(external_id)

    def withdraw(self, external_id):
        self._call(WRITE, "POST", "v2.0/article/remove", body={"id": external_id})

    def find_published(self, marker, since):
        """`marker` is a verify token, an article's title or `pub-<id>`: each is
        tried (reconciliation itself passes them apart, see `reconcile`)."""
        return self.reconcile(Lookup(marker, since, title=marker, token=marker))

    def _find_by_token(self, marker):
        try:
            return self._verify(marker)
        except RetryLater as error:
            if error.code in RETRY_CODES or error.code is None:
                raise  # still processing, or Zalo is not answering: ask again later
            return None
        except ContentRejected:
            return None  # not a token Zalo knows

    # OA -------------------------------------------------------------------------
    def check(self):
        try:
            data = self._call(READ, "GET", "v2.0/oa/getoa")
        except ReconnectNeeded as error:
            return CheckResult(ok=False, reconnect=True, reason=error.message)
        except ChannelBroken as error:
            return CheckResult(ok=False, reason=error.message)
        oa_id = data.get("oa_id")
        if oa_id and str(oa_id) != str(self.channel.external_id):
            return CheckResult(
                ok=False,
                reconnect=True,
                name=data.get("name", ""),
                reason=messages.ZALO_OTHER_OA % {"name": data.get("name") or oa_id},
            )
        return CheckResult(
            ok=True, name=data.get("name", ""), followers=data.get("num_follower")
        )
