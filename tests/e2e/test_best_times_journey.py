"""Issue 18's best times, as a manager reads them: seed_demo's region Page, with
eight weeks of posts, shows its three best posting times in the channel list; a
district Page with only the demo shares says how many more posts it needs."""

import io
import re

import pytest
from playwright.sync_api import expect

from cms.core.models import Unit
from publishing.demo import HISTORY_MARK, seed_channels, seed_post_history
from publishing.models import Channel, Publication
from tests.e2e.helpers import sign_in

TIME = re.compile(r"^(Thứ (Hai|Ba|Tư|Năm|Sáu|Bảy)|Chủ Nhật) \d\d:00$")


@pytest.fixture
def demo_channels(demo, sandbox, settings):
    """The demo's channels, connected through the sandbox as `make run` does, and
    the region Page's post history."""
    settings.SANDBOX_URL = sandbox.url
    units = {unit.slug: unit for unit in Unit.objects.all()}
    out = io.StringIO()
    seed_channels(None, units=units, stdout=out)
    seed_post_history(None, units=units, stdout=out)
    region = Channel.objects.get(unit__slug="khu-vuc-v", network="facebook")
    district = Channel.objects.get(unit__slug="bac-son", network="facebook")
    assert region.publications.filter(external_id__startswith=HISTORY_MARK).count()
    assert not Publication.objects.filter(channel=district).exists()
    return region, district


def test_best_times_for_the_page_with_history_and_a_note_for_one_without(
    demo_channels, live_server, page
):
    region, district = demo_channels
    sign_in(page, live_server.url, "admin")
    page.goto(f"{live_server.url}/admin/publishing/channels/")
    expect(page.locator("table.listing thead")).to_contain_text("Giờ đăng gợi ý")

    row = page.locator("tbody tr", has_text=region.name).filter(has_text="Facebook")
    times = row.first.locator("[data-best-times] div")
    expect(times).to_have_count(3)
    labels = times.all_inner_texts()
    assert all(TIME.match(label) for label in labels), labels
    assert labels[0] == "Thứ Ba 20:00"  # the demo's best hour

    other = page.locator("tbody tr", has_text=district.name).filter(has_text="Facebook")
    expect(other.first.locator("[data-best-times]")).to_have_text(
        re.compile(r"Cần thêm 20 bài đăng( / \d tuần)? để gợi ý giờ đăng\.")
    )
