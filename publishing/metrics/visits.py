"""Visits a publication brought to the site, as its page and the article's sharing
tab show them: read from the daily counters (`VisitDay`) that its short link and
its `utm_content=pub-<id>` links add to. Nothing here counts; it only reads."""

from django.db.models import Sum

from publishing.models import VisitDay


def total_visits(publication_ids):
    """{publication id: visits on every day} for these publications (0 if none)."""
    rows = (
        VisitDay.objects.filter(publication_id__in=list(publication_ids))
        .order_by()
        .values_list("publication_id")
        .annotate(visits=Sum("visits"))
    )
    found = dict(rows)
    return {pk: found.get(pk, 0) for pk in publication_ids}


def visits_by_day(publication):
    """[(local day, visits)], newest first: only the days that had any."""
    return list(
        VisitDay.objects.filter(publication=publication, visits__gt=0)
        .order_by("-day")
        .values_list("day", "visits")
    )
