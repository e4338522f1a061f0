"""The publications admin: the list (rights, filters, search), a publication's
detail (payload, attempts, status help) and its action buttons, forged POSTs refused,
and the pause switches."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.core.models import Campaign, Role
from publishing.models import Channel, PauseScope, Publication, PublicationStatus
from publishing.models import PublishingPause as Pause
from publishing.outbox import dispatcher
from tests.conftest import make_campaign
from tests.publishing.factories import due, feed_calls, fresh, make_channel
from tests.publishing.helpers import detail, login, refused, text

S = PublicationStatus
INDEX = "publishing_publications:index"
pytestmark = pytest.mark.django_db


def act(publication, name):
    return reverse("publishing_publications:action", args=(publication.pk, name))


@pytest.fixture(scope="module")
def _world(module_rows):
    """Posts of three units; Bắc Sơn's first one is in the campaign and failed.
    Made once for the module (each test's changes are undone); the articles are
    most of its cost. Returns the ids of the channels and publications."""
    org, campaign = module_rows, make_campaign()
    units = {"bac-son": org.bac_son, "loc-binh": org.loc_binh, "khu-vuc-v": org.region}
    channels, pubs = {}, {}
    for slug, unit in units.items():
        channels[slug] = make_channel(unit, "facebook", slug)
        pubs[slug] = due(org.article(slug, title=f"Tin {slug}"), channels[slug])
    Publication.objects.filter(pk=pubs["bac-son"].pk).update(
        status=S.FAILED, last_error="Nội dung bị từ chối"
    )
    pubs["bac-son"].page.campaign = campaign
    pubs["bac-son"].page.save()
    return {k: c.pk for k, c in channels.items()}, {k: p.pk for k, p in pubs.items()}


@pytest.fixture
def world(_world, sandbox, org, settings):
    """The module's posts, read back; their channels are Pages of this test's
    sandbox (a fresh one: new ids and tokens)."""
    settings.PUBLISHING_WORKERS = 1  # one thread: the test's database connection
    channels = {}
    for slug, pk in _world[0].items():
        page = sandbox.facebook_page(f"Trang {slug}")
        channel = Channel.objects.get(pk=pk)
        channel.external_id = page["id"]
        channel.set_credentials({"page_token": page["page_token"]})
        channel.save()
        channels[slug] = channel
    pubs = {k: Publication.objects.get(pk=pk) for k, pk in _world[1].items()}
    return channels, pubs


@pytest.fixture
def campaign(_world, org):
    return Campaign.objects.get(slug="chien-dich-2025")


class TestList:
    def test_a_district_editor_sees_only_the_district(self, client, org, world):
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
        html = text(client.get(reverse(INDEX)))
        assert "Tin bac-son" in html
        assert "Tin loc-binh" not in html and "Tin khu-vuc-v" not in html

    def test_the_region_sees_every_unit_below_it(self, client, org, world):
        login(client, org.user("bt.khuvuc", Role.EDITOR, org.region))
        html = text(client.get(reverse(INDEX)))
        assert all(f"Tin {slug}" in html for slug in world[0])

    def test_a_future_time_is_shown_exactly(self, client, org, world):
        later = timezone.now() + datetime.timedelta(days=3)
        Publication.objects.filter(pk=world[1]["loc-binh"].pk).update(publish_at=later)
        login(client, org.user("bt.khuvuc", Role.EDITOR, org.region))
        html = text(client.get(reverse(INDEX)))
        assert timezone.localtime(later).strftime("%d/%m/%Y %H:%M") in html

    @pytest.mark.parametrize(
        "query, shown",
        [
            ({"status": "failed"}, {"bac-son"}),
            ({"status": "scheduled"}, {"loc-binh", "khu-vuc-v"}),
            ({"q": "loc-binh"}, {"loc-binh"}),
            ({"campaign": "CAMPAIGN"}, {"bac-son"}),
            ({"unit": "LOC_BINH"}, {"loc-binh"}),
            ({"unit": "REGION"}, {"bac-son", "loc-binh", "khu-vuc-v"}),
            ({"channel": "KHU_VUC"}, {"khu-vuc-v"}),
        ],
    )
    def test_filters_and_search(self, client, org, world, campaign, query, shown):
        channels, _pubs = world
        values = {
            "CAMPAIGN": campaign.pk,
            "LOC_BINH": org.loc_binh.pk,
            "REGION": org.region.pk,
            "KHU_VUC": channels["khu-vuc-v"].pk,
        }
        query = {k: values.get(v, v) for k, v in query.items()}
        login(client, org.user("admin", superuser=True))
        html = text(client.get(reverse(INDEX), query))
        assert {s for s in channels if f"Tin {s}" in html} == shown

    def test_date_range(self, client, org, world):
        _channels, pubs = world
        Publication.objects.filter(pk=pubs["loc-binh"].pk).update(
            publish_at=timezone.now() - datetime.timedelta(days=30)
        )
        login(client, org.user("admin", superuser=True))
        since = (timezone.now() - datetime.timedelta(days=2)).date().isoformat()
        html = text(client.get(reverse(INDEX), {"publish_at_from": since}))
        assert "Tin bac-son" in html and "Tin loc-binh" not in html

    def test_failed_post_shows_its_error_and_status(self, client, org, world):
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
        html = text(client.get(reverse(INDEX)))
        assert "Nội dung bị từ chối" in html
        assert 'data-status="failed"' in html


class TestDetail:
    def test_shows_payload_attempts_link_and_actions(self, client, sandbox, org, world):
        channels, pubs = world
        publication = pubs["loc-binh"]
        dispatcher.dispatch_due()
        publication = fresh(publication)
        login(client, org.user("dt.locbinh", Role.APPROVER, org.loc_binh))
        html = text(client.get(detail(publication)))
        assert "data-attempts" in html and "Posted" in html  # outcome of the attempt
        assert publication.payload["link"].replace("&", "&amp;") in html
        assert publication.permalink in html and "Open the post" in html
        assert act(publication, "withdraw") in html
        assert act(publication, "correct") in html
        assert act(publication, "cancel") not in html  # not for a published post

    def test_an_editor_sees_no_action(self, client, org, world):
        publication = world[1]["bac-son"]
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
        html = text(client.get(detail(publication)))
        assert "Fix the article or the message" in html  # the failed status' help
        assert "Nội dung bị từ chối" in html
        assert "data-publication-actions" not in html

    def test_another_units_publication_is_refused(self, client, org, world):
        login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))
        response = client.get(detail(world[1]["bac-son"]))
        assert refused(response)
        assert "Tin bac-son" not in text(response)


class TestActionsOverHttp:
    def test_the_approver_retries_a_failed_post(self, client, sandbox, org, world):
        publication = world[1]["bac-son"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
        response = client.post(act(publication, "retry"))
        assert response.status_code == 302 and response["Location"] == detail(
            publication
        )
        assert fresh(publication).status == S.SCHEDULED
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.PUBLISHED

    @pytest.mark.parametrize(
        "role, unit", [(Role.EDITOR, "bac_son"), (Role.APPROVER, "loc_binh")]
    )
    @pytest.mark.parametrize("name", ["cancel", "retry", "withdraw", "mark_posted"])
    def test_forged_posts_are_refused(self, client, org, world, role, unit, name):
        publication = world[1]["bac-son"]
        login(client, org.user("someone", role, getattr(org, unit)))
        response = client.post(act(publication, name), {"url": "https://fb.com/1"})
        assert refused(response)
        publication = fresh(publication)
        assert (publication.status, publication.permalink) == (S.FAILED, "")

    def test_withdraw_asks_first_then_removes(self, client, sandbox, org, world):
        publication = world[1]["loc-binh"]
        dispatcher.dispatch_due()
        login(client, org.user("dt.locbinh", Role.APPROVER, org.loc_binh))
        page = text(client.get(act(publication, "withdraw")))
        assert "Confirm" in page and fresh(publication).status == S.PUBLISHED
        client.post(act(publication, "withdraw"))
        publication = fresh(publication)
        assert publication.status == S.WITHDRAWN
        assert sandbox.state.data["posts"][publication.external_id]["deleted"]

    def test_correct_sends_the_new_text(self, client, sandbox, org, world):
        publication = world[1]["loc-binh"]
        dispatcher.dispatch_due()
        login(client, org.user("dt.locbinh", Role.APPROVER, org.loc_binh))
        form = text(client.get(act(publication, "correct")))
        assert "Tin loc-binh" in form  # the current text, to edit
        client.post(act(publication, "correct"), {"message": "Bản sửa {title}"})
        post = sandbox.state.data["posts"][fresh(publication).external_id]
        assert post["message"] == "Bản sửa Tin loc-binh"

    def test_a_bad_address_is_shown_back_and_changes_nothing(self, client, org, world):
        publication = world[1]["bac-son"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
        response = client.post(act(publication, "mark_posted"), {"url": "http://x.y"})
        assert response.status_code == 200
        assert "Paste the address of the post on Facebook" in text(response)
        assert fresh(publication).status == S.FAILED

    def test_reschedule_to_a_past_time_is_refused(self, client, org, world):
        publication = world[1]["bac-son"]
        login(client, org.user("dt.bacson", Role.APPROVER, org.bac_son))
        past = (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%d %H:%M"
        )
        response = client.post(act(publication, "reschedule"), {"publish_at": past})
        assert "Choose a time in the future" in text(response)
        assert fresh(publication).status == S.FAILED
        future = (timezone.localtime() + datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%d %H:%M"
        )
        client.post(act(publication, "reschedule"), {"publish_at": future})
        assert fresh(publication).status == S.SCHEDULED
        dispatcher.dispatch_due()
        assert fresh(publication).status == S.SCHEDULED  # not before its new time

    def test_a_wrong_status_message_is_shown(self, client, sandbox, org, world):
        publication = world[1]["loc-binh"]
        dispatcher.dispatch_due()
        login(client, org.user("dt.locbinh", Role.APPROVER, org.loc_binh))
        response = client.post(act(publication, "cancel"), follow=True)
        assert "use Withdraw" in text(response)
        assert fresh(publication).status == S.PUBLISHED


class TestPauses:
    INDEX = "publishing_pauses:index"

    def test_a_manager_pauses_the_unit_and_resumes_it(
        self, client, sandbox, org, world
    ):
        manager = login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
        add = reverse("publishing_pauses:add")
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": "Sự cố hệ thống"}
        landed = client.post(add, form, follow=True).content.decode()
        pause = Pause.objects.get()
        # The message offers no "Edit": a switch is never edited (resume, pause).
        assert "Nothing goes out there until you resume" in landed
        assert reverse("publishing_pauses:edit", args=(pause.pk,)) not in landed
        assert (pause.unit, pause.created_by) == (org.bac_son, manager)
        bac_son = world[1]["bac-son"]
        Publication.objects.filter(pk=bac_son.pk).update(status=S.SCHEDULED)
        assert dispatcher.dispatch_due()["claimed"] == 2  # the other two units'
        assert fresh(bac_son).status == S.SCHEDULED  # Bắc Sơn: paused
        shown = text(client.get(detail(bac_son)))  # the post says why it waits
        assert "data-pause" in shown and "Sự cố hệ thống" in shown
        html = text(client.get(reverse(self.INDEX)))
        assert "Sự cố hệ thống" in html and "ql.bacson" in html
        assert reverse("publishing_pauses:resume", args=(pause.pk,)) in html
        client.post(reverse("publishing_pauses:resume", args=(pause.pk,)))
        assert not Pause.objects.exists()
        assert dispatcher.dispatch_due()["claimed"] == 1
        assert fresh(bac_son).status == S.PUBLISHED
        assert len(feed_calls(sandbox)) == 3

    def test_a_reason_is_required(self, client, org, world):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": ""}
        client.post(reverse("publishing_pauses:add"), form)
        assert not Pause.objects.exists()

    def test_only_a_top_lead_pauses_everything(self, client, org, world):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son))
        form = {"scope": "global", "reason": "Tạm dừng toàn bộ"}
        response = client.post(reverse("publishing_pauses:add"), form)
        assert "Only a superuser or the lead of a top unit" in text(response)
        assert not Pause.objects.exists()
        client.logout()
        login(client, org.user("lead", Role.LEAD, org.region))
        client.post(reverse("publishing_pauses:add"), form)
        assert Pause.objects.get().scope == PauseScope.GLOBAL

    def test_another_units_manager_cannot_resume(self, client, org, world):
        lead = org.user("lead", Role.LEAD, org.region)
        pause = Pause.objects.create(
            scope="unit", unit=org.bac_son, reason="x", created_by=lead
        )
        login(client, org.user("ql.locbinh", Role.MANAGER, org.loc_binh))
        listing = text(client.get(reverse(self.INDEX)))
        assert reverse("publishing_pauses:resume", args=(pause.pk,)) not in listing
        response = client.post(reverse("publishing_pauses:resume", args=(pause.pk,)))
        assert refused(response)
        assert Pause.objects.filter(pk=pause.pk).exists()
        # Nor through Wagtail's own delete URL of the switch, nor the global one.
        everything = Pause.objects.create(scope="global", reason="y", created_by=lead)
        for target in (pause, everything):
            delete = reverse("publishing_pauses:delete", args=(target.pk,))
            assert refused(client.get(delete))
            assert refused(client.post(delete))
        assert Pause.objects.count() == 2

    def test_an_editor_cannot_pause(self, client, org, world):
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": "x"}
        client.post(reverse("publishing_pauses:add"), form)
        assert not Pause.objects.exists()
