"""What every Graph route shares: the error shape, tokens, access rules, fields.

Errors follow Graph: `{"error": {"message", "type": "OAuthException", "code",
"error_subcode"?, "is_transient", "fbtrace_id"}}` with HTTP 400, 401 for code 190,
403 for 10 and 200-299, 500 for 1 and 2.
"""

import json
import re
import secrets
import time

from sandbox.web import json_response

TRANSIENT_CODES = {1, 2, 4, 17, 32, 341, 613, 80001}
RATE_LIMIT_MESSAGES = {
    4: "(#4) Application request limit reached",
    17: "(#17) User request limit reached",
    32: "(#32) Page request limit reached",
    613: "(#613) Calls to this api have exceeded the rate limit.",
    80001: "(#80001) There have been too many calls to this Page account. "
    "Wait a bit and try again.",
}
NOT_FOUND_SUBCODE = 33


class GraphError(Exception):
    """Raised by route functions; turned into Graph's error answer."""

    def __init__(self, code, message, subcode=None, transient=None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.subcode = subcode
        self.transient = transient


def status_for(code):
    if code == 190:
        return 401
    if code == 10 or 200 <= code <= 299:
        return 403
    if code in (1, 2):
        return 500
    return 400


def error_body(code, message, subcode=None, transient=None):
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode is not None:
        error["error_subcode"] = subcode
    if transient is None:
        transient = code in TRANSIENT_CODES
    error["is_transient"] = transient
    error["fbtrace_id"] = "A" + secrets.token_urlsafe(16)[:20]
    return {"error": error}


def error_response(code, message, subcode=None, transient=None, status=None):
    body = error_body(code, message, subcode, transient)
    return json_response(body, status or status_for(code))


def from_error(error):
    return error_response(error.code, error.message, error.subcode, error.transient)


def not_found(object_id):
    return GraphError(
        100,
        f"Unsupported get request. Object with ID '{object_id}' does not exist, "
        "cannot be loaded due to missing permissions, or does not support this "
        "operation.",
        NOT_FOUND_SUBCODE,
    )


def graph_time(timestamp):
    """Graph's timestamp format: 2025-07-01T08:00:00+0000."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime(timestamp))


# Tokens ------------------------------------------------------------------------
def token_value(req):
    """The access token from the query, the form (or a JSON body) or an
    `Authorization: Bearer` header."""
    value = req.param("access_token")
    auth = req.headers.get("Authorization", "")
    if not value and auth.lower().startswith("bearer "):
        value = auth[7:].strip()
    return value


def require_token(state, req):
    """The caller's valid Facebook token record (with its value), or a 190 error."""
    value = token_value(req)
    if not value:
        raise GraphError(104, "An access token is required to request this resource.")
    record = state.token(value)
    if record is None or record["network"] != "facebook":
        raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")
    problem = state.token_problem(record)
    if problem == "revoked":
        raise GraphError(
            190,
            "Error validating access token: The session has been invalidated because "
            "the user changed their password or Facebook has changed the session for "
            "security reasons.",
            460,
        )
    if problem == "expired":
        raise GraphError(
            190, "Error validating access token: Session has expired.", 463
        )
    return dict(record, value=value)


def can_read(state, token, page_id):
    """A Page token of this Page, or a user token of someone who manages it."""
    page = state.data["pages"].get(page_id)
    if page is None:
        return False
    if token["kind"] == "page":
        return token["owner"] == page_id
    return token["kind"] == "user" and page["user"] == token["owner"]


def require_write(token, page_id):
    """Posting needs a Page token of that Page with pages_manage_posts."""
    if token["kind"] != "page" or token["owner"] != page_id:
        raise GraphError(
            200,
            "(#200) If posting to a page, requires both pages_read_engagement and "
            "pages_manage_posts as an admin with sufficient administrative permission",
        )
    if "pages_manage_posts" not in token.get("scopes", []):
        raise GraphError(
            200, "(#200) The permission pages_manage_posts has not been granted"
        )


def page_token_for(state, page, scopes):
    """The Page's token for a user token with these scopes; a new one when the
    current one was revoked or carries other scopes (what reconnecting gives)."""
    record = state.token(page["token"])
    if state.token_problem(record) or sorted(record["scopes"]) != sorted(scopes):
        page["token"] = state.new_token(
            "facebook", "page", page["id"], app=record["app"], scopes=list(scopes)
        )
    return page["token"]


# Fields --------------------------------------------------------------------------
def parse_fields(text, default):
    """`a,b.limit(0).summary(true),c{d}` -> {"a": "a", "b": "b.limit…", "c": …}.

    Splits at top-level commas only; a field's name is what precedes `.`, `(`, `{`.
    """
    if not text:
        return {name: name for name in default}
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "({":
            depth += 1
        elif char in ")}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    fields = {}
    for part in (p.strip() for p in parts):
        match = re.match(r"[A-Za-z_]+", part)
        if match:
            fields[match.group()] = part
    return fields


def unknown_field(name, node_type):
    return GraphError(
        100,
        f"(#100) Tried accessing nonexisting field ({name}) on node type ({node_type})",
    )


# Headers ------------------------------------------------------------------------
def usage_header(page_id, call_count, regain=0):
    """X-Business-Use-Case-Usage: per business object id, a list of usage entries."""
    if not page_id:
        return "{}"
    entry = {
        "type": "pages",
        "call_count": call_count,
        "total_cputime": call_count // 2,
        "total_time": call_count // 2,
        "estimated_time_to_regain_access": regain,
    }
    return json.dumps({page_id: [entry]})


def decorate(state, req, response):
    """Add the headers every Graph answer carries."""
    record = state.token(token_value(req)) or {}
    page_id = record.get("owner") if record.get("kind") == "page" else None
    page_id = page_id or req.ctx.get("page_id")
    if page_id:
        state.usage[page_id] = state.usage.get(page_id, 0) + 1
    if "minutes" in response.meta:
        header = usage_header(page_id or "0", 100, int(response.meta["minutes"]))
    else:
        header = usage_header(page_id, min(95, state.usage.get(page_id, 0)))
    response.headers.setdefault("X-Business-Use-Case-Usage", header)
    response.headers.setdefault("facebook-api-version", req.ctx.get("version", "v24.0"))
    return response
