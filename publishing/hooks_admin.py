"""Wagtail hooks of publishing: admin (imported by wagtail_hooks)."""
