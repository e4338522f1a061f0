"""The region lead reads the campaign's goals at a glance: each card coloured by its
pace (and saying it), its bar as long as the share of the target reached, the
goals behind schedule first, a district without channels saying so. A district
editor opens the list of posts: today and what follows, soonest first, with each
post's reactions, comments, shares and views, and chooses what is past."""

import datetime

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from cms.content.models import ArticlePage
from cms.core.models import Campaign, CampaignGoal, GoalMetric, Unit
from publishing.metrics import rollups
from publishing.models import Channel, Publication, PublicationStatus
from tests.e2e.helpers import sign_in

M = GoalMetric
S = PublicationStatus


@pytest.fixture
def now():
    """Tomorrow 10:00 in Hanoi, the clock standing there (ticking) for the whole
    journey: after the demo's seeding, so its dates are in the past or today."""
    local = timezone.localtime() + datetime.timedelta(days=1)
    moment = local.replace(hour=10, minute=0, second=0, microsecond=0)
    with time_machine.travel(moment, tick=True):
        yield moment


def campaign_of_four_weeks(today):
    """58 days, 28 begun: a pace of 28/58 of each target. Four posts on a test
    channel of Bắc Sơn (the demo's channels need the sandbox), 900 reach and 48
    to 78 engagements each."""
    campaign = Campaign.objects.create(
        name="Chiến dịch nhìn nhanh",
        slug="chien-dich-nhin-nhanh",
        starts_on=today - datetime.timedelta(days=27),
        ends_on=today + datetime.timedelta(days=30),
    )
    campaign.units.set([Unit.objects.get(slug="khu-vuc-v")])
    channel = Channel.objects.create(
        unit=Unit.objects.get(slug="bac-son"),
        network="facebook",
        name="BHXH Bắc Sơn (mục tiêu)",
        external_id="goals-test",
    )
    articles = list(ArticlePage.objects.live().filter(units__slug="bac-son"))
    for week in range(4):
        article = articles[week % len(articles)]  # the demo has two
        article.campaign = campaign
        article.save(update_fields=["campaign"])
        day = campaign.starts_on + datetime.timedelta(days=7 * week + 1)
        when = datetime.datetime.combine(
            day, datetime.time(9), tzinfo=timezone.get_current_timezone()
        )
        Publication.objects.create(
            page=article,
            channel=channel,
            round=90 + week,
            status=S.PUBLISHED,
            publish_at=when,
            published_at=when,
            reactions=40 + 10 * week,
            comments=5,
            shares=3,
            reach=900,
        )
    rollups.rebuild()  # as the scheduler does; the posts were made directly
    goal = CampaignGoal.objects.create
    # In the campaign's order: ahead, on pace, behind, then a district without
    # channels (Lạng Sơn city has none in the demo).
    goal(campaign=campaign, metric=M.REACH, target=4000, sort_order=1)  # 3600 / 1931
    goal(campaign=campaign, metric=M.ENGAGEMENTS, target=500, sort_order=2)  # 252/241
    goal(campaign=campaign, metric=M.POSTS_PUBLISHED, target=58, sort_order=3)  # 4/28
    city = Unit.objects.get(slug="thanh-pho-lang-son")
    goal(
        campaign=campaign, metric=M.POSTS_PUBLISHED, target=20, unit=city, sort_order=4
    )
    return campaign


# The colour a token resolves to in this browser, and an element's own colours.
TOKEN = """(token) => {
  const probe = document.createElement('span');
  probe.style.color = `var(${token})`;
  document.body.append(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}"""
COLOURS = """(card) => ({
  edge: getComputedStyle(card).borderInlineStartColor,
  fill: getComputedStyle(card.querySelector('[data-goal-fill]') || card)
    .backgroundColor,
  pace: getComputedStyle(card.querySelector('[data-goal-pace]')).color,
})"""
WIDTHS = """(card) => {
  const bar = card.querySelector('[data-goal-bar]').getBoundingClientRect();
  const fill = card.querySelector('[data-goal-fill]').getBoundingClientRect();
  const mark = card.querySelector('[data-goal-mark]').getBoundingClientRect();
  const middle = mark.left + mark.width / 2 - bar.left;
  return { bar: bar.width, fill: fill.width, mark: middle };
}"""


