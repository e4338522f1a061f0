"""Credentials never appear in logs, pages, errors, e-mails or exports.

A manager connects a Facebook Page and a Zalo OA through the sandbox's login
dialogs, and pastes a wrong token; articles are shared on both; the network then
drops a connection, answers 500 and revokes a token; the manager checks the
channels, reads every admin page, the article, the dashboard and its exports, while
engagement is read. Every token the sandbox ever issued, both app secrets and the
encryption key are then looked for in: every response (body and headers), every
log line at DEBUG as the configured handler writes it (plain and JSON), every
e-mail, every error the adapters raised (with their causes), every stored text
(dumpdata) and every session."""

import io
import logging

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from cms.core.models import Role
from cms.logging import JsonLines
from publishing.incidents.notifications import sync_incidents
from publishing.models import Channel, ChannelStatus, Publication
from publishing.networks import adapter_for
from publishing.networks.base import NetworkError
from publishing.outbox import dispatcher
from tests.publishing.factories import FAST_ZALO, due
from tests.publishing.helpers import decide, local_path, start_facebook
from tests.sandbox import network_options


class Recorder:
    """Everything the journey showed or wrote, as text."""

    def __init__(self, client):
        self.client = client
        self.texts = []  # (where, text)

    def keep(self, where, text):
        self.texts.append((where, text if isinstance(text, str) else repr(text)))

    def response(self, where, response):
        headers = "\n".join(f"{k}: {v}" for k, v in response.items())
        body = response.content if not response.streaming else b"".join(response)
        self.keep(where, headers + "\n" + body.decode("utf-8", "replace"))
        return response

    def get(self, url, data=None, **kw):
        return self.response(f"GET {url}", self.client.get(url, data or {}, **kw))

    def post(self, url, data=None, **kw):
        return self.response(f"POST {url}", self.client.post(url, data or {}, **kw))

    def leaks(self, secrets):
        return [
            (where, secret[:6] + "…")
            for where, text in self.texts
            for secret in secrets
            if secret in text
        ]


class LogCapture:
    """The root logger at DEBUG into handlers built like the configured console
    handler (its filters), one with the plain format, one with JSON lines."""

    def __init__(self):
        configured = next(
            h for h in logging.getLogger().handlers if h.get_name() == "console"
        )
        self.streams = {"plain": io.StringIO(), "json": io.StringIO()}
        formatters = {
            "plain": logging.Formatter(
                settings.LOGGING["formatters"]["plain"]["format"]
            ),
            "json": JsonLines(),
        }
        self.handlers = []
        for name, stream in self.streams.items():
            handler = logging.StreamHandler(stream)
            handler.setFormatter(formatters[name])
            for log_filter in configured.filters:
                handler.addFilter(log_filter)
            self.handlers.append(handler)

    def __enter__(self):
        root = logging.getLogger()
        self.level = root.level
        root.setLevel(logging.DEBUG)
        self.quiet = {
            name: logging.getLogger(name).level
            for name in ("urllib3", "facebook", "requests", "django.template")
        }
        for name in self.quiet:
            logging.getLogger(name).setLevel(logging.DEBUG)
        # Its misses (every optional variable of every admin template) say nothing.
        logging.getLogger("django.template").setLevel(logging.INFO)
        for handler in self.handlers:
            root.addHandler(handler)
        return self

    def __exit__(self, *exc):
        root = logging.getLogger()
        for handler in self.handlers:
            root.removeHandler(handler)
        root.setLevel(self.level)
        for name, level in self.quiet.items():
            logging.getLogger(name).setLevel(level)

    def text(self, name):
        return self.streams[name].getvalue()


def connect_both(rec, sandbox, org):
    fb_page = sandbox.facebook_page("BHXH Bắc Sơn", followers=300)
    callback = decide(start_facebook(rec.client))
    rec.get(local_path(callback))
    rec.get(reverse("publishing_connect_pick", args=["facebook"]))
    rec.post(
        reverse("publishing_connect_pick", args=["facebook"]),
        {f"unit_{fb_page['id']}": org.bac_son.pk},
        follow=True,
    )
    oa = sandbox.zalo_oa("BHXH Bắc Sơn Zalo", followers=80)
    dialog = rec.get(reverse("publishing_connect", args=["zalo"]))["Location"]
    rec.get(local_path(decide(dialog, oa_id=oa["id"])))
    rec.get(reverse("publishing_connect_pick", args=["zalo"]))
    rec.post(
        reverse("publishing_connect_pick", args=["zalo"]),
        {"unit": org.bac_son.pk},
        follow=True,
    )
    # A pasted token of the wrong kind: refused, and not shown back.
    rec.post(
        reverse("publishing_channels:add"),
        {
            "unit": org.bac_son.pk,
            "network": "facebook",
            "name": "Dán nhầm",
            "external_id": fb_page["id"],
            "status": "active",
            "token": fb_page["user_token"],
        },
    )
    return Channel.objects.get(network="facebook"), Channel.objects.get(network="zalo")


