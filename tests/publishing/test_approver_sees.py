"""Issue 18: the approver reads exactly what goes out (the composed text with its
short link, the link, image and time) before approving, who asked by name, what
waits first on the admin home, and the message after approving says what is queued.
"""

import datetime
import html
import re
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from cms.core.models import Role
from publishing.models import Publication, SharePlan, ShareRequest
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import fb_channel, posts
from tests.publishing.helpers import login, text

pytestmark = pytest.mark.django_db

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=HCM)
LATER = datetime.datetime(2026, 12, 7, 15, 30, tzinfo=HCM)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def shared(clock, sandbox, org):
    """A live article already posted once on Bắc Sơn's Page."""
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    page = org.article()
    page.share_plans.add(SharePlan(channel=channel, message="Mới: {title} tại {url}"))
    page.save_revision().publish()
    dispatcher.dispatch_due()
    return page, channel


@pytest.fixture
def editor(org):
    user = org.user("bt.bacson", Role.EDITOR, org.bac_son)
    user.first_name, user.last_name = "Thu Trang", "Bùi"
    user.save()
    return user


@pytest.fixture
def approver(org):
    return org.user("dt.bacson", Role.APPROVER, org.bac_son)


def shown_text(page_html):
    """The composed text as the screen shows it."""
    found = re.search(r"data-payload-text>(.*?)</div>", page_html, re.S)
    return html.unescape(found.group(1)) if found else None


class TestTheRequestList:
    def test_shows_the_composed_post_its_time_and_who_asked(
        self, client, clock, sandbox, shared, editor, approver
    ):
        page, channel = shared
        _made, (request,) = actions.share_again(
            editor, page, [channel], publish_at=LATER
        )
        login(client, approver)
        listing = text(client.get(reverse("publishing_share_requests:index")))
        composed = shown_text(listing)
        short = f"http://testserver/l/{request.link_code}"
        assert composed == f"Mới: {page.title} tại {short}"
        assert "{url}" not in listing and "{title}" not in listing
        assert "07/12/2026 15:30" in listing
        assert "Bùi Thu Trang" in listing or "Thu Trang Bùi" in listing
        assert ">bt.bacson<" not in listing
        # What the approver read is what the network receives.
        client.post(reverse("publishing_share_requests:approve", args=(request.pk,)))
        clock.move_to(LATER)
        dispatcher.dispatch_due()
        assert posts(sandbox)[-1]["message"] == composed

    def test_a_request_without_a_time_says_when_it_would_go(
        self, client, shared, editor, approver
    ):
        page, channel = shared
        actions.share_again(editor, page, [channel])
        login(client, approver)
        listing = text(client.get(reverse("publishing_share_requests:index")))
        assert "07/12/2026 09:00 (as soon as it is approved)" in listing

    def test_the_approval_message_says_when(self, client, shared, editor, approver):
        page, channel = shared
        _made, (request,) = actions.share_again(
            editor, page, [channel], publish_at=LATER
        )
        login(client, approver)
        approve = reverse("publishing_share_requests:approve", args=(request.pk,))
        landed = text(client.post(approve, follow=True))
        assert f"{page.title} will be posted on {channel} at 07/12/2026 15:30" in (
            html.unescape(landed)
        )


class TestAScheduledPostsPage:
    def test_shows_the_text_it_will_send(self, client, shared, approver):
        page, channel = shared
        (publication,), _ = actions.share_again(
            approver, page, [channel], publish_at=LATER
        )
        login(client, approver)
        url = reverse("publishing_publications:inspect", args=(publication.pk,))
        shown = text(client.get(url))
        assert shown_text(shown) == (
            f"Mới: {page.title} tại http://testserver/l/{publication.link_code}"
        )
        assert "Composed when it is sent" not in shown
        assert not Publication.objects.get(pk=publication.pk).payload  # not stored

    def test_a_template_that_cannot_compose_says_why(self, client, shared, approver):
        page, channel = shared
        (publication,), _ = actions.share_again(
            approver, page, [channel], publish_at=LATER
        )
        Publication.objects.filter(pk=publication.pk).update(message="{tieu_de}")
        login(client, approver)
        url = reverse("publishing_publications:inspect", args=(publication.pk,))
        shown = text(client.get(url))
        assert "data-payload-problems" in shown and "unknown placeholder" in shown


def test_a_request_keeps_its_short_link_when_approved(shared, editor, approver):
    page, channel = shared
    _made, (request,) = actions.share_again(editor, page, [channel])
    publication = actions.approve_request(approver, request)
    assert publication.link_code == ShareRequest.objects.get().link_code
