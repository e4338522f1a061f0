"""One section page per unit, under the news index, titled after the unit."""

from django.conf import settings
from wagtail.models import Collection, Locale, Page

from cms.content.models import ArticleIndexPage, UnitSectionPage


def ensure_tree_roots():
    """Wagtail's root page, default locale and root collection.

    Wagtail's migrations create them as data, so a `flush` (and every transactional
    test) removes them; seed_demo and the test fixtures put them back.
    """
    locale, _ = Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")
    root = Page.get_first_root_node()
    if root is None:
        root = Page.add_root(title="Root", slug="root", locale=locale)
    return root


def ensure_section(unit):
    """Create the unit's section if the news index exists; follow renames.

    A renamed unit keeps its section (and its URL): only the title changes, so links
    already shared on the networks keep working.
    """
    section = UnitSectionPage.objects.filter(unit=unit).first()
    if section is None:
        index = ArticleIndexPage.objects.first()
        if index is None:
            return None
        section = UnitSectionPage(title=unit.name, slug=unit.slug, unit=unit)
        index.add_child(instance=section)
        section.save_revision().publish()
        return section
    if section.title != unit.name:
        section.title = unit.name
        section.draft_title = unit.name
        section.save_revision().publish()
    return section
