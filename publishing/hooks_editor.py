"""Wagtail hooks of publishing: editor (imported by wagtail_hooks)."""

from django.urls import path
from wagtail import hooks

from .editor_preview import share_preview


@hooks.register("register_admin_urls")
def register_preview_url():
    return [
        path("publishing/preview/", share_preview, name="publishing_share_preview"),
    ]
