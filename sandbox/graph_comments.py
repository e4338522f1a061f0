"""Graph comments: under posts, with their authors, replies and hiding.

- the `comments` field of a post (`?ids=` reads and `GET /{post-id}`):
  `comments.filter(stream).order(reverse_chronological).limit(25).summary(true){id,
  message,from,created_time,parent}`; without `.limit(0)` it lists comments, 25 by
  default, with `paging` (cursors, and `next` when there are more);
- `GET /{post-id}/comments` (and `/{comment-id}/comments`, its replies) with `fields`,
  `filter` (`toplevel` default, `stream`), `order` (`chronological` default),
  `limit` (at most 100), `after`;
- `POST /{post-or-comment-id}/comments message=` → `{"id"}`: the Page replies;
- `POST /{comment-id} is_hidden=true|false` → `{"success": true}`.

Listing comments needs `pages_read_user_content` in the token (else code 10, HTTP
403); replying and hiding need `pages_manage_engagement` (code 200). A count
(`.limit(0).summary(true)`) needs neither. The count is the post's simulated
comments (`engagement.comments`, without text) plus the comments stored here.
`from` is left out for an author who has not used the Page's app, as Graph does.
"""

import base64
import re

from sandbox.graph_common import (
    GraphError,
    can_read,
    graph_time,
    not_found,
    parse_fields,
    require_token,
)
from sandbox.web import add_query, json_response

DEFAULT_LIMIT, MAX_LIMIT = 25, 100
READ_SCOPE, WRITE_SCOPE = "pages_read_user_content", "pages_manage_engagement"
COMMENT_FIELDS = {"id", "message", "from", "created_time", "parent", "is_hidden"}


def comments(state):
    return state.data.setdefault("comments", {})


def add_comment(state, post_id, message, author=None, parent=None, at=None):
    """A citizen's (or, with `author=None` and `by_page`, the Page's) comment."""
    post = state.data["posts"].get(post_id)
    if post is None or post.get("deleted"):
        raise KeyError(post_id)
    if parent is not None and parent not in comments(state):
        raise KeyError(parent)
    comment_id = f"{post_id.split('_')[-1]}_{state.next_id('object')}"
    comments(state)[comment_id] = {
        "id": comment_id,
        "post": post_id,
        "parent": parent,
        "message": message,
        "from": author,
        "created_time": int(at if at is not None else state.now()),
        "seq": len(comments(state)),
        "hidden": False,
    }
    return comments(state)[comment_id]


def count(state, post):
    stored = sum(1 for c in comments(state).values() if c["post"] == post["id"])
    return int(post.get("engagement", {}).get("comments", 0)) + stored


def is_comment(state, object_id):
    return object_id in comments(state)


def route(state, method, segments):
    """Graph's route tuple for a comments call, or None when it is not one."""
    if len(segments) == 2 and segments[1] == "comments":
        func = {"GET": list_edge, "POST": reply}.get(method)
        if func:
            endpoint = "comments" if method == "GET" else "reply"
            return endpoint, func, {"object_id": segments[0]}, method == "POST"
    if len(segments) == 1 and method == "POST" and is_comment(state, segments[0]):
        return "hide", hide, {"object_id": segments[0]}, True
    return None


def expand(state, req, kind, record, fields, token, answer):
    """Put the `comments` field of a post read into `answer`."""
    if kind == "post" and "comments" in fields:
        answer["comments"] = field(state, req, record, fields["comments"], token)
    return answer


# The field of a post ----------------------------------------------------------------
def field(state, req, post, spec, token):
    """The `comments` field's value for `post` from its spec."""
    options = dict(re.findall(r"\.(\w+)\(([^)]*)\)", spec.split("{")[0]))
    limit = int(options.get("limit", DEFAULT_LIMIT))
    edge = {"data": []}
    if limit:
        require_scope(token, READ_SCOPE)
        sub = re.search(r"\{(.*)\}", spec)
        fields = parse_fields(sub.group(1) if sub else "", ["id", "message"])
        listing = listed(state, post["id"], options, fields)
        page, more = listing[:limit], len(listing) > limit
        edge = {"data": [render(state, c, fields) for c in page]}
        edge.update(paging(req, f"{post['id']}/comments", page, more, options, limit))
    if "summary" in options:
        edge["summary"] = {
            "total_count": count(state, post),
            "order": options.get("order", "chronological"),
            "can_comment": True,
        }
    return edge


