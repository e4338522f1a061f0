"""Page videos, for `FacebookNetwork`: the resumable upload on the video host, the
processing followed, and the video of an unknown outcome found again.

Every video goes by the resumable upload (`upload_phase` start → transfer →
finish), whatever its size: the file is read from storage one chunk at a time, the
chunk Graph asks for, so a video is never held whole in memory. Until `finish`
nothing shows on the Page: a failure before it is retried from the start (a new
session) without leaving a second video. The video's id, given by `start`, is
handed to `on_receipt` at once: after a lost answer or a crash, reconciliation
asks that very video whether it was finished, then looks for the marker in the
descriptions of the Page's videos.
"""

import time

from publishing.networks import messages
from publishing.networks.base import (
    ContentRejected,
    OutcomeUnknown,
    Published,
    RetryLater,
    marker_pattern,
)
from publishing.networks.facebook.graph import MISSING_OBJECT, READ, UPLOAD, WRITE
from publishing.networks.video import opened, piece

VIDEO_CODE = 6000
"""Graph's "There was a problem uploading your video file" (format, size, length)."""
PROCESSING = "video_processing"
"""`last_error_code` of a video Facebook is still processing."""
VIDEO_FIELDS = "id,status,permalink_url,created_time,description"


class VideoUploads:
    """Videos of `FacebookNetwork`: uses its `_call`, `video_graph`, `page_id`,
    `on_receipt`, `label`, `video_polls` and `video_poll_interval`."""

    def _publish_video(self, payload):
        video = payload.video
        with opened(video) as source:
            start = self._upload(
                UPLOAD, {"upload_phase": "start", "file_size": video.size}
            )
            video_id, session = str(start["video_id"]), start["upload_session_id"]
            self.on_receipt(video_id)
            begin, end = int(start["start_offset"]), int(start["end_offset"])
            while begin < end:
                chunk = piece(source, begin, end)
                answer = self._upload(
                    UPLOAD,
                    {
                        "upload_phase": "transfer",
                        "upload_session_id": session,
                        "start_offset": begin,
                    },
                    files={"video_file_chunk": ("chunk", chunk)},
                )
                begin, end = int(answer["start_offset"]), int(answer["end_offset"])
        finish = {
            "upload_phase": "finish",
            "upload_session_id": session,
            "title": video.title,
            "description": payload.message,
        }
        try:
            self._upload(WRITE, finish)
        except OutcomeUnknown as error:
            error.verify_token = video_id  # reconcile asks this video first
            raise
        return self._await_video(video_id)

    def _upload(self, op, post, files=None):
        """One call on the video host; a refused file says why, with no retry."""
        try:
            return self._call(
                op,
                f"{self.page_id}/videos",
                post=post,
                files=files,
                graph=self.video_graph,
            )
        except ContentRejected as error:
            if error.code != VIDEO_CODE:
                raise
            reason = {"network": self.label, "reason": error.detail.rstrip(".")}
            raise ContentRejected(
                messages.VIDEO_REFUSED % reason, code=error.code, detail=error.detail
            ) from None

    def _await_video(self, video_id):
        """Processing followed a few reads; still going, the outcome is left to
        reconciliation (every run reads the video again until it is ready)."""
        for attempt in range(self.video_polls):
            if attempt:
                time.sleep(self.video_poll_interval)
            try:
                found = self._video_state(video_id)
            except RetryLater:
                continue
            if found is not None:
                return found
        error = OutcomeUnknown(
            messages.VIDEO_PROCESSING % {"network": self.label}, code=PROCESSING
        )
        error.verify_token = video_id
        raise error

    def _video_state(self, video_id, record=None):
        """Published when ready; None while processing; ContentRejected with the
        reason when processing failed; "incomplete" for an unfinished upload."""
        record = record or self._call(READ, video_id, args={"fields": VIDEO_FIELDS})
        status = record.get("status") or {}
        state = status.get("video_status")
        if state == "ready":
            return Published(video_id, record.get("permalink_url") or "")
        if state == "error":
            reason = ((status.get("error") or {}).get("message") or state).rstrip(".")
            raise ContentRejected(
                messages.VIDEO_PROCESSING_FAILED
                % {"network": self.label, "reason": reason},
                code="video_error",
            )
        if state == "upload_incomplete":
            return "incomplete"
        return None

    def reconcile_video(self, lookup):
        """The video of an unknown outcome: by the id `start` gave, then by the
        marker in the Page's videos' descriptions; None when it was never
        finished (a new upload may start). Still processing: RetryLater (asked
        again on the next run, never uploaded again)."""
        video_id = lookup.token or self._find_video(lookup)
        if not video_id:
            return None
        try:
            found = self._video_state(video_id)
        except ContentRejected as error:
            if (error.code, error.subcode) != MISSING_OBJECT:
                raise
            found = "incomplete"
        if found == "incomplete":
            return self._find_video_again(lookup, video_id)
        if found is None:
            raise RetryLater(
                messages.VIDEO_PROCESSING % {"network": self.label}, code=PROCESSING
            )
        return found

    def _find_video_again(self, lookup, video_id):
        """The stored id was never finished: another attempt's video may have been."""
        other = self._find_video(lookup)
        if not other or other == video_id:
            return None
        return self.reconcile_video(type(lookup)(**{**lookup.__dict__, "token": other}))

    def _find_video(self, lookup):
        """The id of the Page's video whose description carries the marker."""
        pattern = marker_pattern(lookup.marker, lookup.short_path)
        args = {"fields": "id,description,created_time", "limit": 100}
        if lookup.since:
            args["since"] = int(lookup.since.timestamp()) - 300
        answer = self._call(READ, f"{self.page_id}/videos", args=args)
        for item in answer.get("data", []):
            if pattern.search(item.get("description") or ""):
                return str(item["id"])
        return None
