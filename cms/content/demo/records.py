"""Demo offline figures for seed_demo: press items, outreach events and monthly
enrolment reports of the demo campaign, so the dashboard tells a story on first open.

Dates are spread over the part of the campaign already past ("fraction" 0-1 of the
days from its start to today); enrolment reports cover each whole month since the
start, with figures drawn from a random generator seeded per unit and group, so
running seed_demo again (any day) never changes or duplicates a row.
"""

import calendar
import datetime
import random

from django.db import transaction
from django.utils import timezone

from cms.core.models import EnrolmentReport, OutreachEvent, PressCoverage

# outlet, title, unit slug, fraction of the campaign so far
PRESS_ITEMS = [
    (
        "Báo Lạng Sơn",
        "Từ 1/7/2025, chủ hộ kinh doanh thuộc diện tham gia bảo hiểm xã hội bắt buộc",
        "khu-vuc-v",
        0.03,
    ),
    (
        "Đài Phát thanh và Truyền hình Lạng Sơn",
        "BHXH khu vực V triển khai Luật Bảo hiểm xã hội 2024 tới các hộ kinh doanh",
        "khu-vuc-v",
        0.08,
    ),
    (
        "Tạp chí Bảo hiểm xã hội",
        "Lạng Sơn: đưa BHXH bắt buộc đến người hoạt động không chuyên trách ở thôn, "
        "tổ dân phố",
        "khu-vuc-v",
        0.15,
    ),
    (
        "Báo Lao Động",
        "Hộ kinh doanh vùng biên Cao Lộc băn khoăn về mức đóng BHXH bắt buộc",
        "cao-loc",
        0.22,
    ),
    (
        "Báo Nhân Dân",
        "Mở rộng diện bao phủ bảo hiểm xã hội tới khu vực kinh tế hộ gia đình",
        "khu-vuc-v",
        0.3,
    ),
    (
        "Báo Lạng Sơn",
        "Bắc Sơn: đối thoại trực tiếp với chủ hộ kinh doanh về quyền lợi khi tham gia "
        "BHXH",
        "bac-son",
        0.38,
    ),
    (
        "Báo điện tử Chính phủ",
        "Người quản lý hợp tác xã không hưởng lương được hưởng những chế độ BHXH nào?",
        "khu-vuc-v",
        0.45,
    ),
    (
        "Báo Dân tộc và Phát triển",
        "Lộc Bình: cán bộ BHXH đến tận chợ phiên tuyên truyền chính sách mới",
        "loc-binh",
        0.52,
    ),
    (
        "Đài Phát thanh và Truyền hình Lạng Sơn",
        "Chi Lăng: hơn 120 chủ hộ kinh doanh được hướng dẫn đăng ký tham gia BHXH",
        "chi-lang",
        0.6,
    ),
    (
        "VnExpress",
        "Lao động làm việc không trọn thời gian được tham gia BHXH bắt buộc",
        "khu-vuc-v",
        0.68,
    ),
    (
        "Báo Lạng Sơn",
        "TP Lạng Sơn: số hộ kinh doanh tham gia BHXH bắt buộc tăng sau ba tháng "
        "thực hiện luật mới",
        "thanh-pho-lang-son",
        0.78,
    ),
    (
        "Tạp chí Bảo hiểm xã hội",
        "Hữu Lũng đẩy mạnh tuyên truyền BHXH bắt buộc tới người lao động bán thời gian",
        "huu-lung",
        0.9,
    ),
]

