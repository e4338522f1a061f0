"""Incidents: what a person must act on, announced once (not once per retry).

`sync_incidents()` runs every minute in the scheduler. It compares what needs a person
now with the open incidents: a condition without an incident opens one, an incident
whose condition is gone is resolved, and every open incident not yet e-mailed is sent
to the managers of its channel's unit. The admin home panel (home_panels) shows the
open incidents of a person's units.

What opens an incident:
- a `failed` or `expired` publication: one incident per publication. A person's retry
  that fails again after the incident opened (an attempt started later) is a new
  incident; the dispatcher's own retries never are (`retrying` opens nothing).
- a channel in `needs_reconnect`: one incident per channel. It covers the posts held
  on it (a lost token makes the dispatcher hold the posts and flag the channel), so
  one lost token is one e-mail listing the held posts, not one per post plus one
  per channel.
- `held` publications on a channel that does not need reconnecting (switched off
  while posts waited), held for a couple of minutes: one channel-wide incident per
  channel.
- Zalo answering a broadcast "out of quota" (-211): its broadcasts wait until the
  1st of next month (a wait, not a hold); one channel-wide incident while any
  waits so, resolved once they went out.
- an active Page found lacking the permissions citizens' questions need (connected
  before the inbox, `InboxAccess.lacking()`): one channel-wide incident, resolved
  when the channel is reconnected (a read then finds out again) or a read works.

E-mail: one message per incident, to every manager (or lead) of the nearest unit,
from the channel's unit upwards, that has one with an e-mail address. Each incident
is claimed (`emailed_at` set) in one short transaction before sending - locked rows
are skipped on PostgreSQL, so two schedulers never send the same incident; a failed
send clears `emailed_at` again and the next run retries. A process killed between
the claim and the send loses that e-mail (at most once); the admin home still shows
the incident.
"""

import datetime
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cms.core.models import Role, Unit, UnitMembership
from publishing.lifecycle import WAITING_QUOTA, BroadcastStatus
from publishing.models import (
    Broadcast,
    Channel,
    ChannelStatus,
    InboxAccess,
    Incident,
    IncidentKind,
    Publication,
    PublicationStatus,
)
from publishing.outbox.broadcasts import OUT_OF_QUOTA

logger = logging.getLogger(__name__)

K = IncidentKind
S = PublicationStatus
PER_PUBLICATION = {S.FAILED: K.FAILED, S.EXPIRED: K.EXPIRED}
NOTIFIED_ROLES = (Role.MANAGER, Role.LEAD)
CHANNEL_WIDE = (K.HELD, K.RECONNECT)  # their e-mails list the posts held
# The dispatcher holds posts a moment before it flags their channel: held posts on
# a channel not flagged are an incident only once they have stayed so this long.
HELD_SETTLE = datetime.timedelta(minutes=2)
HELD_TITLES_SHOWN = 10
EMAIL_BATCH = 100  # incidents e-mailed per run at most

SUMMARIES = {
    K.FAILED: gettext_lazy("The post of “%(title)s” on %(channel)s failed."),
    K.EXPIRED: gettext_lazy(
        "The post of “%(title)s” on %(channel)s was not sent in time and expired."
    ),
    K.HELD: gettext_lazy("Posts on %(channel)s are held."),
    K.RECONNECT: gettext_lazy("%(channel)s needs reconnecting."),
    K.QUOTA: gettext_lazy("The broadcasts of %(channel)s are used up this month."),
    K.INBOX: gettext_lazy("Citizens' questions on %(channel)s cannot be read."),
}
ACTIONS = {
    K.FAILED: gettext_lazy(
        "Open the post and read the reason; correct the post or the article if "
        "needed, then choose “Retry now”, or “Cancel”."
    ),
    K.EXPIRED: gettext_lazy(
        "It was too late to post it automatically. Open the post and decide: post "
        "it now, or cancel it."
    ),
    K.HELD: gettext_lazy(
        "The channel is not active. Reconnect or switch the channel back on, or "
        "cancel the held posts: held posts go out by themselves once the channel "
        "works again."
    ),
    K.RECONNECT: gettext_lazy(
        "A manager of the unit reconnects the channel: Publishing → Channels → "
        "“Connect Facebook” or “Connect Zalo OA”, with an account that manages the "
        "Page or OA. Posts planned on it wait, and go out once it is reconnected."
    ),
    K.QUOTA: gettext_lazy(
        "Zalo refused a broadcast: the OA's broadcasts of this month are used up. "
        "It waits and goes out by itself after the quota resets on the 1st of next "
        "month. If the OA's package allows more, correct the channel's "
        "“broadcasts a month”; otherwise plan fewer broadcasts."
    ),
    K.INBOX: gettext_lazy(
        "The Page was connected before the inbox and Facebook has not given it the "
        "permissions to read comments and answer them. Its posts go out as "
        "before. A manager of the unit reconnects it: Publishing → Channels → "
        "“Connect Facebook”, with an account that manages the Page, and accepts "
        "every permission asked for."
    ),
}
INBOX_REASON = gettext_lazy("Missing Facebook permissions: %(permissions)s.")


