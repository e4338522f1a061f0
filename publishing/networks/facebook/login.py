"""Facebook Login for Pages: the dialog, the code exchange, the Pages a person manages.

Plain `requests` with timeouts; facebook-sdk's helpers read a module-global base URL.
"""

from urllib.parse import urlencode

import requests
from django.conf import settings
from django.utils.translation import gettext_lazy as _

SCOPES = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "read_insights",
]
MAX_PAGES_OF_ACCOUNTS = 10


class LoginError(Exception):
    """The login could not finish; `message` tells the person why and what to do."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def _graph_url(path):
    base = settings.FACEBOOK_GRAPH_URL.rstrip("/")
    return f"{base}/{settings.FACEBOOK_API_VERSION}/{path}"


def dialog_url(redirect_uri, state):
    base = settings.FACEBOOK_DIALOG_URL.rstrip("/")
    query = urlencode(
        {
            "client_id": settings.FACEBOOK_APP_ID,
            "redirect_uri": redirect_uri,
            "state": state,
            "scope": ",".join(SCOPES),
            "response_type": "code",
        }
    )
    return f"{base}/{settings.FACEBOOK_API_VERSION}/dialog/oauth?{query}"


def _get(session, url, params):
    try:
        response = session.get(url, params=params, timeout=settings.NETWORK_TIMEOUT)
    except requests.RequestException as error:
        raise LoginError(
            _("Facebook could not be reached (%(kind)s). Try again in a few minutes.")
            % {"kind": type(error).__name__}
        ) from None
    try:
        data = response.json()
    except ValueError:
        raise LoginError(
            _("Facebook answered with an error page (HTTP %(status)s). Retry later.")
            % {"status": response.status_code}
        ) from None
    error = data.get("error") if isinstance(data, dict) else None
    if error:
        raise LoginError(_explain(error))
    return data


def _explain(error):
    code, subcode = error.get("code"), error.get("error_subcode")
    if code == 100 and subcode in (36007, 36008, 36009):
        return _(
            "The Facebook sign-in code has expired or was already used. "
            "Press “Connect Facebook” again."
        )
    if code == 190:
        return _("Facebook refused the sign-in (expired session). Sign in again.")
    if code == 101 or code == 1:
        return _(
            "Facebook refused the app credentials: check FACEBOOK_APP_ID and "
            "FACEBOOK_APP_SECRET."
        )
    return _("Facebook refused the sign-in: %(reason)s") % {
        "reason": str(error.get("message", ""))[:200]
    }


def pages_for_code(code, redirect_uri):
    """[{id, name, access_token, tasks}] of the Pages the person manages.

    The code gives a short-lived user token, exchanged for a long-lived one, whose
    Page tokens do not expire (they can still be revoked).
    """
    session = requests.Session()
    app = {
        "client_id": settings.FACEBOOK_APP_ID,
        "client_secret": settings.FACEBOOK_APP_SECRET,
    }
    short = _get(
        session,
        _graph_url("oauth/access_token"),
        {**app, "redirect_uri": redirect_uri, "code": code},
    )["access_token"]
    long_lived = _get(
        session,
        _graph_url("oauth/access_token"),
        {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": short},
    )["access_token"]
    pages, url = [], _graph_url("me/accounts")
    params = {"fields": "id,name,access_token,tasks", "access_token": long_lived}
    for _page in range(MAX_PAGES_OF_ACCOUNTS):
        data = _get(session, url, params)
        pages.extend(data.get("data", []))
        url = (data.get("paging") or {}).get("next")
        if not url:
            break
        params = None  # the next URL carries its own query
    return pages
