"""A Page connected before the inbox lacks the permissions comments need: its
unit's managers are told once (an incident, one e-mail, the admin home), not again
on the next runs, and the incident closes when the Page is reconnected with them;
its questions then arrive."""

import datetime

import pytest
import requests
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import translation

from publishing.channels.connect import connect
from publishing.inbox.collect import collect_comments
from publishing.incidents.notifications import action_path, sync_incidents
from publishing.models import Incident, IncidentKind, PublicationStatus, Question
from publishing.networks import adapter_for
from tests.publishing.factories import due, fb_channel
from tests.publishing.helpers import link_payload

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2027, 3, 1, 2, 0, tzinfo=datetime.UTC)
RUN = datetime.timedelta(minutes=10)
BEFORE_THE_INBOX = ["pages_show_list", "pages_manage_posts", "pages_read_engagement"]


@pytest.fixture
def clock():
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def manager(org):
    user = org.user("ql_bacson", "manager", org.bac_son)
    user.email = "ql_bacson@bhxh.example"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def page(sandbox):
    return sandbox.facebook_page("BHXH Bắc Sơn")


@pytest.fixture
def old_page(sandbox, org, page, article):
    """Bắc Sơn's Page with a post and a citizen's comment under it, its token
    carrying only what posting needed before the inbox."""
    fb = fb_channel(org, page)
    post = adapter_for(fb).publish(link_payload())
    publication = due(article, fb)
    publication.status = PublicationStatus.PUBLISHED
    publication.external_id = post.external_id
    publication.published_at = T0
    publication.save()
    scopes = {"page_id": fb.external_id, "scopes": BEFORE_THE_INBOX}
    sandbox.control("facebook/scopes", scopes)
    comment = {
        "post_id": post.external_id,
        "message": "Tôi bán hàng ở chợ, có phải đóng BHXH không?",
    }
    sandbox.control("facebook/comments", comment)
    return fb


def run_jobs(clock):
    clock.shift(RUN)
    collect_comments()
    return sync_incidents()


def reconnect(sandbox, channel, user_token):
    """What the Facebook login does for a manager who accepted every permission:
    the Page's token read from the person's Pages, then verified and saved."""
    accounts = requests.get(
        f"{sandbox.url}{adapter_for(channel).version}/me/accounts",
        params={"fields": "id,access_token", "access_token": user_token},
        timeout=5,
    ).json()["data"]
    [token] = [a["access_token"] for a in accounts if a["id"] == channel.external_id]
    credentials = {"page_token": token}
    connect(
        "facebook", channel.external_id, channel.name, channel.unit, credentials, None
    )


def test_managers_told_once_until_the_page_is_reconnected(
    sandbox, org, page, old_page, manager, clock, client
):
    assert run_jobs(clock) == {"opened": 1, "resolved": 0, "emailed": 1}
    incident = Incident.objects.get()
    assert (incident.kind, incident.channel, incident.unit) == (
        IncidentKind.INBOX,
        old_page,
        org.bac_son,
    )
    [message] = mail.outbox
    assert message.to == [manager.email]
    assert message.subject.endswith(
        f"Không đọc được câu hỏi của người dân trên {old_page}."
    )
    assert "Thiếu quyền Facebook: pages_read_user_content." in message.body
    assert "“Kết nối Facebook”" in message.body
    assert "Tôi bán hàng" not in message.body  # nothing of the question itself

    for _run in range(3):  # the next runs find the same: nobody is told again
        assert run_jobs(clock) == {"opened": 0, "resolved": 0, "emailed": 0}
    assert len(mail.outbox) == 1 and Question.objects.count() == 0

    client.force_login(manager)
    with translation.override("vi"):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert f'data-incident="{incident.pk}"' in html
    assert f'href="{action_path(incident)}">Kết nối lại kênh</a>' in html
    assert client.get(action_path(incident)).status_code == 200

    clock.shift(RUN)
    reconnect(sandbox, old_page, page["user_token"])
    assert sync_incidents() == {"opened": 0, "resolved": 1, "emailed": 0}
    assert run_jobs(clock) == {"opened": 0, "resolved": 0, "emailed": 0}
    assert Question.objects.get().text.startswith("Tôi bán hàng ở chợ")
    assert len(mail.outbox) == 1


def test_a_channel_that_needs_reconnecting_is_told_by_its_own_incident(
    sandbox, old_page, manager, clock
):
    run_jobs(clock)
    old_page.mark_needs_reconnect("Mã truy cập đã hết hạn.", hold_posts=True)
    sync_incidents()
    assert [i.kind for i in Incident.objects.filter(resolved_at__isnull=True)] == [
        IncidentKind.RECONNECT
    ]


def test_every_kind_of_channel_incident_shows_on_the_admin_home(org, client):
    """The home panel labels each incident's link by kind: a kind without a label
    (the OA's broadcast quota had none) broke the admin home."""
    channel = fb_channel(org, {"id": "123", "page_token": "t"})
    lead = org.user("lead_vung", "lead", org.region)
    for kind in (IncidentKind.QUOTA, IncidentKind.INBOX, IncidentKind.RECONNECT):
        Incident.objects.create(kind=kind, channel=channel, unit=org.bac_son)
    client.force_login(lead)
    with translation.override("vi"):
        html = client.get(reverse("wagtailadmin_home")).content.decode()
    assert html.count("data-incident=") == 3
    assert ">Mở các bài đăng của kênh</a>" in html
    assert html.count(">Kết nối lại kênh</a>") == 2