def share_with_faults(rec, sandbox, org, facebook, zalo, errors):
    article = org.article()
    for channel in (facebook, zalo):
        due(article, channel)
    dispatcher.dispatch_due()
    sandbox.fault("facebook", "feed", "drop")
    sandbox.fault("zalo", "create", "html_500")
    other = org.article(title="Người lao động bán thời gian", slug="ban-thoi-gian")
    for channel in (facebook, zalo):
        due(other, channel)
    dispatcher.dispatch_due()
    # The Page's token is revoked: the next post is held, the channel flagged.
    sandbox.control(
        "tokens/revoke", {"token": facebook.get_credentials()["page_token"]}
    )
    third = org.article(title="Chủ hộ kinh doanh", slug="chu-ho")
    due(third, facebook)
    dispatcher.dispatch_due()
    for channel in (facebook, zalo):
        rec.post(reverse("publishing_channels:check", args=(channel.pk,)), follow=True)
    # The adapters' own errors, as the code that catches them sees them: a revoked
    # token, a dropped connection, a 500 page.
    sandbox.fault("facebook", "page", "drop")
    sandbox.fault("zalo", "getoa", "html_500")
    for channel in (facebook, zalo, facebook, zalo):
        channel.refresh_from_db()
        try:
            adapter_for(channel).check()
        except NetworkError as error:
            errors.append(error)
    return article


def error_texts(error):
    texts = []
    while error is not None:
        texts += [str(error), repr(error), repr(error.args)]
        texts += [str(getattr(error, n, "")) for n in ("message", "detail")]
        error = error.__cause__ or error.__context__
    return texts


def read_everything(rec, org, article, facebook, zalo):
    urls = [
        reverse("wagtailadmin_home"),
        reverse("publishing_channels:index"),
        reverse("publishing_publications:index"),
        reverse("publishing_calendar:index"),
        reverse("publishing_share_requests:index"),
        reverse("publishing_dashboard:index"),
        reverse("wagtailadmin_pages:edit", args=(article.pk,)),
        reverse("wagtailadmin_pages:history", args=(article.pk,)),
        article.url,
    ]
    urls += [
        reverse("publishing_channels:edit", args=(c.pk,)) for c in (facebook, zalo)
    ]
    urls += [
        reverse("publishing_publications:inspect", args=(p.pk,))
        for p in Publication.objects.all()
    ]
    for url in urls:
        assert rec.get(url).status_code == 200, url
    for kind in ("csv", "xlsx"):
        response = rec.get(reverse(f"publishing_dashboard:export_{kind}"))
        assert response.status_code == 200
        if kind == "xlsx":  # the text inside the zip
            import openpyxl

            book = openpyxl.load_workbook(io.BytesIO(response.content))
            cells = [str(c.value) for s in book for row in s for c in row]
            rec.keep("dashboard.xlsx cells", "\n".join(cells))


@pytest.mark.django_db
def test_no_credential_leaks_anywhere(sandbox, org, client, settings, campaign):
    settings.PUBLISHING_WORKERS = 1
    network_options(settings, "facebook", timeout=5)
    # The same verify polls as in production, without its 2 s between them.
    network_options(settings, "zalo", timeout=5, **FAST_ZALO)
    manager = org.user("quanly.bacson", Role.MANAGER, org.bac_son)
    manager.email = "quanly.bacson@bhxh.example.vn"
    manager.save()
    client.force_login(manager)
    rec = Recorder(client)
    errors = []
    with LogCapture() as logs:
        facebook, zalo = connect_both(rec, sandbox, org)
        article = share_with_faults(rec, sandbox, org, facebook, zalo, errors)
        output = io.StringIO()
        call_command("sync_engagement", "--all", stdout=output, stderr=output)
        call_command("check_channels", stdout=output, stderr=output)
        sync_incidents()  # the scheduler's job: incidents opened, managers e-mailed
        rec.keep("commands", output.getvalue())
        read_everything(rec, org, article, facebook, zalo)

    secrets = set(sandbox.state.data["tokens"]) | {
        settings.PUBLISHING_NETWORKS["facebook"]["OPTIONS"]["app_secret"],
        settings.PUBLISHING_NETWORKS["zalo"]["OPTIONS"]["app_secret"],
        *settings.FIELD_ENCRYPTION_KEY.split(","),
    }
    # The journey did handle them: both channels hold tokens the sandbox issued,
    # posts went out, the faults and the revocation were met.
    assert facebook.get_credentials()["page_token"] in secrets
    assert zalo.get_credentials()["access_token"] in secrets
    statuses = set(Publication.objects.values_list("status", flat=True))
    assert "published" in statuses and len(statuses) >= 3, statuses
    facebook.refresh_from_db()
    assert facebook.status == ChannelStatus.NEEDS_RECONNECT
    assert errors and mail.outbox
    assert "access_token=" in logs.text("plain")  # urllib3 logged the calls

    rec.keep("log (plain)", logs.text("plain"))
    rec.keep("log (json)", logs.text("json"))
    for message in mail.outbox:
        rec.keep(f"mail {message.subject}", message.subject + message.body)
    for error in errors:
        rec.keep(f"error {type(error).__name__}", "\n".join(error_texts(error)))
    stored = io.StringIO()
    call_command("dumpdata", "--natural-foreign", stdout=stored)
    rec.keep("database", stored.getvalue())
    for session in Session.objects.all():
        rec.keep("session", session.get_decoded())
    assert rec.leaks(secrets) == []


def test_a_logged_traceback_is_masked_too():
    """requests names the URL it called in its errors, query string and all: a
    traceback logged with it goes through the same masking as the message."""
    capture = LogCapture()
    logger = logging.getLogger("publishing.outbox.dispatcher")
    with capture:
        try:
            try:
                raise ConnectionError(
                    "Max retries exceeded with url: /v24.0/me?access_token=EAAS-leak-1"
                )
            except ConnectionError as error:
                raise RuntimeError("client_secret=leak-2 refused") from error
        except RuntimeError:
            logger.exception("call failed with access_token=EAAS-leak-3")
    for name in ("plain", "json"):
        text = capture.text(name)
        assert "ConnectionError" in text and "RuntimeError" in text
        assert "leak-" not in text, text
