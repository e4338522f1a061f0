"""Dates far outside what the site plans or reports on (year 1, year 9999), typed
or forged in an address, in every date input: a clear Vietnamese message and
nothing changed, never a 500 (date arithmetic past year 9999 overflows). Times a
post is planned at also stay within a year ahead."""

import datetime
import zoneinfo

import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cms.core.models import Campaign, PressCoverage, Role
from publishing.models import Publication, PublicationStatus, ShareRequest
from tests.publishing.factories import Setup, make_channel
from tests.publishing.helpers import login, row_errors

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime.datetime(2026, 3, 10, 10, 0, tzinfo=LOCAL)
OUTSIDE = (
    "Hãy chọn một ngày từ 01/01/2000 đến 31/12/2100; ngày {} nằm ngoài khoảng này."
)
AHEAD = "Hãy chọn thời điểm trong vòng một năm tới (đến 10:00 11/03/2027)."
PAST = "Hãy chọn một thời điểm trong tương lai"
EXTREMES = {"0001-01-01": "01/01/0001", "9999-12-31": "31/12/9999"}
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=False)


def seen(response, status=200):
    """The text a person reads on the page."""
    assert response.status_code == status
    return BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)


@pytest.fixture
def channel(org):
    return make_channel(org.bac_son, "facebook", "Trang", "1")


@pytest.fixture
def planned(org, channel):
    return Publication.objects.create(
        page=org.article(),
        channel=channel,
        publish_at=NOW + datetime.timedelta(days=1),
        status=PublicationStatus.SCHEDULED,
    )


@pytest.fixture
def approver(client, org):
    return login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")


class TestCalendar:
    URL = reverse("publishing_calendar:index")

    @pytest.mark.parametrize("view", ["month", "week"])
    @pytest.mark.parametrize("day", ["9999-12-15", "9999-12-31", "0001-01-01"])
    def test_a_date_outside_is_refused_and_today_shown(
        self, client, approver, view, day
    ):
        text = seen(client.get(self.URL, {"view": view, "date": day}))
        shown = datetime.date.fromisoformat(day).strftime("%d/%m/") + day[:4]
        assert OUTSIDE.format(shown) in text
        assert ("03/2026" if view == "month" else "09/03/2026") in text

    @pytest.mark.parametrize(
        "view, day, title",
        [
            ("month", "2100-12-31", "12/2100"),
            ("week", "2100-12-31", "27/12/2100"),
            ("month", "2000-01-01", "01/2000"),
            ("week", "2000-01-01", "27/12/1999"),
        ],
    )
    def test_the_first_and_last_days_are_shown(
        self, client, approver, view, day, title
    ):
        text = seen(client.get(self.URL, {"view": view, "date": day}))
        assert title in text and "nằm ngoài khoảng này" not in text


class TestDashboard:
    URLS = ("index", "export_csv", "export_xlsx")

    @pytest.fixture
    def manager(self, client, org, campaign):
        return login(client, org.user("ql", Role.MANAGER, org.bac_son), "vi")

    @pytest.mark.parametrize("name", URLS)
    @pytest.mark.parametrize(
        "query, day",
        [
            ({"start": "0001-01-01"}, "01/01/0001"),
            ({"start": "01/01/0001"}, "01/01/0001"),
            ({"end": "9999-12-31"}, "31/12/9999"),
            ({"start": "9999-01-01", "end": "9999-12-31"}, "01/01/9999"),
        ],
    )
    def test_a_period_outside_is_refused(self, client, manager, name, query, day):
        response = client.get(reverse(f"publishing_dashboard:{name}"), query)
        if name == "index":
            assert OUTSIDE.format(day) in seen(response)
        else:  # nothing exported: the reason, as text
            assert response.status_code == 400
            assert OUTSIDE.format(day) in response.content.decode()


class TestPublicationList:
    URL = reverse("publishing_publications:index")

    @pytest.mark.parametrize(
        "query, day",
        [
            ({"publish_at_from": "0001-01-01"}, "01/01/0001"),
            ({"publish_at_to": "9999-12-31"}, "31/12/9999"),
        ],
    )
    def test_a_filter_outside_is_refused(self, client, approver, planned, query, day):
        assert OUTSIDE.format(day) in seen(client.get(self.URL, query))


class TestReschedule:
    @pytest.fixture
    def url(self, planned):
        args = (planned.pk, "reschedule")
        return reverse("publishing_publications:action", args=args)

    @pytest.mark.parametrize(
        "typed, message",
        [
            ("9999-12-31 23:59", OUTSIDE.format("31/12/9999")),
            ("2101-01-01 00:00", OUTSIDE.format("01/01/2101")),
            ("2027-03-11 10:01", AHEAD),
            ("0001-01-01 00:00", OUTSIDE.format("01/01/0001")),
            ("2026-03-10 09:59", PAST),
        ],
    )
    def test_refused_with_a_message_and_nothing_changed(
        self, client, approver, planned, url, typed, message
    ):
        assert message in seen(client.post(url, {"publish_at": typed}))
        planned.refresh_from_db()
        assert planned.publish_at == NOW + datetime.timedelta(days=1)

    def test_within_a_year_is_accepted(self, client, approver, planned, url):
        response = client.post(url, {"publish_at": "2027-03-11 09:59"})
        assert response.status_code == 302
        planned.refresh_from_db()
        assert planned.publish_at == datetime.datetime(2027, 3, 11, 9, 59, tzinfo=LOCAL)


