"""Issue 18: English left on the admin's everyday screens: the explorer's tab title
("Exploring:"), the promote tab's "Meta description", the "Media" menu and the
channel form's "Token" (Wagtail's strings through locale_overrides/, ours through
the catalogue)."""

import json

from bs4 import BeautifulSoup
from django.urls import reverse

from cms.core.roles import Role
from tests.publishing.factories import fb_channel


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_explorer_tab_title_reads_in_vietnamese(admin_client, org):
    page = soup(admin_client.get(reverse("wagtailadmin_explore", args=[org.news.pk])))
    title = page.title.get_text(" ", strip=True)
    assert title.startswith("Đang xem: Tin tức")
    assert "Exploring" not in page.decode()


def test_the_promote_tab_names_the_meta_description_in_vietnamese(admin_client, org):
    article = org.article()
    url = reverse("wagtailadmin_pages:edit", args=[article.pk])
    label = soup(admin_client.get(url)).find(
        "label", attrs={"for": "id_search_description"}
    )
    assert label.get_text(" ", strip=True).startswith("Mô tả cho công cụ tìm kiếm")


def test_the_media_menu_reads_in_vietnamese(admin_client, db):
    props = soup(admin_client.get("/admin/")).find(id="wagtail-sidebar-props").string
    labels = [
        item["_args"][0]["label"]
        for module in json.loads(props)["modules"]
        if module.get("_type") == "wagtail.sidebar.MainMenuModule"
        for item in module["_args"][0]
    ]
    assert "Đa phương tiện" in labels
    assert "Media" not in labels


def test_the_channel_form_names_the_token_in_vietnamese(client, org, sandbox):
    client.force_login(org.user("lanhdao", Role.LEAD, org.region))
    channel = fb_channel(org, sandbox.facebook_page("BHXH Bắc Sơn"))
    url = reverse("publishing_channels:edit", args=[channel.pk])
    label = soup(client.get(url)).find("label", attrs={"for": "id_token"})
    assert label.get_text(" ", strip=True).startswith("Mã truy cập")
