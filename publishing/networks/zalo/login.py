"""Zalo OA permission (OAuth v4 with PKCE) and the token endpoint."""

import base64
import datetime
import hashlib
import secrets
from urllib.parse import urlencode

import requests
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.networks.login import Account, BaseLogin, LoginError


def new_verifier():
    """43-128 characters from the unreserved set (RFC 7636)."""
    return secrets.token_urlsafe(64)[:86]


def challenge_for(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


class ZaloLogin(BaseLogin):
    """Zalo's OA permission; reads the options `oauth_url`, `openapi_url`,
    `app_id`, `app_secret` and `timeout`. One OA per login."""

    picks_one = True

    def begin(self):
        return {"verifier": new_verifier()}

    def start(self, callback_url, state, flow):
        base = self.options["oauth_url"].rstrip("/")
        query = urlencode(
            {
                "app_id": self.options["app_id"],
                "redirect_uri": callback_url,
                "code_challenge": challenge_for(flow["verifier"]),
                "state": state,
            }
        )
        return f"{base}/v4/oa/permission?{query}"

    def denied(self, params):
        return bool(params.get("error") or not params.get("code"))

    def finish(self, params, callback_url, flow):
        credentials = self.exchange_code(params["code"], flow["verifier"])
        info = self.oa_info(credentials["access_token"])
        oa_id = str(info.get("oa_id") or params.get("oa_id", ""))
        name = info.get("name") or params.get("oa_id", "")
        return [Account(oa_id, name, credentials)]

    def credentials_from_token(self, token):
        """A pasted refresh token -> fresh credentials (it is single use)."""
        return self.exchange_refresh_token(token)

    def exchange_code(self, code, verifier):
        return self._token_call(
            {
                "grant_type": "authorization_code",
                "code": code,
                "code_verifier": verifier,
            }
        )

    def exchange_refresh_token(self, refresh_token):
        return self._token_call(
            {"grant_type": "refresh_token", "refresh_token": refresh_token}
        )

    def _token_call(self, fields):
        url = self.options["oauth_url"].rstrip("/") + "/v4/oa/access_token"
        try:
            response = requests.post(
                url,
                data={"app_id": self.options["app_id"], **fields},
                headers={"secret_key": self.options["app_secret"]},
                timeout=self.options["timeout"],
            )
            data = response.json()
        except requests.RequestException as error:
            raise LoginError(
                _("Zalo could not be reached (%(kind)s). Try again in a few minutes.")
                % {"kind": type(error).__name__}
            ) from None
        except ValueError:
            raise LoginError(
                _(
                    "Zalo answered with an error page (HTTP %(status)s). Try again "
                    "later."
                )
                % {"status": response.status_code}
            ) from None
        if not data.get("access_token"):
            reason = data.get("error_description") or data.get("error_name") or ""
            raise LoginError(
                _("Zalo refused the token request: %(reason)s")
                % {"reason": str(reason)[:200]}
            )
        expires_in = int(data.get("expires_in") or 0)  # Zalo sends a string
        return {
            "access_token": data["access_token"],
            "refresh_token": data.get("refresh_token", ""),
            "expires_at": (
                timezone.now() + datetime.timedelta(seconds=expires_in)
            ).isoformat(),
        }

    def oa_info(self, access_token):
        """{oa_id, name, num_follower} of the OA the token belongs to."""
        url = self.options["openapi_url"].rstrip("/") + "/v2.0/oa/getoa"
        try:
            response = requests.get(
                url,
                headers={"access_token": access_token},
                timeout=self.options["timeout"],
            )
            data = response.json()
        except (requests.RequestException, ValueError):
            raise LoginError(
                _("Zalo did not answer about the OA. Try again in a few minutes.")
            ) from None
        if data.get("error"):
            raise LoginError(
                _("Zalo refused to describe the OA (error %(code)s): %(reason)s")
                % {
                    "code": data.get("error"),
                    "reason": str(data.get("message", ""))[:200],
                }
            )
        return data.get("data") or {}
