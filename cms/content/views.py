from django.shortcuts import render
from django.utils.translation import gettext as _

from cms.content.models import ArticlePage, article_cards, paginate
from cms.content.search import clean, search_query

MAX_QUERY_LENGTH = 200


def search(request):
    """Search articles; diacritics optional ("bao hiem" finds "bảo hiểm"). Any
    query gets results, none, or "too long" (`search.py` keeps the engine's own
    syntax out of it)."""
    query = clean(request.GET.get("q"))
    results, error = None, None
    if len(query) > MAX_QUERY_LENGTH:
        error = _("The search query is too long (at most %(max)s characters).") % {
            "max": MAX_QUERY_LENGTH
        }
    elif query:
        terms = search_query(query)
        matches = ArticlePage.objects.live().search(terms) if terms else []
        ids = [page.pk for page in matches[:200]]
        order = {pk: i for i, pk in enumerate(ids)}
        pages = sorted(
            article_cards(ArticlePage.objects.filter(pk__in=ids)),
            key=lambda p: order[p.pk],
        )
        results = paginate(request, pages)
    return render(
        request,
        "cms_content/search.html",
        {"query": query, "results": results, "error": error},
    )
