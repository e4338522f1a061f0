"""The sandbox's simulated audiences (`run_sandbox --simulate`): counts grow like a
real audience's, read back through the real Graph and Zalo endpoints."""

import pytest
import requests
from django.core.management import CommandError, call_command

from sandbox.server import SandboxServer
from sandbox.simulate import Simulator, share_by
from sandbox.state import SandboxState

V = "v24.0/"
HOUR = 3600
START = 1_780_000_000.0
ARTICLE = {
    "type": "normal",
    "title": "Chủ hộ kinh doanh tham gia BHXH bắt buộc",
    "author": "BHXH Bắc Sơn",
    "description": "Từ 01/7/2025",
    "cover": {"cover_type": "photo", "photo_url": "https://x.vn/c.png"},
    "body": [{"type": "text", "content": "<p>Nội dung</p>"}],
    "status": "show",
    "comment": "show",
}
FIELDS = (
    "shares,reactions.limit(0).summary(total_count),comments.limit(0).summary(true),"
    "insights.metric(post_media_view,post_total_media_view_unique,post_clicks)"
)


class Clock:
    """The time the sandbox and the simulator see, moved by the test."""

    def __init__(self):
        self.now = START

    def __call__(self):
        return self.now


def fb_post(sandbox, page, message="Tin mới"):
    response = requests.post(
        sandbox.url + V + f"{page['id']}/feed",
        data={"message": message, "access_token": page["page_token"]},
        timeout=5,
    )
    return response.json()["id"]


def fb_counts(sandbox, page, post_id):
    """What the engagement collector reads: one `?ids=` call with insights."""
    params = {"ids": post_id, "fields": FIELDS, "access_token": page["page_token"]}
    post = requests.get(sandbox.url + V, params=params, timeout=5).json()[post_id]
    insights = {m["name"]: m["values"][0]["value"] for m in post["insights"]["data"]}
    return {
        "reactions": post["reactions"]["summary"]["total_count"],
        "comments": post["comments"]["summary"]["total_count"],
        "shares": post.get("shares", {}).get("count", 0),
        "views": insights["post_media_view"],
        "reach": insights["post_total_media_view_unique"],
        "clicks": insights["post_clicks"],
    }


def fb_followers(sandbox, page):
    params = {"fields": "followers_count", "access_token": page["page_token"]}
    url = sandbox.url + V + page["id"]
    return requests.get(url, params=params, timeout=5).json()["followers_count"]


def zalo(sandbox, path, oa, body=None, **params):
    method = "GET" if body is None else "POST"
    return requests.request(
        method,
        sandbox.url + path,
        headers={"access_token": oa["access_token"]},
        json=body,
        params=params,
        timeout=5,
    ).json()


def zalo_article(sandbox, oa):
    token = zalo(sandbox, "v2.0/article/create", oa, ARTICLE)["data"]["token"]
    while True:
        answer = zalo(sandbox, "v2.0/article/verify", oa, {"token": token})
        if answer["error"] == 0:
            return answer["data"]["id"]


def at_hours(clock, simulator, hours):
    clock.now = START + hours * HOUR
    simulator.step()


def test_a_post_gets_most_of_its_engagement_in_its_first_day(sandbox):
    clock = Clock()
    sandbox.state.clock = clock
    page = sandbox.facebook_page(name="BHXH Khu vực V", followers=18200)
    post_id = fb_post(sandbox, page)
    simulator = Simulator(sandbox.state, seed=7, clock=clock)

    seen = {}
    for hours in (0, 5 / 60, 1, 6, 24, 72, 24 * 7, 24 * 30):
        at_hours(clock, simulator, hours)
        seen[hours] = fb_counts(sandbox, page, post_id)

    assert seen[0] == dict.fromkeys(seen[0], 0)  # nothing at the moment of posting
    assert seen[5 / 60]["reach"] > 0  # a first snapshot after 5 minutes sees some
    hours = sorted(seen)
    for name in seen[0]:
        values = [seen[h][name] for h in hours]
        assert values == sorted(values), name  # counts never go down
    final = seen[24 * 30]
    assert 0.08 * 18200 <= final["reach"] <= 0.35 * 18200
    assert final["views"] > final["reach"] > final["reactions"] > final["comments"]
    assert final["reactions"] > final["shares"] and final["clicks"] > 0
    # Most of it in the first day, then it slows down.
    assert seen[24]["reach"] >= 0.8 * final["reach"]
    assert seen[24]["reach"] - seen[6]["reach"] > seen[72]["reach"] - seen[24]["reach"]
    assert seen[24 * 7]["reach"] >= 0.98 * final["reach"]


