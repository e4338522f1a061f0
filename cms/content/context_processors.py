from django.conf import settings
from django.core.cache import cache


def site_chrome(request):
    """Header and footer data for public pages, cached: it changes rarely."""
    nav = cache.get("site_chrome_nav")
    if nav is None:
        from cms.content.models import ArticleIndexPage, HomePage

        home = HomePage.objects.live().only("url_path").first()
        index = ArticleIndexPage.objects.live().only("url_path", "title").first()
        nav = {
            "home_url": home.url if home else "/",
            "news_url": index.url if index else None,
            "news_title": index.title if index else None,
        }
        cache.set("site_chrome_nav", nav, 300)
    return {
        "site_organisation": settings.SITE_ORGANISATION,
        "site_hotline": settings.SITE_HOTLINE,
        "nav": nav,
        "base_url": settings.BASE_URL,
    }
