"""Script typed into rich text, an article's title and intro, a channel's name, a
campaign's name, a custom share message, a share request's message and note, and
an offline record's fields is shown as text: on the public site, on every admin
screen that shows it (publications, calendar, dashboard and its chart data, share
requests, records, the page editor and its share preview), and the exports never
hand a spreadsheet a formula."""

import csv
import datetime
import io
import json

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from wagtail.users.models import UserProfile

from cms.content.models import ArticlePage
from cms.core.models import Campaign, OutreachEvent, PressCoverage
from cms.core.spreadsheets import append_row, csv_text, download
from publishing.models import Publication, PublicationStatus, ShareRequest
from publishing.outbox import dispatcher
from publishing.planning import actions
from tests.publishing.factories import due, fb_channel

# Each carries its own marker, so a test names what got through.
SCRIPT = "<script>xss_script()</script>"
IMG = '"><img src=x onerror=xss_img()>'
TITLE = "@SUM(1) Tiêu đề " + IMG
INTRO = "Tóm tắt " + SCRIPT
CHANNEL = '=HYPERLINK("http://x.invalid","bấm")' + SCRIPT
CAMPAIGN = "+Chiến dịch " + IMG
MESSAGE = "-Lời nhắn riêng " + SCRIPT + IMG
REQUEST_MESSAGE = "Đề nghị " + SCRIPT
NOTE = "Lý do từ chối " + IMG
OUTLET, PLACE = "Báo " + SCRIPT, "=Nhà văn hoá " + IMG
LIVE = ["<script>xss_", "<img src=x onerror", 'href="javascript', "href='javascript"]
MARKERS = ["xss_script()", "xss_img()"]

pytestmark = pytest.mark.django_db


def rich_text(text, url):
    """What the page editor stores for Draftail input: its own converter."""
    block = ArticlePage.body.field.stream_block.child_blocks["paragraph"]
    content = {
        "blocks": [
            {
                "key": "a1",
                "type": "unstyled",
                "text": text,
                "depth": 0,
                "inlineStyleRanges": [],
                "entityRanges": [{"offset": 0, "length": 8, "key": 0}],
            }
        ],
        "entityMap": {
            "0": {"type": "LINK", "mutability": "MUTABLE", "data": {"url": url}}
        },
    }
    return block.field.widget.converter.to_database_format(json.dumps(content))


class World:
    def __init__(self, org, sandbox, settings):
        settings.PUBLISHING_WORKERS = 1
        today = timezone.localdate()
        self.campaign = Campaign.objects.create(
            name=CAMPAIGN,
            slug="chien-dich-xss",
            starts_on=today - datetime.timedelta(days=5),
            ends_on=today + datetime.timedelta(days=20),
        )
        self.campaign.units.set([org.region])
        self.article = org.article(
            title=TITLE,
            slug="bai-xss",
            intro=INTRO,
            campaign=self.campaign,
            body=[
                {
                    "type": "paragraph",
                    "value": rich_text(
                        "Bấm vào " + SCRIPT + IMG, "javascript:xss_link()"
                    ),
                }
            ],
        )
        self.channel = fb_channel(
            org, sandbox.facebook_page("Trang Bắc Sơn"), name=CHANNEL
        )
        self.publication = due(self.article, self.channel)
        plan = self.publication.plan
        plan.message = MESSAGE
        plan.save()
        self.publication.message = MESSAGE
        self.publication.save()
        dispatcher.dispatch_due()
        self.publication.refresh_from_db()
        assert self.publication.status == PublicationStatus.PUBLISHED
        self.editor = org.user("bientap", "editor", org.bac_son)
        self.request = ShareRequest.objects.create(
            page=self.article,
            channel=self.channel,
            message=REQUEST_MESSAGE,
            requested_by=self.editor,
        )
        self.rejected = ShareRequest.objects.create(
            page=self.article,
            channel=self.channel,
            message=REQUEST_MESSAGE,
            requested_by=self.editor,
            status="rejected",
            note=NOTE,
        )
        self.press = PressCoverage.objects.create(
            campaign=self.campaign,
            unit=org.bac_son,
            outlet=OUTLET,
            title=TITLE,
            url="javascript:xss_press()",
            published_on=today,
        )
        self.event = OutreachEvent.objects.create(
            campaign=self.campaign,
            unit=org.bac_son,
            kind="conference",
            held_on=today,
            place=PLACE,
            attendees=40,
        )
        self.admin = org.user("quantri", superuser=True)
        profile = UserProfile.get_for_user(self.admin)
        profile.preferred_language = "en"
        profile.save()


