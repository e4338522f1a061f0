"""Model builders shared by the tests of publishing (and a few other packages):
channels, due publications, the dashboard's data set, the share tab's set-up."""

import datetime
import io
import math
import wave
import zoneinfo

from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from wagtailmedia.models import Media

from cms.core.models import (
    Campaign,
    CampaignGoal,
    EnrolmentReport,
    GoalMetric,
    OutreachEvent,
    PressCoverage,
    Role,
    Unit,
)
from publishing.metrics import rollups
from publishing.metrics.dashboard.metrics import Scope
from publishing.models import (
    Broadcast,
    Channel,
    ChannelStatus,
    EngagementSnapshot,
    FollowerSnapshot,
    Publication,
    PublicationStatus,
    SharePlan,
)
from tests.cms.helpers import article_form, share_plan_rows

M = GoalMetric


FAST_ZALO = {"verify_interval": 0.01}


def make_channel(
    unit, network="facebook", name=None, external_id=None, credentials=None, **fields
):
    """The one channel factory: a saved channel of `unit` (any other field, e.g.
    `status` or `posting_slots`, by keyword). Without an `external_id` the channel
    gets a new one; without `credentials`, a page token the sandbox never sees."""
    external_id = external_id or f"{network}-{Channel.objects.count() + 1}"
    channel = Channel(
        unit=unit,
        network=network,
        name=name or f"Trang {external_id}",
        external_id=external_id,
        **fields,
    )
    channel.set_credentials(credentials or {"page_token": "t"})
    channel.save()
    return channel


def bac_son(org=None):
    """Bắc Sơn of the `org` fixture or, for tests without the tree, the unit alone."""
    if org is not None:
        return org.bac_son
    unit, _ = Unit.objects.get_or_create(
        slug="bac-son", defaults={"name": "BHXH cơ sở Bắc Sơn"}
    )
    return unit


def fb_channel(org, page, name="BHXH Bắc Sơn", token=None):
    """Bắc Sơn's channel for a Page of the sandbox (`sandbox.facebook_page()`), with
    the Page's token unless another `token` is given."""
    credentials = {"page_token": token or page["page_token"]}
    return make_channel(bac_son(org), "facebook", name, page["id"], credentials)


def zalo_channel(
    org,
    oa,
    expires_in=datetime.timedelta(hours=25),
    name="OA Bắc Sơn",
    **credentials,
):
    """Bắc Sơn's channel for an OA of the sandbox (`sandbox.zalo_oa()`), its access
    token good for `expires_in`."""
    return make_channel(
        bac_son(org),
        "zalo",
        name,
        oa["id"],
        {
            "access_token": oa["access_token"],
            "refresh_token": oa["refresh_token"],
            "expires_at": (timezone.now() + expires_in).isoformat(),
            **credentials,
        },
    )


def due(page, channel, kind="", ago=datetime.timedelta(minutes=1), round=1):
    plan = SharePlan.objects.create(page=page, channel=channel, kind=kind)
    return Publication.objects.create(
        page=page,
        channel=channel,
        plan=plan,
        kind=kind,
        round=round,
        publish_at=timezone.now() - ago,
    )


def broadcast(publication, send_at=None, audience=None, **fields):
    """A broadcast of `publication`'s article, as a round makes it (due now unless
    `send_at`; `audience` {} is every follower)."""
    return Broadcast.objects.create(
        publication=publication,
        audience=audience or {},
        send_at=send_at or timezone.now(),
        **fields,
    )


def fresh(publication):
    publication.refresh_from_db()
    return publication


def posts(sandbox):
    return [p for p in sandbox.state.data["posts"].values() if not p.get("deleted")]


def feed_calls(sandbox):
    return [c for c in sandbox.calls("facebook", "feed") if c["method"] == "POST"]


class Setup:
    def __init__(self, org, client):
        self.org, self.client = org, client
        self.fb = make_channel(org.bac_son, "facebook", "BHXH Bắc Sơn")
        self.zalo = make_channel(org.bac_son, "zalo", "OA Bắc Sơn")
        self.stale = make_channel(
            org.bac_son, "facebook", "Cũ", status=ChannelStatus.NEEDS_RECONNECT
        )
        self.off = make_channel(
            org.bac_son, "facebook", "Đã tắt", status=ChannelStatus.DISABLED
        )
        self.other = make_channel(org.loc_binh, "facebook", "BHXH Lộc Bình")
        self.editor = org.user("bientap", Role.EDITOR, org.bac_son)
        self.page = org.article()
        client.force_login(self.editor)

    @property
    def edit_url(self):
        return reverse("wagtailadmin_pages:edit", args=(self.page.pk,))

    def post(self, *plans, initial=0, **extra):
        values = {
            "title": self.page.title,
            "slug": self.page.slug,
            "cover": self.page.cover_image,
            **extra,
        }
        data = article_form(
            share_plans=share_plan_rows(*plans, initial=initial), **values
        )
        return self.client.post(self.edit_url, data)

    def saved_plans(self):
        self.page.refresh_from_db()
        latest = self.page.get_latest_revision_as_object()
        return [(p.channel_id, p.message) for p in latest.share_plans.all()]