ALL_GROUPS = [
    "ho-kinh-doanh",
    "quan-ly-htx",
    "khong-chuyen-trach",
    "lao-dong-ban-thoi-gian",
]
# kind, unit slug, place, target group slugs, attendees, fraction of the campaign
OUTREACH_EVENTS = [
    (
        "conference",
        "khu-vuc-v",
        "Trung tâm Hội nghị tỉnh Lạng Sơn, TP Lạng Sơn",
        ALL_GROUPS,
        180,
        0.02,
    ),
    (
        "conference",
        "bac-son",
        "Hội trường UBND huyện Bắc Sơn",
        ["ho-kinh-doanh", "quan-ly-htx"],
        95,
        0.06,
    ),
    (
        "village_meeting",
        "bac-son",
        "Nhà văn hóa thôn Vũ Lăng, xã Vũ Lăng",
        ["khong-chuyen-trach"],
        48,
        0.1,
    ),
    ("market_stand", "loc-binh", "Chợ Na Dương", ["ho-kinh-doanh"], 140, 0.14),
    (
        "dialogue",
        "thanh-pho-lang-son",
        "Chợ Đông Kinh, TP Lạng Sơn",
        ["ho-kinh-doanh"],
        62,
        0.18,
    ),
    (
        "village_meeting",
        "chi-lang",
        "Nhà văn hóa thôn Đồng Bành, xã Chi Lăng",
        ["khong-chuyen-trach", "lao-dong-ban-thoi-gian"],
        55,
        0.22,
    ),
    (
        "conference",
        "cao-loc",
        "Hội trường UBND thị trấn Đồng Đăng",
        ["ho-kinh-doanh", "lao-dong-ban-thoi-gian"],
        110,
        0.26,
    ),
    ("market_stand", "cao-loc", "Chợ Đồng Đăng", ["ho-kinh-doanh"], 150, 0.3),
    (
        "dialogue",
        "huu-lung",
        "Hợp tác xã nông nghiệp Minh Sơn, xã Minh Sơn",
        ["quan-ly-htx"],
        24,
        0.34,
    ),
    (
        "village_meeting",
        "van-quan",
        "Nhà văn hóa khu Đức Hinh, thị trấn Văn Quan",
        ["khong-chuyen-trach"],
        42,
        0.38,
    ),
    (
        "market_stand",
        "dinh-lap",
        "Chợ thị trấn Đình Lập",
        ["ho-kinh-doanh"],
        85,
        0.42,
    ),
    (
        "village_meeting",
        "trang-dinh",
        "Nhà văn hóa khu 3, thị trấn Thất Khê",
        ["khong-chuyen-trach"],
        50,
        0.47,
    ),
    (
        "dialogue",
        "van-lang",
        "Hội trường UBND thị trấn Na Sầm",
        ["ho-kinh-doanh", "quan-ly-htx"],
        38,
        0.52,
    ),
    (
        "village_meeting",
        "binh-gia",
        "Nhà văn hóa thôn Tân Lập, xã Tân Văn",
        ["khong-chuyen-trach", "lao-dong-ban-thoi-gian"],
        46,
        0.57,
    ),
    (
        "conference",
        "thanh-pho-lang-son",
        "Hội trường UBND thành phố Lạng Sơn",
        ["quan-ly-htx", "khong-chuyen-trach"],
        120,
        0.62,
    ),
    (
        "market_stand",
        "bac-son",
        "Chợ phiên thị trấn Bắc Sơn",
        ["ho-kinh-doanh", "lao-dong-ban-thoi-gian"],
        130,
        0.67,
    ),
    (
        "other",
        "loc-binh",
        "Tập huấn đại lý thu BHXH, thị trấn Lộc Bình",
        ALL_GROUPS,
        35,
        0.72,
    ),
    (
        "dialogue",
        "chi-lang",
        "Chợ Đồng Mỏ, thị trấn Đồng Mỏ",
        ["ho-kinh-doanh"],
        58,
        0.78,
    ),
    (
        "village_meeting",
        "huu-lung",
        "Nhà văn hóa thôn Đồng Tiến, xã Đồng Tiến",
        ["khong-chuyen-trach"],
        52,
        0.85,
    ),
    (
        "conference",
        "khu-vuc-v",
        "Hội trường BHXH khu vực V, TP Lạng Sơn (sơ kết quý)",
        ALL_GROUPS,
        90,
        0.93,
    ),
]

