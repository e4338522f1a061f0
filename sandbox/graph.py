"""The Graph API stand-in: routing under `/vNN.N/` and the writes (feed, photos,
edit, delete). Reads live in graph_reads.py, tokens and Login in graph_auth.py."""

import functools
import json
import re

from sandbox import graph_auth, graph_reads, videos
from sandbox.graph_comments import route as comments_route
from sandbox.graph_common import (
    GraphError,
    from_error,
    graph_time,
    not_found,
    require_token,
    require_write,
)
from sandbox.web import Match, json_response, mask_params

VERSION_PATH = re.compile(r"^/(v\d+\.\d+)(/.*)?$")
MAX_PHOTO_BYTES = 10 * 1024 * 1024
FALSE_VALUES = {"false", "0", "no", "off"}


def match(state, req):
    """Route a `/vNN.N/...` request, or None when the path is not Graph's."""
    found = VERSION_PATH.match(req.path)
    if not found:
        return None
    req.ctx["version"] = found.group(1)
    segments = [s for s in (found.group(2) or "/").split("/") if s]
    endpoint, func, kwargs, mutating = route(state, req.method, segments)
    if endpoint == "videos":  # a fault may aim at one phase of an upload
        endpoint = videos.endpoint(req)
    return Match("facebook", endpoint, functools.partial(guard, func), kwargs, mutating)


def route(state, method, segments):
    """(endpoint name, function, kwargs, mutating) for a method and path segments."""
    found = comments_route(state, method, segments)
    if found:
        return found
    fixed = {
        ("GET", ""): ("read", graph_reads.read_ids, False),
        ("GET", "me"): ("me", graph_auth.me, False),
        ("GET", "me/accounts"): ("accounts", graph_auth.accounts, True),
        ("GET", "oauth/access_token"): ("token", graph_auth.access_token, True),
        ("POST", "oauth/access_token"): ("token", graph_auth.access_token, True),
        ("GET", "debug_token"): ("debug_token", graph_auth.debug_token, False),
        ("GET", "dialog/oauth"): ("dialog", graph_auth.dialog, False),
        ("POST", "dialog/oauth"): ("dialog", graph_auth.dialog_decision, True),
    }
    key = (method, "/".join(segments))
    if key in fixed:
        endpoint, func, mutating = fixed[key]
        return endpoint, func, {}, mutating
    if len(segments) == 2:
        edges = {
            ("POST", "feed"): ("feed", create_post, True),
            ("GET", "feed"): ("list", graph_reads.list_feed, False),
            ("GET", "posts"): ("list", graph_reads.list_feed, False),
            ("GET", "published_posts"): ("list", graph_reads.list_feed, False),
            ("POST", "photos"): ("photos", create_photo, True),
            ("GET", "insights"): ("insights", graph_reads.insights, False),
            ("POST", "videos"): ("videos", videos.upload, True),
            ("GET", "videos"): ("video_list", videos.list_videos, False),
        }
        if (method, segments[1]) in edges:
            endpoint, func, mutating = edges[(method, segments[1])]
            return endpoint, func, {"object_id": segments[0]}, mutating
    if len(segments) == 1:
        object_id = segments[0]
        if method == "GET":
            is_page = object_id in state.data["pages"]
            # Reading a Page with a user token may mint a Page token.
            return (
                "page" if is_page else "post",
                graph_reads.read_object,
                {"object_id": object_id},
                is_page,
            )
        if method == "POST":
            return "edit", edit_post, {"object_id": object_id}, True
        if method == "DELETE":
            return "delete", delete_post, {"object_id": object_id}, True
    return "unknown", unknown_path, {"segments": segments}, False


def guard(func, state, req, **kwargs):
    """Run a route function; a GraphError becomes Graph's error answer."""
    try:
        return func(state, req, **kwargs)
    except GraphError as error:
        return from_error(error)


def unknown_path(state, req, segments):
    raise GraphError(2500, f"Unknown path components: /{'/'.join(segments)}")


# Writes ------------------------------------------------------------------------
def writable_page(state, req, page_id):
    """The Page, after checking the token may post to it."""
    token = require_token(state, req)
    page = state.data["pages"].get(page_id)
    if page is None:
        raise not_found(page_id)
    req.ctx["page_id"] = page_id
    require_write(token, page_id)
    return page


def flag(value, default):
    if value is None:
        return default
    return str(value).strip().lower() not in FALSE_VALUES


def check_url(value, name):
    if not re.match(r"^https?://[^\s/]+\S*$", value or ""):
        raise GraphError(100, f"(#100) Param {name} must be a valid URL")


def received(req):
    """What the client sent, token masked: kept on the post for tests to read."""
    params = mask_params({**req.query, **req.form})
    params.pop("access_token", None)
    return params


