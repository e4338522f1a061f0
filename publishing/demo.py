"""Demo channels: a Facebook Page and a Zalo OA for the region and two districts,
connected through the sandbox when it runs (`make run` starts it first)."""

import datetime
import random

import requests
from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from publishing.channels.connect import ConnectError, connect
from publishing.lifecycle import PublicationStatus
from publishing.models import (
    Answer,
    AnswerStatus,
    Channel,
    FollowerSnapshot,
    Network,
    Publication,
    Question,
    QuestionKind,
    QuestionStatus,
    SharePlan,
    Topic,
)

DEMO_UNITS = {"khu-vuc-v": 18200, "bac-son": 4100, "loc-binh": 3650}


def _sandbox(path, payload):
    response = requests.post(
        settings.SANDBOX_URL.rstrip("/") + "/_sandbox/" + path, json=payload, timeout=5
    )
    response.raise_for_status()
    return response.json()


def seed_channels(sender, units, stdout, **kwargs):
    if not getattr(settings, "SANDBOX_URL", ""):
        return
    try:
        requests.get(settings.SANDBOX_URL.rstrip("/") + "/_sandbox/state", timeout=2)
    except requests.RequestException:
        stdout.write(
            "Sandbox không chạy: bỏ qua kênh mẫu (chạy `make run` để có kênh mẫu)."
        )
        return
    created = 0
    for slug, followers in DEMO_UNITS.items():
        unit = units[slug]
        for network in (Network.FACEBOOK, Network.ZALO):
            if Channel.objects.filter(unit=unit, network=network).exists():
                continue
            try:
                _connect_demo(unit, network, followers)
                created += 1
            except (ConnectError, requests.RequestException) as error:
                stdout.write(f"Không kết nối được kênh mẫu {unit.label}: {error}")
    stdout.write(f"Kênh mẫu qua sandbox: {created} kênh mới.")


