"""Video articles, for `ZaloNetwork`.

The file goes first (`article/upload_video/preparevideo`, multipart `file`,
streamed from storage), `upload_video/verify` (the upload's token in a header) is
polled until Zalo gives the `video_id`, then the article of type "video" is created
and verified like any article (`ArticleVerification`). Names and limits come from
third-party SDKs and Zalo's developer pages; none is confirmed.

Nothing is visible to followers before the article is created, so a failure before
it is retried from the start (the upload again); after it, the verify token and
the title reconcile as for other articles. A processing failure (-200) is told to
the person with the reason.
"""

import time

from publishing.networks import messages
from publishing.networks.base import (
    ContentRejected,
    OutcomeUnknown,
    Payload,
    Published,
    RetryLater,
)
from publishing.networks.video import MultipartFile, opened
from publishing.networks.zalo.api import READ, UPLOAD, WRITE

PREPARE = "v2.0/article/upload_video/preparevideo"
VERIFY = "v2.0/article/upload_video/verify"


def video_payload(draft, max_description_length):
    """The Payload of kind "video": the title, the message as its description
    (with the short link, the marker, when it fits), the cover as its avatar."""
    description = draft.message
    link = draft.short_link
    if link and link not in description:
        joined = f"{description}\n{link}".strip()
        if len(joined) <= max_description_length:
            description = joined
    return Payload(
        kind="video",
        marker=draft.marker,
        title=draft.page.title,
        description=description,
        cover=draft.cover(),  # the article's avatar: an image of 1 MB at most
        link=draft.link,
        video=draft.video(),
    )


class ZaloVideos:
    """Video articles of `ZaloNetwork`: uses its `_call`, `remember_receipt`,
    `_await_article`, `verify_attempts`, `verify_interval` and `label`."""

    def _publish_video(self, payload):
        video_id = self._upload_video(payload.video)
        data = self._call(
            WRITE, "POST", "v2.0/article/create", body=video_article(payload, video_id)
        )
        token = data.get("token")
        if not token:
            raise OutcomeUnknown(messages.OUTCOME_UNKNOWN % {"network": self.label})
        self.remember_receipt(token)
        return self._await_article(token)

    def _update_video(self, external_id, payload):
        """A video article stays one: `update` wants its `video_id` again (a
        normal article's body would turn it into one). Taken from the article;
        when Zalo does not give it back, the file is uploaded again (unseen until
        an article shows it)."""
        detail = self._call(
            READ, "GET", "v2.0/article/getdetail", params={"id": external_id}
        )
        video_id = detail.get("video_id") or self._upload_video(payload.video)
        body = {**video_article(payload, str(video_id)), "id": external_id}
        self._call(WRITE, "POST", "v2.0/article/update", body=body)
        return Published(external_id)

    def _upload_video(self, video):
        with opened(video) as source:
            body = MultipartFile("file", source, video.name, video.size)
            data = self._call(UPLOAD, "POST", PREPARE, upload=body)
        token = data.get("token")
        if not token:
            raise RetryLater(messages.TEMPORARY % {"network": self.label})
        return self._await_video(token)

    def _await_video(self, token):
        """The processed upload's `video_id`; RetryLater while Zalo still works
        on it after the polls (nothing is posted yet: the next attempt uploads
        again)."""
        for attempt in range(self.verify_attempts):
            if attempt:
                time.sleep(self.verify_interval)
            try:
                data = self._call(READ, "GET", VERIFY, headers={"token": token})
            except RetryLater:
                continue
            except ContentRejected as error:
                detail = str(error.detail or error.code).rstrip(".")
                reason = {"network": self.label, "reason": detail}
                raise ContentRejected(
                    messages.VIDEO_PROCESSING_FAILED % reason,
                    code=error.code,
                    detail=error.detail,
                ) from None
            if data.get("video_id"):
                return str(data["video_id"])
        raise RetryLater(messages.VIDEO_PROCESSING % {"network": self.label})


def video_article(payload, video_id):
    return {
        "type": "video",
        "title": payload.title,
        "description": payload.description,
        "video_id": video_id,
        "avatar": payload.cover.url if payload.cover else "",
        "status": "show",
        "comment": "show",
    }