def test_goal_cards_are_coloured_by_their_pace(page, live_server, demo, now):
    base = live_server.url
    campaign = campaign_of_four_weeks(now.date())
    sign_in(page, base, "lanhdao.khuvuc")
    page.goto(f"{base}/admin/publishing/dashboard/?campaign={campaign.pk}")
    cards = page.locator("[data-goal]")
    expect(cards).to_have_count(4)
    # Behind schedule first (the two behind in the campaign's order: the whole
    # campaign's posts, then the city's), then on pace, then ahead; each says its
    # pace in words.
    assert [cards.nth(i).get_attribute("data-pace") for i in range(4)] == [
        "behind",
        "behind",
        "on_pace",
        "ahead",
    ]
    expect(cards.nth(0).locator("[data-goal-pace]")).to_have_text("Chậm tiến độ")
    expect(cards.nth(2).locator("[data-goal-pace]")).to_have_text("Đúng tiến độ")
    expect(cards.nth(3).locator("[data-goal-pace]")).to_have_text("Vượt tiến độ")

    tokens = {
        pace: page.evaluate(TOKEN, token)
        for pace, token in (
            ("behind", "--w-color-critical-200"),
            ("on_pace", "--w-color-info-100"),
            ("ahead", "--w-color-positive-100"),
        )
    }
    assert len(set(tokens.values())) == 3, tokens
    for index, pace in enumerate(["behind", "behind", "on_pace", "ahead"]):
        colours = cards.nth(index).evaluate(COLOURS)
        assert colours["edge"] == colours["pace"] == tokens[pace], (pace, colours)
    for index in (0, 2, 3):
        assert (
            cards.nth(index).evaluate(COLOURS)["fill"]
            == tokens[cards.nth(index).get_attribute("data-pace")]
        )
    red, green, blue = (
        [int(v) for v in tokens[p].removeprefix("rgb(").rstrip(")").split(",")]
        for p in ("behind", "ahead", "on_pace")
    )
    assert red[0] > red[1] + 80 and green[1] > green[0] + 60 and blue[2] > blue[0]

    # The bar: posts 4 of 58 (6 %), its pace 28 (48 %); reach 3,600 of 4,000 (90 %).
    expect(cards.nth(0)).to_contain_text("Toàn chiến dịch")
    sizes = cards.nth(0).evaluate(WIDTHS)
    assert sizes["fill"] == pytest.approx(sizes["bar"] * 0.06, abs=1.5), sizes
    assert sizes["mark"] == pytest.approx(sizes["bar"] * 0.48, abs=2), sizes
    sizes = cards.nth(3).evaluate(WIDTHS)
    assert sizes["fill"] == pytest.approx(sizes["bar"] * 0.90, abs=1.5), sizes
    expect(cards.nth(3).locator(".dashboard-goal__value")).to_have_text("3.600 / 4.000")

    # Lạng Sơn city has no channel: said, no bar of zeros.
    city = cards.nth(1)
    expect(city).to_contain_text("Lạng Sơn")
    expect(city.locator("[data-no-channel]")).to_have_text("Chưa kết nối kênh nào")
    expect(city.locator("[data-goal-bar]")).to_have_count(0)


def test_the_list_of_posts_opens_on_today_soonest_first_with_counts(
    page, live_server, demo, now
):
    base = live_server.url
    channel = Channel.objects.create(
        unit=Unit.objects.get(slug="bac-son"),
        network="facebook",
        name="BHXH Bắc Sơn (danh sách)",
        external_id="list-test",
    )
    article = ArticlePage.objects.live().filter(units__slug="bac-son").first()
    when = {
        "past": now - datetime.timedelta(days=1),
        "soon": now + datetime.timedelta(hours=2),
        "later": now + datetime.timedelta(days=3),
    }
    made = {}
    for number, (name, at) in enumerate(when.items()):
        past = name == "past"
        made[name] = Publication.objects.create(
            page=article,
            channel=channel,
            round=80 + number,
            status=S.PUBLISHED if past else S.SCHEDULED,
            publish_at=at,
            published_at=at if past else None,
            reactions=1234 if past else None,
            comments=56 if past else None,
            shares=7 if past else None,
            views=8900 if past else None,
        )
    sign_in(page, base, "bientap.bacson")
    page.goto(f"{base}/admin/publishing/publications/")
    table = page.locator("table.listing")
    expect(table).to_be_visible()
    headers = table.locator("thead th").all_inner_texts()
    for label in ("Cảm xúc", "Bình luận", "Chia sẻ", "Lượt xem"):
        assert any(label in h for h in headers), headers

    rows = table.locator("tbody tr")
    times = [
        datetime.datetime.fromisoformat(t)
        for t in rows.locator("time").evaluate_all(
            "els => els.map(e => e.getAttribute('datetime'))"
        )
    ]
    midnight = now.replace(hour=0, minute=0)
    assert times and times == sorted(times), times
    assert all(t >= midnight for t in times), times  # nothing before today
    ids = rows.evaluate_all(
        "rows => rows.map(r => r.querySelector('a').getAttribute('href'))"
    )
    soon = next(i for i, href in enumerate(ids) if f"/{made['soon'].pk}/" in href)
    later = next(i for i, href in enumerate(ids) if f"/{made['later'].pk}/" in href)
    assert soon < later
    assert not any(f"/{made['past'].pk}/" in href for href in ids)
    scheduled = rows.nth(soon).locator("td[data-count]")
    expect(scheduled).to_have_text(["—"] * 4)

    # What is past: chosen in the filters, the latest first, with its counts.
    filters = page.locator("#filters-drilldown")
    filters.locator("button.w-slim-header-action-button").click()
    filters.locator(".w-drilldown__toggle", has_text="Khoảng thời gian").click()
    filters.get_by_label("Trước hôm nay").check()
    row = rows.filter(has=page.locator(f"a[href*='/{made['past'].pk}/']"))
    expect(row).to_have_count(1)
    expect(row.locator("td[data-count]")).to_have_text(["1.234", "56", "7", "8.900"])
    page.wait_for_url("**period=past**")
    first = rows.first.locator("time").get_attribute("datetime")
    assert datetime.datetime.fromisoformat(first) < midnight