# What needs a person now ----------------------------------------------------------
def _conditions(now):
    """{(kind, publication id or None, channel id): (unit id, reason, since)}.

    `since`: for a failed publication the start of its last attempt, else None.
    An attempt started after the open incident was opened is a person's retry
    that failed again: a new incident. (Starts, not ends: the attempt that made
    the failure started before anyone could see it failed.)
    """
    wanted = {}
    rows = (
        Publication.objects.filter(status__in=list(PER_PUBLICATION))
        .annotate(last_attempt=Max("attempt_history__started_at"))
        .values_list(
            "pk",
            "status",
            "channel_id",
            "channel__unit_id",
            "last_error",
            "last_attempt",
        )
    )
    for pk, status, channel_id, unit_id, reason, last_attempt in rows:
        since = last_attempt if status == S.FAILED else None
        wanted[(PER_PUBLICATION[status], pk, channel_id)] = (unit_id, reason, since)
    for pk, unit_id, reason in Channel.objects.filter(
        status=ChannelStatus.NEEDS_RECONNECT
    ).values_list("pk", "unit_id", "status_reason"):
        wanted[(K.RECONNECT, None, pk)] = (unit_id, reason, None)
    held = (
        Publication.objects.filter(status=S.HELD)
        .exclude(channel__status=ChannelStatus.NEEDS_RECONNECT)
        .values("channel_id", "channel__unit_id")
        .annotate(reason=Max("last_error"), last=Max("updated_at"))
        .filter(last__lt=now - HELD_SETTLE)
        .order_by()
    )
    for row in held:
        key = (K.HELD, None, row["channel_id"])
        wanted[key] = (row["channel__unit_id"], row["reason"], None)
    quota = Broadcast.objects.filter(
        status=BroadcastStatus.WAITING,
        waiting_reason=WAITING_QUOTA,
        last_error_code=OUT_OF_QUOTA,
    ).values_list(
        "publication__channel_id", "publication__channel__unit_id", "last_error"
    )
    for channel_id, unit_id, reason in quota:
        wanted[(K.QUOTA, None, channel_id)] = (unit_id, reason, None)
    wanted.update(_inbox_conditions())
    return wanted


def _inbox_conditions():
    """Pages lacking the inbox's permissions; a channel that needs reconnecting
    anyway has its own incident, which says the same."""
    lacking = InboxAccess.objects.lacking().filter(channel__status=ChannelStatus.ACTIVE)
    rows = lacking.values_list("channel_id", "channel__unit_id", "missing_permissions")
    with translation.override(settings.LANGUAGE_CODE):
        return {
            (K.INBOX, None, channel_id): (
                unit_id,
                INBOX_REASON % {"permissions": ", ".join(missing)},
                None,
            )
            for channel_id, unit_id, missing in rows
        }