@pytest.fixture
def world(org, sandbox, settings):
    return World(org, sandbox, settings)


def assert_inert(html, where, shown=()):
    live = [bad for bad in LIVE if bad in html]
    assert live == [], f"{where}: {live}"
    for text in shown:
        assert text in html, f"{where} does not show {text!r}"


class TestPublicSite:
    def test_article_page(self, client, world):
        html = client.get(world.article.url).content.decode()
        assert_inert(html, "article", MARKERS)
        assert "&lt;script&gt;xss_script()" in html
        assert 'href="javascript' not in html

    def test_lists_and_search(self, client, world, org):
        for url in ("/", org.news.url, world.article.get_parent().url):
            assert_inert(client.get(url).content.decode(), url, ["xss_img()"])
        html = client.get("/tim-kiem/", {"q": "Tiêu đề"}).content.decode()
        assert_inert(html, "search", ["xss_img()"])
        html = client.get("/tim-kiem/", {"q": SCRIPT}).content.decode()
        assert_inert(html, "search query", ["xss_script()"])

    def test_structured_data_cannot_close_its_script(self, client, world):
        html = client.get(world.article.url).content.decode()
        start = html.index('<script type="application/ld+json">')
        end = html.index("</script>", start)
        data = json.loads(
            html[start + len('<script type="application/ld+json">') : end]
        )
        assert data["headline"] == TITLE and data["description"] == INTRO


class TestAdmin:
    @pytest.fixture(autouse=True)
    def signed_in(self, client, world):
        client.force_login(world.admin)

    def page(self, client, url, data=None):
        response = client.get(url, data or {})
        assert response.status_code == 200, url
        return response.content.decode()

    def test_publications_list_and_detail(self, client, world):
        html = self.page(client, reverse("publishing_publications:index"))
        assert_inert(html, "publications", MARKERS)
        url = reverse("publishing_publications:inspect", args=(world.publication.pk,))
        assert_inert(self.page(client, url), "publication", MARKERS)

    def test_calendar(self, client, world):
        for view in ("month", "week"):
            html = self.page(
                client, reverse("publishing_calendar:index"), {"view": view}
            )
            assert_inert(html, f"calendar {view}", ["xss_script()"])

    def test_dashboard_and_its_chart_data(self, client, world):
        html = self.page(
            client,
            reverse("publishing_dashboard:index"),
            {"campaign": world.campaign.pk},
        )
        assert_inert(html, "dashboard", MARKERS)
        start = html.index('id="dashboard-chart-data"')
        data = html[html.index(">", start) + 1 : html.index("</script>", start)]
        # json_script escapes < and >: no way out of the element, and the names
        # come back whole to the script that draws the charts.
        assert "<" not in data and ">" not in data
        assert json.loads(data)

    def test_admin_home_panels(self, client, world):
        html = self.page(client, reverse("wagtailadmin_home"))
        assert_inert(html, "home", ["xss_script()"])

    def test_share_requests(self, client, world):
        html = self.page(client, reverse("publishing_share_requests:index"))
        assert_inert(html, "share requests", ["xss_script()"])
        url = reverse("publishing_share_requests:reject", args=(world.request.pk,))
        assert_inert(self.page(client, url), "reject", ["xss_script()"])

    def test_channels(self, client, world):
        html = self.page(client, reverse("publishing_channels:index"))
        assert_inert(html, "channels", ["xss_script()"])

    def test_offline_records(self, client, world):
        for model, shown in ((PressCoverage, MARKERS), (OutreachEvent, ["xss_img()"])):
            viewset = model.snippet_viewset
            html = self.page(client, reverse(viewset.get_url_name("list")))
            assert_inert(html, model.__name__, shown)
            edit = reverse(viewset.get_url_name("edit"), args=(model.objects.get().pk,))
            assert_inert(self.page(client, edit), f"{model.__name__} edit", shown)

    def test_page_editor_and_share_preview(self, client, world):
        url = reverse("wagtailadmin_pages:edit", args=(world.article.pk,))
        assert_inert(self.page(client, url), "page editor", MARKERS)
        response = client.post(
            reverse("publishing_share_preview"),
            {
                "channel": world.channel.pk,
                "message": MESSAGE,
                "kind": "",
                "title": TITLE,
                "intro": INTRO,
                "page": world.article.pk,
            },
        )
        assert response.status_code == 200
        assert_inert(response.content.decode(), "share preview", MARKERS)


