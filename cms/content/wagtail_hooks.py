"""Labels Wagtail makes from field names ("Link text", "Site name"), which no
catalogue holds, so they showed in English on Vietnamese screens (issue 8): the link
chooser forms, the workflow form's page field, the sites listing's columns."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import (
    AnchorLinkChooserForm,
    EmailLinkChooserForm,
    ExternalLinkChooserForm,
    PhoneLinkChooserForm,
)
from wagtail.admin.forms.workflows import WorkflowPageForm
from wagtail.models import Site
from wagtail.sites.views import IndexView as SiteIndexView

LABELS = {
    ExternalLinkChooserForm: {"link_text": _("Link text")},
    AnchorLinkChooserForm: {"link_text": _("Link text")},
    EmailLinkChooserForm: {
        "email_address": _("Email address"),
        "link_text": _("Link text"),
        "subject": _("Email subject"),
        "body": _("Email body"),
    },
    PhoneLinkChooserForm: {
        "phone_number": _("Phone number"),
        "link_text": _("Link text"),
    },
    WorkflowPageForm: {"page": capfirst(_("page"))},
}

for form_class, labels in LABELS.items():
    for name, label in labels.items():
        form_class.base_fields[name].label = label

for column in SiteIndexView.columns:
    if column.name in ("port", "site_name", "root_page"):
        column.label = capfirst(Site._meta.get_field(column.name).verbose_name)
