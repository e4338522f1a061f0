from django.conf import settings

from cms.content.page_cache.store import cached_nav


def _nav():
    from cms.content.models import ArticleIndexPage, HomePage

    home = HomePage.objects.live().only("url_path").first()
    index = ArticleIndexPage.objects.live().only("url_path", "title").first()
    return {
        "home_url": home.url if home else "/",
        "news_url": index.url if index else None,
        "news_title": index.title if index else None,
    }


def site_chrome(request):
    """Header and footer data for public pages; the navigation is kept with the
    cached pages and purged with them (cms/content/page_cache/)."""
    return {
        "site_organisation": settings.SITE_ORGANISATION,
        "site_hotline": settings.SITE_HOTLINE,
        "nav": cached_nav(_nav),
        "base_url": settings.BASE_URL,
    }
