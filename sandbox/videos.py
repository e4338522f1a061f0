"""Video uploads on both fake networks, processed with a delay.

Facebook (`POST /{page-id}/videos` on the video host, here the same port): one call
with `file_url` or a multipart `source`, or the resumable session
`upload_phase=start` (`file_size`) → `transfer` (`upload_session_id`,
`start_offset`, the chunk `video_file_chunk`, until the offsets meet) → `finish`
(`title`, `description`). A finished video is a post of the Page (the feed, the
reads and the feed page show it) whose `status.video_status` reads `processing`
for the Page's `video_polls` reads, then `ready` (or `error`).
`GET /{page-id}/videos?fields=id,description,created_time` lists them.

Zalo: `POST /v2.0/article/upload_video/preparevideo` (multipart `file`, mp4, 50 MB
at most) → `data.token`; `GET /v2.0/article/upload_video/verify` (header `token`)
→ -214 "being processed" for the OA's `verify_polls` calls, then `data.video_id`
(or -200 "Upload media failed"). An article of `type` "video" wants that id.

The bytes are never kept: a video is its size and its first bytes' check (an MP4
or QuickTime file has `ftyp` at offset 4). Faults `video_bad_format`,
`video_too_long` and `video_processing_error` (on the `videos` and `preparevideo`
endpoints) act inside the call: see `faults.VIDEO_MODES`. Zalo's routes live in
zalo.py, with this module's checks.
"""

import secrets

# graph routes here and this module uses its helpers: module imports (not
# names), read when a call runs, so the cycle is harmless.
from sandbox import graph, graph_reads
from sandbox.graph_common import GraphError, graph_time, parse_fields, require_token
from sandbox.web import json_response

MAX_FB_SINGLE = 1024**3  # bytes in one non-resumable call (Graph: 1 GB)
MAX_FB_VIDEO = 10 * 1024**3  # bytes in a resumable session (Graph: 10 GB)

CHUNK = 4 * 1024 * 1024  # what Graph asks for per transfer call (its offsets)
VIDEO_POLLS = 2  # status reads answered "processing" before "ready"
FB_VIDEO_CODE = 6000  # Graph's "There was a problem uploading your video file"
FB_BAD_FORMAT = 1363022
FB_TOO_LONG = 1363026
FB_OFFSETS = 1363037


def looks_like_video(head):
    """MP4 / QuickTime: the `ftyp` box opens the file."""
    return len(head) >= 8 and head[4:8] == b"ftyp"


def video_fault(req):
    fault = req.ctx.get("fault") or {}
    return fault.get("mode", "")


# Facebook ---------------------------------------------------------------------------
def endpoint(req):
    """The endpoint name of a `/videos` upload call: `videos` in one call, else
    `video_start`, `video_transfer` or `video_finish` (faults aim at one)."""
    phase = req.param("upload_phase")
    return f"video_{phase}" if phase in ("start", "transfer", "finish") else "videos"


def upload(state, req, object_id):
    """POST /{page-id}/videos: by `upload_phase`, or in one call."""
    page = graph.writable_page(state, req, object_id)
    phase = req.param("upload_phase")
    if phase == "start":
        return start(state, req, page)
    if phase == "transfer":
        return transfer(state, req, page)
    if phase == "finish":
        return finish(state, req, page)
    if phase:
        raise GraphError(100, "(#100) upload_phase must be start, transfer or finish")
    return single(state, req, page)


def refuse(req, head=b"", size=0, limit=MAX_FB_SINGLE):
    """Graph's refusal of a file it cannot take, or None."""
    mode = video_fault(req)
    if mode == "video_bad_format" or (head and not looks_like_video(head)):
        raise GraphError(
            FB_VIDEO_CODE,
            "The video file you selected is in a format that we don't support.",
            FB_BAD_FORMAT,
        )
    if mode == "video_too_long":
        raise GraphError(
            FB_VIDEO_CODE, "The video you tried to upload is too long.", FB_TOO_LONG
        )
    if size > limit:
        raise GraphError(FB_VIDEO_CODE, f"The video is larger than {limit} bytes.")


def single(state, req, page):
    source, url = req.files.get("source"), req.param("file_url")
    if source is None and not url:
        raise GraphError(100, "(#100) Requires upload file: send file_url or source")
    if url:
        graph.check_url(url, "file_url")
        refuse(req)
        size = 0
    else:
        refuse(req, source.data[:16], len(source.data))
        size = len(source.data)
    video = new_video(state, page, size, req)
    video["received"] = size
    video["file_url"] = url
    publish(state, req, video)
    return json_response({"id": video["id"]})


def new_video(state, page, size, req):
    video_id = state.next_id("object")
    video = {
        "id": video_id,
        "page": page["id"],
        "session": secrets.token_hex(8),
        "file_size": size,
        "received": 0,
        "finished": False,
        "polls_left": page.get("video_polls", VIDEO_POLLS),
        "fails": video_fault(req) == "video_processing_error",
        "created_time": int(state.now()),
    }
    state.data.setdefault("videos", {})[video_id] = video
    return video


