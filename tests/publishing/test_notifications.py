"""Incidents: opened once per problem, e-mailed once to the right managers, shown on
the admin home of the unit's people. States come from the real dispatcher against
the sandbox."""

import datetime

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from publishing.incidents.notifications import action_path, sync_incidents
from publishing.models import (
    ChannelStatus,
    Incident,
    IncidentKind,
    Publication,
    PublicationStatus,
    PublishAttempt,
)
from publishing.outbox import dispatcher
from tests.publishing.factories import due, fb_channel, fresh

S = PublicationStatus
K = IncidentKind
REJECTED = {"error": {"message": "(#100) Invalid", "type": "X", "code": 100}}


class BrokenBackend(BaseEmailBackend):
    """A mail server that refuses every message."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server unavailable")


def person(org, username, role, unit, email=True):
    user = org.user(username, role, unit)
    if email:
        user.email = f"{username}@bhxh.example"
        user.save(update_fields=["email"])
    return user


def sent_to():
    return [sorted(message.to) for message in mail.outbox]


@pytest.fixture
def fb_page(sandbox):
    return sandbox.facebook_page("BHXH Bắc Sơn")


@pytest.fixture
def fb(org, fb_page):
    return fb_channel(org, fb_page)


@pytest.fixture
def people(org):
    return {
        "manager": person(org, "ql_bacson", "manager", org.bac_son),
        "editor": person(org, "bt_bacson", "editor", org.bac_son),
        "other_manager": person(org, "ql_locbinh", "manager", org.loc_binh),
        "other_editor": person(org, "bt_locbinh", "editor", org.loc_binh),
        "region_lead": person(org, "lead_vung", "lead", org.region),
    }


def fail(sandbox, article, channel):
    """A publication rejected by the network: failed, through the dispatcher."""
    publication = due(article, channel)
    sandbox.fault("facebook", "feed", "error", body=REJECTED)
    dispatcher.dispatch_due()
    assert fresh(publication).status == S.FAILED
    return publication


@pytest.mark.django_db
class TestFailed:
    def test_one_incident_one_email_to_the_units_manager_only(
        self, sandbox, org, fb, fb_page, people
    ):
        publication = fail(sandbox, org.article(), fb)
        assert sync_incidents()["emailed"] == 1
        incident = Incident.objects.get()
        assert incident.kind == K.FAILED and incident.publication == publication
        assert incident.unit == org.bac_son and incident.emailed_at is not None
        assert incident.message == fresh(publication).last_error != ""
        assert sent_to() == [[people["manager"].email]]
        message = mail.outbox[0]
        text = message.subject + message.body
        assert publication.page.title in text and fb.name in text
        assert incident.message in message.body
        link = "http://testserver" + action_path(incident)
        assert link in message.body and link.startswith("http://testserver/admin/")
        for secret in (fb_page["page_token"], fb_page["user_token"], fb.credentials):
            assert secret not in text

    def test_the_link_opens_for_the_manager(self, sandbox, org, fb, client, people):
        fail(sandbox, org.article(), fb)
        sync_incidents()
        client.force_login(people["manager"])
        response = client.get(action_path(Incident.objects.get()))
        assert response.status_code == 200

    def test_running_again_and_after_more_retries_sends_nothing_more(
        self, sandbox, org, fb, settings, people
    ):
        settings.PUBLISHING_MAX_ATTEMPTS = 2
        publication = due(org.article(), fb)
        sandbox.fault("facebook", "feed", "rate_limit", minutes=1, times=2)
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.RETRYING
        assert sync_incidents()["opened"] == 0  # retrying needs nobody yet
        later = timezone.now() + datetime.timedelta(minutes=30)
        dispatcher.dispatch_due(now=later)
        assert fresh(publication).status == S.FAILED
        sync_incidents()
        for _run in range(3):
            assert sync_incidents() == {"opened": 0, "resolved": 0, "emailed": 0}
        assert Incident.objects.count() == 1 and len(mail.outbox) == 1

    def test_resolved_then_failing_again_is_a_new_incident(
        self, sandbox, org, fb, people
    ):
        publication = fail(sandbox, org.article(), fb)
        sync_incidents()
        # A person retries; the job sees it scheduled: the incident is resolved.
        Publication.objects.filter(pk=publication.pk).update(status=S.SCHEDULED)
        assert sync_incidents()["resolved"] == 1
        sandbox.fault("facebook", "feed", "error", body=REJECTED)
        dispatcher.dispatch_due()
        assert sync_incidents() == {"opened": 1, "resolved": 0, "emailed": 1}
        # Retried and failed again between two runs: still a new incident.
        Publication.objects.filter(pk=publication.pk).update(status=S.SCHEDULED)
        sandbox.fault("facebook", "feed", "error", body=REJECTED)
        dispatcher.dispatch_due()
        assert sync_incidents() == {"opened": 1, "resolved": 1, "emailed": 1}
        assert Incident.objects.filter(resolved_at__isnull=True).count() == 1
        assert Incident.objects.count() == 3 and len(mail.outbox) == 3

    def test_an_attempt_recorded_after_the_job_read_is_not_a_new_failure(
        self, org, fb, people
    ):
        """The dispatcher marks `failed`, then finishes its attempt row: a job run
        in between opens the incident before the attempt's end is written."""
        publication = failed_publications(org, fb, 1)[0]
        now = timezone.now()
        PublishAttempt.objects.create(
            publication=publication,
            started_at=now - datetime.timedelta(seconds=2),
            finished_at=now + datetime.timedelta(seconds=5),
            outcome="failed",
        )
        sync_incidents()
        assert sync_incidents() == {"opened": 0, "resolved": 0, "emailed": 0}
        assert len(mail.outbox) == 1

    def test_cancelled_resolves(self, sandbox, org, fb, people):
        publication = fail(sandbox, org.article(), fb)
        sync_incidents()
        Publication.objects.filter(pk=publication.pk).update(status=S.CANCELLED)
        assert sync_incidents()["resolved"] == 1
        assert Incident.objects.get().resolved_at is not None


