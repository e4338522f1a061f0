"""The Zalo OA Open API stand-in: articles (asynchronous creation, verify, update,
remove, detail, slice) and the OA's profile. OAuth v4 lives in zalo_auth.py.

Zalo answers errors with HTTP 200 and a negative `error`: so does the sandbox.
"""

import datetime
import functools
import secrets
from zoneinfo import ZoneInfo

from sandbox import videos, zalo_auth
from sandbox.web import Match, json_response

MAX_TITLE, MAX_DESCRIPTION, MAX_AUTHOR, MAX_SLICE = 150, 300, 50, 10
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
BROADCAST_HOURS = (6, 22)  # 06:00 to 21:59 Vietnam time
PREPARE_VIDEO = "/v2.0/article/upload_video/preparevideo"
VERIFY_VIDEO = "/v2.0/article/upload_video/verify"


class ZaloError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def error_response(code, message):
    return json_response({"error": code, "message": message})


def success(data):
    return json_response({"error": 0, "message": "Success", "data": data})


def invalid(what):
    return ZaloError(-201, f"Invalid parameter: {what}")


def match(state, req):
    """Route `/v2.0/article/…`, `/v2.0/oa/…` and `/v4/oa/…`, or None."""
    path = req.path.rstrip("/")
    if path.startswith("/v4/oa/"):
        return zalo_auth.match(req.method, path)
    if not path.startswith(("/v2.0/article/", "/v2.0/oa/")):
        return None
    found = ROUTES.get((req.method, path), ("unknown", unknown, False))
    endpoint, func, mutating = found
    return Match("zalo", endpoint, functools.partial(guard, func), {}, mutating)


def guard(func, state, req):
    try:
        return func(state, req)
    except ZaloError as error:
        return error_response(error.code, error.message)


def unknown(state, req):
    return json_response({"error": 404, "message": "empty api"})


def decorate(response):
    """Zalo's rate-limit headers on every answer."""
    response.headers.setdefault("X-RateLimit-Limit", "4000")
    response.headers.setdefault("X-RateLimit-Remain", "3999")
    return response


def require_oa(state, req):
    """The OA of the `access_token` header; -216 for anything not valid."""
    record = state.token(req.headers.get("access_token"))
    if not record or record["kind"] != "oa" or state.token_problem(record):
        raise ZaloError(-216, "Access token is invalid")
    return state.data["oas"][record["owner"]]


def body(req):
    if not isinstance(req.json, dict):
        raise invalid("the body must be a JSON object")
    return req.json


# Validation ------------------------------------------------------------------------
def bad_url(url):
    """Zalo wants public, percent-encoded URLs: no raw space, nothing non-ASCII."""
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        return True
    return any(char.isspace() or ord(char) > 127 for char in url)


def clean_article(data):
    """The article fields after Zalo's checks (-201 on the first problem)."""
    kind = data.get("type", "normal")
    title = data.get("title")
    if kind not in ("normal", "video"):
        raise invalid("type")
    if not isinstance(title, str) or not 0 < len(title) <= MAX_TITLE:
        raise invalid(f"title must have 1 to {MAX_TITLE} characters")
    if len(data.get("description") or "") > MAX_DESCRIPTION:
        raise invalid(f"description is longer than {MAX_DESCRIPTION} characters")
    if len(data.get("author") or "") > MAX_AUTHOR:
        raise invalid(f"author is longer than {MAX_AUTHOR} characters")
    if kind == "video":
        if not data.get("video_id") or bad_url(data.get("avatar")):
            raise invalid("video_id and avatar")
    else:
        check_cover(data.get("cover"))
        check_body(data.get("body"))
    keys = ("type", "title", "author", "description", "cover", "body", "video_id")
    article = {key: data[key] for key in keys if key in data}
    article.update(
        type=kind,
        status=data.get("status", "show"),
        comment=data.get("comment", "show"),
        avatar=data.get("avatar"),
    )
    return article


def check_cover(cover):
    if not isinstance(cover, dict):
        raise invalid("cover")
    if cover.get("cover_type", "photo") == "photo" and bad_url(cover.get("photo_url")):
        raise invalid("cover.photo_url")


def check_body(blocks):
    if not isinstance(blocks, list) or not blocks:
        raise invalid("body")
    for index, block in enumerate(blocks):
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text" and isinstance(block.get("content"), str):
            continue
        if kind == "image" and not bad_url(block.get("url")):
            continue
        if kind == "video" and (block.get("video_id") or not bad_url(block.get("url"))):
            continue
        raise invalid(f"body[{index}]")


# Articles ------------------------------------------------------------------------
def processing_token(state, oa, article_id):
    """A verify token: "being processed" for `verify_polls` calls, then the id."""
    token = secrets.token_hex(16)
    polls = oa.get("verify_polls", 2)
    state.data["article_tokens"][token] = {"article": article_id, "polls_left": polls}
    return token


