"""Injected faults: what the next matching call(s) suffer instead of (or after) the
real work. Queued per (network, endpoint) through `POST /_sandbox/faults`."""

import json
import time

from sandbox import graph_common
from sandbox.web import Response, html_response, json_response

MODES = {
    "error",
    "html_500",
    "delay",
    "latency",
    "timeout",
    "timeout_after_create",
    "500_but_created",
    "rate_limit",
    "expired_token",
    "drop",
    "drop_after_create",
}
# Faults the video routes act on themselves (sandbox/videos.py): the call runs,
# refusing the file or marking its processing to fail.
VIDEO_MODES = {"video_bad_format", "video_too_long", "video_processing_error"}
MODES |= VIDEO_MODES
ENDPOINTS = {
    "facebook": {
        "feed",
        "photos",
        "edit",
        "delete",
        "read",
        "insights",
        "page",
        "me",
        "accounts",
        "token",
        "list",
        "post",
        "debug_token",
        "videos",
        "video_start",
        "video_transfer",
        "video_finish",
        "video_list",
        "comments",
        "reply",
        "hide",
    },
    "zalo": {
        "create",
        "verify",
        "update",
        "remove",
        "getdetail",
        "getslice",
        "getoa",
        "oauth_token",
        "message",
        "preparevideo",
        "verifyvideo",
        "message_cs",
        "conversation",
        "listrecentchat",
    },
}
TIMEOUT_SECONDS = 30
ERROR_PAGE = (
    "<html><head><title>500 Internal Server Error</title></head><body>"
    "<h1>500 Internal Server Error</h1></body></html>"
)
GATEWAY_TIMEOUT = (
    "<html><head><title>504 Gateway Time-out</title></head><body>"
    "<h1>504 Gateway Time-out</h1></body></html>"
)


def validate(body):
    """A clean fault from the control API's JSON, or ValueError."""
    if not isinstance(body, dict):
        raise ValueError("expected a JSON object")
    network, endpoint = body.get("network"), body.get("endpoint")
    mode = body.get("mode")
    if network not in ENDPOINTS:
        raise ValueError(f"network must be one of {sorted(ENDPOINTS)}")
    if endpoint not in ENDPOINTS[network]:
        raise ValueError(f"endpoint must be one of {sorted(ENDPOINTS[network])}")
    if mode not in MODES:
        raise ValueError(f"mode must be one of {sorted(MODES)}")
    times = body.get("times", 1)
    if not isinstance(times, int) or times < 1:
        raise ValueError("times must be a positive integer")
    return {**body, "times": times}


def apply(fault, network, action, sleep, arrived=None):
    """Answer a call under `fault`. `action()` does the real work and returns its
    Response; `sleep(s)` returns False when the server is stopping; `arrived`, the
    `time.monotonic()` of the call's arrival. None = drop."""
    if fault is None:
        return action()
    mode = fault["mode"]
    if mode in VIDEO_MODES:
        return action()
    if mode == "latency":
        # Answered `seconds` after the call arrived, the work done at once: a
        # network's latency as its clients see it, its own processing included
        # (`delay` adds the sandbox's processing time to the sleep).
        response = action()
        spent = time.monotonic() - (arrived or time.monotonic())
        left = max(0.0, float(fault.get("seconds", 1)) - spent)
        return response if sleep(left) else None
    seconds = float(fault.get("seconds", TIMEOUT_SECONDS if "timeout" in mode else 1))
    if mode == "drop":
        return None
    if mode == "drop_after_create":
        action()  # done, but the connection breaks before any answer
        return None
    if mode == "delay":
        return action() if sleep(seconds) else None
    if mode == "timeout":
        # The work is never done; whoever still waits hears from a gateway.
        return html_response(GATEWAY_TIMEOUT, 504) if sleep(seconds) else None
    if mode == "timeout_after_create":
        response = action()
        return response if sleep(seconds) else None
    if mode == "500_but_created":
        action()
        return unknown_outcome(network)
    return canned(fault, network)


def unknown_outcome(network):
    """The answer of a call that did its work but says it failed."""
    if network == "facebook":
        body = graph_common.error_body(1, "An unknown error has occurred.", None, True)
        return json_response(body, 500)
    return html_response(ERROR_PAGE, 500)


def canned(fault, network):
    """The faults that answer without doing the work."""
    mode = fault["mode"]
    if mode == "error":
        status = int(fault.get("status", 400 if network == "facebook" else 200))
        body = json.dumps(fault.get("body", {}), ensure_ascii=False).encode()
        return Response(status=status, body=body)
    if mode == "html_500":
        return html_response(ERROR_PAGE, 500)
    if mode == "rate_limit":
        return rate_limited(fault, network)
    # expired_token
    if network == "facebook":
        return graph_common.error_response(
            190, "Error validating access token: Session has expired.", 463
        )
    return json_response({"error": -216, "message": "Access token is invalid"})


def rate_limited(fault, network):
    if network == "zalo":
        response = json_response(
            {"error": -32, "message": "The request exceeds the rate limit"}
        )
        response.headers["X-RateLimit-Remain"] = "0"
        return response
    code = int(fault.get("code", 32))
    message = graph_common.RATE_LIMIT_MESSAGES.get(code, f"(#{code}) Rate limited")
    response = graph_common.error_response(code, message)
    response.meta["minutes"] = int(fault.get("minutes", 1))
    return response