def _connect_demo(unit, network, followers):
    if network == Network.FACEBOOK:
        page = _sandbox(
            "facebook/pages", {"name": f"BHXH {unit.label}", "followers": followers}
        )
        external_id, credentials = page["id"], {"page_token": page["page_token"]}
        name = f"BHXH {unit.label}"
    else:
        oa = _sandbox(
            "zalo/oas", {"name": f"BHXH {unit.label}", "followers": followers // 2}
        )
        external_id = oa["id"]
        credentials = {
            "access_token": oa["access_token"],
            "refresh_token": oa["refresh_token"],
            "expires_at": (timezone.now() + datetime.timedelta(hours=25)).isoformat(),
        }
        name = f"BHXH {unit.label} (Zalo)"
    connect(network, external_id, name, unit, credentials, user=None)


# Demo shares: the newest articles are shared at once (the sandbox feed fills within a
# minute of `make run`), the older ones over the coming days at 08:00.
SHARE_AT_ONCE = 5
DEMO_LEAD = "lanhdao.khuvuc"


def seed_shares(sender, units, stdout, **kwargs):
    """Plan shares for the demo articles, approved and published by the lead; the
    newest one's first Zalo share is sent to the OA's followers too (a broadcast
    to all of them, waiting for 06:00 if seeded at night)."""
    from django.contrib.auth import get_user_model

    from cms.content.models import ArticlePage

    channels = {}
    for channel in Channel.objects.filter(unit__in=units.values()):
        channels.setdefault(channel.unit_id, []).append(channel)
    if not channels:
        return
    region = units["khu-vuc-v"]
    lead = get_user_model().objects.filter(username=DEMO_LEAD).first()
    articles = ArticlePage.objects.live().order_by("-first_published_at", "-pk")
    planned = 0
    for index, page in enumerate(articles):
        if page.share_plans.exists():
            continue  # seeded before: seed_demo stays idempotent
        owner = page.owner_unit
        targets = list(channels.get(owner.pk, [])) if owner else []
        targets += [c for c in channels.get(region.pk, []) if c not in targets]
        if not targets:
            continue
        publish_at = (
            None if index < SHARE_AT_ONCE else _morning(index - SHARE_AT_ONCE + 1)
        )
        for number, channel in enumerate(targets):
            kind = "photo" if channel.network == Network.FACEBOOK and number else ""
            # The newest article's first Zalo share also goes to the OA's followers.
            broadcast = index == 0 and channel == _first_zalo(targets)
            page.share_plans.add(
                SharePlan(
                    channel=channel,
                    publish_at=publish_at,
                    kind=kind,
                    broadcast=broadcast,
                )
            )
        page.save_revision(user=lead, log_action=True).publish(user=lead)
        planned += len(targets)
    stdout.write(f"Kế hoạch chia sẻ mẫu: {planned} lượt chia sẻ.")


def _first_zalo(channels):
    return next((c for c in channels if c.network == Network.ZALO), None)


def _morning(days):
    local = timezone.localtime() + datetime.timedelta(days=days)
    return local.replace(hour=8, minute=0, second=0, microsecond=0)


# Seeded demo history: follower counts of the demo channels for the campaign's days
# before they were connected (the collector records them from then on), so the
# dashboard's followers chart has a line on first open. Not real readings.
DEMO_GROWTH_PER_DAY = 0.0015  # the campaign's first months: about 4.5 % a month


def seed_follower_history(sender, units, stdout, campaign=None, **kwargs):
    """One FollowerSnapshot a day per demo channel, from the campaign's start to the
    day before the channel was connected, ending at its demo follower count."""
    if campaign is None:
        return
    created = 0
    channels = Channel.objects.filter(unit__slug__in=DEMO_UNITS).select_related("unit")
    for channel in channels:
        connected = timezone.localdate(channel.connected_at or timezone.now())
        last_day = min(connected - datetime.timedelta(days=1), campaign.ends_on)
        days = (last_day - campaign.starts_on).days + 1
        if days <= 0:
            continue
        final = DEMO_UNITS[channel.unit.slug]
        if channel.network == Network.ZALO:
            final //= 2
        known = set(channel.follower_snapshots.values_list("captured_on", flat=True))
        rows = [
            FollowerSnapshot(
                channel=channel,
                captured_on=day,
                followers=count,
                captured_at=_evening(day),
            )
            for day, count in _history(channel, campaign.starts_on, days, final)
            if day not in known
        ]
        FollowerSnapshot.objects.bulk_create(rows)
        created += len(rows)
    stdout.write(f"Lịch sử người theo dõi mẫu: {created} bản ghi mới.")


def _history(channel, first_day, days, final):
    """(day, followers), growing a little every day, more on some (days with posts),
    to `final` on the last day; the same on every run."""
    draw = random.Random(f"followers:{channel.network}:{channel.external_id}")
    growth = round(final * min(0.3, DEMO_GROWTH_PER_DAY * days))
    weights = [
        draw.uniform(0.3, 1.0) * (3 if draw.random() < 0.15 else 1)
        for _ in range(days - 1)
    ]
    total = sum(weights) or 1.0
    start, gained = final - growth, 0.0
    history = [(first_day, start)]
    for number, weight in enumerate(weights, start=1):
        gained += weight
        day = first_day + datetime.timedelta(days=number)
        history.append((day, start + round(growth * gained / total)))
    return history


def _evening(day):
    moment = datetime.datetime.combine(day, datetime.time(20, 0))
    return timezone.make_aware(moment)


# Seeded demo post history: the region's Facebook Page has eight weeks of published
# posts, so its best posting times show on first open (publishing/metrics/
# best_times.py); the other demo channels have only the demo shares, so they show
# how many more posts they need. Not real posts: nothing reads their counts again.
HISTORY_WEEKS = 8
HISTORY_MARK = "demo-history-"
# (weekday, hour, reach around, engagements around) of each week's posts: Tuesday
# evenings and Thursday late mornings do best, as the demo tells it.
HISTORY_HOURS = [
    (0, 8, 900, 20),
    (1, 20, 4200, 160),
    (3, 11, 2600, 90),
    (5, 9, 1500, 45),
]


def seed_post_history(sender, units, stdout, **kwargs):
    """HISTORY_WEEKS weeks of published posts on the region's Facebook Page, once."""
    from cms.content.models import ArticlePage

    channel = Channel.objects.filter(
        unit=units["khu-vuc-v"], network=Network.FACEBOOK
    ).first()
    pages = list(ArticlePage.objects.live().order_by("pk"))
    if channel is None or not pages:
        return
    if channel.publications.filter(external_id__startswith=HISTORY_MARK).exists():
        return
    rows = list(_past_posts(channel, pages))
    Publication.objects.bulk_create(rows)
    stdout.write(f"Lịch sử bài đăng mẫu: {len(rows)} bài trên {channel.label}.")


def _past_posts(channel, pages):
    draw = random.Random(f"history:{channel.external_id}")
    rounds = dict(
        channel.publications.values("page")
        .annotate(Max("round"))
        .values_list("page", "round__max")
    )
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    number = 0
    for week in range(HISTORY_WEEKS, 0, -1):
        for weekday, hour, reach, engagements in HISTORY_HOURS:
            day = monday - datetime.timedelta(weeks=week) + datetime.timedelta(weekday)
            when = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(hour, draw.randint(0, 20)))
            )
            page = pages[number % len(pages)]
            number += 1
            rounds[page.pk] = rounds.get(page.pk, 0) + 1
            reactions = round(engagements * draw.uniform(0.6, 0.8))
            yield Publication(
                page=page,
                channel=channel,
                round=rounds[page.pk],
                status=PublicationStatus.PUBLISHED,
                publish_at=when,
                published_at=when,
                external_id=f"{HISTORY_MARK}{number}",
                reach=round(reach * draw.uniform(0.8, 1.2)),
                reactions=reactions,
                comments=round((engagements - reactions) * 0.6),
                shares=round((engagements - reactions) * 0.4),
                engagement_synced_at=when + datetime.timedelta(days=2),
            )


