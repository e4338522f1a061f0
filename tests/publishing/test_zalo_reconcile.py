"""Never twice on Zalo, whatever `getdetail` returns.

A Zalo article whose create answer was lost is found by its verify token, by
`pub-<id>` in the body `getdetail` returns, or else by exactly its title (made since
the attempt began, linked to no other publication). Zalo's documentation promises
neither the body nor the dates, so each test of reconciliation runs with the body
(`body`) and without it (`no_body`: the sandbox's `zalo/reads` mode). When Zalo's
answers cannot settle it, the publication waits for a person and nothing is created.
"""

import datetime

import pytest

from cms.core.models import Role
from publishing.models import ChannelStatus, PublicationStatus
from publishing.networks import CannotTell, ImageRef, Lookup, Payload
from publishing.networks.zalo import ZaloNetwork
from publishing.outbox import dispatcher
from publishing.outbox.reconcile import CANNOT_TELL
from tests.publishing.factories import FAST_ZALO, due, fresh, zalo_channel
from tests.publishing.helpers import detail, login
from tests.sandbox import network_options

S = PublicationStatus
NOW = datetime.datetime(2027, 3, 10, 2, 0, tzinfo=datetime.UTC)  # 09:00 in Vietnam
COVER = "https://bhxh.example/media/images/bia.fill-1200x630.png"

pytestmark = pytest.mark.django_db


# Fixtures and helpers -------------------------------------------------------------
@pytest.fixture
def clock(time_machine):
    time_machine.move_to(NOW, tick=True)
    return time_machine


@pytest.fixture(params=["body", "no_body"])
def reads(request, sandbox):
    """Both ways `getdetail` may answer: with the article's body, or without."""
    mode = sandbox.control("zalo/reads", {"detail_body": request.param == "body"})
    assert mode["detail_body"] is (request.param == "body")
    return request.param


@pytest.fixture
def channel(sandbox, org, settings, clock):
    network_options(settings, "zalo", **FAST_ZALO)
    settings.PUBLISHING_WORKERS = 1  # one thread: the test's database connection
    return zalo_channel(org, sandbox.zalo_oa("BHXH cơ sở Bắc Sơn"))


@pytest.fixture
def article(org, clock):
    return org.article(title="Hộ kinh doanh đóng BHXH bắt buộc từ 01/7/2025")


def live_articles(sandbox):
    return [a for a in sandbox.state.data["articles"].values() if not a["deleted"]]


def creates(sandbox):
    return len(sandbox.calls("zalo", "create"))


def by_hand(channel, title):
    """An article a person made in the OA: no link of ours, so no marker."""
    payload = Payload(
        kind="article",
        marker="",
        title=title,
        description="Bài do cán bộ đăng trực tiếp trên OA.",
        author="BHXH cơ sở Bắc Sơn",
        cover=ImageRef(COVER),
        body=[{"type": "text", "content": "<p>Đăng trực tiếp.</p>"}],
    )
    return ZaloNetwork(channel, FAST_ZALO).publish(payload).external_id


def unconfirmed_after(sandbox, publication, fault):
    """Dispatch `publication` with `fault` on its create: its outcome is unknown."""
    sandbox.fault("zalo", "create", fault)
    dispatcher.dispatch_due()
    publication = fresh(publication)
    assert publication.status == S.UNCONFIRMED, publication.last_error
    return publication


# Create succeeded, its answer lost ------------------------------------------------
@pytest.mark.parametrize("fault", ["500_but_created", "drop_after_create"])
def test_a_create_that_succeeded_is_reconciled_as_published(
    sandbox, reads, channel, article, fault
):
    publication = unconfirmed_after(sandbox, due(article, channel), fault)
    assert not publication.verify_token  # the answer, and its token, were lost

    assert dispatcher.reconcile_unconfirmed()["published"] == 1
    dispatcher.dispatch_due()

    publication = fresh(publication)
    [stored] = live_articles(sandbox)
    assert publication.status == S.PUBLISHED
    assert publication.external_id == stored["id"]
    assert publication.permalink == stored["link"]
    assert creates(sandbox) == 1


