from django.apps import AppConfig


class SandboxConfig(AppConfig):
    """Development and tests only: installed by cms.settings.dev and
    cms.settings.test, never by production, so the fake networks (and their
    unauthenticated control API) cannot ship with the site."""

    name = "sandbox"
    label = "sandbox"
    verbose_name = "Network sandbox (development only)"