# Demo citizens' questions: a few on Bắc Sơn's and the region's channels, some
# answered, so the inbox and the answer times show something on first open. The
# Zalo messages are conversations in the sandbox read back as the job reads them,
# so the open ones can be answered for real; the comments sit under the region
# Page's past posts (answered, or needing no reply). New comments come under the
# demo posts from the sandbox's simulated audience (sandbox/simulate.py).
DEMO_ANSWERER = "duyet.bacson"
HOTLINE = "Tổng đài 1900 9068 hỗ trợ thêm."
# (unit, author, text, target group, topic, hours ago, answer or "" or None:
# None needs no reply, "" waits for one)
DEMO_COMMENTS = [
    (
        "khu-vuc-v",
        "Nguyễn Thị Hoa",
        "Tôi bán hàng ở chợ, có đăng ký hộ kinh doanh. Từ tháng 7/2025 tôi có phải "
        "đóng BHXH bắt buộc không?",
        "ho-kinh-doanh",
        "Đóng BHXH bắt buộc",
        70,
        "Chào chị Hoa, từ 01/7/2025 chủ hộ kinh doanh có đăng ký kinh doanh tham "
        "gia BHXH bắt buộc. Chị liên hệ BHXH cơ sở nơi cư trú để được hướng dẫn. "
        f"{HOTLINE}",
    ),
    (
        "khu-vuc-v",
        "Trần Văn Bình",
        "Tôi làm giám đốc hợp tác xã nhưng không nhận lương thì đóng BHXH theo mức "
        "nào ạ?",
        "quan-ly-htx",
        "Đóng BHXH bắt buộc",
        46,
        "Chào anh Bình, người quản lý hợp tác xã không hưởng tiền lương được chọn "
        "mức tiền lương làm căn cứ đóng, thấp nhất bằng mức tham chiếu. "
        f"{HOTLINE}",
    ),
    (
        "khu-vuc-v",
        "Hoàng Văn Nam",
        "Cảm ơn BHXH, thông tin rất hữu ích!",
        None,
        None,
        30,
        None,
    ),
]
# (unit, follower id, name, text, target group, topic, hours ago, answer or "")
DEMO_MESSAGES = [
    (
        "bac-son",
        "demo-follower-1",
        "Lê Thị Mai",
        "Tôi là phó thôn, hoạt động không chuyên trách. Tôi có được tham gia BHXH "
        "bắt buộc không ạ?",
        "khong-chuyen-trach",
        "Đóng BHXH bắt buộc",
        20,
        "Chào chị Mai, từ 01/7/2025 người hoạt động không chuyên trách ở thôn, tổ "
        f"dân phố tham gia BHXH bắt buộc. {HOTLINE}",
    ),
    (
        "bac-son",
        "demo-follower-2",
        "Đỗ Thị Lan",
        "Cho tôi hỏi hộ kinh doanh nộp tiền BHXH ở đâu, nộp qua ứng dụng VssID có "
        "được không?",
        "ho-kinh-doanh",
        "VssID và dịch vụ công",
        3,
        "",
    ),
    (
        "khu-vuc-v",
        "demo-follower-3",
        "Phạm Quốc Huy",
        "Tôi đã đóng BHXH tự nguyện 5 năm, nay mở hộ kinh doanh phải đóng bắt buộc "
        "thì thời gian cũ có được cộng dồn không?",
        "ho-kinh-doanh",
        "BHXH tự nguyện",
        1,
        "",
    ),
]
DEMO_ANSWER_DELAY = datetime.timedelta(hours=2, minutes=40)


