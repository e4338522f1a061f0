"""Control endpoints for citizens' questions (registered in control.py's ROUTES):

- `POST /_sandbox/facebook/comments {"post_id", "message", "author"?, "parent"?,
  "created_time"?}`: a citizen comments (`author` a name; none: Graph leaves `from`
  out) → the comment;
- `POST /_sandbox/facebook/scopes {"page_id", "scopes": [...]}`: the permissions the
  Page's token carries (a Page connected before the inbox lacks two);
- `POST /_sandbox/zalo/messages {"oa", "user_id", "text", "user_name"?, "webhook"?,
  "sign"?: "valid" | "forged" | "none", "age"?: seconds}`: a follower writes to the
  OA; the signed `user_send_text` event is posted to `webhook` when given (its HTTP
  status in `delivered`) and handed back (`body`, `headers`) either way. A
  `forged` or unsigned event keeps nothing in the sandbox; `age` dates the
  message (and so the event's timestamp) that many seconds back.
"""

import urllib.error
import urllib.request

from sandbox import graph_comments, zalo_chat

FB_APP, ZALO_APP = "sandbox-fb-app", "sandbox-zalo-app"


def _error(message, status=400):
    from sandbox.control import ControlError

    return ControlError(message, status)


def comment(state, data):
    post_id = str(data.get("post_id") or "")
    if not data.get("message"):
        raise _error("message is required")
    author = data.get("author")
    who = {"id": f"9{abs(hash(author)) % 10**14}", "name": author} if author else None
    try:
        return graph_comments.add_comment(
            state,
            post_id,
            data["message"],
            author=who,
            parent=data.get("parent"),
            at=data.get("created_time"),
        )
    except KeyError as error:
        raise _error(f"no post or comment {error}", 404) from None


def scopes(state, data):
    page = state.data["pages"].get(str(data.get("page_id")))
    if page is None:
        raise _error("no such page", 404)
    state.token(page["token"])["scopes"] = list(data.get("scopes") or [])
    return {"page_id": page["id"], "scopes": data.get("scopes") or []}


def zalo_message(state, data):
    oa_id = str(data.get("oa") or "")
    if oa_id not in state.data["oas"] or not data.get("text"):
        raise _error("oa (an OA of the sandbox) and text are required")
    at = state.now() - float(data.get("age") or 0)
    message = zalo_chat.add_message(
        state,
        oa_id,
        data.get("user_id") or "u1",
        data["text"],
        data.get("user_name", ""),
        at,
    )
    body, headers = zalo_chat.event(state, message, ZALO_APP)
    sign = data.get("sign", "valid")
    if sign == "forged":
        headers["X-ZEvent-Signature"] = zalo_chat.signature(
            ZALO_APP, body, message["time"], secret="not-the-key"
        )
    elif sign == "none":
        del headers["X-ZEvent-Signature"]
    if sign != "valid":
        zalo_chat.messages(state).remove(message)
    delivered = deliver(data["webhook"], body, headers) if data.get("webhook") else None
    return {
        "message": message,
        "body": body,
        "headers": headers,
        "delivered": delivered,
    }


def deliver(url, body, headers):
    request = urllib.request.Request(
        url, data=body.encode(), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError as error:
        return f"not delivered: {error}"


ROUTES = {
    ("POST", "facebook/comments"): (comment, True),
    ("POST", "facebook/scopes"): (scopes, True),
    ("POST", "zalo/messages"): (zalo_message, True),
}
