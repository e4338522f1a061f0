"""Offline figures: the admin screens by unit, and the CSV/XLSX import (all or nothing).

Error messages are compared with our catalogue's text in Vietnamese (the language
of the admin), and each one must be on its row and column of the preview.
"""

import csv
import datetime
import io

import openpyxl
import pytest
from bs4 import BeautifulSoup
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from cms.core.models import Campaign, Role
from cms.core.records import EnrolmentReport, OutreachEvent, PressCoverage
from tests.cms.helpers import visible_text

# The moment these tests run at (the dates they write are fixed ones of 2025-2026;
# the clock is pinned so that "today" never moves past or before them).
NOW = datetime.datetime(
    2026, 11, 16, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


@pytest.fixture(autouse=True)
def _clock(time_machine):
    time_machine.move_to(NOW, tick=True)


PRESS = "wagtailsnippets_cms_core_presscoverage"
OUTREACH = "wagtailsnippets_cms_core_outreachevent"
ENROLMENT = "wagtailsnippets_cms_core_enrolmentreport"
PRESS_HEADERS = [
    "Chiến dịch",
    "Đơn vị",
    "Cơ quan báo chí",
    "Tiêu đề",
    "Đường dẫn",
    "Ngày đăng",
]
ENROLMENT_HEADERS = [
    "Chiến dịch",
    "Đơn vị",
    "Nhóm đối tượng",
    "Từ ngày",
    "Đến ngày",
    "Số người thuộc diện",
    "Số người tham gia mới",
    "Tổng số người tham gia",
]


def vi(message, **params):
    """A message as the admin shows it: our catalogue's text, in Vietnamese."""
    with translation.override("vi"):
        text = translation.gettext(message)
    return text % params if params else text


def csv_file(rows, name="so-lieu.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


def xlsx_file(rows, name="so-lieu.xlsx"):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def press_row(unit="bac-son", title="BHXH cho hộ kinh doanh", day="15/08/2025", **kw):
    values = {
        "campaign": "chien-dich-2025",
        "unit": unit,
        "outlet": "Báo Lạng Sơn",
        "title": title,
        "url": "https://baolangson.vn/bhxh",
        "day": day,
    }
    values.update(kw)
    return list(values.values())


def enrolment_row(unit="bac-son", group="ho-kinh-doanh", counts=("120", "15", "40")):
    return ["chien-dich-2025", unit, group, "01/08/2025", "31/08/2025", *counts]


def upload(client, namespace, file):
    return client.post(reverse(f"{namespace}:import"), {"file": file})


def confirm(client, namespace, response):
    return client.post(
        reverse(f"{namespace}:import"), {"token": response.context["token"]}
    )


def error_at(response, row, column):
    """The error the preview shows on `row` and `column` (both in the summary and
    in the table's cell), or None."""
    soup = BeautifulSoup(response.content, "html.parser")
    summary = soup.find(
        "p", attrs={"data-error-row": str(row), "data-error-column": column}
    )
    if summary is None:
        return None
    if row > 1:
        cell = soup.find("tr", attrs={"data-row": str(row)}).find(
            "td", attrs={"data-column": column}
        )
        assert summary.get_text().endswith(cell.find("p").get_text())
    return " ".join(summary.get_text().split())


def form_error(response):
    return visible_text(response.content)


@pytest.fixture
def editor(client, org):
    client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
    return client


@pytest.fixture
def manager(client, org):
    client.force_login(org.user("ql", Role.MANAGER, org.bac_son))
    return client


class TestValidImport:
    def test_preview_saves_nothing_then_confirm_saves_every_row(
        self, editor, org, campaign
    ):
        rows = [
            PRESS_HEADERS,
            press_row(),
            press_row(unit="BHXH cơ sở Bắc Sơn", title="Hỏi đáp", day="2025-09-02"),
        ]
        response = upload(editor, PRESS, csv_file(rows))
        assert response.status_code == 200
        assert response.context["result"].ok
        assert not PressCoverage.objects.exists()

        response = confirm(editor, PRESS, response)
        assert response.status_code == 302
        items = PressCoverage.objects.order_by("published_on")
        assert [(i.title, i.unit, i.published_on) for i in items] == [
            ("BHXH cho hộ kinh doanh", org.bac_son, datetime.date(2025, 8, 15)),
            ("Hỏi đáp", org.bac_son, datetime.date(2025, 9, 2)),
        ]

    def test_xlsx_with_english_headers_and_thousands_separators(
        self, manager, org, campaign
    ):
        headers = [
            "campaign",
            "unit",
            "target_group",
            "period_start",
            "period_end",
            "identified_eligible",
            "new_participants",
            "total_participants",
        ]
        row = [
            "chien-dich-2025",
            "Bắc Sơn",
            "Chủ hộ kinh doanh",
            datetime.date(2025, 8, 1),
            "31/08/2025",
            "1.234",
            "1,050",
            2000,
        ]
        response = upload(manager, ENROLMENT, xlsx_file([headers, row]))
        assert response.context["result"].ok, response.context["result"].rows
        assert confirm(manager, ENROLMENT, response).status_code == 302
        report = EnrolmentReport.objects.get()
        assert (report.unit, report.target_group) == (org.bac_son, org.household)
        assert (report.period_start, report.period_end) == (
            datetime.date(2025, 8, 1),
            datetime.date(2025, 8, 31),
        )
        assert (
            report.identified_eligible,
            report.new_participants,
            report.total_participants,
        ) == (1234, 1050, 2000)

    def test_outreach_with_several_target_groups(self, editor, org, campaign):
        rows = [
            [
                "Chiến dịch",
                "Đơn vị",
                "Hình thức",
                "Ngày",
                "Địa điểm",
                "Nhóm đối tượng",
                "Số người tham dự",
            ],
            [
                "chien-dich-2025",
                "bac-son",
                "village_meeting",
                "05/10/2025",
                "Thôn Nà Lay",
                "Chủ hộ kinh doanh; quan-ly-htx",
                "85",
            ],
        ]
        response = upload(editor, OUTREACH, csv_file(rows))
        assert response.context["result"].ok
        confirm(editor, OUTREACH, response)
        event = OutreachEvent.objects.get()
        assert (event.kind, event.attendees, event.place) == (
            "village_meeting",
            85,
            "Thôn Nà Lay",
        )
        assert set(event.target_groups.all()) == {org.household, org.coop}

    def test_kind_by_its_label_in_either_language(self, editor, campaign):
        headers = ["campaign", "unit", "kind", "held_on", "place", "attendees"]
        rows = [
            headers,
            ["chien-dich-2025", "bac-son", "Market stand", "01/09/2025", "Chợ", "30"],
            ["chien-dich-2025", "bac-son", vi("Conference"), "02/09/2025", "UBND", "1"],
        ]
        response = upload(editor, OUTREACH, csv_file(rows))
        assert response.context["result"].ok
        confirm(editor, OUTREACH, response)
        kinds = OutreachEvent.objects.order_by("held_on").values_list("kind", flat=True)
        assert list(kinds) == ["market_stand", "conference"]

    def test_the_downloaded_template_imports_once_filled(self, editor, campaign):
        page = editor.get(reverse(f"{PRESS}:import"))
        assert page.status_code == 200
        assert reverse(f"{PRESS}:import_template", args=("xlsx",)) in page.text
        for fmt in ("csv", "xlsx"):
            response = editor.get(reverse(f"{PRESS}:import_template", args=(fmt,)))
            assert response.status_code == 200
            if fmt == "csv":
                rows = list(
                    csv.reader(io.StringIO(response.content.decode("utf-8-sig")))
                )
            else:
                book = openpyxl.load_workbook(io.BytesIO(response.content))
                rows = [list(r) for r in book.active.iter_rows(values_only=True)]
            assert rows == [PRESS_HEADERS]
        rows.append(press_row())
        response = upload(editor, PRESS, xlsx_file(rows))
        assert response.context["result"].ok


class TestBadRowsSaveNothing:
    """Each bad row: the preview shows the error on its row and column; confirming
    anyway saves nothing."""

    def check_refused(self, client, namespace, rows, row, column, message, model):
        response = upload(client, namespace, csv_file(rows))
        assert response.status_code == 200
        assert error_at(response, row, column) == vi(
            "Row %(number)s, column “%(header)s”: %(error)s",
            number=row,
            header=column,
            error=message,
        )
        assert not response.context["result"].ok
        confirm(client, namespace, response)
        assert not model.objects.exists()
        return response

    def test_wrong_column(self, editor, campaign):
        headers = [*PRESS_HEADERS]
        headers[2] = "Tên báo"
        response = upload(editor, PRESS, csv_file([headers, press_row()]))
        assert error_at(response, 1, "Tên báo").endswith(
            vi("Unknown column “%(name)s”.", name="Tên báo")
        )
        assert error_at(response, 1, "Cơ quan báo chí").endswith(
            vi("Missing column “%(name)s”.", name="Cơ quan báo chí")
        )
        confirm(editor, PRESS, response)
        assert not PressCoverage.objects.exists()

    def test_unknown_unit(self, editor, campaign):
        rows = [PRESS_HEADERS, press_row(), press_row(unit="cao-loc", title="B")]
        self.check_refused(
            editor,
            PRESS,
            rows,
            3,
            "Đơn vị",
            vi("Unknown unit “%(value)s”.", value="cao-loc"),
            PressCoverage,
        )

    def test_rows_keep_their_spreadsheet_number_after_a_blank_row(
        self, editor, campaign
    ):
        rows = [PRESS_HEADERS, press_row(), [], press_row(unit="cao-loc", title="B")]
        self.check_refused(
            editor,
            PRESS,
            rows,
            4,
            "Đơn vị",
            vi("Unknown unit “%(value)s”.", value="cao-loc"),
            PressCoverage,
        )

    def test_unknown_target_group(self, manager, campaign):
        rows = [ENROLMENT_HEADERS, enrolment_row(group="nong-dan")]
        self.check_refused(
            manager,
            ENROLMENT,
            rows,
            2,
            "Nhóm đối tượng",
            vi("Unknown target group “%(value)s”.", value="nong-dan"),
            EnrolmentReport,
        )

    def test_another_units_rows_are_refused(self, editor, org, campaign):
        rows = [PRESS_HEADERS, press_row(), press_row(unit="loc-binh", title="B")]
        self.check_refused(
            editor,
            PRESS,
            rows,
            3,
            "Đơn vị",
            vi("You may not report for the unit “%(unit)s”.", unit=org.loc_binh),
            PressCoverage,
        )

    def test_unit_no_longer_active(self, editor, org, campaign):
        org.bac_son.active = False
        org.bac_son.merged_into = org.loc_binh
        org.bac_son.save()
        self.check_refused(
            editor,
            PRESS,
            [PRESS_HEADERS, press_row()],
            2,
            "Đơn vị",
            vi(
                "The unit “%(unit)s” is no longer active: report for the unit that "
                "took over its work.",
                unit=org.bac_son,
            ),
            PressCoverage,
        )

    def test_negative_count(self, manager, campaign):
        rows = [ENROLMENT_HEADERS, enrolment_row(counts=("120", "-5", "40"))]
        self.check_refused(
            manager,
            ENROLMENT,
            rows,
            2,
            "Số người tham gia mới",
            vi("“%(value)s” is negative: a count cannot be below zero.", value="-5"),
            EnrolmentReport,
        )

    def test_non_numeric_count(self, manager, campaign):
        rows = [ENROLMENT_HEADERS, enrolment_row(counts=("120", "15", "bốn mươi"))]
        self.check_refused(
            manager,
            ENROLMENT,
            rows,
            2,
            "Tổng số người tham gia",
            vi("“%(value)s” is not a whole number.", value="bốn mươi"),
            EnrolmentReport,
        )

    def test_date_outside_the_campaign(self, editor, campaign):
        rows = [PRESS_HEADERS, press_row(day="15/01/2026")]
        self.check_refused(
            editor,
            PRESS,
            rows,
            2,
            "Ngày đăng",
            vi(
                "%(date)s is outside the campaign (%(start)s to %(end)s).",
                date="15/01/2026",
                start="01/07/2025",
                end="31/12/2025",
            ),
            PressCoverage,
        )

    def test_duplicate_in_the_file(self, manager, campaign):
        rows = [ENROLMENT_HEADERS, enrolment_row(), enrolment_row()]
        self.check_refused(
            manager,
            ENROLMENT,
            rows,
            3,
            "Đến ngày",
            vi("The same record is already on row %(row)s.", row=2),
            EnrolmentReport,
        )

    def test_duplicate_of_a_saved_report(self, manager, org, campaign):
        EnrolmentReport.objects.create(
            campaign=campaign,
            unit=org.bac_son,
            target_group=org.household,
            period_start=datetime.date(2025, 8, 1),
            period_end=datetime.date(2025, 8, 31),
            identified_eligible=1,
            new_participants=1,
            total_participants=1,
        )
        rows = [ENROLMENT_HEADERS, enrolment_row(group="quan-ly-htx"), enrolment_row()]
        response = upload(manager, ENROLMENT, csv_file(rows))
        assert error_at(response, 3, "Đến ngày").endswith(
            vi("This record has already been entered.")
        )
        assert error_at(response, 2, "Đến ngày") is None
        confirm(manager, ENROLMENT, response)
        assert EnrolmentReport.objects.count() == 1


class TestBadFilesSaveNothing:
    def test_empty_file(self, editor, campaign):
        response = upload(editor, PRESS, SimpleUploadedFile("rong.csv", b""))
        # Django refuses an empty upload before we read it.
        assert vi("The submitted file is empty.") in form_error(response)
        assert "token" not in response.context
        assert not PressCoverage.objects.exists()

    def test_file_with_only_blank_lines(self, editor, campaign):
        response = upload(editor, PRESS, SimpleUploadedFile("rong.csv", b"\n ,,\n"))
        assert vi("The file is empty.") in form_error(response)
        assert "token" not in response.context

    def test_header_without_rows(self, editor, campaign):
        response = upload(editor, PRESS, csv_file([PRESS_HEADERS]))
        assert vi("The file has a header row but no data rows.") in form_error(response)

    def test_not_csv_or_xlsx(self, editor, campaign):
        response = upload(
            editor, PRESS, SimpleUploadedFile("bao-cao.pdf", b"%PDF-1.4 ...")
        )
        assert vi("The file must be a CSV (.csv) or Excel (.xlsx) file.") in (
            form_error(response)
        )

    def test_broken_xlsx(self, editor, campaign):
        response = upload(
            editor, PRESS, SimpleUploadedFile("so-lieu.xlsx", b"not a zip at all")
        )
        assert vi("The file is not a valid Excel (.xlsx) file.") in form_error(response)

    @override_settings(RECORDS_IMPORT_MAX_ROWS=3)
    def test_too_many_rows(self, editor, campaign):
        rows = [PRESS_HEADERS] + [press_row(title=f"Bài {n}") for n in range(4)]
        response = upload(editor, PRESS, csv_file(rows))
        assert vi(
            "The file has %(count)s rows; at most %(limit)s can be imported at once.",
            count="4",
            limit="3",
        ) in form_error(response)
        assert not PressCoverage.objects.exists()


class TestConfirm:
    def test_rows_are_checked_again_on_confirm(self, editor, org, campaign):
        response = upload(editor, PRESS, csv_file([PRESS_HEADERS, press_row()]))
        assert response.context["result"].ok
        # Someone saves the same item between the preview and the confirmation.
        PressCoverage.objects.create(
            campaign=campaign,
            unit=org.bac_son,
            outlet="Báo Lạng Sơn",
            title="BHXH cho hộ kinh doanh",
            published_on=datetime.date(2025, 8, 15),
        )
        response = confirm(editor, PRESS, response)
        assert response.status_code == 200
        assert error_at(response, 2, "Ngày đăng").endswith(
            vi("This record has already been entered.")
        )
        assert PressCoverage.objects.count() == 1

    def test_unknown_token_saves_nothing(self, editor, campaign):
        response = editor.post(reverse(f"{PRESS}:import"), {"token": "forged"})
        assert response.status_code == 302
        assert not PressCoverage.objects.exists()

    def test_a_token_from_another_session_is_refused(self, client, org, campaign):
        client.force_login(org.user("bt", Role.EDITOR, org.bac_son))
        preview = upload(client, PRESS, csv_file([PRESS_HEADERS, press_row()]))
        client.logout()
        client.force_login(org.user("bt2", Role.EDITOR, org.bac_son))
        confirm(client, PRESS, preview)
        assert not PressCoverage.objects.exists()

    def test_editor_may_not_import_enrolment_reports(self, editor, campaign):
        # Wagtail turns a refusal into a redirect to the admin home with a message.
        home = reverse("wagtailadmin_home")
        response = upload(editor, ENROLMENT, csv_file([ENROLMENT_HEADERS]))
        assert (response.status_code, response.url) == (302, home)
        response = editor.get(reverse(f"{ENROLMENT}:import"))
        assert (response.status_code, response.url) == (302, home)


@pytest.fixture
def two_districts(org, campaign):
    def item(unit, title):
        return PressCoverage.objects.create(
            campaign=campaign,
            unit=unit,
            outlet="Báo Lạng Sơn",
            title=title,
            published_on=datetime.date(2025, 8, 1),
        )

    return item(org.bac_son, "Tin Bắc Sơn"), item(org.loc_binh, "Tin Lộc Bình")


class TestVisibility:
    def test_district_list_shows_only_its_records(self, editor, two_districts):
        text = visible_text(editor.get(reverse(f"{PRESS}:list")).content)
        assert "Tin Bắc Sơn" in text
        assert "Tin Lộc Bình" not in text

    def test_another_districts_record_is_not_found_by_url(self, editor, two_districts):
        other = two_districts[1]
        for view in ("edit", "delete", "history", "inspect"):
            response = editor.get(reverse(f"{PRESS}:{view}", args=(other.pk,)))
            assert response.status_code == 404, view
        response = editor.get(reverse(f"{PRESS}:edit", args=(two_districts[0].pk,)))
        assert response.status_code == 200

    def test_the_chooser_lists_only_the_users_units(self, editor, two_districts):
        own, other = two_districts
        base = "wagtailsnippetchoosers_cms_core_presscoverage"
        text = visible_text(editor.get(reverse(f"{base}:choose_results")).content)
        assert "Tin Bắc Sơn" in text and "Tin Lộc Bình" not in text
        assert editor.get(reverse(f"{base}:chosen", args=(own.pk,))).status_code == 200
        response = editor.get(reverse(f"{base}:chosen", args=(other.pk,)))
        assert response.status_code == 404

    def test_region_lead_sees_both_districts(self, client, org, two_districts):
        client.force_login(org.user("ld", Role.LEAD, org.region))
        text = visible_text(client.get(reverse(f"{PRESS}:list")).content)
        assert "Tin Bắc Sơn" in text and "Tin Lộc Bình" in text

    def test_filter_by_unit(self, client, org, two_districts):
        client.force_login(org.user("ld", Role.LEAD, org.region))
        url = reverse(f"{PRESS}:list") + f"?unit={org.loc_binh.pk}"
        text = visible_text(client.get(url).content)
        assert "Tin Lộc Bình" in text and "Tin Bắc Sơn" not in text

    def test_dates_are_shown_as_dd_mm_yyyy(self, editor, two_districts):
        text = visible_text(editor.get(reverse(f"{PRESS}:list")).content)
        assert "01/08/2025" in text


class TestScreens:
    def test_every_list_and_form_answers_with_its_records(self, client, org, campaign):
        client.force_login(org.user("ld", Role.LEAD, org.region))
        event = OutreachEvent.objects.create(
            campaign=campaign,
            unit=org.loc_binh,
            kind="conference",
            held_on=datetime.date(2025, 9, 12),
            place="Hội trường UBND xã",
            attendees=1250,
        )
        event.target_groups.set([org.household])
        report = EnrolmentReport.objects.create(
            campaign=campaign,
            unit=org.bac_son,
            target_group=org.coop,
            period_start=datetime.date(2025, 7, 1),
            period_end=datetime.date(2025, 9, 30),
            identified_eligible=300,
            new_participants=42,
            total_participants=180,
        )
        text = visible_text(client.get(reverse(f"{OUTREACH}:list")).content)
        assert "Hội trường UBND xã" in text and "12/09/2025" in text
        assert "1.250" in text
        text = visible_text(client.get(reverse(f"{ENROLMENT}:list")).content)
        assert "01/07/2025-30/09/2025" in text and "180" in text
        for namespace, record in ((OUTREACH, event), (ENROLMENT, report)):
            for view, args in (("add", ()), ("edit", (record.pk,)), ("import", ())):
                response = client.get(reverse(f"{namespace}:{view}", args=args))
                assert response.status_code == 200, (namespace, view)

    def test_units_offered_are_the_users_own(self, editor, org):
        form = editor.get(reverse(f"{PRESS}:add")).context["form"]
        assert list(form.fields["unit"].queryset) == [org.bac_son]


def press_form(campaign, unit, title="Tin mới"):
    return {
        "campaign": campaign.pk,
        "unit": unit.pk,
        "outlet": "Báo Lạng Sơn",
        "title": title,
        "url": "",
        "published_on": "2025-08-20",
    }


class TestForgedPosts:
    def test_add_for_another_unit_is_refused(self, editor, org, campaign):
        response = editor.post(
            reverse(f"{PRESS}:add"), press_form(campaign, org.loc_binh)
        )
        assert response.status_code == 200
        assert "unit" in response.context["form"].errors
        assert not PressCoverage.objects.exists()

    def test_add_for_own_unit_is_saved(self, editor, org, campaign):
        response = editor.post(
            reverse(f"{PRESS}:add"), press_form(campaign, org.bac_son)
        )
        assert response.status_code == 302
        assert PressCoverage.objects.get().unit == org.bac_son

    def test_moving_own_record_to_another_unit_is_refused(
        self, editor, org, campaign, two_districts
    ):
        own = two_districts[0]
        editor.post(
            reverse(f"{PRESS}:edit", args=(own.pk,)),
            press_form(campaign, org.loc_binh, title="Đổi"),
        )
        own.refresh_from_db()
        assert (own.unit, own.title) == (org.bac_son, "Tin Bắc Sơn")

    def test_editing_another_districts_record_is_refused(
        self, editor, org, campaign, two_districts
    ):
        other = two_districts[1]
        response = editor.post(
            reverse(f"{PRESS}:edit", args=(other.pk,)),
            press_form(campaign, org.bac_son, title="Đổi"),
        )
        assert response.status_code == 404
        other.refresh_from_db()
        assert other.title == "Tin Lộc Bình"

    def test_bulk_delete_of_another_districts_record_is_refused(
        self, editor, two_districts
    ):
        own, other = two_districts
        url = reverse(
            "wagtail_bulk_action", args=("cms_core", "presscoverage", "delete")
        )
        confirmation = editor.get(f"{url}?id={own.pk}&id={other.pk}")
        assert "Tin Bắc Sơn" in confirmation.text
        assert "Tin Lộc Bình" not in confirmation.text
        assert editor.get(f"{url}?id={other.pk}").status_code == 404
        editor.post(f"{url}?id={own.pk}&id={other.pk}")
        assert list(PressCoverage.objects.all()) == [other]

    def test_editor_may_see_but_not_add_enrolment_reports(self, editor, org, campaign):
        response = editor.post(
            reverse(f"{ENROLMENT}:add"),
            {
                "campaign": campaign.pk,
                "unit": org.bac_son.pk,
                "target_group": org.household.pk,
                "period_start": "2025-08-01",
                "period_end": "2025-08-31",
                "identified_eligible": "1",
                "new_participants": "1",
                "total_participants": "1",
            },
        )
        assert (response.status_code, response.url) == (
            302,
            reverse("wagtailadmin_home"),
        )
        assert not EnrolmentReport.objects.exists()
        assert editor.get(reverse(f"{ENROLMENT}:list")).status_code == 200


def test_campaign_fixture_matches_the_rows(campaign):
    # The rows above name the campaign by this slug.
    assert Campaign.objects.get(slug="chien-dich-2025") == campaign
