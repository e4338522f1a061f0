"""Graph reads: objects, a Page's feed, `?ids=` batches, insights.

Objects are rendered field by field like Graph: `id` always, the requested fields
when they have a value, an unknown field fails the whole call with code 100. A post
also answers the field `insights.metric(a,b)` (field expansion of the insights
edge): one unknown or retired metric fails the whole call with code 100, as the
`/insights` edge does.
"""

import base64
import datetime
import re

from sandbox import videos
from sandbox.graph_comments import expand
from sandbox.graph_common import (
    GraphError,
    can_read,
    graph_time,
    not_found,
    page_token_for,
    parse_fields,
    require_token,
    unknown_field,
)
from sandbox.web import add_query, json_response

MAX_IDS = 50
POST_METRICS = {
    "post_media_view": "views",
    "post_total_media_view_unique": "reach",
    "post_clicks": "clicks",
    "post_reactions_by_type_total": "reactions",
}
PAGE_METRICS = {"page_follows", "page_media_view", "page_post_engagements"}


def engagement(post):
    counts = {"reactions": 0, "comments": 0, "shares": 0}
    counts.update(views=0, reach=0, clicks=0)
    counts.update(post.get("engagement", {}))
    return counts


def find_object(state, object_id):
    """("page" | "post" | "photo", record), or (None, None) when missing or deleted."""
    data = state.data
    if object_id in data["pages"]:
        return "page", data["pages"][object_id]
    post = data["posts"].get(object_id)
    if post and not post.get("deleted"):
        return "post", post
    photo = data["photos"].get(object_id)
    if photo and not photo.get("deleted"):
        return "photo", photo
    video = videos.find_video(state, object_id)
    if video and not video["finished"]:
        return "video", video  # an upload not finished: only its status reads
    return None, None


def readable(state, token, object_id):
    """The object if this token may read it, else Graph's "does not exist" error."""
    kind, record = find_object(state, object_id)
    page_id = record["id"] if kind == "page" else (record or {}).get("page")
    if kind is None or not can_read(state, token, page_id):
        raise not_found(object_id)
    return kind, record


# Rendering ---------------------------------------------------------------------
def render(state, kind, record, fields, token):
    renderer = {
        "page": render_page,
        "post": render_post,
        "photo": render_photo,
        "video": render_video,
    }[kind]
    return renderer(state, record, fields, token)


def render_page(state, page, fields, token):
    values = {
        "id": page["id"],
        "name": page["name"],
        "followers_count": page.get("followers", 0),
        "fan_count": page.get("fans", 0),
        "category": page.get("category"),
        "link": f"https://www.facebook.com/{page['id']}",
    }
    if token["kind"] == "user" and "access_token" in fields:
        values["access_token"] = page_token_for(state, page, token.get("scopes", []))
    known = set(values) | {"access_token"}
    return pick(values, fields, known, "Page")


def render_post(state, post, fields, token):
    counts = engagement(post)
    page = state.data["pages"].get(post["page"], {})
    values = {
        "id": post["id"],
        "message": post.get("message"),
        "link": post.get("link"),
        "permalink_url": post.get("permalink_url"),
        "created_time": graph_time(post["created_time"]),
        "updated_time": graph_time(post.get("updated_time", post["created_time"])),
        "is_published": post.get("published", True),
        "full_picture": (post.get("images") or [None])[0],
        "from": {"id": page.get("id"), "name": page.get("name")},
        "status_type": "added_photos" if post.get("images") else "shared_story",
        "shares": {"count": counts["shares"]} if counts["shares"] else None,
    }
    video = videos.find_video(state, post["id"]) if post.get("video") else None
    if video:
        values.update(videos.video_values(state, video, fields))
        values["status_type"] = "added_video"
    for name in ("reactions", "comments"):
        if name in fields:
            values[name] = summary(name, fields[name], counts[name])
    if "insights" in fields:
        names = metric_names(fields["insights"], POST_METRICS)
        values["insights"] = {
            "data": [metric(state, "post", post, name) for name in names]
        }
    known = set(values) | {"reactions", "comments", "shares", "attachments"}
    if "attachments" in fields and post.get("images"):
        values["attachments"] = {
            "data": [
                {"type": "photo", "media": {"image": {"src": url}}}
                for url in post["images"]
            ]
        }
    return pick(values, fields, known, "PagePost")


def render_photo(state, photo, fields, token):
    values = {
        "id": photo["id"],
        "name": photo.get("caption"),
        "created_time": graph_time(photo["created_time"]),
        "images": [{"source": photo["url"]}],
        "link": photo["url"],
        "page_story_id": photo.get("post_id"),
    }
    return pick(values, fields, set(values), "Photo")


def render_video(state, video, fields, token):
    values = {"id": video["id"], **videos.video_values(state, video, fields)}
    # A Video node has a permalink_url: none yet while its upload is unfinished.
    return pick(values, fields, {*values, "permalink_url"}, "Video")


def summary(name, spec, count):
    """`reactions.limit(0).summary(total_count)` and friends."""
    edge = {"data": []}
    if "summary(" in spec:
        edge["summary"] = {"total_count": count}
        if name == "comments":
            edge["summary"].update(order="ranked", can_comment=True)
    return edge


def metric_names(spec, known):
    """The metrics of `insights.metric(a,b)` (all of `known` without `.metric`);
    one unknown or retired metric fails the whole call, like the edge."""
    match = re.search(r"\.metric\(([^)]*)\)", spec)
    text = match.group(1) if match else ",".join(known)
    return check_metrics([m.strip() for m in text.split(",") if m.strip()], known)


