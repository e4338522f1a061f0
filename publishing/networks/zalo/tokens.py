"""The OA's tokens, for `ZaloNetwork`.

The access token lives 25 hours and is refreshed shortly before it expires, or once
when Zalo rejects it. Refresh tokens are single use, so a refresh runs inside the
adapter's `token_lock` (the channel's row locked, `Channel.credentials_locked`)
and hands the new tokens to `on_token`, which stores them in that transaction:
the adapter never saves the channel itself. Every token seen is remembered, to be
scrubbed from error details.
"""

import datetime

import requests
from django.utils import timezone

from publishing.networks import messages
from publishing.networks.base import ReconnectNeeded, RetryLater
from publishing.networks.zalo.api import _int, _json

REFRESH_MARGIN = datetime.timedelta(minutes=5)
DEFAULT_EXPIRES_IN = 90000  # seconds: 25 hours, what Zalo gives today


class ZaloTokens:
    """Tokens of `ZaloNetwork`: uses its `credentials`, `token_lock`,
    `on_token`, `session`, `oauth_url`, `options`, `timeout`, `label` and
    `_secrets`."""

    def _access_token(self):
        if _expires_soon(self.credentials):
            self._refresh(stale=self.credentials.get("access_token"))
        self._remember_secrets(self.credentials)
        return self.credentials.get("access_token", "")

    def _refresh(self, stale):
        """New tokens, handed to `on_token` inside `token_lock`. When the stored
        access token is another one, still fresh, another process refreshed
        first: use it instead of spending a token again."""
        with self.token_lock() as current:
            current = current or {}
            self._remember_secrets(current)
            if current.get("access_token") != stale and not _expires_soon(current):
                self.credentials = current
            else:
                self.credentials = self._exchange(current)
                self.on_token(dict(self.credentials))
        return self.credentials

    def _exchange(self, current):
        answer = self._token_answer(current.get("refresh_token", ""))
        if not answer.get("access_token"):
            raise ReconnectNeeded(
                messages.ZALO_TOKEN_INVALID,
                code=_int(answer.get("error")),
                detail=self._scrub(
                    str(answer.get("error_description") or answer.get("message") or "")
                ),
            )
        expires_in = _int(answer.get("expires_in")) or DEFAULT_EXPIRES_IN  # a string
        new = {
            **current,
            "access_token": answer["access_token"],
            "refresh_token": answer.get("refresh_token")
            or current.get("refresh_token"),
            "expires_at": (
                timezone.now() + datetime.timedelta(seconds=expires_in)
            ).isoformat(),
        }
        self._remember_secrets(new)
        return new

    def _token_answer(self, refresh_token):
        """Zalo's answer to a refresh, as a dict; no answer is a RetryLater."""
        try:
            response = self.session.post(
                self.oauth_url + "v4/oa/access_token",
                headers={"secret_key": self.options["app_secret"]},
                data={
                    "app_id": self.options["app_id"],
                    "grant_type": "refresh_token",
                    "refresh_token": refresh_token,
                },
                timeout=self.timeout,
            )
        except requests.RequestException as error:
            raise messages.transport_error(self.label, error, write=False) from None
        answer = _json(response)
        if response.status_code >= 500 or not isinstance(answer, dict):
            raise RetryLater(
                messages.TEMPORARY % {"network": self.label},
                detail=f"HTTP {response.status_code}",
            )
        return answer

    def _remember_secrets(self, credentials):
        for key in ("access_token", "refresh_token"):
            if (credentials or {}).get(key):
                self._secrets.add(credentials[key])

    def _scrub(self, text):
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text


def _expires_at(credentials):
    value = (credentials or {}).get("expires_at")
    if not value:
        return None
    try:
        moment = datetime.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def _expires_soon(credentials):
    """True when the access token expires within the margin; unknown is not soon
    (Zalo's -216 then triggers the refresh)."""
    expires_at = _expires_at(credentials)
    return expires_at is not None and expires_at <= timezone.now() + REFRESH_MARGIN