class TestExports:
    @pytest.fixture(autouse=True)
    def signed_in(self, client, world):
        client.force_login(world.admin)

    def cells(self, world, client, kind):
        response = client.get(
            reverse(f"publishing_dashboard:export_{kind}"),
            {"campaign": world.campaign.pk},
        )
        assert response.status_code == 200
        if kind == "csv":
            text = response.content.decode("utf-8-sig")
            return [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        book = openpyxl.load_workbook(io.BytesIO(response.content))
        cells = [cell for sheet in book.worksheets for row in sheet for cell in row]
        assert not [c.coordinate for c in cells if c.data_type == "f"]
        return [c.value for c in cells if c.value is not None]

    def test_no_cell_of_the_csv_starts_a_formula(self, client, world):
        cells = self.cells(world, client, "csv")
        assert "'" + CAMPAIGN in cells and "'" + CHANNEL in cells
        assert [c for c in cells if c[:1] in ("=", "+", "@")] == []

    def test_the_xlsx_keeps_formula_like_text_as_text(self, client, world):
        values = self.cells(world, client, "xlsx")
        assert CAMPAIGN in values and CHANNEL in values

    def test_a_download_neutralises_formulas(self):
        response = download([["A", "B"], ["=1+1", -3], ["@x", "-y"]], "mau", "csv")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows == [["A", "B"], ["'=1+1", "-3"], ["'@x", "'-y"]]
        response = download([["=1+1", "+2"]], "mau", "xlsx")
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        assert [(c.value, c.data_type) for c in sheet[1]] == [
            ("=1+1", "s"),
            ("+2", "s"),
        ]

    def test_numbers_stay_numbers(self):
        assert csv_text(-3) == "-3" and csv_text("-3") == "'-3"
        sheet = openpyxl.Workbook().active
        append_row(sheet, [-3, "=A1"])
        assert [(c.value, c.data_type) for c in sheet[1]] == [(-3, "n"), ("=A1", "s")]


def test_publication_text_is_what_was_typed(world):
    """The payload keeps the editor's text as typed: escaping is the page's job."""
    publication = Publication.objects.get(pk=world.publication.pk)
    assert publication.payload["message"].startswith(MESSAGE)


class TestLinksPeopleType:
    """Links typed by people become hrefs: only http(s) gets through."""

    @pytest.mark.parametrize(
        "url", ["javascript:xss_link()", "javascript://www.facebook.com/%0axss()"]
    )
    def test_a_press_item_link(self, world, url):
        item = world.press
        item.url = url
        with pytest.raises(ValidationError) as refused:
            item.full_clean()
        assert "url" in refused.value.message_dict

    @pytest.mark.parametrize(
        "url",
        ["javascript://www.facebook.com/%0axss()", "data:text/html,<script>x</script>"],
    )
    def test_a_manually_posted_link(self, world, url):
        with pytest.raises(ValidationError):
            actions._post_url(world.channel, url)


class TestImportPreviews:
    """A file's cells are shown in the import previews, and echoed in their errors."""

    @pytest.fixture(autouse=True)
    def signed_in(self, client, world):
        client.force_login(world.admin)

    def upload(self, client, url, rows):
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        upload = SimpleUploadedFile("tep.csv", buffer.getvalue().encode("utf-8"))
        response = client.post(url, {"file": upload})
        assert response.status_code == 200
        return response.content.decode()

    def test_offline_records(self, client, world):
        day = timezone.localdate().strftime("%d/%m/%Y")
        headers = ["Chiến dịch", "Đơn vị", "Cơ quan báo chí", "Tiêu đề"]
        rows = [
            headers + ["Đường dẫn", "Ngày đăng"],
            ["chien-dich-xss", "bac-son", OUTLET, TITLE, "", day],
            ["chien-dich-xss", "bac-son" + SCRIPT, OUTLET, IMG, "javascript:x", day],
        ]
        url = reverse(PressCoverage.snippet_viewset.get_url_name("import"))
        assert_inert(self.upload(client, url, rows), "records preview", MARKERS)

    def test_bulk_scheduling(self, client, world):
        rows = [
            ["Bài viết", "Kênh", "Thời gian", "Nội dung"],
            [world.article.pk, world.channel.pk, "", MESSAGE],
            [world.article.pk, "Trang " + SCRIPT, "", IMG],
        ]
        url = reverse("publishing_bulk:index")
        assert_inert(self.upload(client, url, rows), "bulk preview", MARKERS)