def check_metrics(names, known):
    for name in names:
        if name not in known:
            raise GraphError(100, "(#100) The value must be a valid insights metric")
    return names


def pick(values, fields, known, node_type):
    for name in fields:
        if name not in known:
            raise unknown_field(name, node_type)
    answer = {"id": values["id"]}
    for name in fields:
        if values.get(name) is not None:
            answer[name] = values[name]
    return answer


# Routes ------------------------------------------------------------------------
def read_object(state, req, object_id):
    """GET /{id}: a Page, a post or a photo."""
    token = require_token(state, req)
    kind, record = readable(state, token, object_id)
    default = ["id", "name"] if kind in ("page", "photo") else ["id", "created_time"]
    if kind == "post":
        default.insert(1, "message")
    fields = parse_fields(req.param("fields"), default)
    answer = render(state, kind, record, fields, token)
    return json_response(expand(state, req, kind, record, fields, token, answer))


def read_ids(state, req):
    """GET /?ids=a,b: a dict of objects; one bad id fails the whole call."""
    token = require_token(state, req)
    ids = [i.strip() for i in (req.param("ids") or "").split(",") if i.strip()]
    if not ids:
        raise GraphError(100, "(#100) The parameter ids is required")
    if len(ids) > MAX_IDS:
        raise GraphError(100, f"(#100) Too many IDs. Maximum: {MAX_IDS}")
    answer = {}
    for object_id in dict.fromkeys(ids):
        kind, record = readable(state, token, object_id)
        fields = parse_fields(req.param("fields"), ["id"])
        rendered = render(state, kind, record, fields, token)
        answer[object_id] = expand(state, req, kind, record, fields, token, rendered)
    return json_response(answer)


def list_feed(state, req, object_id):
    """GET /{page-id}/feed: published posts, newest first, with cursors."""
    token = require_token(state, req)
    readable(state, token, object_id)
    req.ctx["page_id"] = object_id
    fields = parse_fields(req.param("fields"), ["id", "message", "created_time"])
    posts = feed_posts(state, object_id, parse_time(req.param("since")))
    until = parse_time(req.param("until"))
    if until:
        posts = [p for p in posts if p["created_time"] <= until]
    after = decode_cursor(req.param("after"))
    if after:
        ids = [p["id"] for p in posts]
        posts = posts[ids.index(after) + 1 :] if after in ids else []
    limit = max(1, min(100, int(req.param("limit") or 25)))
    page, more = posts[:limit], len(posts) > limit
    data = [render_post(state, post, fields, token) for post in page]
    return json_response({"data": data, **paging(req, page, more)})


def feed_posts(state, page_id, since=None):
    posts = [
        p
        for p in state.data["posts"].values()
        if p["page"] == page_id and not p.get("deleted") and p.get("published", True)
    ]
    if since:
        posts = [p for p in posts if p["created_time"] >= since]
    return sorted(posts, key=lambda p: (p["created_time"], p["seq"]), reverse=True)


def paging(req, posts, more):
    if not posts:
        return {}
    cursors = {"before": cursor(posts[0]["id"]), "after": cursor(posts[-1]["id"])}
    answer = {"paging": {"cursors": cursors}}
    if more:
        # Like Graph, `next` carries every parameter, the access token included.
        params = dict(req.query, after=cursors["after"])
        params.pop("before", None)
        url = req.base_url.rstrip("/") + req.path
        answer["paging"]["next"] = add_query(url, params)
    return answer


def cursor(post_id):
    return base64.urlsafe_b64encode(post_id.encode()).decode()


def decode_cursor(value):
    if not value:
        return None
    try:
        return base64.urlsafe_b64decode(value.encode()).decode()
    except ValueError:
        raise GraphError(100, "(#100) Invalid cursor") from None


def parse_time(value):
    """`since`/`until`: a Unix timestamp or an ISO date/time (UTC when naive)."""
    if not value:
        return None
    if str(value).isdigit():
        return int(value)
    try:
        moment = datetime.datetime.fromisoformat(str(value))
    except ValueError:
        raise GraphError(100, f"(#100) Invalid time: {value}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.timestamp()


def insights(state, req, object_id):
    """GET /{id}/insights?metric=a,b: one unknown or retired metric fails it all."""
    token = require_token(state, req)
    kind, record = readable(state, token, object_id)
    known = POST_METRICS if kind == "post" else PAGE_METRICS
    default = ",".join(known)
    names = [m.strip() for m in (req.param("metric") or default).split(",") if m]
    check_metrics(names, known)
    return json_response({"data": [metric(state, kind, record, n) for n in names]})


def metric(state, kind, record, name):
    if kind == "post":
        counts = engagement(record)
        value = counts[POST_METRICS[name]]
        if name == "post_reactions_by_type_total":
            value = {"like": value} if value else {}
        period, values = "lifetime", [{"value": value}]
    else:
        period, values = "day", [{"value": page_metric(state, record, name)}]
    return {
        "name": name,
        "period": period,
        "values": values,
        "title": name,
        "description": name,
        "id": f"{record['id']}/insights/{name}/{period}",
    }


def page_metric(state, page, name):
    if name == "page_follows":
        return page.get("followers", 0)
    posts = feed_posts(state, page["id"])
    if name == "page_media_view":
        return sum(engagement(p)["views"] for p in posts)
    return sum(
        engagement(p)["reactions"] + engagement(p)["comments"] + engagement(p)["shares"]
        for p in posts
    )
