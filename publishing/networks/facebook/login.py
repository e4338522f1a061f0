"""Facebook Login for Pages: the dialog, the code exchange, the Pages a person manages.

Plain `requests` with timeouts; facebook-sdk's helpers read a module-global base URL.
"""

from urllib.parse import urlencode

import requests
from django.utils.translation import gettext_lazy as _

from publishing.networks.login import Account, BaseLogin, LoginError

SCOPES = [
    "pages_show_list",
    "pages_manage_posts",
    "pages_read_engagement",
    "read_insights",
    # Citizens' questions: reading comments, replying and hiding.
    "pages_read_user_content",
    "pages_manage_engagement",
]
MAX_PAGES_OF_ACCOUNTS = 10


class FacebookLogin(BaseLogin):
    """Facebook Login for Pages; reads the options `dialog_url`, `graph_url`,
    `api_version`, `app_id`, `app_secret` and `timeout`."""

    def _graph_url(self, path):
        base = self.options["graph_url"].rstrip("/")
        return f"{base}/{self.options['api_version']}/{path}"

    def start(self, callback_url, state, flow):
        base = self.options["dialog_url"].rstrip("/")
        query = urlencode(
            {
                "client_id": self.options["app_id"],
                "redirect_uri": callback_url,
                "state": state,
                "scope": ",".join(SCOPES),
                "response_type": "code",
            }
        )
        return f"{base}/{self.options['api_version']}/dialog/oauth?{query}"

    def finish(self, params, callback_url, flow):
        pages = self.pages_for_code(params.get("code", ""), callback_url)
        if not pages:
            raise LoginError(
                _(
                    "This Facebook account manages no Page. Sign in with an account "
                    "that is an admin or editor of the unit's Page."
                )
            )
        return [
            Account(page["id"], page["name"], {"page_token": page["access_token"]})
            for page in pages
        ]

    def credentials_from_token(self, token):
        return {"page_token": token}

    def pages_for_code(self, code, redirect_uri):
        """[{id, name, access_token, tasks}] of the Pages the person manages.

        The code gives a short-lived user token, exchanged for a long-lived one,
        whose Page tokens do not expire (they can still be revoked).
        """
        session = requests.Session()
        app = {
            "client_id": self.options["app_id"],
            "client_secret": self.options["app_secret"],
        }
        short = self._get(
            session,
            self._graph_url("oauth/access_token"),
            {**app, "redirect_uri": redirect_uri, "code": code},
        )["access_token"]
        long_lived = self._get(
            session,
            self._graph_url("oauth/access_token"),
            {**app, "grant_type": "fb_exchange_token", "fb_exchange_token": short},
        )["access_token"]
        pages, url = [], self._graph_url("me/accounts")
        params = {"fields": "id,name,access_token,tasks", "access_token": long_lived}
        for _page in range(MAX_PAGES_OF_ACCOUNTS):
            data = self._get(session, url, params)
            pages.extend(data.get("data", []))
            url = (data.get("paging") or {}).get("next")
            if not url:
                break
            params = None  # the next URL carries its own query
        return pages

    def _get(self, session, url, params):
        try:
            response = session.get(url, params=params, timeout=self.options["timeout"])
        except requests.RequestException as error:
            raise LoginError(
                _(
                    "Facebook could not be reached (%(kind)s). Try again in a few "
                    "minutes."
                )
                % {"kind": type(error).__name__}
            ) from None
        try:
            data = response.json()
        except ValueError:
            raise LoginError(
                _(
                    "Facebook answered with an error page (HTTP %(status)s). Retry "
                    "later."
                )
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
