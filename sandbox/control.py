"""The control API under `/_sandbox/`: set the scene for tests and the demo.

JSON in, JSON out, no auth: the server only listens on loopback. Errors are
`{"error": "<what is wrong>"}` with HTTP 400 (404 for an unknown id).
"""

import json

from sandbox import faults, inbox_control, zalo
from sandbox.web import Match, Response, json_response


class ControlError(Exception):
    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


def match(state, req):
    if not req.path.startswith("/_sandbox/"):
        return None
    name = req.path.removeprefix("/_sandbox/").strip("/")
    if req.method == "GET" and name.startswith("uploads/"):
        return Match(None, "uploads", upload, {"photo_id": name[8:]})
    found = ROUTES.get((req.method, name))
    if found is None:
        return Match(None, "control", missing, {"name": name})
    func, mutating = found
    return Match(None, "control", guard_for(func), {}, mutating)


def guard_for(func):
    def run(state, req):
        try:
            return json_response(func(state, body(req)))
        except ControlError as error:
            return json_response({"error": str(error)}, error.status)
        except (TypeError, ValueError) as error:
            return json_response({"error": f"bad value: {error}"}, 400)

    return run


def body(req):
    """The JSON object sent, whatever Content-Type came with it (curl -d)."""
    if not req.body.strip():
        return {}
    try:
        data = json.loads(req.body)
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise ControlError("expected a JSON object body")
    return data


def missing(state, req, name):
    return json_response({"error": f"no control endpoint {req.method} {name}"}, 404)


def upload(state, req, photo_id):
    """A photo received as multipart `source`, for the feed page's <img>."""
    found = state.uploads.get(photo_id)
    if found is None:
        return Response(status=404, body=b"", content_type="text/plain")
    return Response(body=found.data, content_type=found.content_type)


def required(data, key):
    if data.get(key) in (None, ""):
        raise ControlError(f"{key} is required")
    return data[key]


# Routes -----------------------------------------------------------------------------
def reset(state, data):
    state.reset()
    return {"ok": True}


def dump(state, data):
    return state.snapshot()


def create_page(state, data):
    page, user = state.add_page(
        id=data.get("id"),
        name=required(data, "name"),
        followers=data.get("followers"),
        user=data.get("user"),
    )
    return {"id": page["id"], "page_token": page["token"], "user_token": user["token"]}


def create_oa(state, data):
    oa, tokens = state.add_oa(
        id=data.get("id"),
        name=required(data, "name"),
        followers=data.get("followers"),
        verify_polls=data.get("verify_polls"),
        broadcast_quota=data.get("broadcast_quota"),
        broadcast_review=data.get("broadcast_review"),
    )
    return {"id": oa["id"], **{k: tokens[k] for k in ("access_token", "refresh_token")}}


def zalo_reads(state, data):
    """What Zalo's reads give from now on: `detail_body` (the body in `getdetail`)
    and `dates` (`create_date`/`update_date` in `getdetail` and `getslice`)."""
    reads = state.data["zalo_reads"]
    unknown = sorted(set(data) - set(reads))
    if unknown:
        raise ControlError(f"unknown keys {unknown}: expected {sorted(reads)}")
    for key in reads:
        if key in data:
            if not isinstance(data[key], bool):
                raise ControlError(f"{key} must be true or false")
            reads[key] = data[key]
    return dict(reads)


def zalo_broadcasts(state, data):
    """What was broadcast, oldest first: each with its article, audience and
    status ("reviewing" while Zalo's review lasts, then "sent"); `oa` and
    `article` filter."""
    found = []
    for record in state.data["broadcasts"].values():
        if data.get("oa") not in (None, record["oa"]):
            continue
        if data.get("article") not in (None, record["article"]):
            continue
        found.append({**record, "status": zalo.broadcast_status(state, record)})
    found.sort(key=lambda b: b["created"])
    return {"broadcasts": found}


def add_fault(state, data):
    try:
        fault = faults.validate(data)
    except ValueError as error:
        raise ControlError(str(error)) from None
    state.push_fault(fault)
    return {"queued": fault}


def clear_faults(state, data):
    """Drop every queued fault: what comes next is answered normally."""
    cleared = len(state.data["faults"])
    state.data["faults"] = []
    return {"cleared": cleared}


def set_engagement(state, data):
    """Counts for a post (Facebook) or an article (Zalo: `views` is total_view)."""
    post_id = str(required(data, "post_id"))
    keys = ("reactions", "comments", "shares", "views", "reach", "clicks")
    counts = {k: int(data[k]) for k in keys if data.get(k) is not None}
    post = state.data["posts"].get(post_id)
    if post is not None:
        post.setdefault("engagement", {}).update(counts)
        return {"post_id": post_id, "engagement": post["engagement"]}
    article = state.data["articles"].get(post_id)
    if article is None:
        raise ControlError(f"no post or article {post_id}", 404)
    article["total_view"] = counts.get("views", article["total_view"])
    article["total_share"] = counts.get("shares", article["total_share"])
    return {"post_id": post_id, "total_view": article["total_view"]}


def set_followers(state, data):
    network, object_id = required(data, "network"), str(required(data, "id"))
    collection = {"facebook": "pages", "zalo": "oas"}.get(network)
    record = state.data.get(collection or "", {}).get(object_id)
    if record is None:
        raise ControlError(f"no {network} object {object_id}", 404)
    record["followers"] = int(required(data, "followers"))
    if network == "facebook":
        record["fans"] = record["followers"]
    return {"id": object_id, "followers": record["followers"]}


def revoke(state, data):
    record = state.token(required(data, "token"))
    if record is None:
        raise ControlError("unknown token", 404)
    record["revoked"] = True
    return {"revoked": True}


ROUTES = {
    ("POST", "reset"): (reset, True),
    ("GET", "state"): (dump, False),
    ("POST", "state"): (dump, False),  # for the fixture's POST-only `control()`
    ("POST", "facebook/pages"): (create_page, True),
    ("POST", "zalo/oas"): (create_oa, True),
    ("POST", "zalo/reads"): (zalo_reads, True),
    ("GET", "zalo/broadcasts"): (zalo_broadcasts, False),
    ("POST", "zalo/broadcasts"): (zalo_broadcasts, False),  # `control()` POSTs
    ("POST", "faults"): (add_fault, True),
    ("POST", "faults/clear"): (clear_faults, True),
    ("POST", "engagement"): (set_engagement, True),
    ("POST", "followers"): (set_followers, True),
    ("POST", "tokens/revoke"): (revoke, True),
}
ROUTES.update(inbox_control.ROUTES)
