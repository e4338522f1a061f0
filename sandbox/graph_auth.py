"""Facebook Login and tokens: the dialog, code exchange, long-lived tokens,
`/me`, `/me/accounts`, `/debug_token`."""

from sandbox import pages
from sandbox.graph_common import (
    GraphError,
    page_token_for,
    parse_fields,
    require_token,
    token_value,
    unknown_field,
)
from sandbox.web import add_query, html_response, json_response, redirect

USER_TOKEN_TTL = 5183944  # what Graph says for a long-lived user token (~60 days)
USED_CODE = 36009
TASKS = ["ADVERTISE", "ANALYZE", "CREATE_CONTENT", "MESSAGING", "MODERATE", "MANAGE"]


def me(state, req):
    """GET /me: the Page for a Page token, the person for a user token."""
    token = require_token(state, req)
    if token["kind"] == "page":
        owner = state.data["pages"][token["owner"]]
    else:
        owner = state.data["users"][token["owner"]]
    fields = parse_fields(req.param("fields"), ["id", "name"])
    for name in fields:
        if name not in ("id", "name"):
            raise unknown_field(name, "Page" if token["kind"] == "page" else "User")
    return json_response({"id": owner["id"], "name": owner["name"]})


def accounts(state, req):
    """GET /me/accounts: the Pages this person manages, each with its Page token."""
    token = require_token(state, req)
    if token["kind"] != "user":
        raise unknown_field("accounts", "Page")
    fields = parse_fields(req.param("fields"), ["id", "name", "access_token"])
    scopes = token.get("scopes", [])
    data = []
    if "pages_show_list" in scopes:
        for page in state.data["pages"].values():
            if page["user"] == token["owner"]:
                values = {
                    "id": page["id"],
                    "name": page["name"],
                    "category": page.get("category"),
                    "tasks": list(TASKS),
                    "access_token": page_token_for(state, page, scopes),
                }
                data.append({k: values[k] for k in fields if k in values})
    return json_response({"data": data, "paging": {"cursors": {}}})


def check_app(state, client_id, secret):
    expected = state.app_secret("facebook", client_id)
    if expected is None:
        raise GraphError(101, "Error validating application. Invalid application ID.")
    if secret != expected:
        raise GraphError(100, "Error validating client secret.")


def access_token(state, req):
    """GET /oauth/access_token: a code for a user token, or a short token for a
    long-lived one (`grant_type=fb_exchange_token`)."""
    client_id = req.param("client_id")
    check_app(state, client_id, req.param("client_secret"))
    if req.param("grant_type") == "fb_exchange_token":
        return exchange(state, req.param("fb_exchange_token"), client_id)
    code = state.data["codes"].get(req.param("code") or "")
    if not code or code["network"] != "facebook" or code["app"] != client_id:
        raise GraphError(100, "Invalid verification code format.", USED_CODE)
    if code["used"]:
        raise GraphError(100, "This authorization code has been used.", USED_CODE)
    if code["expires_at"] <= state.now():
        raise GraphError(100, "This authorization code has expired.", USED_CODE)
    if req.param("redirect_uri") != code["redirect_uri"]:
        raise GraphError(
            100,
            "Error validating verification code. Please make sure your redirect_uri "
            "is identical to the one you used in the OAuth dialog request",
            36008,
        )
    code["used"] = True
    value = state.new_token(
        "facebook",
        "user",
        code["user"],
        app=client_id,
        ttl=USER_TOKEN_TTL,
        scopes=code["scopes"],
        long_lived=False,
    )
    return token_answer(value)


def exchange(state, short_value, client_id):
    record = state.token(short_value)
    if not record or record["kind"] != "user" or state.token_problem(record):
        raise GraphError(190, "Invalid OAuth access token - Cannot parse access token")
    value = state.new_token(
        "facebook",
        "user",
        record["owner"],
        app=client_id,
        ttl=USER_TOKEN_TTL,
        scopes=record.get("scopes", []),
        long_lived=True,
    )
    return token_answer(value)


def token_answer(value):
    return json_response(
        {"access_token": value, "token_type": "bearer", "expires_in": USER_TOKEN_TTL}
    )


def debug_token(state, req):
    """GET /debug_token?input_token=: what a token is, for an app or user token."""
    caller = token_value(req) or ""
    app_id, _, secret = caller.partition("|")
    if not (secret and state.app_secret("facebook", app_id) == secret):
        require_token(state, req)
    value = req.param("input_token")
    record = state.token(value)
    if not record or record["network"] != "facebook":
        error = {"code": 190, "message": "Invalid OAuth access token."}
        data = {"is_valid": False, "error": error, "scopes": []}
        return json_response({"data": data})
    problem = state.token_problem(record)
    data = {
        "app_id": record["app"],
        "type": "PAGE" if record["kind"] == "page" else "USER",
        "application": "BHXH",
        "expires_at": record["expires_at"] or 0,
        "issued_at": record["issued_at"],
        "is_valid": problem is None,
        "profile_id": record["owner"],
        "scopes": record.get("scopes", []),
        "user_id": user_of(state, record),
    }
    if problem:
        subcode = 460 if problem == "revoked" else 463
        data["error"] = {"code": 190, "subcode": subcode, "message": problem}
    return json_response({"data": data})


def user_of(state, record):
    if record["kind"] == "page":
        return state.data["pages"].get(record["owner"], {}).get("user")
    return record["owner"]


# The Login dialog --------------------------------------------------------------
def dialog_params(state, req):
    params = {
        key: req.param(key) or ""
        for key in ("client_id", "redirect_uri", "state", "scope")
    }
    if state.app_secret("facebook", params["client_id"]) is None:
        raise ValueError("Ứng dụng không hợp lệ: client_id không được đăng ký.")
    if not params["redirect_uri"].startswith(("http://", "https://")):
        raise ValueError("Thiếu redirect_uri hoặc redirect_uri không hợp lệ.")
    return params


def dialog(state, req):
    """GET /dialog/oauth: the sandbox user, their Pages, "Cho phép" / "Từ chối"."""
    try:
        params = dialog_params(state, req)
    except ValueError as error:
        return html_response(pages.error_page(str(error)), 400)
    user = state.default_user()
    managed = [p for p in state.data["pages"].values() if p["user"] == user["id"]]
    return html_response(pages.facebook_dialog(req.path, params, user, managed))


def dialog_decision(state, req):
    """POST /dialog/oauth: redirect back with a code, or with the refusal."""
    try:
        params = dialog_params(state, req)
    except ValueError as error:
        return html_response(pages.error_page(str(error)), 400)
    target = params["redirect_uri"]
    if req.param("decision") != "approve":
        return redirect(
            add_query(
                target,
                {
                    "error": "access_denied",
                    "error_code": "200",
                    "error_description": "Permissions error",
                    "error_reason": "user_denied",
                    "state": params["state"],
                },
            )
        )
    scopes = [s.strip() for s in params["scope"].split(",") if s.strip()]
    code = state.new_code(
        network="facebook",
        app=params["client_id"],
        redirect_uri=target,
        user=state.default_user()["id"],
        scopes=scopes or ["public_profile"],
    )
    return redirect(add_query(target, {"code": code, "state": params["state"]}))
