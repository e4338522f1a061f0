"""The public site: share tags, structured data, sitemap, search, lists, speed."""

import json

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.files.storage import default_storage
from PIL import Image

from cms.content.models import ArticlePage
from tests.cms.helpers import article
from tests.conftest import make_image

SLUG_URL = "/tin-tuc/bac-son/{}/"


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def meta(page_soup, key):
    tag = page_soup.find("meta", attrs={"property": key}) or page_soup.find(
        "meta", attrs={"name": key}
    )
    assert tag is not None, f"no <meta> {key}"
    return tag["content"]


def card_titles(response):
    return [a.get_text(strip=True) for a in soup(response).select(".card-title a")]


def draft(org, title="Bản nháp chưa duyệt", slug="ban-nhap"):
    page = ArticlePage(
        title=title,
        slug=slug,
        intro="Nháp về bảo hiểm.",
        body=[],
        cover_image=make_image(title, 120, 63),
        live=False,
    )
    org.section["bac-son"].add_child(instance=page)
    page.save_revision()
    return page


class TestShareTags:
    @pytest.fixture(scope="class")
    @classmethod
    def _shared(cls, class_rows):
        """Only read: made once for the class (class_rows)."""
        return class_rows.article(
            title="Hỏi & đáp <BHXH> cho hộ kinh doanh",
            slug="hoi-dap-bhxh",
            cover_image=make_image("Ảnh bìa lớn", 2000, 1500),
            target_groups=[class_rows.household],
        )

    @pytest.fixture
    def shared(self, _shared, org):
        return _shared

    @pytest.fixture
    def tags(self, client, shared):
        return soup(client.get(shared.url))

    def test_open_graph_and_twitter_tags(self, tags, shared):
        assert meta(tags, "og:type") == "article"
        assert meta(tags, "og:title") == "Hỏi & đáp <BHXH> cho hộ kinh doanh"
        assert meta(tags, "og:description") == shared.intro
        assert meta(tags, "twitter:card") == "summary_large_image"
        assert meta(tags, "og:locale") == "vi_VN"

    def test_canonical_and_og_url_are_absolute_from_base_url(self, tags):
        expected = settings.BASE_URL + SLUG_URL.format("hoi-dap-bhxh")
        assert meta(tags, "og:url") == expected
        assert tags.find("link", rel="canonical")["href"] == expected

    def test_og_image_is_a_1200x630_rendition_on_base_url(self, tags):
        url = meta(tags, "og:image")
        assert url.startswith(settings.BASE_URL + settings.MEDIA_URL)
        assert (meta(tags, "og:image:width"), meta(tags, "og:image:height")) == (
            "1200",
            "630",
        )
        name = url[len(settings.BASE_URL + settings.MEDIA_URL) :]
        with default_storage.open(name) as f, Image.open(f) as image:
            assert image.size == (1200, 630)  # from a 2000×1500 original
        assert meta(tags, "twitter:image") == url

    def test_json_ld_is_a_news_article(self, tags, shared):
        (script,) = tags.find_all("script", type="application/ld+json")
        data = json.loads(script.string)
        assert data["@type"] == "NewsArticle"
        assert data["headline"] == "Hỏi & đáp <BHXH> cho hộ kinh doanh"
        assert data["description"] == shared.intro
        assert data["mainEntityOfPage"] == meta(tags, "og:url")
        assert data["image"] == [meta(tags, "og:image")]
        assert data["datePublished"]
        assert "</" not in script.string  # the text cannot close the <script>

    def test_article_is_in_the_sitemap_and_a_draft_is_not(self, client, org, shared):
        draft(org)
        response = client.get("/sitemap.xml")
        assert response.status_code == 200
        xml = response.content.decode()
        loc = settings.BASE_URL + SLUG_URL.format("hoi-dap-bhxh")
        assert f"<loc>{loc}</loc>" in xml
        assert "ban-nhap" not in xml


class TestSearch:
    @pytest.fixture(scope="class")
    @classmethod
    def _articles(cls, class_rows):
        """Only searched: made once for the class (class_rows)."""
        org = class_rows
        return {
            "insurance": article(
                org, "Chủ hộ kinh doanh đóng bảo hiểm xã hội", "dong-bao-hiem"
            ),
            "register": article(
                org,
                "Hướng dẫn Đăng ký tham gia cho hộ gia đình",
                "huong-dan-dang-ky",
                text="Nộp tờ khai tại bưu điện xã.",
            ),
            "pension": article(
                org,
                "Lương hưu sau mười lăm năm",
                "luong-huu",
                text="Mười lăm năm là đủ để hưởng lương hưu.",
            ),
        }

    @pytest.fixture
    def articles(self, _articles, org):
        return _articles

    @pytest.mark.parametrize(
        "query", ["bao hiem", "bảo hiểm", "BẢO HIỂM", "Bao Hiem"], ids=str
    )
    def test_insurance_with_or_without_diacritics(self, client, articles, query):
        response = client.get("/tim-kiem/", {"q": query})
        assert card_titles(response) == ["Chủ hộ kinh doanh đóng bảo hiểm xã hội"]

    @pytest.mark.parametrize("query", ["Đăng ký", "dang ky", "đăng ký"], ids=str)
    def test_register_with_or_without_diacritics(self, client, articles, query):
        response = client.get("/tim-kiem/", {"q": query})
        assert card_titles(response) == ["Hướng dẫn Đăng ký tham gia cho hộ gia đình"]

    def test_body_text_is_found(self, client, articles):
        response = client.get("/tim-kiem/", {"q": "buu dien"})
        assert card_titles(response) == ["Hướng dẫn Đăng ký tham gia cho hộ gia đình"]

    def test_drafts_are_not_found(self, client, org, articles):
        draft(org, title="Bảo hiểm nháp bí mật", slug="bao-hiem-nhap")
        response = client.get("/tim-kiem/", {"q": "bi mat"})
        assert card_titles(response) == []


