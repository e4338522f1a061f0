"""Public HTML compressed as the browser accepts (cms/core/compression.py); the
admin's pages, which carry CSRF tokens and a person's data, never (BREACH)."""

import gzip

import brotli
import pytest
from django.test import Client

from tests.cms.helpers import article

BROWSER = "gzip, deflate, br"


@pytest.fixture
def page(org):
    return article(org, "Tin nén gọn", "tin-nen-gon")


@pytest.mark.parametrize(
    ("accepted", "encoding", "decompress"),
    [
        (BROWSER, "br", brotli.decompress),
        ("gzip, deflate", "gzip", gzip.decompress),
        ("", None, bytes),
    ],
)
def test_a_public_page_comes_as_the_browser_accepts(
    client, page, accepted, encoding, decompress
):
    plain = client.get(page.url).content
    response = client.get(page.url, HTTP_ACCEPT_ENCODING=accepted)
    assert response.get("Content-Encoding") == encoding
    assert response["Vary"] == "Accept-Encoding"
    assert decompress(response.content) == plain
    assert "Tin nén gọn" in plain.decode()
    if encoding:
        assert len(response.content) < len(plain) / 2


def test_the_sitemap_comes_compressed(client, page):
    response = client.get("/sitemap.xml", HTTP_ACCEPT_ENCODING=BROWSER)
    assert response["Content-Encoding"] == "br"
    assert page.url in brotli.decompress(response.content).decode()


def test_admin_pages_never_come_compressed(org, page):
    anonymous = Client()
    login = anonymous.get("/admin/login/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert login.get("Content-Encoding") is None
    assert 'name="csrfmiddlewaretoken"' in login.content.decode()
    editor = Client()
    editor.force_login(org.user("bientap", role="editor", unit=org.bac_son))
    edit = editor.get(f"/admin/pages/{page.pk}/edit/", HTTP_ACCEPT_ENCODING=BROWSER)
    assert edit.status_code == 200
    assert edit.get("Content-Encoding") is None
    assert "Tin nén gọn" in edit.content.decode()
