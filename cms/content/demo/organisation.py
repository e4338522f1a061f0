"""The demo organisation, target groups and campaign goals (data only)."""

REGION = ("khu-vuc-v", "Bảo hiểm xã hội khu vực V", "Khu vực V")
DISTRICTS = [
    ("bac-son", "Bảo hiểm xã hội cơ sở Bắc Sơn", "Bắc Sơn"),
    ("loc-binh", "Bảo hiểm xã hội cơ sở Lộc Bình", "Lộc Bình"),
    ("chi-lang", "Bảo hiểm xã hội cơ sở Chi Lăng", "Chi Lăng"),
    ("van-quan", "Bảo hiểm xã hội cơ sở Văn Quan", "Văn Quan"),
    ("cao-loc", "Bảo hiểm xã hội cơ sở Cao Lộc", "Cao Lộc"),
    ("huu-lung", "Bảo hiểm xã hội cơ sở Hữu Lũng", "Hữu Lũng"),
    ("dinh-lap", "Bảo hiểm xã hội cơ sở Đình Lập", "Đình Lập"),
    ("trang-dinh", "Bảo hiểm xã hội cơ sở Tràng Định", "Tràng Định"),
    ("van-lang", "Bảo hiểm xã hội cơ sở Văn Lãng", "Văn Lãng"),
    ("binh-gia", "Bảo hiểm xã hội cơ sở Bình Gia", "Bình Gia"),
    ("thanh-pho-lang-son", "Bảo hiểm xã hội cơ sở thành phố Lạng Sơn", "TP Lạng Sơn"),
]

TARGET_GROUPS = [
    (
        "ho-kinh-doanh",
        "Chủ hộ kinh doanh có đăng ký kinh doanh",
        "Chủ hộ kinh doanh",
        "Chủ hộ kinh doanh có đăng ký nay thuộc diện tham gia BHXH bắt buộc.",
    ),
    (
        "quan-ly-htx",
        "Người quản lý hợp tác xã không hưởng lương",
        "Quản lý HTX",
        "Giám đốc, thành viên hội đồng quản trị HTX không hưởng tiền lương.",
    ),
    (
        "khong-chuyen-trach",
        "Người hoạt động không chuyên trách ở cấp xã, thôn, tổ dân phố",
        "Không chuyên trách",
        "Cán bộ thôn, tổ dân phố và người hoạt động không chuyên trách cấp xã.",
    ),
    (
        "lao-dong-ban-thoi-gian",
        "Người lao động làm việc không trọn thời gian",
        "Lao động bán thời gian",
        "Người làm việc theo giờ, hợp đồng ngắn, không trọn thời gian.",
    ),
]

# Shaped like the agency's 2025 figures: 300+ posts, 60,000+ followers, 30+ press
# items, 3,500 participants of whom 1,000 new.
CAMPAIGN_GOALS = [
    ("posts_published", 300, None),
    ("followers", 60000, None),
    ("reach", 250000, None),
    ("engagements", 20000, None),
    ("press_items", 30, None),
    ("outreach_events", 60, None),
    ("new_participants", 1000, None),
    ("total_participants", 3500, None),
    ("social_visits", 5000, None),  # visits our posts' links bring to the site
    ("answered_within_24h", 300, None),  # citizens' questions answered in a day
    ("new_participants", 100, "bac-son"),
    ("posts_published", 40, "bac-son"),
    ("outreach_events", 8, "bac-son"),
    ("total_participants", 420, "bac-son"),
    ("new_participants", 85, "loc-binh"),
    ("posts_published", 40, "loc-binh"),
    ("new_participants", 200, "thanh-pho-lang-son"),
    ("outreach_events", 8, "thanh-pho-lang-son"),
]

DEMO_PASSWORD = "bhxh-demo-2025"
# username, first name, last name, role, unit slug (None: superuser)
DEMO_USERS = [
    ("admin", "Quản trị", "hệ thống", None, None),
    ("bientap.bacson", "Hoàng Thị", "Lan", "editor", "bac-son"),
    ("duyet.bacson", "Lương Văn", "Hải", "approver", "bac-son"),
    ("lanhdao.khuvuc", "Nông Thị", "Hương", "lead", "khu-vuc-v"),
]
