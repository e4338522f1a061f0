"""`GET /healthz`: can this deployment do its work? For load balancers and monitors.

200 when the database answers and at least one scheduler process beat in the last
minute (`SchedulerHeartbeat`), 503 otherwise. Channels needing reconnection are
counted, never a failure: a person has to act on them (docs/operations.md), not
the load balancer. Two small queries, no secrets, no login.

Answered by a middleware placed first: before the HTTPS redirect and the host check
(a load balancer probes over plain HTTP, often by IP address), and before sessions,
login, 2FA or CSP can change the answer.
"""

import datetime
import logging

from django.db import DatabaseError
from django.db.models import Count, Max, Q
from django.http import HttpResponseNotAllowed, JsonResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers

from publishing.models import Channel, ChannelStatus, SchedulerHeartbeat

logger = logging.getLogger(__name__)

PATHS = {"/healthz", "/healthz/"}
# A scheduler beats every 15 s (scheduler.HEARTBEAT_SECONDS): silence for a minute
# is a process that hangs or is gone.
FRESH = datetime.timedelta(seconds=60)


def check():
    """(healthy, body): what /healthz answers."""
    now = timezone.now()
    body = {
        "status": "ok",
        "database": "ok",
        "scheduler": {"status": "missing", "processes": 0, "last_beat_age": None},
        "channels_needing_reconnection": None,
        "checked_at": now.isoformat(timespec="seconds"),
    }
    try:
        beats = SchedulerHeartbeat.objects.aggregate(
            latest=Max("beat_at"),
            alive=Count("pk", filter=Q(beat_at__gte=now - FRESH)),
        )
        reconnect = Channel.objects.filter(status=ChannelStatus.NEEDS_RECONNECT).count()
    except DatabaseError:
        # The reason (host, port, driver message) goes to the log, not to the
        # anonymous caller.
        logger.warning("healthz: the database did not answer", exc_info=True)
        body.update(status="fail", database="unavailable", scheduler=None)
        return False, body
    scheduler = body["scheduler"]
    if beats["latest"] is not None:
        scheduler["last_beat_age"] = round((now - beats["latest"]).total_seconds())
        scheduler["status"] = "ok" if beats["alive"] else "stale"
    scheduler["processes"] = beats["alive"]
    body["channels_needing_reconnection"] = reconnect
    healthy = scheduler["status"] == "ok"
    if not healthy:
        body["status"] = "fail"
    return healthy, body


class HealthCheckMiddleware:
    """Answers /healthz itself; every other request passes through untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info not in PATHS:
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET", "HEAD"])
        healthy, body = check()
        response = JsonResponse(body, status=200 if healthy else 503)
        add_never_cache_headers(response)
        # SecurityMiddleware, which would add it, comes after this one.
        response["X-Content-Type-Options"] = "nosniff"
        return response
