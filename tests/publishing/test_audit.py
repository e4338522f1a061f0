"""Audit: what people (and the scheduler) do with an article's posts is in Wagtail's
history, with who and when, on the publication and on the article."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry, PageLogEntry

from cms.core.models import Role
from publishing.models import Publication, SharePlan
from publishing.planning import actions
from tests.publishing.factories import make_channel
from tests.publishing.helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def fb(org):
    return make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "101")


def test_planning_and_each_action_are_on_the_article_with_who_and_when(client, org, fb):
    approver = org.user("duyet.bacson", Role.APPROVER, org.bac_son)
    page = org.article(title="Bài cần theo dõi")
    later = timezone.now() + datetime.timedelta(days=1)
    page.share_plans.add(SharePlan(channel=fb, publish_at=later))
    page.save_revision(user=approver).publish(user=approver)
    publication = Publication.objects.get(page=page, channel=fb)

    actions.reschedule(approver, publication, later + datetime.timedelta(hours=2))
    publication.refresh_from_db()
    actions.cancel(approver, publication)

    on_page = PageLogEntry.objects.filter(page=page, action__startswith="publishing.")
    assert [e.action for e in on_page.order_by("timestamp", "pk")] == [
        "publishing.plan",
        "publishing.reschedule",
        "publishing.cancel",
    ]
    assert {e.user_id for e in on_page} == {approver.pk}
    assert all(
        e.data["channel" if e.action != "publishing.plan" else "channels"]
        for e in on_page
    )
    on_publication = ModelLogEntry.objects.for_instance(publication)
    assert {e.action for e in on_publication} == {
        "publishing.reschedule",
        "publishing.cancel",
    }

    # The article's history page shows them, with the channel, to its people.
    login(client, approver)
    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    text = history.content.decode()
    assert history.status_code == 200
    assert "Post cancelled: Facebook · Trang Bắc Sơn" in text
    assert "Post rescheduled: Facebook · Trang Bắc Sơn" in text
    assert "Shares scheduled: Facebook · Trang Bắc Sơn" in text
    assert approver.get_username() in text or "duyet.bacson" in text
