"""Our own face (issue 18): the admin shows the agency's name and logo, never
Wagtail's bird, and both sites link a favicon that is served."""

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.contrib.staticfiles.views import serve
from django.test import RequestFactory

from cms.core.roles import Role
from tests.conftest import PASSWORD

AGENCY = "Bảo hiểm xã hội khu vực V"
LOGO = "/static/brand/logo.svg"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def no_bird(page):
    """Wagtail's logo is an inline <svg class="icon-wagtail">; its sidebar draws it
    when the branding template is empty."""
    assert page.select("svg.icon-wagtail") == []
    branding = page.select_one("template[data-wagtail-sidebar-branding-logo]")
    if branding is not None:
        assert branding.decode_contents().strip() != ""


def logo(page, selector):
    image = page.select_one(f"{selector} img.brand-logo")
    assert image is not None, f"no logo in {selector}"
    return image


@pytest.fixture
def editor_client(client, org):
    client.force_login(org.user("bientap", Role.EDITOR, org.bac_son))
    return client


class TestAdminBrand:
    def test_the_sidebar_shows_the_agency_logo_and_name(self, editor_client):
        page = soup(editor_client.get("/admin/"))
        no_bird(page)
        template = page.select_one("template[data-wagtail-sidebar-branding-logo]")
        inside = BeautifulSoup(template.decode_contents(), "html.parser")
        assert inside.select_one("img.brand-logo")["src"] == LOGO
        assert inside.select_one(".brand-name").get_text() == AGENCY
        # The welcome of the admin's home names the agency too.
        assert AGENCY in page.select_one("h1").get_text()

    def test_the_sign_in_page_shows_the_logo_and_name(self, client, db):
        page = soup(client.get("/admin/login/"))
        no_bird(page)
        assert logo(page, ".login-logo")["src"] == LOGO
        assert page.select_one(".login-logo .brand-name").get_text() == AGENCY

    def test_the_two_step_pages_show_the_logo(self, client, org):
        """A superuser's first sign-in lands on the authenticator's enrolment."""
        superuser = org.user("quantri", superuser=True)
        data = {"username": superuser.username, "password": PASSWORD}
        response = client.post("/admin/login/", data, follow=True)
        assert response.redirect_chain[-1][0].startswith("/admin/2fa/enrol/")
        page = soup(response)
        no_bird(page)
        assert logo(page, ".login-logo")["src"] == LOGO

    def test_the_admin_404_shows_the_logo(self, editor_client):
        response = editor_client.get("/admin/khong-co-trang-nay/")
        assert response.status_code == 404
        page = BeautifulSoup(response.content, "html.parser")
        no_bird(page)
        assert logo(page, ".page404__logo")["alt"] == AGENCY

    def test_a_setting_replaces_the_logo_and_the_name(self, editor_client, settings):
        settings.SITE_LOGO = "https://cdn.example.vn/logo-bhxh.svg"
        settings.SITE_ORGANISATION = "BHXH tỉnh Lạng Sơn"
        page = soup(editor_client.get("/admin/"))
        template = page.select_one("template[data-wagtail-sidebar-branding-logo]")
        inside = BeautifulSoup(template.decode_contents(), "html.parser")
        assert inside.select_one("img")["src"] == "https://cdn.example.vn/logo-bhxh.svg"
        assert inside.select_one(".brand-name").get_text() == "BHXH tỉnh Lạng Sơn"


def favicon(page):
    (link,) = page.select('link[rel~="icon"]')
    return link["href"]


def served(href):
    """The favicon as the static files' view serves it (runserver and the browser
    journeys' live server do; WhiteNoise serves the same file in production)."""
    assert href.startswith(settings.STATIC_URL)
    path = href.removeprefix(settings.STATIC_URL)
    return serve(RequestFactory().get(href), path, insecure=True)


class TestFavicon:
    @pytest.mark.parametrize("url", ["/admin/", "/admin/login/"])
    def test_the_admin_links_the_agency_favicon(self, client, org, url):
        if url == "/admin/":
            client.force_login(org.user("bientap", Role.EDITOR, org.bac_son))
        href = favicon(soup(client.get(url)))
        assert href == "/static/brand/favicon.svg"
        response = served(href)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in b"".join(response.streaming_content)

    def test_the_public_site_links_the_same_favicon(self, client, org):
        href = favicon(soup(client.get(org.home.url)))
        assert href == "/static/brand/favicon.svg"
        assert served(href)["Content-Type"] == "image/svg+xml"