def test_followers_grow_each_hour_and_more_after_posts(sandbox):
    clock = Clock()
    sandbox.state.clock = clock
    quiet = sandbox.facebook_page(name="BHXH Lộc Bình", followers=4000)
    busy = sandbox.facebook_page(name="BHXH Bắc Sơn", followers=4000)
    simulator = Simulator(sandbox.state, seed=7, clock=clock)
    at_hours(clock, simulator, 0)
    for number in range(3):
        fb_post(sandbox, busy, f"Bài {number}")
    for hours in range(1, 25):
        at_hours(clock, simulator, hours)

    quiet_gain = fb_followers(sandbox, quiet) - 4000
    busy_gain = fb_followers(sandbox, busy) - 4000
    # About 0.1 % a day without posts: 4 people, give or take the jitter.
    assert 1 <= quiet_gain <= 8
    assert busy_gain > quiet_gain + 5
    assert sandbox.state.data["pages"][busy["id"]]["fans"] == 4000 + busy_gain


def test_zalo_article_views_and_oa_followers_move(sandbox):
    clock = Clock()
    sandbox.state.clock = clock
    oa = sandbox.zalo_oa(name="BHXH Bắc Sơn (Zalo)", followers=2000)
    article_id = zalo_article(sandbox, oa)
    simulator = Simulator(sandbox.state, seed=7, clock=clock)

    views = []
    for hours in (0, 1, 6, 24):  # the OA token lives 25 hours
        at_hours(clock, simulator, hours)
        detail = zalo(sandbox, "v2.0/article/getdetail", oa, id=article_id)
        views.append(detail["data"]["total_view"])
    assert views[0] == 0 < views[1] < views[2] < views[3] <= 0.45 * 2000
    followers = zalo(sandbox, "v2.0/oa/getoa", oa)["data"]["num_follower"]
    assert followers > 2000


def test_same_seed_and_clock_give_the_same_numbers():
    def run(seed):
        clock = Clock()
        state = SandboxState(clock=clock)
        page, _ = state.add_page(name="BHXH Chi Lăng", followers=3000)
        state.data["posts"]["p1"] = {
            "id": "p1",
            "seq": 1,
            "page": page["id"],
            "created_time": int(START),
        }
        simulator = Simulator(state, seed=seed, clock=clock)
        for hours in (0, 2, 30):
            at_hours(clock, simulator, hours)
        return state.data["posts"]["p1"]["engagement"], page["followers"]

    assert run(3) == run(3)
    assert run(3) != run(4)


def test_counts_set_by_a_test_above_the_simulation_stay(sandbox):
    clock = Clock()
    sandbox.state.clock = clock
    page = sandbox.facebook_page(followers=1000)
    post_id = fb_post(sandbox, page)
    sandbox.control("engagement", {"post_id": post_id, "reactions": 5000})
    simulator = Simulator(sandbox.state, seed=1, clock=clock)
    at_hours(clock, simulator, 48)
    assert fb_counts(sandbox, page, post_id)["reactions"] == 5000


def test_deleted_posts_do_not_move():
    clock = Clock()
    state = SandboxState(clock=clock)
    page, _ = state.add_page(name="BHXH Văn Quan", followers=3000)
    state.data["posts"]["gone"] = {
        "id": "gone",
        "seq": 1,
        "page": page["id"],
        "created_time": int(START),
        "deleted": True,
        "engagement": {},
    }
    at_hours(clock, Simulator(state, clock=clock), 24)
    assert state.data["posts"]["gone"]["engagement"] == {}


def test_share_by_age():
    assert share_by(-60) == 0 == share_by(0)
    assert 0.8 < share_by(24 * HOUR) < 0.9
    assert share_by(7 * 24 * HOUR) > 0.98


def test_without_simulation_counts_stay_and_the_feed_says_nothing(sandbox):
    page = sandbox.facebook_page(followers=1000)
    post_id = fb_post(sandbox, page)
    assert sandbox.server.simulator is None
    feed = requests.get(sandbox.url, timeout=5).text
    assert "mô phỏng" not in feed
    assert fb_counts(sandbox, page, post_id)["reach"] == 0


def test_a_simulating_server_steps_in_the_background_and_says_so():
    clock = Clock()
    state = SandboxState(clock=clock)
    page, _ = state.add_page(name="BHXH Hữu Lũng", followers=5000)
    state.data["posts"]["p1"] = {
        "id": "p1",
        "seq": 1,
        "page": page["id"],
        "created_time": int(START - 30 * HOUR),
    }
    server = SandboxServer(
        state, simulator=Simulator(state, clock=clock), simulate_every=0.05
    )
    url = server.start_in_thread(0)
    try:
        feed = requests.get(url, timeout=5).text
        assert "Số liệu mô phỏng" in feed
        for _ in range(100):
            if state.snapshot()["posts"]["p1"].get("engagement", {}).get("reach"):
                break
            server.sleep(0.02)
        assert state.snapshot()["posts"]["p1"]["engagement"]["reach"] > 0
    finally:
        server.stop()


def test_run_sandbox_refuses_a_simulation_step_of_zero_seconds():
    with pytest.raises(CommandError, match="--simulate-every must be a positive"):
        call_command("run_sandbox", "--simulate", "--simulate-every", "0")