@pytest.mark.django_db
class TestChannelWide:
    def test_lost_token_is_one_reconnect_email_listing_the_held_posts(
        self, sandbox, org, fb, people
    ):
        first = due(org.article(title="Bài một"), fb)
        second = due(org.article(title="Bài hai"), fb)
        sandbox.fault("facebook", "feed", "expired_token")
        dispatcher.dispatch_due()
        assert fresh(first).status == fresh(second).status == S.HELD
        assert sync_incidents()["opened"] == 1
        incident = Incident.objects.get()
        assert incident.kind == K.RECONNECT and incident.publication is None
        fb.refresh_from_db()
        assert incident.message == fb.status_reason != ""
        assert sent_to() == [[people["manager"].email]]
        body = mail.outbox[0].body
        assert "Bài một" in body and "Bài hai" in body and fb.status_reason in body
        # Reconnected: the held posts are released and the incident resolved.
        fb.status, fb.status_reason = ChannelStatus.ACTIVE, ""
        fb.save()
        assert sync_incidents()["resolved"] == 1
        assert len(mail.outbox) == 1

    def test_held_posts_on_a_switched_off_channel(
        self, sandbox, org, fb, people, client
    ):
        publication = due(org.article(title="Bài bị giữ"), fb)
        sandbox.fault("facebook", "feed", "expired_token")
        dispatcher.dispatch_due()
        sync_incidents()
        fb.refresh_from_db()
        fb.status = ChannelStatus.DISABLED
        fb.save()
        assert fresh(publication).status == S.HELD
        # Just held (the dispatcher flags the channel a moment later): not yet.
        assert sync_incidents() == {"opened": 0, "resolved": 1, "emailed": 0}
        later = timezone.now() + datetime.timedelta(minutes=3)
        assert sync_incidents(now=later) == {"opened": 1, "resolved": 0, "emailed": 1}
        incident = Incident.objects.get(resolved_at__isnull=True)
        assert incident.kind == K.HELD and incident.publication is None
        assert "Bài bị giữ" in mail.outbox[-1].body
        link = action_path(incident)
        assert "http://testserver" + link in mail.outbox[-1].body
        client.force_login(people["manager"])
        listing = client.get(link)
        assert listing.status_code == 200 and "Bài bị giữ" in listing.text
        Publication.objects.filter(pk=publication.pk).update(status=S.CANCELLED)
        assert sync_incidents()["resolved"] == 1

    def test_channel_check_needing_reconnect(self, org, fb, people):
        fb.status = ChannelStatus.NEEDS_RECONNECT
        fb.status_reason = "Mã truy cập đã hết hạn."
        fb.save()
        sync_incidents()
        assert Incident.objects.get().kind == K.RECONNECT
        assert "Mã truy cập đã hết hạn." in mail.outbox[0].body
        assert "?status=needs_reconnect" in mail.outbox[0].body
        assert sync_incidents()["emailed"] == 0 and len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_scheduler_runs_the_job_after_dispatch(sandbox, org, fb, people):
    publication = due(org.article(), fb)
    sandbox.fault("facebook", "feed", "error", body=REJECTED)
    call_command("run_scheduler", "--once")
    assert fresh(publication).status == S.FAILED
    assert Incident.objects.get().emailed_at is not None
    assert sent_to() == [[people["manager"].email]]


