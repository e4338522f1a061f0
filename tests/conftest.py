"""Shared fixtures: a small organisation with its page tree, users per role."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.content.models import ArticleIndexPage, ArticlePage, HomePage, UnitSectionPage
from cms.content.sections import ensure_tree_roots
from cms.core.models import Campaign, TargetGroup, Unit, UnitMembership
from tests.sandbox import sandbox  # noqa: F401  (a fixture for every package)

PASSWORD = "test-pass-123"


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def png_bytes(width=1200, height=630, colour="#0b5394", fmt="PNG"):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, fmt)
    return buffer.getvalue()


def make_image(title="Ảnh bìa", width=1200, height=630):
    buffer = io.BytesIO(png_bytes(width, height))
    buffer.name = "cover.png"
    image = get_image_model()(title=title)
    image.file = ImageFile(buffer, name="cover.png")
    image.save()
    return image


class Org:
    """The tree every test starts from: region -> two districts, with sections."""

    def __init__(self):
        root = ensure_tree_roots()
        self.home = HomePage(title="Trang chủ", slug="trang-chu", hero_title="BHXH")
        root.add_child(instance=self.home)
        Site.objects.all().delete()
        Site.objects.create(
            hostname="testserver", port=80, root_page=self.home, is_default_site=True
        )
        self.news = ArticleIndexPage(title="Tin tức", slug="tin-tuc")
        self.home.add_child(instance=self.news)
        self.region = Unit.objects.create(name="BHXH khu vực V", slug="khu-vuc-v")
        self.bac_son = Unit.objects.create(
            name="BHXH cơ sở Bắc Sơn",
            short_name="Bắc Sơn",
            slug="bac-son",
            parent=self.region,
        )
        self.loc_binh = Unit.objects.create(
            name="BHXH cơ sở Lộc Bình",
            short_name="Lộc Bình",
            slug="loc-binh",
            parent=self.region,
        )
        self.section = {
            u.slug: UnitSectionPage.objects.get(unit=u)
            for u in (self.region, self.bac_son, self.loc_binh)
        }
        self.household = TargetGroup.objects.create(
            name="Chủ hộ kinh doanh", slug="ho-kinh-doanh"
        )
        self.coop = TargetGroup.objects.create(
            name="Người quản lý HTX không hưởng lương", slug="quan-ly-htx"
        )

    def user(self, username, role=None, unit=None, superuser=False):
        user = get_user_model().objects.create_user(
            username=username,
            password=PASSWORD,
            is_superuser=superuser,
            is_staff=superuser,
        )
        if role:
            UnitMembership.objects.create(user=user, unit=unit, role=role)
        return user

    def article(self, section_slug="bac-son", title="Hộ kinh doanh đóng BHXH", **kw):
        defaults = {
            "intro": "Từ 01/7/2025 chủ hộ kinh doanh tham gia BHXH bắt buộc.",
            "body": [
                {"type": "heading", "value": {"text": "Ai tham gia", "level": "h2"}},
                {"type": "paragraph", "value": "<p>Bảo hiểm xã hội bắt buộc.</p>"},
            ],
            "cover_image": make_image(title),
        }
        defaults.update(kw)
        page = ArticlePage(title=title, **defaults)
        self.section[section_slug].add_child(instance=page)
        page.save_revision().publish()
        page.refresh_from_db()
        return page


@pytest.fixture
def org(db):
    return Org()


@pytest.fixture
def campaign(org):
    import datetime

    return Campaign.objects.create(
        name="Chiến dịch 2025",
        slug="chien-dich-2025",
        starts_on=datetime.date(2025, 7, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