def test_a_create_that_failed_is_made_once_after_reconciling(
    sandbox, reads, channel, article
):
    publication = unconfirmed_after(sandbox, due(article, channel), "html_500")
    assert live_articles(sandbox) == []

    assert dispatcher.reconcile_unconfirmed()["scheduled"] == 1
    dispatcher.dispatch_due()
    dispatcher.reconcile_unconfirmed()
    dispatcher.dispatch_due()

    publication = fresh(publication)
    [stored] = live_articles(sandbox)
    assert publication.status == S.PUBLISHED
    assert publication.external_id == stored["id"]
    assert creates(sandbox) == 2  # the failed one, then exactly one more


def test_an_article_of_another_publication_is_not_taken(
    sandbox, reads, channel, article
):
    """Round 2's create fails; round 1 (same article, same title) then goes out:
    its article is newer than round 2's attempt, yet it is round 1's."""
    second = due(article, channel, round=2, ago=datetime.timedelta(minutes=2))
    first = due(article, channel, round=1)
    sandbox.fault("zalo", "create", "html_500")
    dispatcher.dispatch_due()
    first, second = fresh(first), fresh(second)
    assert (first.status, second.status) == (S.PUBLISHED, S.UNCONFIRMED)

    assert dispatcher.reconcile_unconfirmed()["scheduled"] == 1
    dispatcher.dispatch_due()

    second = fresh(second)
    assert second.status == S.PUBLISHED
    assert second.external_id not in ("", first.external_id)
    assert {a["id"] for a in live_articles(sandbox)} == {
        first.external_id,
        second.external_id,
    }


# Zalo cannot say: a person decides ---------------------------------------------------
class TestAmbiguous:
    @pytest.fixture
    def waiting(self, sandbox, reads, channel, article):
        """Our create failed; then two articles with exactly our title, made by
        hand in the OA, appeared: which one is ours cannot be told."""
        publication = unconfirmed_after(sandbox, due(article, channel), "html_500")
        title = publication.payload["title"]
        made = {by_hand(channel, title), by_hand(channel, title)}
        summary = dispatcher.reconcile_unconfirmed()
        assert summary == {"published": 0, "scheduled": 0, "left": 1}
        return fresh(publication), made

    def test_it_stays_unconfirmed_and_nothing_is_created(self, sandbox, waiting):
        publication, made = waiting
        assert publication.status == S.UNCONFIRMED
        assert publication.last_error_code == CANNOT_TELL
        assert "OA có 2 bài trùng đúng tiêu đề này" in publication.last_error

        assert dispatcher.dispatch_due()["claimed"] == 0
        assert {a["id"] for a in live_articles(sandbox)} == made
        assert creates(sandbox) == 3  # ours (failed) and the two made by hand

    def test_looking_again_later_never_schedules_it(self, sandbox, waiting, clock):
        publication, made = waiting
        assert dispatcher.reconcile_unconfirmed()["left"] == 0  # not before 15 minutes
        clock.shift(datetime.timedelta(minutes=16))
        for article_id in made:  # a person removed both, say
            ZaloNetwork(publication.channel, FAST_ZALO).withdraw(article_id)

        assert dispatcher.reconcile_unconfirmed() == {
            "published": 0,
            "scheduled": 0,
            "left": 1,
        }
        dispatcher.dispatch_due()

        assert fresh(publication).status == S.UNCONFIRMED
        assert fresh(publication).last_error_code == CANNOT_TELL
        assert creates(sandbox) == 3

    def test_the_reason_is_on_its_page_in_vietnamese(self, client, org, waiting):
        publication, _made = waiting
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son), "vi")

        html = client.get(detail(publication)).content.decode()

        assert "Zalo không cho biết bài đăng đã được đăng hay chưa" in html
        assert "không thể biết bài nào là bài đăng này" in html
        assert "Hệ thống sẽ không tự đăng lại" in html


