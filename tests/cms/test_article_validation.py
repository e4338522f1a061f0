"""Bad article input and bad uploads get a clear Vietnamese error and change nothing."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from wagtail.images import get_image_model

from cms.content.models import ArticlePage
from cms.core.models import Role
from tests.cms.helpers import article_form, shown_text, visible_text
from tests.conftest import make_image, png_bytes

REQUIRED = "Trường này là bắt buộc."
EMBED_REFUSED = "Chỉ nhúng được video YouTube hoặc Facebook"
BUTTON_NEEDS_URL = "Nút liên kết cần một địa chỉ."
HOTLINE_NEEDS_PHONE = "Đường dây nóng cần một số điện thoại"
NOT_AN_IMAGE = "Hãy tải lên một hình ảnh hợp lệ."
DAMAGED = "Tệp ảnh bị hỏng hoặc không đầy đủ nên không đọc được."


def add_url(org):
    section = org.section["bac-son"]
    return reverse(
        "wagtailadmin_pages:add", args=("cms_content", "articlepage", section.pk)
    )


@pytest.fixture
def admin_client(client, org):
    client.force_login(org.user("admin", superuser=True))
    return client


@pytest.fixture
def approver_client(client, org):
    client.force_login(org.user("pd", Role.APPROVER, org.bac_son))
    return client


@pytest.fixture
def cover(db):
    return make_image()


def assert_refused(response, message):
    """The form comes back (no redirect) with `message` shown, and no article exists."""
    assert response.status_code == 200
    assert message in shown_text(response)
    assert not ArticlePage.objects.exists()


class TestCoverImageRequiredToPublish:
    @pytest.mark.parametrize("who", ["admin_client", "approver_client"])
    def test_publish_without_cover_is_refused(self, request, org, who):
        client = request.getfixturevalue(who)
        response = client.post(add_url(org), article_form(action="action-publish"))
        assert response.status_code == 200
        assert response.context["form"].errors["cover_image"] == [REQUIRED]
        assert REQUIRED in visible_text(response.content)
        assert not ArticlePage.objects.exists()

    def test_publishing_a_draft_without_cover_is_refused(self, admin_client, org):
        admin_client.post(add_url(org), article_form())
        page = ArticlePage.objects.get()
        response = admin_client.post(
            reverse("wagtailadmin_pages:edit", args=(page.pk,)),
            article_form(action="action-publish"),
        )
        assert response.status_code == 200
        assert response.context["form"].errors["cover_image"] == [REQUIRED]
        page.refresh_from_db()
        assert not page.live and page.last_published_at is None

    def test_draft_without_cover_is_saved(self, admin_client, org):
        response = admin_client.post(add_url(org), article_form())
        assert response.status_code == 302
        page = ArticlePage.objects.get()
        assert not page.live
        assert page.cover_image is None
        assert page.get_latest_revision() is not None

    def test_publish_with_cover_goes_live(self, approver_client, org, cover):
        response = approver_client.post(
            add_url(org), article_form(cover=cover, action="action-publish")
        )
        assert response.status_code == 302
        assert ArticlePage.objects.get().live

    def test_publishing_a_coverless_revision_in_code_is_refused(self, org):
        page = ArticlePage(
            title="Nháp", slug="nhap", intro="Tóm tắt", body=[], live=False
        )
        org.section["bac-son"].add_child(instance=page)
        revision = page.save_revision(clean=False)
        with pytest.raises(ValidationError) as caught:
            revision.publish()
        assert "cover_image" in caught.value.message_dict
        page.refresh_from_db()
        assert not page.live


class TestIntroLimit:
    def test_intro_of_301_characters_is_refused(self, admin_client, org, cover):
        response = admin_client.post(
            add_url(org),
            article_form(cover=cover, intro="a" * 301, action="action-publish"),
        )
        assert_refused(response, "tối đa 300")
        (message,) = response.context["form"].errors["intro"]
        assert "300" in message and "301" in message
        assert message in visible_text(response.content)

    def test_intro_of_300_characters_is_accepted(self, admin_client, org, cover):
        intro = ("Bảo hiểm xã hội " * 20)[:299] + "."
        assert len(intro) == 300
        response = admin_client.post(
            add_url(org),
            article_form(cover=cover, intro=intro, action="action-publish"),
        )
        assert response.status_code == 302
        assert ArticlePage.objects.get().intro == intro


class TestEmbedHosts:
    @pytest.mark.parametrize(
        "url, host",
        [
            ("https://vimeo.com/123", "vimeo.com"),
            (
                "https://www.tiktok.com/@bhxh/video/7312345678901234567",
                "www.tiktok.com",
            ),
            ("https://evil.example/watch?v=dQw4w9WgXcQ", "evil.example"),
        ],
    )
    def test_embed_from_another_host_is_refused(
        self, admin_client, org, cover, url, host
    ):
        body = [("embed", {"url": url, "caption": ""})]
        response = admin_client.post(
            add_url(org), article_form(cover=cover, body=body, action="action-publish")
        )
        assert_refused(response, EMBED_REFUSED)
        assert f"“{host}” không được hỗ trợ" in shown_text(response)

    def test_youtube_embed_is_accepted(self, admin_client, org, cover):
        body = [("embed", {"url": "https://youtu.be/dQw4w9WgXcQ", "caption": "Video"})]
        response = admin_client.post(
            add_url(org), article_form(cover=cover, body=body, action="action-publish")
        )
        assert response.status_code == 302
        assert ArticlePage.objects.get().live


def call_to_action(kind, url="", phone=""):
    return (
        "call_to_action",
        {
            "kind": kind,
            "text": "Đăng ký tham gia ngay",
            "label": "Đăng ký",
            "url": url,
            "phone": phone,
        },
    )


class TestCallToAction:
    def test_button_without_url_is_refused(self, admin_client, org, cover):
        response = admin_client.post(
            add_url(org),
            article_form(
                cover=cover, body=[call_to_action("button")], action="action-publish"
            ),
        )
        assert_refused(response, BUTTON_NEEDS_URL)

    def test_hotline_without_phone_is_refused(self, admin_client, org, cover):
        response = admin_client.post(
            add_url(org),
            article_form(
                cover=cover, body=[call_to_action("hotline")], action="action-publish"
            ),
        )
        assert_refused(response, HOTLINE_NEEDS_PHONE)

    def test_button_with_url_is_accepted(self, admin_client, org, cover):
        body = [call_to_action("button", url="https://dichvucong.gov.vn/")]
        response = admin_client.post(
            add_url(org), article_form(cover=cover, body=body, action="action-publish")
        )
        assert response.status_code == 302
        assert ArticlePage.objects.get().live


@pytest.fixture
def editor_client(client, org):
    """Uploads go through a district editor: the role gives the upload permission.

    A server error comes back as a 500 response (as the user gets it), not raised.
    """
    client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
    client.raise_request_exception = False
    return client


def truncated(fmt):
    """A real photo cut short, as an interrupted copy or download leaves it."""
    data = png_bytes(400, 300, fmt=fmt)
    return data[: len(data) // 2]


def upload(client, name, content, content_type):
    return client.post(
        reverse("wagtailimages:add"),
        {
            "title": "Ảnh tờ rơi",
            "file": SimpleUploadedFile(name, content, content_type),
            "collection": "1",
        },
    )


def file_errors(response):
    assert response.status_code == 200
    return response.context["form"].errors["file"]


class TestImageUploads:
    @pytest.mark.parametrize(
        "name, content, content_type, message",
        [
            ("to-roi.jpg", b"day khong phai la anh " * 40, "image/jpeg", NOT_AN_IMAGE),
            ("to-roi.jpg", truncated("JPEG"), "image/jpeg", DAMAGED),
            ("to-roi.png", truncated("PNG"), "image/png", DAMAGED),
            ("to-roi.jpg", b"\xff\xd8\xff\xe0" + b"hong" * 100, "image/jpeg", DAMAGED),
            (
                "ghi-chu.txt",
                "Ghi chú buổi truyền thông.".encode(),
                "text/plain",
                NOT_AN_IMAGE,
            ),
        ],
        ids=[
            "not-an-image-named-jpg",
            "truncated-jpg",
            "truncated-png",
            "jpeg-header-then-garbage",
            "text-file",
        ],
    )
    def test_bad_file_is_refused_and_nothing_saved(
        self, editor_client, name, content, content_type, message
    ):
        response = upload(editor_client, name, content, content_type)
        errors = file_errors(response)
        assert any(message in e for e in errors), errors
        assert message in visible_text(response.content)
        assert not get_image_model().objects.exists()

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1000)
    def test_image_over_pixel_limit_is_refused_and_nothing_saved(self, editor_client):
        response = upload(editor_client, "lon.png", png_bytes(100, 100), "image/png")
        (error,) = file_errors(response)
        assert "10000" in error and "1000" in error  # the size and the limit
        assert error in visible_text(response.content)
        assert not get_image_model().objects.exists()

    @override_settings(WAGTAILIMAGES_MAX_IMAGE_PIXELS=1000)
    def test_pixel_limit_error_is_in_vietnamese(self, editor_client):
        response = upload(editor_client, "lon.png", png_bytes(100, 100), "image/png")
        (error,) = file_errors(response)
        assert "too many pixels" not in error
        assert "điểm ảnh" in error  # "pixels" in Vietnamese
        assert not get_image_model().objects.exists()

    def test_valid_image_is_accepted(self, editor_client):
        response = upload(editor_client, "anh.png", png_bytes(100, 100), "image/png")
        assert response.status_code == 302
        assert get_image_model().objects.get().width == 100