def new_post(state, req, page_id, *, post_id=None, **fields):
    seq = state.next_id("object")
    post_id = post_id or f"{page_id}_{seq}"
    now = state.now()
    post = {
        "id": post_id,
        "seq": int(seq),
        "page": page_id,
        "created_time": int(now),
        "updated_time": int(now),
        "permalink_url": f"{req.base_url}#post-{post_id}",
        "published": True,
        "images": [],
        "engagement": {},
        "received": received(req),
        **fields,
    }
    state.data["posts"][post_id] = post
    return post


def attached_media(state, req, page_id):
    """The unpublished photos named by `attached_media[i]` (or a JSON list)."""
    items = []
    for key, value in {**req.query, **req.form}.items():
        found = re.fullmatch(r"attached_media\[(\d+)\]", key)
        if found:
            items.append((int(found.group(1)), value))
    raw = req.param("attached_media")
    entries = [v for _, v in sorted(items)] or (json.loads(raw) if raw else [])
    photos = []
    for index, entry in enumerate(entries):
        entry = json.loads(entry) if isinstance(entry, str) else entry
        photo = state.data["photos"].get(str((entry or {}).get("media_fbid")))
        if not photo or photo["page"] != page_id or photo.get("post_id"):
            raise GraphError(
                100, f"(#100) param attached_media[{index}] has invalid media_fbid"
            )
        photos.append(photo)
    return photos


def create_post(state, req, object_id):
    """POST /{page-id}/feed: a text/link post, or several photos attached."""
    writable_page(state, req, object_id)
    message, link = req.param("message"), req.param("link")
    try:
        photos = attached_media(state, req, object_id)
    except ValueError:
        raise GraphError(100, "(#100) attached_media must be JSON") from None
    if not (message or link or photos):
        raise GraphError(100, "(#100) Missing message or attachment")
    if link:
        check_url(link, "link")
    post = new_post(
        state,
        req,
        object_id,
        message=message,
        link=link,
        images=[photo["url"] for photo in photos],
        published=flag(req.param("published"), True),
    )
    for photo in photos:
        photo["post_id"] = post["id"]
    answer = {"id": post["id"]}
    if "permalink_url" in (req.param("fields") or ""):
        answer["permalink_url"] = post["permalink_url"]
    return json_response(answer)


def create_photo(state, req, object_id):
    """POST /{page-id}/photos: `url` or multipart `source`; `published=false` keeps
    it for a later `attached_media` post."""
    writable_page(state, req, object_id)
    upload, url = req.files.get("source"), req.param("url")
    if upload is None and not url:
        raise GraphError(100, "(#100) Requires upload file: send url or source")
    if upload is not None and len(upload.data) > MAX_PHOTO_BYTES:
        raise GraphError(100, "(#100) The image is too large: the limit is 10 MB")
    if url:
        check_url(url, "url")
    photo_id = state.next_id("object")
    if upload is not None:
        state.uploads[photo_id] = upload
        url = f"{req.base_url}_sandbox/uploads/{photo_id}"
    caption = req.param("caption") or req.param("message")
    photo = {
        "id": photo_id,
        "page": object_id,
        "url": url,
        "caption": caption,
        "size": len(upload.data) if upload else None,
        "created_time": int(state.now()),
        "post_id": None,
    }
    state.data["photos"][photo_id] = photo
    answer = {"id": photo_id}
    if flag(req.param("published"), True):
        post_id = f"{object_id}_{photo_id}"
        new_post(state, req, object_id, post_id=post_id, message=caption, images=[url])
        photo["post_id"] = answer["post_id"] = post_id
    return json_response(answer)


def live_post(state, object_id):
    """A post that exists (a photo id stands for its post, as in Graph)."""
    photo = state.data["photos"].get(object_id)
    if photo and photo.get("post_id"):
        object_id = photo["post_id"]
    post = state.data["posts"].get(object_id)
    if post is None or post.get("deleted"):
        raise not_found(object_id)
    return post


def edit_post(state, req, object_id):
    """POST /{post-id} with `message`: the text changes, the link cannot. A
    video's text is its `description` (Graph's Video node has no `message`)."""
    post = live_post(state, object_id)
    writable_page(state, req, post["page"])
    message = req.param("message")
    if post.get("video"):
        message = videos.edit(state, req, post)
    if message is not None:
        post["message"] = message
    post["updated_time"] = int(state.now())
    post.setdefault("edits", []).append(received(req))
    return json_response({"success": True})


def delete_post(state, req, object_id):
    """DELETE /{post-id}: gone for every read; the feed page shows it struck out."""
    post = live_post(state, object_id)
    writable_page(state, req, post["page"])
    post["deleted"] = True
    post["deleted_time"] = graph_time(state.now())
    return json_response({"success": True})
