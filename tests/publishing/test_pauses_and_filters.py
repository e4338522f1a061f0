"""What the pause list and the share-request filter show: only what concerns the
person (no other unit's reasons or channel names), and a reason of bounded size."""

import pytest
from django.urls import reverse

from cms.core.models import Role
from publishing.models import PublishingPause, ShareRequest
from tests.publishing.factories import make_channel
from tests.publishing.helpers import login, text

pytestmark = pytest.mark.django_db
PAUSES = reverse("publishing_pauses:index")
ADD = reverse("publishing_pauses:add")


@pytest.fixture
def pauses(org):
    lead = org.user("lead", Role.LEAD, org.region)
    bac_son_page = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
    loc_binh_page = make_channel(org.loc_binh, "facebook", "Trang Lộc Bình", "2001")
    made = {
        "global": ("global", None, None, "Bảo trì toàn hệ thống"),
        "region": ("unit", org.region, None, "Khu vực V tạm dừng"),
        "bac_son": ("unit", org.bac_son, None, "Bắc Sơn đổi người quản trị"),
        "bac_son_page": ("channel", None, bac_son_page, "Trang Bắc Sơn bị khoá"),
        "loc_binh": ("unit", org.loc_binh, None, "Lộc Bình thanh tra nội bộ"),
        "loc_binh_page": ("channel", None, loc_binh_page, "Trang Lộc Bình lộ mật khẩu"),
    }
    for scope, unit, page, reason in made.values():
        PublishingPause.objects.create(
            scope=scope, unit=unit, channel=page, reason=reason, created_by=lead
        )
    return {key: value[3] for key, value in made.items()}


class TestWhoSeesWhichPause:
    def test_an_editor_sees_their_units_pauses_and_the_global_one_only(
        self, client, org, pauses
    ):
        login(client, org.user("bt.locbinh", Role.EDITOR, org.loc_binh))
        html = text(client.get(PAUSES))
        for seen in ("global", "region", "loc_binh", "loc_binh_page"):
            assert pauses[seen] in html
        for hidden in ("bac_son", "bac_son_page"):
            assert pauses[hidden] not in html

    def test_the_region_lead_sees_every_unit_below(self, client, org, pauses):
        login(client, org.user("ld.khuvuc", Role.LEAD, org.region))
        html = text(client.get(PAUSES))
        assert all(reason in html for reason in pauses.values())

    def test_another_units_pause_is_not_found_by_its_address(self, client, org, pauses):
        login(client, org.user("ql.locbinh", Role.MANAGER, org.loc_binh))
        bac_son = PublishingPause.objects.get(unit=org.bac_son)
        response = client.get(reverse("publishing_pauses:delete", args=(bac_son.pk,)))
        assert pauses["bac_son"] not in text(response)
        assert PublishingPause.objects.filter(pk=bac_son.pk).exists()


class TestReasonLength:
    def test_a_two_megabyte_reason_is_refused_in_vietnamese(self, client, org):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": "x" * 2_000_000}
        response = client.post(ADD, form)
        assert response.status_code == 200
        html = text(response)
        assert "Lý do chỉ được tối đa 500 ký tự (đang có 2000000)" in html
        assert 'maxlength="500"' in html
        assert not PublishingPause.objects.exists()

    def test_five_hundred_characters_are_enough(self, client, org):
        login(client, org.user("ql.bacson", Role.MANAGER, org.bac_son), "vi")
        form = {"scope": "unit", "unit": org.bac_son.pk, "reason": "đ" * 500}
        client.post(ADD, form)
        assert PublishingPause.objects.get().reason == "đ" * 500

    def test_an_old_long_reason_is_cut_in_the_list(self, client, org):
        PublishingPause.objects.create(scope="global", reason="Lý do dài " * 5000)
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son), "vi")
        html = text(client.get(PAUSES))
        assert "Lý do dài " * 19 in html and "Lý do dài " * 21 not in html
        assert len(html) < 100_000


class TestShareRequestFilter:
    def test_the_channel_filter_offers_only_the_persons_channels(self, client, org):
        mine = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "1001")
        theirs = make_channel(org.loc_binh, "facebook", "Trang Lộc Bình bí mật", "2001")
        article = org.article("bac-son")
        ShareRequest.objects.create(page=article, channel=mine)
        login(client, org.user("bt.bacson", Role.EDITOR, org.bac_son))
        html = text(client.get(reverse("publishing_share_requests:index")))
        assert f'<option value="{mine.pk}"' in html
        assert theirs.name not in html
        forged = client.get(
            reverse("publishing_share_requests:index"), {"channel": theirs.pk}
        )
        assert theirs.name not in text(forged)