@pytest.mark.django_db
def test_expired(sandbox, org, fb, people):
    publication = due(org.article(), fb, ago=datetime.timedelta(hours=7))
    dispatcher.dispatch_due()
    assert fresh(publication).status == S.EXPIRED
    sync_incidents()
    incident = Incident.objects.get()
    assert incident.kind == K.EXPIRED and incident.publication == publication
    assert sent_to() == [[people["manager"].email]]
    assert fresh(publication).last_error in mail.outbox[0].body


@pytest.mark.django_db
class TestRecipients:
    def test_region_manager_when_the_district_has_none(self, sandbox, org, fb):
        person(org, "bt_bacson", "editor", org.bac_son)
        person(org, "ql_khong_email", "manager", org.bac_son, email=False)
        gone = person(org, "ql_nghi", "manager", org.bac_son)
        gone.is_active = False
        gone.save()
        region = person(org, "ql_vung", "manager", org.region)
        person(org, "ql_locbinh", "manager", org.loc_binh)
        fail(sandbox, org.article(), fb)
        sync_incidents()
        assert sent_to() == [[region.email]]

    def test_nobody_to_tell_waits_for_a_manager(self, sandbox, org, fb):
        fail(sandbox, org.article(), fb)
        assert sync_incidents()["emailed"] == 0
        assert Incident.objects.get().emailed_at is None
        manager = person(org, "ql_moi", "manager", org.bac_son)
        assert sync_incidents()["emailed"] == 1
        assert sent_to() == [[manager.email]]


@pytest.mark.django_db
def test_a_refused_email_is_sent_on_the_next_run(sandbox, org, fb, people, settings):
    fail(sandbox, org.article(), fb)
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    summary = sync_incidents()
    assert summary["emailed"] == 0 and summary["email_failed"] == 1
    assert Incident.objects.get().emailed_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert sync_incidents()["emailed"] == 1
    assert Incident.objects.get().emailed_at is not None
    assert sent_to() == [[people["manager"].email]]


def failed_publications(org, fb, n):
    article = org.article(title=f"Bài {n}")
    return Publication.objects.bulk_create(
        Publication(
            page=article,
            channel=fb,
            round=r + 1,
            status=S.FAILED,
            last_error="Nội dung bị từ chối.",
            publish_at=timezone.now(),
        )
        for r in range(n)
    )