def seed_questions(sender, units, stdout, **kwargs):
    """The demo's questions, once: none is added when the demo channels have any."""
    channels = {
        (c.unit.slug, c.network): c
        for c in Channel.objects.filter(unit__slug__in=DEMO_UNITS).select_related(
            "unit"
        )
    }
    if not channels or Question.objects.filter(channel__in=channels.values()).exists():
        return
    now = timezone.now()
    asked = _demo_comments(channels, now) + _demo_messages(channels, now)
    stdout.write(f"Câu hỏi mẫu của người dân: {asked} câu hỏi.")


def _demo_comments(channels, now):
    channel = channels.get(("khu-vuc-v", Network.FACEBOOK))
    posts = list(
        Publication.objects.filter(
            channel=channel, external_id__startswith=HISTORY_MARK
        )
        .order_by("-published_at")
        .values_list("pk", "external_id")
    )
    if channel is None or not posts:
        return 0
    for number, row in enumerate(DEMO_COMMENTS):
        _unit, author, text, group, topic, hours, answer = row
        publication_id, post_id = posts[number % len(posts)]
        question = Question.objects.create(
            channel=channel,
            kind=QuestionKind.COMMENT,
            publication_id=publication_id,
            post_external_id=post_id,
            external_id=f"{post_id}_demo-comment-{number + 1}",
            author_name=author,
            text=text,
            received_at=now - datetime.timedelta(hours=hours),
        )
        _settle(question, group, topic, answer)
    return len(DEMO_COMMENTS)


def _demo_messages(channels, now):
    from publishing.inbox.zalo import read_back

    wanted = {}
    for unit, follower, name, text, group, topic, hours, answer in DEMO_MESSAGES:
        channel = channels.get((unit, Network.ZALO))
        if channel is None:
            continue
        message = {"oa": channel.external_id, "user_id": follower, "text": text}
        age = {"user_name": name, "age": hours * 3600}
        _sandbox("zalo/messages", {**message, **age})
        wanted[text] = (group, topic, answer)
    read_back(now)
    questions = Question.objects.filter(text__in=wanted, kind=QuestionKind.MESSAGE)
    for question in questions:
        _settle(question, *wanted[question.text])
    return len(questions)


def _settle(question, group_slug, topic_name, answer):
    """An answered question's group, topic and answer sent; one needing no reply
    so marked; one waiting left as collected (the person answering picks them)."""
    from cms.core.models import TargetGroup

    if answer == "":
        return

    question.target_group = TargetGroup.objects.filter(slug=group_slug).first()
    question.topic = Topic.objects.filter(name=topic_name).first()
    if answer is None:
        question.status = QuestionStatus.NO_REPLY
    elif answer:
        question.status = QuestionStatus.ANSWERED
        question.first_answered_at = question.received_at + DEMO_ANSWER_DELAY
        _sent(question, answer)
    question.save()


def _sent(question, text):
    from django.contrib.auth import get_user_model

    answerer = get_user_model().objects.filter(username=DEMO_ANSWERER).first()
    Answer.objects.create(
        question=question,
        text=text,
        status=AnswerStatus.SENT,
        created_by=answerer,
        decided_by=answerer,
        decided_at=question.first_answered_at,
        sent_at=question.first_answered_at,
        external_id=f"demo-answer-{question.pk}",
        attempts=1,
    )
