"""Helpers shared by the security tests."""

import os
import secrets

from cryptography.fernet import Fernet


def production_env(**extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SECRET_KEY", "FIELD_ENCRYPTION_KEY"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        FIELD_ENCRYPTION_KEY=Fernet.generate_key().decode(),
        ALLOWED_HOSTS="bhxh.example.vn",
        BASE_URL="https://bhxh.example.vn",
    )
    env.update(extra)
    return env
