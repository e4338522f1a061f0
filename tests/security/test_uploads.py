"""Uploaded files are served safely: HTML and SVG cannot be uploaded as documents,
images or media, and one that is there anyway (an older upload, a file put in the
folder) is a download with a policy that runs nothing, never a page of our origin."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtailmedia.models import get_media_model

from tests.conftest import png_bytes

HTML = (
    b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script>'
    b"</svg>"
)
HOSTILE = [("trang.html", HTML, "text/html"), ("hinh.svg", SVG, "image/svg+xml")]

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("quantri", superuser=True))
    return client


def assert_inert_download(response):
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


class TestUploadsRefused:
    @pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
    def test_documents(self, admin_client, name, content, content_type):
        response = admin_client.post(
            reverse("wagtaildocs:add"),
            {
                "title": "Tệp",
                "file": SimpleUploadedFile(name, content, content_type),
                "collection": 1,
            },
        )
        assert response.status_code == 200  # the form again, with its error
        assert response.context["form"].errors["file"]
        assert not get_document_model().objects.exists()

    @pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
    def test_images(self, admin_client, name, content, content_type):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Ảnh",
                "file": SimpleUploadedFile(name, content, content_type),
                "collection": 1,
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["file"]
        assert not get_image_model().objects.exists()

    def test_html_named_as_an_image(self, admin_client):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Ảnh",
                "file": SimpleUploadedFile("anh.png", HTML, "image/png"),
                "collection": 1,
            },
        )
        assert response.context["form"].errors["file"]
        assert not get_image_model().objects.exists()

    @pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
    def test_media(self, admin_client, name, content, content_type):
        response = admin_client.post(
            reverse("wagtailmedia:add", args=("video",)),
            {
                "title": "Video",
                "file": SimpleUploadedFile(name, content, content_type),
                "collection": 1,
                "duration": 10,
            },
        )
        assert response.status_code == 200
        errors = " ".join(response.context["form"].errors.get("__all__", []))
        assert name.rsplit(".", 1)[1] in errors  # wagtailmedia's clean() names it
        assert not get_media_model().objects.exists()


class TestServedAnyway:
    @pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
    def test_a_document_is_a_download(self, client, db, name, content, content_type):
        document = get_document_model().objects.create(
            title="Tệp cũ", file=ContentFile(content, name=name)
        )
        response = client.get(document.url)
        assert_inert_download(response)
        assert name.rsplit(".", 1)[0] in response["Content-Disposition"]

    def test_a_pdf_is_shown_inline_but_runs_nothing(self, client, db):
        document = get_document_model().objects.create(
            title="Hướng dẫn",
            file=ContentFile(b"%PDF-1.4\n%%EOF", name="huong-dan.pdf"),
        )
        response = client.get(document.url)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("inline")
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["X-Content-Type-Options"] == "nosniff"

    @pytest.mark.parametrize(("name", "content", "content_type"), HOSTILE)
    def test_a_file_in_the_media_folder_is_a_download(
        self, client, db, settings, name, content, content_type
    ):
        from django.core.files.storage import default_storage

        stored = default_storage.save(f"documents/{name}", ContentFile(content))
        response = client.get(settings.MEDIA_URL + stored)
        assert_inert_download(response)
        assert "sandbox" in response["Content-Security-Policy"]

    def test_an_image_in_the_media_folder_stays_an_image(self, client, db, settings):
        from django.core.files.storage import default_storage

        stored = default_storage.save("images/anh.png", ContentFile(png_bytes(8, 8)))
        response = client.get(settings.MEDIA_URL + stored)
        assert response["Content-Type"] == "image/png"
        assert not response["Content-Disposition"].startswith("attachment")
        assert response["X-Content-Type-Options"] == "nosniff"