class TestDatesMissing:
    @pytest.fixture(autouse=True)
    def undated(self, sandbox):
        sandbox.control("zalo/reads", {"detail_body": False, "dates": False})

    def test_an_undated_article_with_our_title_waits_for_a_person(
        self, sandbox, channel, article
    ):
        publication = unconfirmed_after(
            sandbox, due(article, channel), "500_but_created"
        )

        dispatcher.reconcile_unconfirmed()
        dispatcher.dispatch_due()

        publication = fresh(publication)
        assert publication.status == S.UNCONFIRMED
        assert "không cho biết ngày đăng" in publication.last_error
        assert len(live_articles(sandbox)) == 1
        assert creates(sandbox) == 1

    def test_no_article_with_our_title_in_the_whole_list_is_made_once(
        self, sandbox, channel, article
    ):
        by_hand(channel, "Một bài khác")
        publication = unconfirmed_after(sandbox, due(article, channel), "html_500")

        assert dispatcher.reconcile_unconfirmed()["scheduled"] == 1
        dispatcher.dispatch_due()

        assert fresh(publication).status == S.PUBLISHED
        assert len(live_articles(sandbox)) == 2
        assert creates(sandbox) == 3


def test_more_articles_since_the_attempt_than_are_read(
    sandbox, reads, channel, monkeypatch
):
    monkeypatch.setattr(ZaloNetwork, "reconcile_pages", 1)
    since = datetime.datetime.now(datetime.UTC)
    for n in range(ZaloNetwork.slice_limit):
        by_hand(channel, f"Bài số {n}")
    lookup = Lookup("pub-1", since, title="Bài của chúng ta")

    with pytest.raises(CannotTell) as caught:
        ZaloNetwork(channel, FAST_ZALO).reconcile(lookup)

    assert caught.value.code == "zalo_too_many"


def test_an_article_made_before_the_attempt_is_not_ours(
    sandbox, reads, channel, article, clock
):
    publication = due(article, channel)
    older = by_hand(channel, "Hộ kinh doanh đóng BHXH bắt buộc từ 01/7/2025")
    clock.shift(datetime.timedelta(minutes=10))
    publication = unconfirmed_after(sandbox, publication, "html_500")
    assert (
        publication.payload["title"] == sandbox.state.data["articles"][older]["title"]
    )

    assert dispatcher.reconcile_unconfirmed()["scheduled"] == 1
    dispatcher.dispatch_due()

    publication = fresh(publication)
    assert publication.status == S.PUBLISHED
    assert publication.external_id != older
    assert len(live_articles(sandbox)) == 2


def test_a_failing_list_leaves_it_unconfirmed_until_it_answers(
    sandbox, reads, channel, article
):
    publication = unconfirmed_after(sandbox, due(article, channel), "500_but_created")
    sandbox.fault("zalo", "getslice", "html_500")

    assert dispatcher.reconcile_unconfirmed()["left"] == 1
    assert dispatcher.dispatch_due()["claimed"] == 0
    assert fresh(publication).status == S.UNCONFIRMED
    assert dispatcher.reconcile_unconfirmed()["published"] == 1

    assert fresh(publication).status == S.PUBLISHED
    assert creates(sandbox) == 1


# The channel's token revoked while the outcome is unknown --------------------------
def test_a_revoked_token_while_reconciling_asks_for_a_reconnection(
    sandbox, reads, channel, article
):
    """Nothing else may tell a person when no other post of the channel is due:
    before, the publication stayed unconfirmed and the channel `active` forever."""
    publication = unconfirmed_after(sandbox, due(article, channel), "500_but_created")
    for key in ("access_token", "refresh_token"):
        token = channel.get_credentials()[key]
        sandbox.control("tokens/revoke", {"token": token})

    assert dispatcher.reconcile_unconfirmed()["left"] == 1

    channel.refresh_from_db()
    assert channel.status == ChannelStatus.NEEDS_RECONNECT
    assert "kết nối lại" in channel.status_reason
    assert fresh(publication).status == S.UNCONFIRMED
    again = sandbox.control("zalo/oas", {"id": channel.external_id, "name": "OA"})
    tokens = {k: again[k] for k in ("access_token", "refresh_token")}
    channel.set_credentials({**channel.get_credentials(), **tokens})
    channel.status = ChannelStatus.ACTIVE
    channel.save()

    assert dispatcher.reconcile_unconfirmed()["published"] == 1
    assert fresh(publication).status == S.PUBLISHED
    assert creates(sandbox) == 1
