from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from cms.core.throttle import ThrottledLoginMixin


class LoginForm(ThrottledLoginMixin, WagtailLoginForm):
    """Wagtail's login form; its "Password" label is no msgid, so it is set here.
    Failed sign-ins are throttled (throttle.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
        self.fields["username"].label = pgettext_lazy("login form", "Username")
        # Wagtail builds "Enter your <field name>" and the name keeps its capital.
        self.fields["username"].widget.attrs["placeholder"] = _("Enter your username")