def create(state, req):
    oa = require_oa(state, req)
    article = clean_article(body(req))
    if article["type"] == "video" and not ready_video(
        state, oa["id"], article.get("video_id")
    ):
        raise invalid("video_id is not a processed upload of this OA")
    article_id = state.next_id("article")
    now_ms = int(state.now() * 1000)
    article.update(
        id=article_id,
        oa=oa["id"],
        create_date=now_ms,
        update_date=now_ms,
        total_view=0,
        total_share=0,
        deleted=False,
        link=f"{req.base_url}#article-{article_id}",
    )
    state.data["articles"][article_id] = article
    return success({"token": processing_token(state, oa, article_id)})


def verify(state, req):
    oa = require_oa(state, req)
    pending = state.data["article_tokens"].get(body(req).get("token") or "")
    article = state.data["articles"].get((pending or {}).get("article"))
    if not pending or article["oa"] != oa["id"]:
        raise invalid("token")
    if pending["polls_left"] > 0:
        pending["polls_left"] -= 1
        raise ZaloError(-214, "Media is being processed")
    return success({"id": article["id"]})


def live_article(state, oa, article_id):
    article = state.data["articles"].get(str(article_id or ""))
    if not article or article["oa"] != oa["id"] or article["deleted"]:
        raise invalid("id")
    return article


def update(state, req):
    oa = require_oa(state, req)
    data = body(req)
    article = live_article(state, oa, data.get("id"))
    changed = clean_article(data)
    if changed["type"] != article["type"]:
        raise invalid("type: an article keeps its type")
    if changed["type"] == "video" and not ready_video(
        state, oa["id"], changed.get("video_id")
    ):
        raise invalid("video_id is not a processed upload of this OA")
    article.update(changed, update_date=int(state.now() * 1000))
    return success({"token": processing_token(state, oa, article["id"])})


def remove(state, req):
    oa = require_oa(state, req)
    article = live_article(state, oa, body(req).get("id"))
    article["deleted"] = True
    return success({})


def getdetail(state, req):
    oa = require_oa(state, req)
    article = live_article(state, oa, req.param("id"))
    hidden = {"oa", "deleted", *withheld(state)}
    if not state.data["zalo_reads"]["detail_body"]:
        hidden.add("body")
    return success({k: v for k, v in article.items() if k not in hidden})


def withheld(state):
    """The dates, when the reads mode leaves them out (`/_sandbox/zalo/reads`)."""
    return () if state.data["zalo_reads"]["dates"] else ("create_date", "update_date")


def getslice(state, req):
    oa = require_oa(state, req)
    try:
        offset = int(req.param("offset") or 0)
        limit = int(req.param("limit") or 5)
    except ValueError:
        raise invalid("offset and limit must be numbers") from None
    if not 0 < limit <= MAX_SLICE or offset < 0:
        raise invalid(f"limit must be 1 to {MAX_SLICE}")
    kind = req.param("type") or "normal"
    articles = [
        a
        for a in state.data["articles"].values()
        if a["oa"] == oa["id"] and not a["deleted"] and a["type"] == kind
    ]
    articles.sort(key=lambda a: (a["create_date"], int(a["id"])), reverse=True)
    medias = [summary(a) for a in articles[offset : offset + limit]]
    for item in medias:
        for key in withheld(state):
            del item[key]
    return success({"medias": medias, "total": len(articles)})


def summary(article):
    cover = article.get("cover") or {}
    keys = ("id", "type", "title", "status", "total_view", "total_share")
    item = {key: article.get(key) for key in keys}
    item.update(
        create_date=article["create_date"],
        update_date=article["update_date"],
        thumb=cover.get("photo_url") or article.get("avatar"),
        link=article.get("link"),
    )
    return item


def getoa(state, req):
    oa = require_oa(state, req)
    return success(
        {
            "oa_id": oa["id"],
            "name": oa["name"],
            "description": "Tài khoản OA thử nghiệm (sandbox)",
            "avatar": "",
            "cover": "",
            "is_verified": True,
            "oa_type": 2,
            "cate_name": "Cơ quan nhà nước",
            "num_follower": oa.get("followers", 0),
            "package_name": "Gói dùng thử",
        }
    )


# Broadcasts ------------------------------------------------------------------------
def local_now(state):
    return datetime.datetime.fromtimestamp(state.now(), VIETNAM)


