"""A publication's short link (copyable) and the visits it brought, on its page
(with the visits of each day) and on the article's sharing tab."""

from django import template

from publishing.metrics.visits import total_visits, visits_by_day
from publishing.outbox.compose import short_link

register = template.Library()


@register.inclusion_tag("publishing/publications/visits.html")
def post_visits(publication, by_day=False):
    return {
        "publication": publication,
        "short_link": short_link(publication.link_code),  # what the posts carry
        "total": total_visits([publication.pk])[publication.pk],
        "days": visits_by_day(publication) if by_day else None,
        "by_day": by_day,
    }