@pytest.mark.django_db
def test_queries_do_not_grow_per_incident(org, fb, people, client):
    counts = []
    client.force_login(people["editor"])
    client.get(reverse("wagtailadmin_home"))  # first visit creates the profile
    for n in (1, 6):
        Incident.objects.all().delete()
        Publication.objects.all().delete()
        failed_publications(org, fb, n)
        with CaptureQueriesContext(connection) as job:
            assert sync_incidents()["emailed"] == n
        with CaptureQueriesContext(connection) as home:
            assert client.get(reverse("wagtailadmin_home")).status_code == 200
        counts.append((len(job), len(home)))
    assert counts[0] == counts[1]


@pytest.mark.django_db
class TestAdminHome:
    def test_shown_to_the_units_editor_not_to_another_district(
        self, sandbox, org, fb, client, people
    ):
        home = reverse("wagtailadmin_home")
        client.force_login(people["editor"])
        assert b"publishing-incidents" not in client.get(home).content
        publication = fail(sandbox, org.article(title="Bài lỗi"), fb)
        sync_incidents()
        incident = Incident.objects.get()
        response = client.get(home)
        html = response.content.decode()
        assert f'data-incident="{incident.pk}"' in html
        assert "Bài lỗi" in html and fb.name in html
        assert fresh(publication).last_error in html
        assert action_path(incident) in html
        client.force_login(people["other_editor"])
        html = client.get(home).content.decode()
        assert "publishing-incidents" not in html and "Bài lỗi" not in html

    def test_resolved_incidents_leave_the_home(self, sandbox, org, fb, client, people):
        publication = fail(sandbox, org.article(title="Bài lỗi"), fb)
        sync_incidents()
        Publication.objects.filter(pk=publication.pk).update(status=S.CANCELLED)
        sync_incidents()
        client.force_login(people["region_lead"])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert "publishing-incidents" not in html

    def test_at_most_ten_with_the_count_of_the_rest(self, org, fb, client, people):
        failed_publications(org, fb, 13)
        sync_incidents()
        client.force_login(people["region_lead"])
        html = client.get(reverse("wagtailadmin_home")).content.decode()
        assert html.count("data-incident=") == 10
        newest = Incident.objects.order_by("-opened_at", "-pk").first()
        assert f'data-incident="{newest.pk}"' in html
        assert 'data-incidents-more="3"' in html
        more = html.split('data-incidents-more="3">')[1].split("</p>")[0]
        assert "3" in more


@pytest.mark.django_db
def test_a_second_scheduler_opening_the_same_incident_keeps_one(org, fb, people):
    """What the job's insert relies on, on this database: a conflicting open
    incident is skipped by the partial unique constraints, not raised."""
    publication = failed_publications(org, fb, 1)[0]
    sync_incidents()

    def again():
        return Incident(
            kind=K.FAILED, publication=publication, channel=fb, unit=org.bac_son
        )

    Incident.objects.bulk_create([again()], ignore_conflicts=True)
    reconnect = {"kind": K.RECONNECT, "channel": fb, "unit": org.bac_son}
    Incident.objects.bulk_create(
        [Incident(**reconnect), Incident(**reconnect)], ignore_conflicts=True
    )
    assert Incident.objects.filter(kind=K.FAILED).count() == 1
    assert Incident.objects.filter(kind=K.RECONNECT).count() == 1
    assert sync_incidents()["emailed"] == 0  # the reconnect one has no condition
    assert Incident.objects.get(kind=K.RECONNECT).resolved_at is not None
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_backlog_goes_out_batch_after_batch(org, fb, people):
    failed_publications(org, fb, 102)
    assert sync_incidents() == {"opened": 102, "resolved": 0, "emailed": 100}
    assert sync_incidents()["emailed"] == 2
    assert len(mail.outbox) == 102
    assert not Incident.objects.filter(emailed_at__isnull=True).exists()