def broadcast(state, req):
    """An OA article to the followers: -234 outside 06:00-21:59 (the sandbox's
    clock, Vietnam time), -211 once the OA's monthly quota is used, -201 for an
    article that is not the OA's. Recorded "reviewing" for the OA's
    `broadcast_review` seconds, like Zalo's review, then "sent"."""
    oa = require_oa(state, req)
    data = body(req)
    article_id = broadcast_article(data)
    live_article(state, oa, article_id)
    now = local_now(state)
    if not BROADCAST_HOURS[0] <= now.hour < BROADCAST_HOURS[1]:
        raise ZaloError(-234, "Broadcast is only allowed from 6:00 to 22:00")
    month = now.strftime("%Y-%m")
    used = [
        b
        for b in state.data["broadcasts"].values()
        if b["oa"] == oa["id"] and b["month"] == month
    ]
    if len(used) >= oa.get("broadcast_quota", DEFAULT_QUOTA):
        raise ZaloError(-211, "Out of quota")
    message_id = secrets.token_hex(16)
    state.data["broadcasts"][message_id] = {
        "message_id": message_id,
        "oa": oa["id"],
        "article": str(article_id),
        "target": data["recipient"].get("target") or {},
        "created": state.now(),
        "month": month,
        "review_until": state.now() + oa.get("broadcast_review", DEFAULT_REVIEW),
    }
    return success({"message_id": message_id})


DEFAULT_QUOTA = 4  # broadcasts a month; an OA's own `broadcast_quota` wins
DEFAULT_REVIEW = 1800  # seconds Zalo takes to review one (about 30 minutes)


def broadcast_article(data):
    """The article id of a media template, or -201."""
    try:
        recipient = data["recipient"]
        payload = data["message"]["attachment"]["payload"]
        element = payload["elements"][0]
    except (KeyError, IndexError, TypeError):
        raise invalid("recipient and message.attachment.payload.elements") from None
    if not isinstance(recipient, dict) or payload.get("template_type") != "media":
        raise invalid("template_type must be media")
    if element.get("media_type") != "article" or not element.get("attachment_id"):
        raise invalid("elements[0] must be an article with its attachment_id")
    return element["attachment_id"]


def broadcast_status(state, record):
    return "reviewing" if state.now() < record["review_until"] else "sent"


# Videos -------------------------------------------------------------------------------
MAX_VIDEO = 50 * 1024 * 1024  # preparevideo: about 50 MB (unconfirmed)


def prepare_video(state, req):
    """POST /v2.0/article/upload_video/preparevideo (multipart `file`)."""
    oa = require_oa(state, req)
    upload_file = req.files.get("file")
    if upload_file is None:
        raise invalid("file")
    mode = videos.video_fault(req)
    if mode == "video_bad_format" or not videos.looks_like_video(upload_file.data[:16]):
        raise ZaloError(-201, "Invalid parameter: file must be an mp4 video")
    if mode == "video_too_long" or len(upload_file.data) > MAX_VIDEO:
        raise ZaloError(-201, "Invalid parameter: video exceeds 50MB or its length")
    token = secrets.token_hex(16)
    state.data.setdefault("zalo_videos", {})[token] = {
        "oa": oa["id"],
        "video_id": secrets.token_hex(12),
        "size": len(upload_file.data),
        "name": upload_file.filename,
        "polls_left": oa.get("verify_polls", videos.VIDEO_POLLS),
        "fails": mode == "video_processing_error",
        "ready": False,
    }
    return json_response({"error": 0, "message": "Success", "data": {"token": token}})


def verify_video(state, req):
    """GET /v2.0/article/upload_video/verify (header `token`)."""
    oa = require_oa(state, req)
    record = state.data.get("zalo_videos", {}).get(req.headers.get("token") or "")
    if not record or record["oa"] != oa["id"]:
        raise invalid("token")
    if record["polls_left"] > 0:
        record["polls_left"] -= 1
        raise ZaloError(-214, "Media is being processed")
    if record["fails"]:
        raise ZaloError(-200, "Upload media failed")
    record["ready"] = True
    data = {"video_id": record["video_id"], "status": 1}
    return json_response({"error": 0, "message": "Success", "data": data})


def ready_video(state, oa_id, video_id):
    """Whether `video_id` is an OA's processed upload (an article may show it)."""
    return any(
        v["video_id"] == video_id and v["oa"] == oa_id and v["ready"]
        for v in state.data.get("zalo_videos", {}).values()
    )


ROUTES = {
    ("POST", "/v2.0/article/create"): ("create", create, True),
    ("POST", "/v2.0/article/verify"): ("verify", verify, True),
    ("POST", "/v2.0/article/update"): ("update", update, True),
    ("POST", "/v2.0/article/remove"): ("remove", remove, True),
    ("GET", "/v2.0/article/getdetail"): ("getdetail", getdetail, False),
    ("GET", "/v2.0/article/getslice"): ("getslice", getslice, False),
    ("GET", "/v2.0/oa/getoa"): ("getoa", getoa, False),
    ("POST", "/v2.0/oa/message"): ("message", broadcast, True),
    ("POST", PREPARE_VIDEO): ("preparevideo", prepare_video, True),
    ("GET", VERIFY_VIDEO): ("verifyvideo", verify_video, True),
}
