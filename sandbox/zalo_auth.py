"""Zalo OAuth v4 for Official Accounts: the permission page (with PKCE) and the
token endpoint (authorization code or single-use refresh token)."""

import base64
import hashlib

from sandbox import pages
from sandbox.web import Match, add_query, html_response, json_response, redirect


class OAuthError(Exception):
    pass


def match(method, path):
    if path == "/v4/oa/permission":
        if method == "POST":
            return Match("zalo", "permission", decision, {}, True)
        return Match("zalo", "permission", permission, {}, False)
    if path == "/v4/oa/access_token" and method == "POST":
        return Match("zalo", "oauth_token", access_token, {}, True)
    return None


def challenge_of(verifier):
    """S256: base64url(sha256(verifier)) without padding."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def oauth_error(description):
    return json_response(
        {
            "error": -14014,
            "error_name": "Invalid parameter",
            "error_description": description,
        }
    )


# The permission page ------------------------------------------------------------
def request_params(state, req):
    keys = ("app_id", "redirect_uri", "code_challenge", "state")
    params = {key: req.param(key) or "" for key in keys}
    if state.app_secret("zalo", params["app_id"]) is None:
        raise OAuthError("Ứng dụng không hợp lệ: app_id không được đăng ký.")
    if not params["redirect_uri"].startswith(("http://", "https://")):
        raise OAuthError("Thiếu redirect_uri hoặc redirect_uri không hợp lệ.")
    return params


def permission(state, req):
    """GET /v4/oa/permission: choose an OA, "Cho phép" or "Từ chối"."""
    try:
        params = request_params(state, req)
    except OAuthError as error:
        return html_response(pages.error_page(str(error)), 400)
    oas = list(state.data["oas"].values())
    return html_response(pages.zalo_permission(req.path, params, oas))


def decision(state, req):
    """POST /v4/oa/permission: redirect back with `code` and `oa_id`, or an error."""
    try:
        params = request_params(state, req)
    except OAuthError as error:
        return html_response(pages.error_page(str(error)), 400)
    target = params["redirect_uri"]
    oa_id = req.param("oa_id")
    if req.param("decision") != "approve" or oa_id not in state.data["oas"]:
        refusal = {"error": "access_denied", "error_description": "User denied"}
        return redirect(add_query(target, {**refusal, "state": params["state"]}))
    code = state.new_code(
        network="zalo",
        app=params["app_id"],
        redirect_uri=target,
        oa=oa_id,
        challenge=params["code_challenge"],
    )
    answer = {"code": code, "oa_id": oa_id, "state": params["state"]}
    return redirect(add_query(target, answer))


# The token endpoint ---------------------------------------------------------------
def access_token(state, req):
    """POST /v4/oa/access_token (header `secret_key`, form `app_id`, `grant_type`)."""
    app_id = req.param("app_id")
    expected = state.app_secret("zalo", app_id)
    if expected is None:
        return oauth_error("app_id is invalid")
    if req.headers.get("secret_key") != expected:
        return oauth_error("secret_key is invalid")
    grant = req.param("grant_type")
    try:
        if grant == "authorization_code":
            oa_id = redeem_code(state, req, app_id)
        elif grant == "refresh_token":
            oa_id = redeem_refresh(state, req, app_id)
        else:
            raise OAuthError("grant_type is invalid")
    except OAuthError as error:
        return oauth_error(str(error))
    return json_response(state.zalo_tokens(oa_id, app_id))


def redeem_code(state, req, app_id):
    """The OA of a valid, unused, unexpired code whose PKCE verifier matches."""
    code = state.data["codes"].get(req.param("code") or "")
    if not code or code["network"] != "zalo" or code["app"] != app_id:
        raise OAuthError("code is invalid")
    if code["used"]:
        raise OAuthError("code has been used")
    if code["expires_at"] <= state.now():
        raise OAuthError("code has expired")
    verifier = req.param("code_verifier") or ""
    if code["challenge"] and challenge_of(verifier) != code["challenge"]:
        raise OAuthError("code_verifier does not match the code_challenge")
    code["used"] = True
    return code["oa"]


def redeem_refresh(state, req, app_id):
    """Refresh tokens are single use: the old one dies when the new pair is born."""
    value = req.param("refresh_token")
    record = state.token(value)
    if not record or record["kind"] != "refresh" or record["app"] != app_id:
        raise OAuthError("refresh_token is invalid")
    if state.token_problem(record):
        raise OAuthError("refresh_token is invalid or has been used")
    record["used"] = True
    return record["owner"]
