from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "cms.core"
    label = "cms_core"
    verbose_name = _("Organisation and campaigns")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cms.core import compare, signals, spreadsheets

        signals.connect()
        compare.register()  # dates in the revisions comparison (issue 8)
        spreadsheets.neutralise_wagtail_exports()  # Wagtail's CSV exports (issue 15)
