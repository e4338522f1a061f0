"""Guarantee 1 with short links: a post's text carries only `/l/<code>` (never the
long address with `utm_content=pub-<id>`), and a post whose answer was lost is
still found by it, against the sandbox over real HTTP, and not posted twice."""

import datetime

import pytest

from publishing.models import AttemptOutcome, PublicationStatus
from publishing.networks import ImageRef, Payload
from publishing.networks.zalo import ZaloNetwork
from publishing.outbox import dispatcher
from tests.publishing.factories import (
    FAST_ZALO,
    due,
    feed_calls,
    fresh,
    posts,
    zalo_channel,
)
from tests.sandbox import network_options

S = PublicationStatus
NOW = datetime.datetime(2027, 3, 10, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Vietnam

pytestmark = pytest.mark.django_db


def only_the_short_link(publication, text):
    assert f"/l/{publication.link_code}" in text
    assert f"pub-{publication.pk}" not in text and "utm_" not in text


@pytest.mark.parametrize("kind", ["link", "photo"])
def test_a_facebook_post_500_but_created_is_found_by_its_short_link(
    sandbox, fb, article, kind
):
    publication = due(article, fb, kind=kind)
    sandbox.fault("facebook", "feed" if kind == "link" else "photos", "500_but_created")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.UNCONFIRMED
    [post] = posts(sandbox)
    # What the feed shows of it (the sandbox, like Graph, returns the text; the
    # link card's address is not among the fields read).
    only_the_short_link(publication, post.get("message") or post.get("caption"))

    assert dispatcher.reconcile_unconfirmed()["published"] == 1
    dispatcher.dispatch_due()

    publication = fresh(publication)
    assert publication.status == S.PUBLISHED
    assert publication.external_id == post["id"]
    assert len(posts(sandbox)) == 1
    outcomes = [a.outcome for a in publication.attempt_history.all()]
    assert outcomes == [AttemptOutcome.UNKNOWN, AttemptOutcome.RECONCILED]


def test_a_facebook_post_of_another_publication_is_not_taken(sandbox, fb, org):
    """Two articles' posts on one Page, both with short links only: each finds
    its own (the codes differ), none is posted twice."""
    ours = due(org.article(title="Lương hưu tăng"), fb)
    sandbox.fault("facebook", "feed", "500_but_created")
    dispatcher.dispatch_due()
    other = due(org.article(title="Thẻ BHYT điện tử"), fb)
    dispatcher.dispatch_due()
    assert fresh(other).status == S.PUBLISHED

    dispatcher.reconcile_unconfirmed()

    ours, other = fresh(ours), fresh(other)
    assert ours.status == S.PUBLISHED
    assert ours.external_id not in ("", other.external_id)
    assert len(feed_calls(sandbox)) == 2 and len(posts(sandbox)) == 2


# Zalo ------------------------------------------------------------------------------
@pytest.fixture
def channel(sandbox, org, settings, time_machine):
    time_machine.move_to(NOW, tick=True)
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1  # one thread: the test's database connection
    return zalo_channel(org, sandbox.zalo_oa("BHXH cơ sở Bắc Sơn"))


def by_hand(channel, title):
    """An article a person made in the OA with our title: no link of ours."""
    payload = Payload(
        kind="article",
        marker="",
        title=title,
        description="Bài do cán bộ đăng trực tiếp trên OA.",
        author="BHXH cơ sở Bắc Sơn",
        cover=ImageRef("https://bhxh.example/media/images/bia.png"),
        body=[{"type": "text", "content": "<p>Đăng trực tiếp.</p>"}],
    )
    return ZaloNetwork(channel, FAST_ZALO).publish(payload).external_id


def test_a_zalo_article_is_told_from_one_with_its_title_by_its_short_link(
    sandbox, channel, org
):
    """Our create's answer is lost, and a person made an article with exactly our
    title: the title cannot tell them apart, our short link in the body does."""
    article = org.article(title="Hộ kinh doanh đóng BHXH bắt buộc từ 01/7/2025")
    publication = due(article, channel)
    sandbox.fault("zalo", "create", "drop_after_create")
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.UNCONFIRMED and not publication.verify_token
    [ours] = [a for a in sandbox.state.data["articles"].values()]
    only_the_short_link(publication, str(ours["body"]) + ours["description"])
    by_hand(channel, publication.payload["title"])

    assert dispatcher.reconcile_unconfirmed()["published"] == 1

    publication = fresh(publication)
    assert publication.status == S.PUBLISHED
    assert publication.external_id == ours["id"]
    assert len(sandbox.calls("zalo", "create")) == 2  # ours, and the person's