def start(state, req, page):
    try:
        size = int(req.param("file_size") or 0)
    except ValueError:
        size = 0
    if size <= 0:
        raise GraphError(100, "(#100) file_size must be a positive number of bytes")
    refuse(req, size=size, limit=MAX_FB_VIDEO)
    video = new_video(state, page, size, req)
    return json_response(
        {
            "video_id": video["id"],
            "upload_session_id": video["session"],
            **offsets(video),
        }
    )


def offsets(video):
    start_at = video["received"]
    return {
        "start_offset": str(start_at),
        "end_offset": str(min(start_at + CHUNK, video["file_size"])),
    }


def session_video(state, req, page):
    session = req.param("upload_session_id")
    for video in state.data.get("videos", {}).values():
        if video["session"] == session and video["page"] == page["id"]:
            return video
    raise GraphError(100, "(#100) Invalid upload_session_id")


def transfer(state, req, page):
    video = session_video(state, req, page)
    chunk = req.files.get("video_file_chunk")
    if chunk is None or str(req.param("start_offset")) != str(video["received"]):
        raise GraphError(
            FB_VIDEO_CODE,
            "Start offset does not match the one the server expects.",
            FB_OFFSETS,
        )
    if video["received"] == 0:
        refuse(req, chunk.data[:16], video["file_size"], MAX_FB_VIDEO)
    video["received"] += len(chunk.data)
    if video["received"] > video["file_size"]:
        raise GraphError(FB_VIDEO_CODE, "More bytes than file_size were sent.")
    return json_response(offsets(video))


def finish(state, req, page):
    video = session_video(state, req, page)
    if video["received"] != video["file_size"]:
        raise GraphError(
            FB_VIDEO_CODE,
            f"The upload is incomplete: {video['received']} of "
            f"{video['file_size']} bytes.",
            FB_OFFSETS,
        )
    if not video["finished"]:
        video["fails"] = video["fails"] or video_fault(req) == "video_processing_error"
        publish(state, req, video)
    return json_response({"success": True})


def publish(state, req, video):
    """The finished upload becomes a post of the Page, with its title and text."""
    video.update(
        finished=True,
        title=req.param("title") or "",
        description=req.param("description") or "",
    )
    graph.new_post(
        state,
        req,
        video["page"],
        post_id=video["id"],
        message=video["description"],
        video=True,
        title=video["title"],
    )


def edit(state, req, post):
    """POST /{video-id}: `description` and `name` (the title) change; `message` is
    not a field of a video -> (#100). The post's text follows the description."""
    if req.param("message") is not None:
        raise GraphError(100, "(#100) Param message is not a field of a video")
    video = find_video(state, post["id"]) or {}
    if req.param("name") is not None:
        video["title"] = post["title"] = req.param("name")
    description = req.param("description")
    if description is not None:
        video["description"] = description
    return description


def status(state, video):
    """`processing` for the first reads, then `ready` or `error` (the read counts)."""
    if not video.get("finished"):
        return {"video_status": "upload_incomplete", "processing_progress": 0}
    if video["polls_left"] > 0:
        video["polls_left"] -= 1
        return {"video_status": "processing", "processing_progress": 50}
    if video["fails"]:
        return {
            "video_status": "error",
            "processing_progress": 100,
            "error": {"message": "The video could not be processed."},
        }
    return {"video_status": "ready", "processing_progress": 100}


def video_values(state, video, fields):
    """The fields a video node answers besides a post's; its status only when
    asked (a status read counts towards the end of processing)."""
    values = {
        "title": video.get("title"),
        "description": video.get("description"),
        "created_time": graph_time(video["created_time"]),
    }
    if "status" in fields:
        values["status"] = status(state, video)
    return values


def find_video(state, object_id):
    return state.data.get("videos", {}).get(object_id)


def list_videos(state, req, object_id):
    """GET /{page-id}/videos: the Page's finished videos, newest first."""
    token = require_token(state, req)
    graph_reads.readable(state, token, object_id)
    fields = parse_fields(req.param("fields"), ["id", "description", "created_time"])
    videos = [
        v
        for v in state.data.get("videos", {}).values()
        if v["page"] == object_id
        and v["finished"]
        and not state.data["posts"].get(v["id"], {}).get("deleted")
    ]
    since = graph_reads.parse_time(req.param("since"))
    if since:
        videos = [v for v in videos if v["created_time"] >= since]
    videos.sort(key=lambda v: (v["created_time"], int(v["id"])), reverse=True)
    limit = max(1, min(100, int(req.param("limit") or 25)))
    data = []
    for video in videos[:limit]:
        values = {"id": video["id"], **video_values(state, video, fields)}
        data.append({k: v for k, v in values.items() if k in fields or k == "id"})
    return json_response({"data": data})
