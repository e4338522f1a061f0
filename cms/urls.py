from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from cms.content import views as content_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("tim-kiem/", content_views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    # Zalo's webhook (publishing's inbox), named by string: cms imports no publishing.
    path("hooks/", include("publishing.inbox.views.webhooks")),
]

if settings.SERVE_MEDIA:
    from cms.core.media import serve_upload as serve

    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]

urlpatterns += [path("", include(wagtail_urls))]