def _reconcile_incidents(now):
    """Resolve incidents whose condition is gone, open the missing ones."""
    wanted = _conditions(now)
    # Opened when seen: every attempt behind what was read started before this.
    now = max(now, timezone.now())
    open_rows = Incident.objects.filter(resolved_at__isnull=True).values_list(
        "pk", "kind", "publication_id", "channel_id", "opened_at"
    )
    stale, have = [], set()
    for pk, kind, publication_id, channel_id, opened_at in open_rows:
        key = (kind, publication_id, channel_id)
        since = wanted[key][2] if key in wanted else None
        if key not in wanted or (since is not None and since > opened_at):
            stale.append(pk)
        else:
            have.add(key)
    resolved = 0
    if stale:
        resolved = Incident.objects.filter(
            pk__in=stale, resolved_at__isnull=True
        ).update(resolved_at=now)
    new = [
        Incident(
            kind=kind,
            publication_id=publication_id,
            channel_id=channel_id,
            unit_id=wanted[(kind, publication_id, channel_id)][0],
            message=wanted[(kind, publication_id, channel_id)][1],
            opened_at=now,
        )
        for kind, publication_id, channel_id in wanted.keys() - have
    ]
    # Another scheduler may open the same incident at the same time: the partial
    # unique constraints keep one, and the conflicting insert is skipped (ON
    # CONFLICT DO NOTHING / INSERT OR IGNORE) instead of raising IntegrityError.
    Incident.objects.bulk_create(new, ignore_conflicts=True)
    return resolved, len(new)


def sync_incidents(now=None):
    """The scheduler job: open, resolve, e-mail. Returns what it did."""
    now = now or timezone.now()
    resolved, opened = _reconcile_incidents(now)
    emailed, failed = send_pending(now)
    summary = {"opened": opened, "resolved": resolved, "emailed": emailed}
    if failed:
        summary["email_failed"] = failed
    if opened or resolved or emailed or failed:
        logger.info("incidents: %s", summary)
    return summary


# Links ----------------------------------------------------------------------------
def action_path(incident):
    """Where a person acts: the post; the held posts of the channel; the channels
    (to reconnect one)."""
    if incident.publication_id:
        return reverse(
            "publishing_publications:inspect", args=(incident.publication_id,)
        )
    if incident.kind == K.HELD:
        query = urlencode({"channel": incident.channel_id, "status": S.HELD})
        return f"{reverse('publishing_publications:index')}?{query}"
    if incident.kind == K.QUOTA:
        query = urlencode({"channel": incident.channel_id})
        return f"{reverse('publishing_publications:index')}?{query}"
    if incident.kind == K.INBOX:  # active: not among those needing reconnection
        return reverse("publishing_channels:index")
    query = urlencode({"status": ChannelStatus.NEEDS_RECONNECT})
    return f"{reverse('publishing_channels:index')}?{query}"


def absolute(path):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "") or settings.BASE_URL
    return base.rstrip("/") + path


# Recipients -----------------------------------------------------------------------
def _recipients(unit_ids):
    """{unit id: sorted e-mail addresses} from the nearest unit upwards with any."""
    parents = dict(Unit.objects.values_list("pk", "parent_id"))
    addresses = {}
    memberships = UnitMembership.objects.filter(
        role__in=NOTIFIED_ROLES, user__is_active=True
    ).exclude(user__email="")
    for unit_id, email in memberships.values_list("unit_id", "user__email"):
        addresses.setdefault(unit_id, set()).add(email)
    result = {}
    for unit_id in unit_ids:
        seen, current = set(), unit_id
        while current is not None and current not in seen and current not in addresses:
            seen.add(current)
            current = parents.get(current)
        result[unit_id] = sorted(addresses.get(current, ()))
    return result


# E-mail ---------------------------------------------------------------------------
def _claim(pks, now):
    """Mark incidents as e-mailed; returns the ids this process won."""
    with transaction.atomic():
        won = list(
            Incident.objects.select_for_update(skip_locked=True)
            .filter(pk__in=pks, emailed_at__isnull=True, resolved_at__isnull=True)
            .values_list("pk", flat=True)
        )
        Incident.objects.filter(pk__in=won, emailed_at__isnull=True).update(
            emailed_at=now
        )
    return set(won)


