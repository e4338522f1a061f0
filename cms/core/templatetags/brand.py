"""The agency's own face in the admin and on the public site: its name, logo and
favicon, each from a setting (SITE_ORGANISATION, SITE_LOGO, SITE_FAVICON), so a
deployment swaps the repository's placeholders without touching a template."""

from django import template
from django.conf import settings
from django.templatetags.static import static

register = template.Library()


def brand_url(value):
    """A static file's path (`cms/brand/logo.svg`), or an address used as it is."""
    if value.startswith(("/", "http://", "https://")):
        return value
    return static(value)


@register.simple_tag
def brand_name():
    return settings.SITE_ORGANISATION


@register.simple_tag
def brand_logo_url():
    return brand_url(settings.SITE_LOGO)


@register.simple_tag
def brand_favicon_url():
    return brand_url(settings.SITE_FAVICON)