class TestNewsIndex:
    @pytest.fixture(scope="class")
    @classmethod
    def _articles(cls, class_rows):
        """Only listed: made once for the class (class_rows)."""
        org = class_rows
        article(
            org, "Hộ kinh doanh ở Bắc Sơn", "hkd-bac-son", target_groups=[org.household]
        )
        article(
            org,
            "HTX ở Lộc Bình",
            "htx-loc-binh",
            section="loc-binh",
            target_groups=[org.coop],
        )
        article(
            org,
            "Tin khu vực về Lộc Bình",
            "kv-loc-binh",
            section="khu-vuc-v",
            units=[org.loc_binh],
        )

    @pytest.fixture
    def articles(self, _articles, org):
        return _articles

    def titles(self, client, **query):
        return sorted(card_titles(client.get("/tin-tuc/", query)))

    def test_all_articles_without_filter(self, client, articles):
        assert self.titles(client) == [
            "HTX ở Lộc Bình",
            "Hộ kinh doanh ở Bắc Sơn",
            "Tin khu vực về Lộc Bình",
        ]

    def test_filter_by_target_group(self, client, articles):
        assert self.titles(client, nhom="ho-kinh-doanh") == ["Hộ kinh doanh ở Bắc Sơn"]
        assert self.titles(client, nhom="quan-ly-htx") == ["HTX ở Lộc Bình"]

    def test_filter_by_unit_owned_or_concerned(self, client, articles):
        assert self.titles(client, **{"don-vi": "loc-binh"}) == [
            "HTX ở Lộc Bình",
            "Tin khu vực về Lộc Bình",
        ]
        assert self.titles(client, **{"don-vi": "bac-son"}) == [
            "Hộ kinh doanh ở Bắc Sơn"
        ]

    def test_filters_combine(self, client, articles):
        assert self.titles(client, nhom="ho-kinh-doanh", **{"don-vi": "loc-binh"}) == []
        assert self.titles(client, nhom="quan-ly-htx", **{"don-vi": "loc-binh"}) == [
            "HTX ở Lộc Bình"
        ]


def test_news_index_pagination_keeps_the_filter(client, org):
    """Beside TestNewsIndex, without its articles."""
    cover = make_image("Ảnh chung", 120, 63)
    for i in range(13):
        article(
            org,
            f"Bài số {i:02d}",
            f"bai-{i:02d}",
            cover_image=cover,
            target_groups=[org.household],
        )
    article(org, "Bài không thuộc nhóm", "bai-khac", cover_image=cover)

    first = client.get("/tin-tuc/", {"nhom": "ho-kinh-doanh"})
    assert card_titles(first) == [f"Bài số {i:02d}" for i in range(12, 0, -1)]
    next_link = soup(first).find("a", rel="next")["href"]
    assert next_link == "?nhom=ho-kinh-doanh&trang=2"

    second = client.get("/tin-tuc/", {"nhom": "ho-kinh-doanh", "trang": "2"})
    assert card_titles(second) == ["Bài số 00"]
    assert soup(second).find("a", rel="next") is None
    assert soup(second).find("a", rel="prev")["href"] == "?nhom=ho-kinh-doanh&trang=1"

    past_the_end = client.get("/tin-tuc/", {"nhom": "ho-kinh-doanh", "trang": "99"})
    assert card_titles(past_the_end) == ["Bài số 00"]
    not_a_number = client.get("/tin-tuc/", {"nhom": "ho-kinh-doanh", "trang": "x"})
    assert len(card_titles(not_a_number)) == 12


def test_article_page_renders_in_at_most_15_queries(
    client, org, django_assert_max_num_queries
):
    page = org.article(
        target_groups=[org.household, org.coop],
        units=[org.bac_son],
        tags=["hộ kinh doanh", "đăng ký"],
    )
    for i in range(3):
        article(org, f"Bài liên quan {i}", f"lien-quan-{i}", target_groups=[org.coop])
    assert client.get(page.url).status_code == 200  # warm: renditions exist now
    with django_assert_max_num_queries(15):
        response = client.get(page.url)
    assert response.status_code == 200
    assert "Bài liên quan 2" in response.content.decode()  # related list rendered


def test_home_page_lists_the_latest_articles(client, org):
    cover = make_image("Ảnh chung", 120, 63)
    for i in range(7):
        article(org, f"Tin thứ {i}", f"tin-{i}", cover_image=cover)
    draft(org)
    response = client.get("/")
    assert card_titles(response) == [f"Tin thứ {i}" for i in range(6, 0, -1)]


def test_draft_article_is_not_public(client, org):
    page = draft(org)
    assert client.get(SLUG_URL.format("ban-nhap")).status_code == 404
    assert client.get(page.url).status_code == 404
    assert "Bản nháp chưa duyệt" not in client.get("/tin-tuc/").content.decode()
    assert "Bản nháp chưa duyệt" not in client.get("/tin-tuc/bac-son/").content.decode()
