"""Wagtail hooks of publishing: editor (imported by wagtail_hooks)."""
