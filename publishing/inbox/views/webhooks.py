"""Zalo's webhook: a public URL (`/hooks/zalo/`, included by string in cms/urls.py),
without CSRF (Zalo signs its calls instead). A call is refused, nothing stored,
when unsigned (403), forged (403), stale or malformed (400); a refusal is logged by
its reason only, never with the body. Configure the URL in the Zalo app's webhook
settings (docs/operations.md)."""

import logging

from django.http import HttpResponse, HttpResponseNotAllowed
from django.urls import path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from publishing.conf import setting
from publishing.inbox.zalo import store_event
from publishing.networks.zalo.chats import WebhookRefused, verify_event

logger = logging.getLogger("publishing.inbox")


@csrf_exempt
def zalo_webhook(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    options = setting("PUBLISHING_NETWORKS").get("zalo", {}).get("OPTIONS", {})
    try:
        event = verify_event(
            request.body,
            request.headers.get("X-ZEvent-Signature", ""),
            app_id=options.get("app_id", ""),
            secret=options.get("oa_secret_key", ""),
            now=timezone.now(),
            max_age=setting("PUBLISHING_ZALO_WEBHOOK_MAX_AGE"),
        )
    except WebhookRefused as refused:
        logger.warning("zalo webhook refused: %s", refused)
        return HttpResponse(status=refused.status)
    store_event(event)
    return HttpResponse(status=200)


urlpatterns = [path("zalo/", zalo_webhook, name="zalo_webhook")]
