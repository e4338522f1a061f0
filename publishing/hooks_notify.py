"""Wagtail hooks of publishing: notify (imported by wagtail_hooks)."""
