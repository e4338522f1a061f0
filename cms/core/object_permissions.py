"""One object's permission in Wagtail's generic admin views.

Wagtail's generic object views (edit, delete, history, usage, inspect) check only
the model-level permission ("may change some channel"), so a direct URL or a forged
POST for another unit's object would go through. `ObjectPermissionMixin` checks the
object itself with the view's permission policy: an object the user may not even
see is a 404 (nothing of it shown), one they may see but not act on a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class ObjectPermissionMixin:
    object_action = "view"  # "change" for edit views, "delete" for delete views

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        policy, user = self.permission_policy, self.request.user
        if not policy.user_has_permission_for_instance(user, "view", obj):
            raise Http404
        if not policy.user_has_permission_for_instance(user, self.object_action, obj):
            raise PermissionDenied
        return obj
