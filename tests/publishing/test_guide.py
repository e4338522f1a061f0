"""Issue 18: Wagtail's Help menu (English guides on wagtail.org, with a badge) gives
way to our Vietnamese guide to the sharing workflow, which every role reaches."""

import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Permission
from django.urls import reverse

from cms.core.roles import Role
from publishing.lifecycle import HELP, PublicationStatus

GUIDE = "/admin/publishing/guide/"
ROLES = [Role.EDITOR, Role.APPROVER, Role.MANAGER, Role.LEAD]


def sidebar_menu(page):
    """The main menu's items as Wagtail's sidebar gets them: [(name, label, url)],
    submenus flattened."""
    props = json.loads(page.find(id="wagtail-sidebar-props").string)
    found = []

    def walk(items):
        for item in items:
            if item.get("_type") == "wagtail.sidebar.SubMenuItem":
                found.append((item["_args"][0]["name"], item["_args"][0]["label"], ""))
                walk(item["_args"][1])
            elif item.get("_type", "").endswith("LinkMenuItem"):
                args = item["_args"][0]
                found.append((args["name"], args["label"], args["url"]))

    for module in props["modules"]:
        if module.get("_type") == "wagtail.sidebar.MainMenuModule":
            walk(module["_args"][0])
    return found


def open_as(client, user, url=GUIDE):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture(params=ROLES + ["superuser"])
def person(request, org):
    if request.param == "superuser":
        return org.user("quantri", superuser=True)
    return org.user(f"nguoi-{request.param}", request.param, org.bac_son)


def test_the_menu_offers_our_guide_instead_of_wagtails_help(client, person):
    menu = sidebar_menu(open_as(client, person, "/admin/"))
    assert [name for name, _label, _url in menu if name == "help"] == []
    assert [(label, url) for _name, label, url in menu if url == GUIDE] == [
        ("Hướng dẫn", GUIDE)
    ]


def test_every_role_reads_the_guide_in_vietnamese(client, person):
    page = open_as(client, person)
    assert page.find("h1").get_text(strip=True) == "Hướng dẫn chia sẻ bài viết"
    steps = [h.get_text(" ", strip=True) for h in page.select("ol.publishing-guide h2")]
    assert steps == [
        "Viết bài",
        "Lên kế hoạch chia sẻ ở thẻ “Chia sẻ”",
        "Gửi duyệt",
        "Duyệt bài",
        "Bài được đăng đi",
        "Theo dõi bài đăng",
    ]
    # Each step with the admin's own icon (its sprite), no screenshot.
    icons = [
        h.select_one("svg use")["href"] for h in page.select("ol.publishing-guide h2")
    ]
    assert icons[:3] == ["#icon-folder-open-inverse", "#icon-globe", "#icon-resubmit"]
    assert page.select("main img") == []


def test_the_guide_says_what_each_status_means(client, org):
    page = open_as(client, org.user("bientap", Role.EDITOR, org.bac_son))
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("td")]
        for row in page.select("table tbody tr")
    ]
    assert len(rows) == len(PublicationStatus)
    published = PublicationStatus.PUBLISHED
    assert [str(published.label), str(HELP[published])] in rows
    assert rows[0][0] == "Đã lên lịch"
    assert "Waiting" not in str(rows)


def test_a_screen_the_menu_does_not_offer_is_named_without_a_link(client, org):
    """Someone with the admin's access but no unit role has no publishing menus."""
    outsider = org.user("khach")
    outsider.user_permissions.add(
        Permission.objects.get(
            codename="access_admin", content_type__app_label="wagtailadmin"
        )
    )
    page = open_as(client, outsider)
    steps = page.select_one("ol.publishing-guide")
    assert {a["href"] for a in steps.select("a")} <= {
        reverse("wagtailadmin_explore_root")
    }
    assert "Lịch đăng bài" in steps.get_text()
    client.logout()
    editor = open_as(client, org.user("bientap", Role.EDITOR, org.bac_son))
    hrefs = {a["href"] for a in editor.select("ol.publishing-guide a")}
    assert reverse("publishing_calendar:index") in hrefs
    assert reverse("publishing_publications:index") in hrefs


def test_the_home_page_links_our_guide_not_wagtails_english_one(client, person):
    home = open_as(client, person, "/admin/")
    text = home.get_text(" ", strip=True)
    assert "editor guide" not in text
    assert [a.get_text(strip=True) for a in home.select(f"main a[href='{GUIDE}']")] == [
        "Hướng dẫn"
    ]
