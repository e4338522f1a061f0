"""The article's admin form (kept apart from forms.py, which needs the app registry)."""

from wagtail.admin.forms import WagtailAdminPageForm

from cms.content.extensions import ARTICLE_FORM_VALIDATORS


class ArticlePageForm(WagtailAdminPageForm):
    """The article's admin form; other apps add checks through extensions."""

    def clean(self):
        cleaned_data = super().clean()
        for validator in ARTICLE_FORM_VALIDATORS:
            validator(self)
        return cleaned_data