def _held_titles(channel_ids):
    titles = {}
    rows = Publication.objects.filter(
        channel_id__in=channel_ids, status=S.HELD
    ).values_list("channel_id", "page__title")
    for channel_id, title in rows.order_by("publish_at", "pk"):
        titles.setdefault(channel_id, []).append(title)
    return titles


def email_text(incident, link, held=()):
    """(subject, body) in the active language; no token or secret is ever in it."""
    names = {
        "channel": str(incident.channel),
        "title": incident.publication.page.title if incident.publication else "",
    }
    summary = SUMMARIES[incident.kind] % names
    lines = [_("Hello,"), "", summary, ""]
    if incident.publication:
        lines.append(_("Article: %(title)s") % names)
    lines.append(_("Channel: %(channel)s") % names)
    lines.append(_("Unit: %(unit)s") % {"unit": incident.unit.name})
    if incident.message:
        lines.append(_("Reason: %(reason)s") % {"reason": incident.message})
    when = timezone.localtime(incident.opened_at).strftime("%H:%M %d/%m/%Y")
    lines.append(_("Since: %(when)s") % {"when": when})
    if held:
        lines += ["", _("Held posts (%(count)s):") % {"count": len(held)}]
        lines += [f"- {title}" for title in held[:HELD_TITLES_SHOWN]]
        if len(held) > HELD_TITLES_SHOWN:
            more = len(held) - HELD_TITLES_SHOWN
            lines.append(_("… and %(count)s more") % {"count": more})
    lines += ["", _("What to do: %(action)s") % {"action": ACTIONS[incident.kind]}]
    lines += ["", _("Open: %(link)s") % {"link": link}, ""]
    lines.append(
        _(
            "This message is sent once per incident: retries do not send it again. "
            "The admin home page lists the incidents still open."
        )
    )
    subject = f"[{incident.unit.label}] {summary}"
    return subject, "\n".join(lines)


def _messages(incidents, recipients):
    """[(incident pk, EmailMessage)] in the site's language."""
    held = _held_titles([i.channel_id for i in incidents if i.kind in CHANNEL_WIDE])
    result = []
    with translation.override(settings.LANGUAGE_CODE):
        for incident in incidents:
            link = absolute(action_path(incident))
            wide = incident.kind in CHANNEL_WIDE
            titles = held.get(incident.channel_id, []) if wide else []
            subject, body = email_text(incident, link, titles)
            message = EmailMessage(subject, body, to=recipients[incident.unit_id])
            result.append((incident.pk, message))
    return result


def send_pending(now):
    """E-mail open incidents not yet e-mailed; returns (sent, failed)."""
    pending = list(
        Incident.objects.filter(resolved_at__isnull=True, emailed_at__isnull=True)
        .select_related("unit", "channel__unit", "publication__page")
        .order_by("opened_at", "pk")
    )
    if not pending:
        return 0, 0
    recipients = _recipients({i.unit_id for i in pending})
    # Nobody to tell yet: left pending, a manager added later still gets it.
    # A backlog (first run, a long mail outage) goes out batch after batch.
    pending = [i for i in pending if recipients[i.unit_id]][:EMAIL_BATCH]
    won = _claim([i.pk for i in pending], now) if pending else set()
    outgoing = _messages([i for i in pending if i.pk in won], recipients)
    failed = _send(outgoing)
    if failed:
        Incident.objects.filter(pk__in=failed, emailed_at=now).update(emailed_at=None)
    return len(outgoing) - len(failed), len(failed)


def _send(outgoing):
    """Send each message on one connection; returns the incident ids not sent."""
    if not outgoing:
        return []
    try:
        connection = get_connection()
        connection.open()
    except Exception:
        logger.exception("incident e-mail: cannot reach the mail server")
        return [pk for pk, _message in outgoing]
    failed = []
    try:
        for pk, message in outgoing:
            try:
                connection.send_messages([message])
            except Exception:
                logger.exception("incident e-mail %s not sent; next run retries", pk)
                failed.append(pk)
    finally:
        try:
            connection.close()
        except Exception:  # everything was handed over; closing is not sending
            logger.warning("incident e-mail: closing the connection failed")
    return failed