TZ = timezone.get_current_timezone()


def at(day, hour=12, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=TZ)


# The moment the fixed data set below (and the dashboard's campaigns and goals) is
# written around: tests using `Data` stand the clock here.
DATA_NOW = datetime.datetime(2026, 10, 15, 3, 0, tzinfo=datetime.UTC)


class Data:
    """The fixed data set; the comments give what each figure must come to."""

    def __init__(self, org):
        self.org = org
        self.today = today = timezone.localdate()
        self.S = S = today - datetime.timedelta(days=9)

        def d(n):
            return S + datetime.timedelta(days=n)

        self.d = d
        self.campaign = Campaign.objects.create(
            name="Chiến dịch thử",
            slug="chien-dich-thu",
            starts_on=S,
            ends_on=d(29),
        )
        self.campaign.units.set([org.region])
        self.campaign.save()
        self.other = Campaign.objects.create(
            name="Chiến dịch cũ", slug="cu", starts_on=d(-400), ends_on=d(-300)
        )
        ch = Channel.objects.create
        self.c1 = ch(
            unit=org.bac_son, network="facebook", name="BS FB", external_id="1"
        )
        self.c2 = ch(unit=org.bac_son, network="zalo", name="BS Zalo", external_id="2")
        self.c3 = ch(
            unit=org.loc_binh, network="facebook", name="LB FB", external_id="3"
        )
        self.c4 = ch(unit=org.region, network="facebook", name="KV FB", external_id="4")
        hh, coop = org.household, org.coop
        self.a1 = self.article("Bài một", [hh])
        self.a2 = self.article("Bài hai", [hh, coop])
        self.a3 = self.article("Bài ba", [])
        self.a4 = self.article("Bài ngoài chiến dịch", [hh], campaign=None)
        pub = self.publication
        # counters: reactions, comments, shares, reach  -> engagements
        self.p1 = pub(self.a1, self.c1, at(d(1)), (10, 2, 1, 100))  # 13
        self.p2 = pub(self.a1, self.c2, at(d(2)), (None, None, None, None))  # 0
        self.p3 = pub(self.a2, self.c1, at(d(3)), (5, 0, 2, 80))  # 7
        self.p4 = pub(self.a2, self.c3, at(d(3), 23, 30), (20, 5, 5, 300))  # 30
        self.p5 = pub(self.a3, self.c4, at(d(5), 0, 30), (1, 1, 1, 40))  # 3
        # Not counted: failed, not in the campaign, before the period.
        pub(self.a3, self.c3, at(d(4)), (9, 9, 9, 9), PublicationStatus.FAILED)
        pub(self.a4, self.c1, at(d(4)), (9, 9, 9, 9))
        pub(self.a1, self.c3, at(d(-2)), (100, 0, 0, 100))
        snap = self.snapshot
        snap(self.p1, at(d(1), 13), (4, 1, 0, 40))
        snap(self.p1, at(d(3), 10), (8, 2, 1, 90))
        snap(self.p1, at(d(5)), (10, 2, 1, 100))
        snap(self.p3, at(d(3), 14), (3, 0, 1, 60))
        snap(self.p4, at(d(4), 9), (20, 5, 5, 300))
        follow = self.followers
        follow(self.c1, d(-3), 1000)
        follow(self.c1, d(2), 1100)
        follow(self.c1, d(6), 1150)
        follow(self.c2, d(1), 500)
        follow(self.c2, d(8), 560)
        follow(self.c3, d(-10), 2000)
        self.records()
        self.goals()
        rollups.rebuild()  # as the scheduler does; the posts were made directly

    def article(self, title, groups, campaign=True):
        page = self.org.article(
            title=title, campaign=self.campaign if campaign else None
        )
        page.target_groups.set(groups)
        page.save()
        return page

    def publication(self, page, channel, when, counts, status=None):
        reactions, comments, shares, reach = counts
        return Publication.objects.create(
            page=page,
            channel=channel,
            status=status or PublicationStatus.PUBLISHED,
            publish_at=when,
            published_at=when,
            reactions=reactions,
            comments=comments,
            shares=shares,
            reach=reach,
        )

    def snapshot(self, publication, when, counts):
        reactions, comments, shares, reach = counts
        EngagementSnapshot.objects.create(
            publication=publication,
            captured_at=when,
            reactions=reactions,
            comments=comments,
            shares=shares,
            reach=reach,
        )

    def followers(self, channel, day, count):
        FollowerSnapshot.objects.create(
            channel=channel, captured_on=day, followers=count, captured_at=at(day)
        )

    def records(self):
        org, c, d = self.org, self.campaign, self.d
        for unit, day in (
            (org.bac_son, d(1)),
            (org.loc_binh, d(2)),
            (org.region, d(3)),
            (org.bac_son, d(15)),  # after today: outside the default period
        ):
            PressCoverage.objects.create(
                campaign=c, unit=unit, outlet="Báo", title="Tin", published_on=day
            )
        for unit, day, groups in (
            (org.bac_son, d(2), [org.household]),
            (org.loc_binh, d(4), [org.household, org.coop]),
            (org.bac_son, d(12), [org.coop]),  # after today
        ):
            event = OutreachEvent.objects.create(
                campaign=c,
                unit=unit,
                kind="village_meeting",
                held_on=day,
                place="Thôn",
                attendees=30,
            )
            event.target_groups.set(groups)
        for unit, group, start, end, new, total in (
            (org.bac_son, org.household, 0, 4, 10, 110),
            (org.bac_son, org.household, 5, 8, 7, 117),
            (org.bac_son, org.coop, 0, 6, 3, 40),
            (org.loc_binh, org.household, 0, 8, 20, 220),
            (org.loc_binh, org.household, 9, 15, 5, 225),  # closes after today
        ):
            EnrolmentReport.objects.create(
                campaign=c,
                unit=unit,
                target_group=group,
                period_start=d(start),
                period_end=d(end),
                identified_eligible=500,
                new_participants=new,
                total_participants=total,
            )

    def goals(self):
        goal = CampaignGoal.objects.create
        goal(campaign=self.campaign, metric=M.POSTS_PUBLISHED, target=30)
        goal(
            campaign=self.campaign,
            metric=M.NEW_PARTICIPANTS,
            target=60,
            unit=self.org.bac_son,
        )
        goal(
            campaign=self.campaign,
            metric=M.TOTAL_PARTICIPANTS,
            target=300,
            unit=self.org.loc_binh,
        )

    def scope(self, start=None, end=None, units=None, **kw):
        org = self.org
        return Scope(
            self.campaign,
            start or self.S,
            end or self.today,
            frozenset(units or {org.region.pk, org.bac_son.pk, org.loc_binh.pk}),
            **kw,
        )


