"""One section page per unit, under the news index, titled after the unit."""

from .models import ArticleIndexPage, UnitSectionPage


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
