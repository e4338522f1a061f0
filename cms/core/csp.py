"""The Content-Security-Policy: strict on the public site, loosened for the admin.

`CONTENT_SECURITY_POLICY` (settings/base.py) is the public site's policy: scripts
and styles from our own origin only, video frames from the two players the embed
finder builds (cms/content/embeds.py), no plugins, no foreign forms.

Wagtail 8's admin still writes inline scripts (InlinePanel's forms, the date and
time widgets) and inline style attributes, so under /admin/ the policy also allows
'unsafe-inline' for scripts and styles, and blob: images (upload previews). The
admin's pages only show escaped user input (tests/security/test_xss.py), so this is a
second line of defence given up there, not the first.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.urls import reverse

ADMIN_ADDITIONS = {
    "script-src": [UNSAFE_INLINE],
    "style-src": [UNSAFE_INLINE],
    "img-src": ["blob:"],
}


def is_admin_path(path):
    return path.startswith(reverse("wagtailadmin_home"))


class SiteCSPMiddleware(CSPMiddleware):
    """django-csp's middleware with the admin's additions on admin paths."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_path(request.path_info):
            update = dict(parts.update or {})
            for directive, sources in ADMIN_ADDITIONS.items():
                update[directive] = list(update.get(directive) or []) + sources
            parts.update = update
        return parts
