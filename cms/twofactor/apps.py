from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwoFactorConfig(AppConfig):
    """Two-step sign-in to the admin (TOTP) on django-otp's devices."""

    name = "cms.twofactor"
    label = "twofactor"
    verbose_name = _("Two-step verification")

    def ready(self):
        from cms.content.signals import demo_seeded
        from cms.twofactor.demo import seed_devices

        demo_seeded.connect(seed_devices, dispatch_uid="twofactor_demo_devices")