class TestShareAgain:
    @pytest.mark.parametrize(
        "typed, message",
        [
            ("9999-12-31 23:59", OUTSIDE.format("31/12/9999")),
            ("0001-01-01 00:00", OUTSIDE.format("01/01/0001")),
            ("2030-01-01 08:00", AHEAD),
            ("2026-03-01 08:00", PAST),
        ],
    )
    def test_refused_with_a_message_and_nothing_made(
        self, client, org, channel, typed, message
    ):
        page = org.article(title="Bài chia sẻ lại")
        login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
        url = reverse("publishing_share_again", args=(page.pk,))
        form = client.get(url)
        data = {"channels": [channel.pk], "publish_at": typed}
        response = client.post(url, {**data, "token": form.context["token"]})
        assert message in seen(response)
        assert not ShareRequest.objects.exists()
        assert not Publication.objects.filter(page=page).exists()


class TestSharePlan:
    """The article's sharing tab: a planned time outside is refused on its row."""

    @pytest.mark.parametrize(
        "typed, day",
        [("9999-12-31 23:59", "31/12/9999"), ("2101-01-01 08:00", "01/01/2101")],
    )
    def test_a_plan_outside_is_refused(self, org, client, typed, day):
        tab = Setup(org, client)
        response = tab.post({"channel": tab.fb, "publish_at": typed})
        assert OUTSIDE.format(day) in seen(response)
        assert row_errors(response)["publish_at"]
        assert tab.saved_plans() == []


class TestOfflineRecords:
    PRESS = "wagtailsnippets_cms_core_presscoverage"

    @pytest.fixture
    def editor(self, client, org):
        return login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")

    @pytest.mark.parametrize("typed", EXTREMES)
    def test_a_record_dated_outside_is_refused(
        self, client, org, editor, campaign, typed
    ):
        form = {
            "campaign": campaign.pk,
            "unit": org.bac_son.pk,
            "outlet": "Báo Lạng Sơn",
            "title": "Tin mới",
            "url": "",
            "published_on": typed,
        }
        response = client.post(reverse(f"{self.PRESS}:add"), form)
        assert OUTSIDE.format(EXTREMES[typed]) in seen(response)
        assert not PressCoverage.objects.exists()

    @pytest.mark.parametrize(
        "name, field",
        [
            ("presscoverage", "published_on"),
            ("outreachevent", "held_on"),
            ("enrolmentreport", "period"),
        ],
    )
    @pytest.mark.parametrize("typed", EXTREMES)
    def test_a_list_filter_outside_is_refused(self, client, editor, name, field, typed):
        url = reverse(f"wagtailsnippets_cms_core_{name}:list")
        response = client.get(url, {f"{field}_from": typed})
        assert OUTSIDE.format(EXTREMES[typed]) in seen(response)


class TestCampaign:
    @pytest.mark.parametrize("field", ["starts_on", "ends_on"])
    def test_a_campaign_outside_is_refused(self, client, org, field):
        login(client, org.user("admin", superuser=True), "vi")
        dates = {"starts_on": "2026-01-01", "ends_on": "2026-12-31"}
        dates[field] = "9999-12-31"
        form = {
            "name": "Chiến dịch",
            "slug": "chien-dich",
            "description": "",
            "goals-TOTAL_FORMS": "0",
            "goals-INITIAL_FORMS": "0",
            "goals-MIN_NUM_FORMS": "0",
            "goals-MAX_NUM_FORMS": "1000",
            **dates,
        }
        response = client.post(reverse("wagtailsnippets_cms_core_campaign:add"), form)
        assert OUTSIDE.format("31/12/9999") in seen(response)
        assert not Campaign.objects.exists()


class TestImports:
    """The bulk scheduling file and the offline figures' import: a row dated
    outside is named with the reason, and nothing is saved."""

    def test_a_bulk_row_outside_is_refused(self, client, org, channel):
        article = org.article(title="Bài lên lịch")
        login(client, org.user("dt", Role.APPROVER, org.bac_son), "vi")
        rows = [
            (article.pk, "31/12/9999 23:59", OUTSIDE.format("31/12/9999")),
            (article.pk, "11/03/2027 10:01", AHEAD),
        ]
        for pk, typed, message in rows:
            text = f"Bài viết,Kênh,Thời gian,Nội dung\n{pk},Trang,{typed},\n"
            upload = SimpleUploadedFile("lich.csv", text.encode(), "text/csv")
            url = reverse("publishing_bulk:index")
            preview = client.post(url, {"file": upload})
            assert message in seen(preview)
            client.post(url, {"token": preview.context["token"]})
            assert not Publication.objects.exists()

    @pytest.mark.parametrize("typed", ["31/12/9999", "01/01/0001"])
    def test_a_record_row_outside_is_refused(self, client, org, campaign, typed):
        login(client, org.user("bt", Role.EDITOR, org.bac_son), "vi")
        headers = "Chiến dịch,Đơn vị,Cơ quan báo chí,Tiêu đề,Đường dẫn,Ngày đăng"
        row = f"chien-dich-2025,bac-son,Báo Lạng Sơn,Tin,,{typed}"
        upload = SimpleUploadedFile(
            "so-lieu.csv", f"{headers}\n{row}\n".encode(), "text/csv"
        )
        url = reverse(f"{TestOfflineRecords.PRESS}:import")
        preview = client.post(url, {"file": upload})
        assert OUTSIDE.format(typed) in seen(preview)
        client.post(url, {"token": preview.context.get("token", "")})
        assert not PressCoverage.objects.exists()