def listed(state, object_id, options, fields, after=None):
    """Comments under a post (top-level, or every one with `stream`) or the replies
    to a comment, in the order asked."""
    if object_id in comments(state):
        found = [c for c in comments(state).values() if c["parent"] == object_id]
    else:
        stream = options.get("filter") == "stream"
        found = [
            c
            for c in comments(state).values()
            if c["post"] == object_id and (stream or c["parent"] is None)
        ]
    newest_first = options.get("order") == "reverse_chronological"
    found.sort(key=lambda c: (c["created_time"], c["seq"]), reverse=newest_first)
    for name in fields:
        if name not in COMMENT_FIELDS:
            raise GraphError(
                100,
                f"(#100) Tried accessing nonexisting field ({name}) on node type "
                "(Comment)",
            )
    if after:
        ids = [c["id"] for c in found]
        found = found[ids.index(after) + 1 :] if after in ids else []
    return found


def render(state, comment, fields):
    values = {
        "id": comment["id"],
        "message": comment["message"],
        "created_time": graph_time(comment["created_time"]),
        "is_hidden": comment["hidden"],
        "from": comment["from"],
        "parent": {"id": comment["parent"]} if comment["parent"] else None,
    }
    answer = {"id": comment["id"]}
    for name in fields:
        if values.get(name) is not None:
            answer[name] = values[name]
    return answer


def paging(req, path, page, more, options, limit):
    if not page:
        return {}
    cursors = {"before": cursor(page[0]["id"]), "after": cursor(page[-1]["id"])}
    answer = {"paging": {"cursors": cursors}}
    if more:
        version = req.ctx.get("version", "v24.0")
        params = {k: v for k, v in options.items() if k != "summary"}
        params.update(limit=limit, after=cursors["after"])
        answer["paging"]["next"] = add_query(f"{req.base_url}{version}/{path}", params)
    return answer


# Routes -------------------------------------------------------------------------
def page_of(state, req, object_id):
    """(token, page id) for a post or comment the token may read."""
    token = require_token(state, req)
    comment = comments(state).get(object_id)
    post = state.data["posts"].get(comment["post"] if comment else object_id)
    if post is None or post.get("deleted") or not can_read(state, token, post["page"]):
        raise not_found(object_id)
    req.ctx["page_id"] = post["page"]
    return token, post["page"]


def list_edge(state, req, object_id):
    """GET /{post-or-comment-id}/comments."""
    token, _page_id = page_of(state, req, object_id)
    require_scope(token, READ_SCOPE)
    options = {k: req.param(k) for k in ("filter", "order") if req.param(k)}
    limit = max(1, min(MAX_LIMIT, int(req.param("limit") or DEFAULT_LIMIT)))
    fields = parse_fields(req.param("fields"), ["id", "message", "created_time"])
    found = listed(state, object_id, options, fields, decode_cursor(req.param("after")))
    page, more = found[:limit], len(found) > limit
    answer = {"data": [render(state, c, fields) for c in page]}
    answer.update(paging(req, f"{object_id}/comments", page, more, options, limit))
    return json_response(answer)


def reply(state, req, object_id):
    """POST /{post-or-comment-id}/comments: the Page comments or replies."""
    token, page_id = page_of(state, req, object_id)
    require_scope(token, WRITE_SCOPE)
    if token["kind"] != "page" or token["owner"] != page_id:
        raise GraphError(200, "(#200) Permissions error")
    message = req.param("message")
    if not message:
        raise GraphError(100, "(#100) Missing message")
    target = comments(state).get(object_id)
    post_id = target["post"] if target else object_id
    page = state.data["pages"][page_id]
    made = add_comment(state, post_id, message, parent=target and object_id)
    made["from"] = {"id": page_id, "name": page["name"]}
    made["by_page"] = True
    return json_response({"id": made["id"]})


def hide(state, req, object_id):
    """POST /{comment-id} is_hidden=true|false."""
    token, page_id = page_of(state, req, object_id)
    require_scope(token, WRITE_SCOPE)
    if token["kind"] != "page" or token["owner"] != page_id:
        raise GraphError(200, "(#200) Permissions error")
    value = req.param("is_hidden")
    if value is None:
        raise GraphError(100, "(#100) Missing is_hidden")
    comments(state)[object_id]["hidden"] = str(value).lower() in ("true", "1")
    return json_response({"success": True})


def cursor(comment_id):
    return base64.urlsafe_b64encode(comment_id.encode()).decode()


def decode_cursor(value):
    if not value:
        return None
    try:
        return base64.urlsafe_b64decode(value.encode()).decode()
    except ValueError:
        raise GraphError(100, "(#100) Invalid cursor") from None


def require_scope(token, scope):
    if scope not in token.get("scopes", []):
        raise GraphError(
            10 if scope == READ_SCOPE else 200,
            f"(#{10 if scope == READ_SCOPE else 200}) This endpoint requires the "
            f"'{scope}' permission to manage the object",
        )
