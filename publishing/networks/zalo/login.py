"""Zalo OA permission (OAuth v4 with PKCE) and the token endpoint."""

import base64
import datetime
import hashlib
import secrets
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from publishing.networks.facebook.login import LoginError


def new_verifier():
    """43-128 characters from the unreserved set (RFC 7636)."""
    return secrets.token_urlsafe(64)[:86]


def challenge_for(verifier):
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def permission_url(redirect_uri, verifier, state):
    base = settings.ZALO_OAUTH_URL.rstrip("/")
    query = urlencode(
        {
            "app_id": settings.ZALO_APP_ID,
            "redirect_uri": redirect_uri,
            "code_challenge": challenge_for(verifier),
            "state": state,
        }
    )
    return f"{base}/v4/oa/permission?{query}"


def _token_call(fields):
    url = settings.ZALO_OAUTH_URL.rstrip("/") + "/v4/oa/access_token"
    try:
        response = requests.post(
            url,
            data={"app_id": settings.ZALO_APP_ID, **fields},
            headers={"secret_key": settings.ZALO_APP_SECRET},
            timeout=settings.NETWORK_TIMEOUT,
        )
        data = response.json()
    except requests.RequestException as error:
        raise LoginError(
            _("Zalo could not be reached (%(kind)s). Try again in a few minutes.")
            % {"kind": type(error).__name__}
        ) from None
    except ValueError:
        raise LoginError(
            _("Zalo answered with an error page (HTTP %(status)s). Try again later.")
            % {"status": response.status_code}
        ) from None
    if not data.get("access_token"):
        raise LoginError(
            _("Zalo refused the token request: %(reason)s")
            % {
                "reason": str(
                    data.get("error_description") or data.get("error_name") or ""
                )[:200]
            }
        )
    expires_in = int(data.get("expires_in") or 0)  # Zalo sends a string
    return {
        "access_token": data["access_token"],
        "refresh_token": data.get("refresh_token", ""),
        "expires_at": (
            timezone.now() + datetime.timedelta(seconds=expires_in)
        ).isoformat(),
    }


def exchange_code(code, verifier):
    return _token_call(
        {"grant_type": "authorization_code", "code": code, "code_verifier": verifier}
    )


def exchange_refresh_token(refresh_token):
    """A pasted refresh token -> fresh credentials (it is single use: store them)."""
    return _token_call({"grant_type": "refresh_token", "refresh_token": refresh_token})


def oa_info(access_token):
    """{oa_id, name, num_follower} of the OA the token belongs to."""
    url = settings.ZALO_OPENAPI_URL.rstrip("/") + "/v2.0/oa/getoa"
    try:
        response = requests.get(
            url,
            headers={"access_token": access_token},
            timeout=settings.NETWORK_TIMEOUT,
        )
        data = response.json()
    except (requests.RequestException, ValueError):
        raise LoginError(
            _("Zalo did not answer about the OA. Try again in a few minutes.")
        ) from None
    if data.get("error"):
        raise LoginError(
            _("Zalo refused to describe the OA (error %(code)s): %(reason)s")
            % {"code": data.get("error"), "reason": str(data.get("message", ""))[:200]}
        )
    return data.get("data") or {}
