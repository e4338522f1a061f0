"""Load the demo: units, roles, target groups, a campaign running now, articles.

Idempotent: running it again changes nothing that already exists.
"""

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.images import ImageFile
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from cms.content.demo import organisation as demo
from cms.content.demo.articles import ARTICLES
from cms.content.demo.covers import make_cover
from cms.content.demo.records import seed_records
from cms.content.models import ArticleIndexPage, ArticlePage, HomePage, UnitSectionPage
from cms.content.sections import ensure_tree_roots
from cms.content.signals import demo_seeded
from cms.core.models import Campaign, CampaignGoal, TargetGroup, Unit, UnitMembership
from cms.core.roles import sync_unit_permissions


def half_year(today):
    """The current half-year: the demo campaign is always running."""
    if today.month <= 6:
        return datetime.date(today.year, 1, 1), datetime.date(today.year, 6, 30)
    return datetime.date(today.year, 7, 1), datetime.date(today.year, 12, 31)


class Command(BaseCommand):
    help = "Tải dữ liệu mẫu (đơn vị, vai trò, chiến dịch, bài viết). Chạy lại an toàn."

    @transaction.atomic
    def handle(self, *args, **options):
        home = self.ensure_site()
        news = self.ensure_news_index(home)
        units = self.ensure_units()
        groups = self.ensure_target_groups()
        campaign = self.ensure_campaign(units, groups)
        self.ensure_users(units)
        created = self.ensure_articles(news, units, groups, campaign)
        records = seed_records(campaign, units, groups)
        demo_seeded.send(
            sender=self.__class__, units=units, stdout=self.stdout, campaign=campaign
        )
        cache.clear()
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu sẵn sàng: {len(units)} đơn vị, {len(groups)} nhóm đối "
                f"tượng, chiến dịch “{campaign.name}”, {created} bài viết mới, "
                f"{records['press']} tin báo chí, {records['events']} hoạt động "
                f"truyền thông trực tiếp, {records['reports']} báo cáo số người tham "
                "gia mới."
            )
        )

    def ensure_site(self):
        home = HomePage.objects.first()
        root = ensure_tree_roots()
        if home is None:
            home = HomePage(
                title="Bảo hiểm xã hội cho mọi người lao động",
                slug="trang-chu",
                hero_title="Luật BHXH 2024: thêm nhiều người được bảo vệ",
                hero_text=(
                    "Từ ngày 01/7/2025, chủ hộ kinh doanh, người quản lý hợp tác xã "
                    "không hưởng lương, người hoạt động không chuyên trách ở xã, thôn, "
                    "tổ dân phố tham gia bảo hiểm xã hội bắt buộc. Tìm hiểu quyền lợi "
                    "và cách đăng ký."
                ),
            )
            root.add_child(instance=home)
            home.save_revision().publish()
        parts = urlsplit(settings.BASE_URL)
        default_port = 443 if parts.scheme == "https" else 80
        Site.objects.exclude(root_page=home).delete()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": parts.hostname,
                "port": parts.port or default_port,
                "root_page": home,
                "site_name": str(settings.SITE_ORGANISATION),
            },
        )
        # Wagtail's "Welcome" page is not ours; everything else under root stays.
        Page.objects.filter(depth=2, content_type__model="page").delete()
        return home

    def ensure_news_index(self, home):
        news = ArticleIndexPage.objects.first()
        if news is None:
            news = ArticleIndexPage(
                title="Tin tức",
                slug="tin-tuc",
                intro="<p>Tin, bài về chính sách BHXH mới, theo nhóm đối tượng "
                "và theo địa bàn.</p>",
            )
            home.add_child(instance=news)
            news.save_revision().publish()
        return news

    def ensure_units(self):
        slug, name, short = demo.REGION
        region, _ = Unit.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short}
        )
        units = {slug: region}
        for order, (slug, name, short) in enumerate(demo.DISTRICTS, start=1):
            units[slug], _ = Unit.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "parent": region,
                    "sort_order": order,
                },
            )
        sync_unit_permissions()
        return units

    def ensure_target_groups(self):
        groups = {}
        for order, (slug, name, short, description) in enumerate(demo.TARGET_GROUPS):
            groups[slug], _ = TargetGroup.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "short_name": short,
                    "description": description,
                    "sort_order": order,
                },
            )
        return groups

    def ensure_campaign(self, units, groups):
        starts_on, ends_on = half_year(timezone.localdate())
        campaign, created = Campaign.objects.get_or_create(
            slug="bhxh-bat-buoc-doi-tuong-moi",
            defaults={
                "name": "Đưa BHXH bắt buộc đến các nhóm đối tượng mới",
                "description": (
                    "Truyền thông Luật BHXH 2024 tới chủ hộ kinh doanh, người quản lý "
                    "HTX không hưởng lương, người hoạt động không chuyên trách ở xã, "
                    "thôn, tổ dân phố và lao động không trọn thời gian."
                ),
                "starts_on": starts_on,
                "ends_on": ends_on,
            },
        )
        if created:
            campaign.units.set(units.values())
            campaign.target_groups.set(groups.values())
        elif campaign.ends_on < timezone.localdate():
            # An old demo database: keep the campaign running now.
            campaign.starts_on, campaign.ends_on = starts_on, ends_on
            campaign.save(update_fields=["starts_on", "ends_on"])
        self.ensure_goals(campaign, units)
        return campaign

    def ensure_goals(self, campaign, units):
        """The demo goals the campaign lacks (an older demo database had fewer)."""
        order = campaign.goals.count()
        for metric, target, unit_slug in demo.CAMPAIGN_GOALS:
            unit = units.get(unit_slug)
            if not campaign.goals.filter(metric=metric, unit=unit).exists():
                CampaignGoal.objects.create(
                    campaign=campaign,
                    metric=metric,
                    target=target,
                    unit=unit,
                    sort_order=order,
                )
                order += 1

    def ensure_users(self, units):
        User = get_user_model()
        for username, first, last, role, unit_slug in demo.DEMO_USERS:
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{username}@example.invalid",
                    "is_superuser": role is None,
                    "is_staff": role is None,
                },
            )
            if created:
                user.set_password(demo.DEMO_PASSWORD)
                user.save()
            if role:
                UnitMembership.objects.get_or_create(
                    user=user, unit=units[unit_slug], defaults={"role": role}
                )

    def ensure_articles(self, news, units, groups, campaign):
        created = 0
        for data in ARTICLES:
            if ArticlePage.objects.filter(slug=data["slug"]).exists():
                continue
            section = UnitSectionPage.objects.get(unit=units[data["section"]])
            self.create_article(section, data, units, groups, campaign)
            created += 1
        return created

    def create_article(self, section, data, units, groups, campaign):
        cover = data["cover"]
        image = get_image_model()(title=data["title"])
        content = make_cover(
            data["title"], cover["kicker"], cover["colour"], "BHXH khu vực V"
        )
        image.file = ImageFile(_named_bytes(content, f"{data['slug']}.jpg"))
        image.save()
        page = ArticlePage(
            title=data["title"],
            slug=data["slug"],
            intro=data["intro"],
            body=data["body"],
            cover_image=image,
            campaign=campaign,
        )
        page.target_groups.set([groups[s] for s in data["target_groups"]])
        page.units.set([units[s] for s in data["units"]])
        page.tags.set(data["tags"])
        section.add_child(instance=page)
        page.save_revision().publish()
        when = timezone.now() - datetime.timedelta(days=data["days_ago"], hours=2)
        ArticlePage.objects.filter(pk=page.pk).update(
            first_published_at=when, last_published_at=when
        )


def _named_bytes(content, name):
    import io

    buffer = io.BytesIO(content)
    buffer.name = name
    return buffer
