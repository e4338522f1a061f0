"""A manager connects the unit's Facebook Page through the (sandbox) login dialog."""

import pytest
from playwright.sync_api import expect

from cms.core.models import Role, Unit, UnitMembership
from publishing.models import Channel, ChannelStatus
from tests.conftest import PASSWORD, Org
from tests.e2e.helpers import pass_two_factor


@pytest.fixture
def org_tx(transactional_db):
    return Org()


def test_manager_connects_a_page_through_the_login_dialog(
    org_tx, sandbox, live_server, page, settings
):
    settings.BASE_URL = live_server.url  # the dialog sends the browser back here
    manager = org_tx.user("quanly.bacson")
    UnitMembership.objects.create(user=manager, unit=org_tx.bac_son, role=Role.MANAGER)
    fb_page = sandbox.facebook_page("BHXH Bắc Sơn", followers=4100)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "quanly.bacson")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    pass_two_factor(page, "quanly.bacson")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/publishing/channels/")
    page.get_by_role("link", name="Kết nối Facebook").click()
    # The sandbox's dialog, labelled as a development tool.
    expect(page.locator("body")).to_contain_text("SANDBOX")
    expect(page.locator("body")).to_contain_text("BHXH Bắc Sơn")
    page.get_by_role("button", name="Cho phép").click()

    page.wait_for_url(f"{live_server.url}/admin/publishing/connect/facebook/pick/")
    page.get_by_label("BHXH Bắc Sơn").select_option(str(org_tx.bac_son.pk))
    page.get_by_role("button", name="Kết nối", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/publishing/channels/")
    expect(page.locator(".messages .success")).to_contain_text("BHXH Bắc Sơn")
    row = page.locator("tr", has_text="BHXH Bắc Sơn")
    expect(row).to_contain_text("4.100")  # followers, grouped the Vietnamese way

    channel = Channel.objects.get()
    assert channel.unit == Unit.objects.get(slug="bac-son")
    assert channel.status == ChannelStatus.ACTIVE
    assert channel.external_id == fb_page["id"]
    assert fb_page["page_token"] not in page.content()


def test_manager_connects_a_zalo_oa_through_the_permission_page(
    org_tx, sandbox, live_server, page, settings
):
    settings.BASE_URL = live_server.url
    manager = org_tx.user("quanly.locbinh")
    UnitMembership.objects.create(user=manager, unit=org_tx.loc_binh, role=Role.MANAGER)
    sandbox.zalo_oa("OA khác")
    oa = sandbox.zalo_oa("BHXH Lộc Bình Zalo", followers=950)

    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "quanly.locbinh")
    page.fill("#id_password", PASSWORD)
    page.locator("form.login-form button[type=submit]").click()
    pass_two_factor(page, "quanly.locbinh")
    page.wait_for_url(f"{live_server.url}/admin/")

    page.goto(f"{live_server.url}/admin/publishing/channels/")
    page.get_by_role("link", name="Kết nối Zalo OA").click()
    expect(page.locator("body")).to_contain_text("SANDBOX")
    page.get_by_label("BHXH Lộc Bình Zalo").check()
    page.get_by_role("button", name="Cho phép").click()

    page.wait_for_url(f"{live_server.url}/admin/publishing/connect/zalo/pick/")
    expect(page.locator("body")).to_contain_text("BHXH Lộc Bình Zalo")
    page.get_by_label("Đơn vị").select_option(str(org_tx.loc_binh.pk))
    page.get_by_role("button", name="Kết nối", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/publishing/channels/")
    row = page.locator("tr", has_text="BHXH Lộc Bình Zalo")
    expect(row).to_contain_text("950")

    channel = Channel.objects.get()
    assert (channel.network, channel.external_id) == ("zalo", oa["id"])
    assert channel.unit == org_tx.loc_binh
    assert oa["access_token"] not in page.content()