def make_due(publications):
    Publication.objects.filter(pk__in=[p.pk for p in publications]).update(
        engagement_due_at=timezone.now() - datetime.timedelta(seconds=1)
    )


LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def local(*args):
    """A moment in Vietnam's time."""
    return datetime.datetime(*args, tzinfo=LOCAL)


def calendar_world(org):
    """The calendar's channels and articles, one of each per district."""
    bac_son = make_channel(org.bac_son, "facebook", "Trang Bắc Sơn", "Trang Bắc Sơn")
    loc_binh = make_channel(org.loc_binh, "zalo", "OA Lộc Bình", "OA Lộc Bình")
    article = org.article("bac-son", title="Bài Bắc Sơn")
    other = org.article("loc-binh", title="Bài Lộc Bình")
    return {
        "bac_son": bac_son,
        "loc_binh": loc_binh,
        "article": article,
        "other": other,
    }


def mp4_bytes(seconds=5.0, padding=0):
    """A small MP4 the way the networks check one: `ftyp` first, then `moov` with
    its `mvhd` (the duration, timescale 1000) and `padding` bytes of `mdat`."""

    def box(kind, content):
        return (8 + len(content)).to_bytes(4, "big") + kind + content

    mvhd = bytes(4) + bytes(8) + (1000).to_bytes(4, "big")
    mvhd += int(seconds * 1000).to_bytes(4, "big") + bytes(80)
    return (
        box(b"ftyp", b"isom" + bytes(4) + b"isommp41")
        + box(b"moov", box(b"mvhd", mvhd))
        + box(b"mdat", bytes(padding))
    )


def wav_bytes(seconds=2.0, rate=8000):
    """A real WAV of a 440 Hz tone (16-bit mono), small enough to make in a test."""
    samples = b"".join(
        int(12000 * math.sin(2 * math.pi * 440 * n / rate)).to_bytes(
            2, "little", signed=True
        )
        for n in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(samples)
    return buffer.getvalue()


def audio_media(title="Bản tin phát thanh", seconds=2.0, name="ban-tin.wav", **fields):
    """An audio of the media library: a real WAV of `seconds` (its own duration
    field left at 0 unless given: ffmpeg reads the file then)."""
    data = fields.pop("data", None) or wav_bytes(seconds)
    return video_media(title=title, name=name, data=data, type="audio", **fields)


def video_media(title="Họp dân Bắc Sơn", seconds=5.0, name="hop-dan.mp4", **fields):
    """A video of the media library; its file's duration is `seconds`, its own
    duration field left at 0 unless given (the file is read then)."""
    data = fields.pop("data", None) or mp4_bytes(seconds, fields.pop("padding", 0))
    return Media.objects.create(
        title=title,
        file=ContentFile(data, name=name),
        type=fields.pop("type", "video"),
        **fields,
    )
