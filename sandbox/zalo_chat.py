"""Zalo OA conversations: followers' messages, the webhook that announces them,
the read-back and the OA's answer.

- `GET /v2.0/oa/listrecentchat?data={"offset":0,"count":10}`: the latest message of
  each conversation, newest first (count at most 10, else -201);
- `GET /v2.0/oa/conversation?data={"user_id":..,"offset":0,"count":10}`: one
  follower's messages, newest first; `src` 1 from the follower, 0 from the OA;
- `POST /v3.0/oa/message/cs {"recipient":{"user_id"},"message":{"text"}}` →
  `data.message_id`; only within `WINDOW_DAYS` of the follower's last message
  (-230 after, -213 for someone who never wrote).

`POST /_sandbox/zalo/messages` (`inbox_control.py`) makes a follower write: the
message is kept, and the webhook event is signed as Zalo signs it (header
`X-ZEvent-Signature: mac=` + sha256(app_id + body + timestamp + OA secret key))
and posted to `webhook` when given, or handed back for a test to post.
"""

import functools
import hashlib
import json
import secrets

from sandbox.web import Match, json_response

MAX_COUNT = 10
WINDOW_DAYS = 7
OA_SECRET_KEY = "sandbox-zalo-oa-secret"
"""The OA secret key of the sandbox's Zalo app (ZALO_OA_SECRET_KEY)."""


class ChatError(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def messages(state):
    return state.data.setdefault("zalo_messages", [])


def match(state, req):
    path = req.path.rstrip("/")
    found = ROUTES.get((req.method, path))
    if found is None:
        return None
    endpoint, func, mutating = found
    return Match("zalo", endpoint, functools.partial(guard, func), {}, mutating)


def guard(func, state, req):
    try:
        return func(state, req)
    except ChatError as error:
        return json_response({"error": error.code, "message": error.message})


def success(data):
    return json_response({"error": 0, "message": "Success", "data": data})


def require_oa(state, req):
    record = state.token(req.headers.get("access_token"))
    if not record or record["kind"] != "oa" or state.token_problem(record):
        raise ChatError(-216, "Access token is invalid")
    return state.data["oas"][record["owner"]]


def query(req):
    try:
        data = json.loads(req.param("data") or "{}")
    except ValueError:
        raise ChatError(-201, "Invalid parameter: data must be JSON") from None
    count = int(data.get("count", MAX_COUNT))
    if not 0 < count <= MAX_COUNT:
        raise ChatError(-201, f"Invalid parameter: count must be 1 to {MAX_COUNT}")
    return data, int(data.get("offset", 0)), count


def add_message(state, oa_id, user_id, text, user_name="", at=None, src=1):
    oa = state.data["oas"][oa_id]
    message = {
        "message_id": secrets.token_hex(10),
        "oa": oa_id,
        "user_id": str(user_id),
        "user_name": user_name,
        "oa_name": oa["name"],
        "text": text,
        "time": int((at if at is not None else state.now()) * 1000),
        "src": src,
    }
    messages(state).append(message)
    return message


def render(message):
    follower = (message["user_id"], message["user_name"])
    oa = (message["oa"], message["oa_name"])
    sender, receiver = (follower, oa) if message["src"] == 1 else (oa, follower)
    return {
        "src": message["src"],
        "time": message["time"],
        "type": "text",
        "message": message["text"],
        "message_id": message["message_id"],
        "from_id": sender[0],
        "from_display_name": sender[1],
        "to_id": receiver[0],
        "to_display_name": receiver[1],
    }


def newest_first(found):
    return sorted(found, key=lambda m: m["time"], reverse=True)


def recent_chats(state, req):
    oa = require_oa(state, req)
    _data, offset, count = query(req)
    latest = {}
    for message in newest_first(m for m in messages(state) if m["oa"] == oa["id"]):
        latest.setdefault(message["user_id"], message)
    chats = newest_first(latest.values())[offset : offset + count]
    return success([render(m) for m in chats])


def conversation(state, req):
    oa = require_oa(state, req)
    data, offset, count = query(req)
    user_id = str(data.get("user_id") or "")
    if not user_id:
        raise ChatError(-201, "Invalid parameter: user_id")
    found = [m for m in messages(state) if m["oa"] == oa["id"]]
    found = newest_first(m for m in found if m["user_id"] == user_id)
    return success([render(m) for m in found[offset : offset + count]])


def answer(state, req):
    oa = require_oa(state, req)
    body = req.json if isinstance(req.json, dict) else {}
    user_id = str((body.get("recipient") or {}).get("user_id") or "")
    text = (body.get("message") or {}).get("text")
    if not user_id or not text:
        raise ChatError(-201, "Invalid parameter: recipient.user_id and message.text")
    theirs = [
        m
        for m in messages(state)
        if m["oa"] == oa["id"] and m["user_id"] == user_id and m["src"] == 1
    ]
    if not theirs:
        raise ChatError(-213, "User has not interacted with the OA")
    last = max(m["time"] for m in theirs) / 1000
    if state.now() - last > WINDOW_DAYS * 86400:
        raise ChatError(-230, "User has not interacted with the OA in 7 days")
    sent = add_message(state, oa["id"], user_id, text, theirs[0]["user_name"], src=0)
    return success({"message_id": sent["message_id"], "user_id": user_id})


# The webhook ------------------------------------------------------------------------
def signature(app_id, body, timestamp, secret=OA_SECRET_KEY):
    text = f"{app_id}{body}{timestamp}{secret}"
    return "mac=" + hashlib.sha256(text.encode()).hexdigest()


def event(state, message, app_id):
    """Zalo's `user_send_text` event for `message`: (body text, headers)."""
    timestamp = str(message["time"])
    body = json.dumps(
        {
            "app_id": app_id,
            "user_id_by_app": f"app-{message['user_id']}",
            "event_name": "user_send_text",
            "timestamp": timestamp,
            "sender": {"id": message["user_id"]},
            "recipient": {"id": message["oa"]},
            "message": {"text": message["text"], "msg_id": message["message_id"]},
        },
        ensure_ascii=False,
    )
    headers = {
        "Content-Type": "application/json",
        "X-ZEvent-Signature": signature(app_id, body, timestamp),
    }
    return body, headers


ROUTES = {
    ("GET", "/v2.0/oa/listrecentchat"): ("listrecentchat", recent_chats, False),
    ("GET", "/v2.0/oa/conversation"): ("conversation", conversation, False),
    ("POST", "/v3.0/oa/message/cs"): ("message_cs", answer, True),
}
