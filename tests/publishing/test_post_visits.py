"""A publication's short link and visits where people read them: its page (the
link to copy, the total, the visits of each day) and the article's sharing tab
(the link and the total per publication); nobody sees another unit's."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from cms.core.models import Role
from publishing.models import PublicationStatus, VisitDay
from tests.publishing.factories import at, due, make_channel
from tests.publishing.helpers import detail, login, refused, text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 16)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(at(TODAY, 10), tick=False):
        yield


@pytest.fixture
def posts(org):
    """Bắc Sơn's article on two of its channels; 1,234 + 7 visits on the first,
    none on the second. Lộc Bình's own post with 99 visits."""
    article = org.article("bac-son", title="Tin Bắc Sơn")
    first = due(article, make_channel(org.bac_son, "facebook", "BS FB"))
    second = due(article, make_channel(org.bac_son, "zalo", "BS Zalo"))
    first.status = PublicationStatus.WITHDRAWN  # old posts are still clicked
    first.save()
    other = due(
        org.article("loc-binh", title="Tin Lộc Bình"),
        make_channel(org.loc_binh, "facebook", "LB FB"),
    )
    for publication, day, visits in (
        (first, TODAY - datetime.timedelta(days=2), 1234),
        (first, TODAY, 7),
        (other, TODAY, 99),
    ):
        VisitDay.objects.create(publication=publication, day=day, visits=visits)
    return first, second, other


def visits_block(html, publication):
    found = re.search(
        rf'<div data-post-visits="{publication.pk}">(.*?)^</div>',
        html,
        re.S | re.M,
    )
    assert found, f"no visits block for {publication}"
    return found.group(1)


class TestPublicationPage:
    def test_shows_the_short_link_and_the_visits_by_day(self, client, org, posts):
        first, _second, _other = posts
        login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
        html = text(client.get(detail(first)))
        block = visits_block(html, first)
        link = f"http://testserver/l/{first.link_code}"
        assert f'value="{link}"' in block and "data-w-clipboard-target" in block
        assert "Sao chép liên kết" in block
        assert "<strong data-visits-total>1.241</strong>" in block
        days = re.findall(r"<tr><td>([\d/]+)</td><td>([\d.]+)</td></tr>", block)
        assert days == [("16/11/2026", "7"), ("14/11/2026", "1.234")]

    def test_a_post_without_visits_says_so(self, client, org, posts):
        _first, second, _other = posts
        login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
        block = visits_block(text(client.get(detail(second))), second)
        assert "<strong data-visits-total>0</strong>" in block
        assert "Chưa có lượt truy cập nào" in block
        assert f"/l/{second.link_code}" in block

    def test_another_units_post_is_refused(self, client, org, posts):
        _first, _second, other = posts
        login(client, org.user("bs", Role.EDITOR, org.bac_son))
        response = client.get(detail(other))
        assert refused(response)
        assert other.link_code not in text(response)


class TestSharingTab:
    def test_each_publication_shows_its_link_and_total(self, client, org, posts):
        first, second, other = posts
        login(client, org.user("bs", Role.EDITOR, org.bac_son), language="vi")
        url = reverse("wagtailadmin_pages:edit", args=(first.page_id,))
        html = text(client.get(url))
        assert "Liên kết rút gọn và lượt truy cập" in html
        one, two = visits_block(html, first), visits_block(html, second)
        assert f"http://testserver/l/{first.link_code}" in one
        assert "<strong data-visits-total>1.241</strong>" in one
        assert f"http://testserver/l/{second.link_code}" in two
        assert "<strong data-visits-total>0</strong>" in two
        assert "data-visits-by-day" not in html  # the days are on the post's page
        assert other.link_code not in html