# Enrolment: each district's and group's share of the region's participants, the
# region's participants when the campaign starts, and the new ones per month (the
# campaign's goals: 1,000 new, 3,500 in all; the demo runs a little behind pace).
DISTRICT_SHARE = {
    "thanh-pho-lang-son": 0.2,
    "bac-son": 0.12,
    "loc-binh": 0.1,
    "cao-loc": 0.1,
    "huu-lung": 0.1,
    "chi-lang": 0.08,
    "van-quan": 0.06,
    "trang-dinh": 0.06,
    "van-lang": 0.06,
    "binh-gia": 0.06,
    "dinh-lap": 0.06,
}
GROUP_SHARE = {
    "ho-kinh-doanh": 0.45,
    "quan-ly-htx": 0.1,
    "khong-chuyen-trach": 0.3,
    "lao-dong-ban-thoi-gian": 0.15,
}
REGION_PARTICIPANTS_AT_START = 2450
REGION_NEW_PER_MONTH = [115, 150, 165, 180, 185, 195]  # ramps up as word spreads
ELIGIBLE_PER_PARTICIPANT = 1.6  # people identified as eligible, per participant


def seed_records(campaign, units, groups):
    """Press items, outreach events and enrolment reports; counts of new rows."""
    today = min(timezone.localdate(), campaign.ends_on)
    with transaction.atomic():
        return {
            "press": seed_press(campaign, units, today),
            "events": seed_events(campaign, units, groups, today),
            "reports": seed_reports(campaign, units, groups, today),
        }


def on_day(campaign, today, fraction):
    """The day `fraction` of the way from the campaign's start to today."""
    days = max(0, (today - campaign.starts_on).days)
    return campaign.starts_on + datetime.timedelta(days=round(days * fraction))


def seed_press(campaign, units, today):
    created = 0
    for outlet, title, unit_slug, fraction in PRESS_ITEMS:
        _item, new = PressCoverage.objects.get_or_create(
            campaign=campaign,
            outlet=outlet,
            title=title,
            defaults={
                "unit": units[unit_slug],
                "published_on": on_day(campaign, today, fraction),
            },
        )
        created += new
    return created


def seed_events(campaign, units, groups, today):
    created = 0
    for kind, unit_slug, place, group_slugs, attendees, fraction in OUTREACH_EVENTS:
        event, new = OutreachEvent.objects.get_or_create(
            campaign=campaign,
            unit=units[unit_slug],
            kind=kind,
            place=place,
            defaults={
                "held_on": on_day(campaign, today, fraction),
                "attendees": attendees,
            },
        )
        if new:
            event.target_groups.set([groups[slug] for slug in group_slugs])
            created += 1
    return created


def whole_months(campaign, today):
    """(first day, last day) of each month of the campaign over by today."""
    start = campaign.starts_on.replace(day=1)
    months = []
    while True:
        last = start.replace(day=calendar.monthrange(start.year, start.month)[1])
        if last >= today or last > campaign.ends_on:
            return months
        months.append((max(start, campaign.starts_on), last))
        start = last + datetime.timedelta(days=1)


def seed_reports(campaign, units, groups, today):
    created = 0
    months = whole_months(campaign, today)
    for unit_slug, unit_share in DISTRICT_SHARE.items():
        for group_slug, group_share in GROUP_SHARE.items():
            share = unit_share * group_share
            figures = monthly_figures(unit_slug, group_slug, share, len(months))
            for (start, end), (eligible, new, total) in zip(
                months, figures, strict=True
            ):
                _report, is_new = EnrolmentReport.objects.get_or_create(
                    campaign=campaign,
                    unit=units[unit_slug],
                    target_group=groups[group_slug],
                    period_start=start,
                    period_end=end,
                    defaults={
                        "identified_eligible": eligible,
                        "new_participants": new,
                        "total_participants": total,
                    },
                )
                created += is_new
    return created


def monthly_figures(unit_slug, group_slug, share, months):
    """(identified eligible, new, total) per month: the same on every run."""
    draw = random.Random(f"enrolment:{unit_slug}:{group_slug}")
    total = round(REGION_PARTICIPANTS_AT_START * share * draw.uniform(0.85, 1.15))
    eligible = round(total * ELIGIBLE_PER_PARTICIPANT * draw.uniform(0.9, 1.1))
    figures = []
    for month in range(months):
        region_new = REGION_NEW_PER_MONTH[month % len(REGION_NEW_PER_MONTH)]
        new = round(region_new * share * draw.uniform(0.6, 1.4))
        total += new
        # Field work finds more eligible people as the campaign goes on.
        eligible = max(eligible + round(new * draw.uniform(0.2, 0.6)), total)
        figures.append((eligible, new, total))
    return figures
