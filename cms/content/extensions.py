"""Extension points other apps fill in their `AppConfig.ready()`.

`cms` never imports `publishing`; publishing adds its panels to the article's
"Social sharing" tab and its checks to the article form here instead. Both lists are
read when Wagtail first builds the edit handler or validates a form, after every
app is ready.
"""

# Panels of the "Social sharing" tab of ArticlePage (Wagtail Panel instances).
SHARING_PANELS = []

# Callables `validator(form)` run by ArticlePageForm.clean(), after the fields and the
# inline formsets are cleaned; they add errors with form.add_error(...) or to the
# formset forms.
ARTICLE_FORM_VALIDATORS = []
