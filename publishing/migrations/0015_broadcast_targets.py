"""Zalo's broadcast targeting codes, seeded unconfirmed (models/broadcasts.py).

No Zalo document we have lists them. The bands and the province codes below are
those of a third-party SDK, @warriorteam/redai-zalo-sdk 1.32.17
(dist/types/broadcast.d.ts and dist/types/broadcast.js on npm): gender 0 all /
1 male / 2 female, ages 0-7 in the bands below, cities 0-62 for the 63 provinces
from before the 2025 merger (its 63, "not in Viet Nam", is left out). Every row is
unconfirmed until a real broadcast shows its audience in Zalo; an administrator
corrects a code in the admin without a release.
"""

from django.db import migrations

SOURCE = "Nguồn: SDK bên thứ ba @warriorteam/redai-zalo-sdk 1.32.17; chưa xác nhận."

GENDERS = [("all", "Tất cả", 0), ("male", "Nam", 1), ("female", "Nữ", 2)]

AGES = [
    ("0-12", "0–12 tuổi"),
    ("13-17", "13–17 tuổi"),
    ("18-24", "18–24 tuổi"),
    ("25-34", "25–34 tuổi"),
    ("35-44", "35–44 tuổi"),
    ("45-54", "45–54 tuổi"),
    ("55-64", "55–64 tuổi"),
    ("65", "Từ 65 tuổi"),
]

# In code order (0-62), as the SDK lists them.
PROVINCES = [
    ("dong-thap", "Đồng Tháp"),
    ("binh-phuoc", "Bình Phước"),
    ("ninh-binh", "Ninh Bình"),
    ("bac-lieu", "Bạc Liêu"),
    ("ho-chi-minh", "TP. Hồ Chí Minh"),
    ("vinh-long", "Vĩnh Long"),
    ("lam-dong", "Lâm Đồng"),
    ("yen-bai", "Yên Bái"),
    ("ha-nam", "Hà Nam"),
    ("ha-noi", "Hà Nội"),
    ("hai-duong", "Hải Dương"),
    ("hau-giang", "Hậu Giang"),
    ("an-giang", "An Giang"),
    ("tra-vinh", "Trà Vinh"),
    ("tien-giang", "Tiền Giang"),
    ("tay-ninh", "Tây Ninh"),
    ("dong-nai", "Đồng Nai"),
    ("dak-lak", "Đắk Lắk"),
    ("binh-dinh", "Bình Định"),
    ("kon-tum", "Kon Tum"),
    ("da-nang", "Đà Nẵng"),
    ("bac-giang", "Bắc Giang"),
    ("bac-kan", "Bắc Kạn"),
    ("dien-bien", "Điện Biên"),
    ("hoa-binh", "Hoà Bình"),
    ("thai-binh", "Thái Bình"),
    ("vinh-phuc", "Vĩnh Phúc"),
    ("ha-giang", "Hà Giang"),
    ("kien-giang", "Kiên Giang"),
    ("binh-duong", "Bình Dương"),
    ("binh-thuan", "Bình Thuận"),
    ("dak-nong", "Đắk Nông"),
    ("khanh-hoa", "Khánh Hoà"),
    ("gia-lai", "Gia Lai"),
    ("quang-nam", "Quảng Nam"),
    ("quang-tri", "Quảng Trị"),
    ("ha-tinh", "Hà Tĩnh"),
    ("hung-yen", "Hưng Yên"),
    ("quang-ninh", "Quảng Ninh"),
    ("thanh-hoa", "Thanh Hoá"),
    ("phu-tho", "Phú Thọ"),
    ("lai-chau", "Lai Châu"),
    ("thai-nguyen", "Thái Nguyên"),
    ("cao-bang", "Cao Bằng"),
    ("ca-mau", "Cà Mau"),
    ("can-tho", "Cần Thơ"),
    ("soc-trang", "Sóc Trăng"),
    ("ben-tre", "Bến Tre"),
    ("long-an", "Long An"),
    ("ba-ria-vung-tau", "Bà Rịa – Vũng Tàu"),
    ("ninh-thuan", "Ninh Thuận"),
    ("phu-yen", "Phú Yên"),
    ("quang-ngai", "Quảng Ngãi"),
    ("thua-thien-hue", "Thừa Thiên Huế"),
    ("quang-binh", "Quảng Bình"),
    ("nghe-an", "Nghệ An"),
    ("nam-dinh", "Nam Định"),
    ("hai-phong", "Hải Phòng"),
    ("lang-son", "Lạng Sơn"),
    ("lao-cai", "Lào Cai"),
    ("son-la", "Sơn La"),
    ("bac-ninh", "Bắc Ninh"),
    ("tuyen-quang", "Tuyên Quang"),
]

NOTES = {"lang-son": "Kiểm tra ở lần gửi thật đầu tiên. " + SOURCE}


def rows():
    for order, (key, name, code) in enumerate(GENDERS):
        yield "gender", key, name, code, order
    for code, (key, name) in enumerate(AGES):
        yield "age", key, name, code, code
    for code, (key, name) in enumerate(PROVINCES):
        # Sorted by name in the lists people choose from.
        yield "province", key, name, code, 0


def seed(apps, schema_editor):
    BroadcastTarget = apps.get_model("publishing", "BroadcastTarget")
    BroadcastTarget.objects.bulk_create(
        BroadcastTarget(
            kind=kind,
            key=key,
            name=name,
            code=code,
            sort_order=order,
            confirmed=False,
            note=NOTES.get(key, SOURCE),
        )
        for kind, key, name, code, order in rows()
    )


def unseed(apps, schema_editor):
    apps.get_model("publishing", "BroadcastTarget").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("publishing", "0014_broadcasts_short_links_visits")]

    operations = [migrations.RunPython(seed, unseed)]
