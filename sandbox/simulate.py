"""Simulated audiences for the demo (`run_sandbox --simulate`, used by `make run`).

Without it the sandbox's counts only move when a test says so (`/_sandbox/
engagement`, `/_sandbox/followers`), so under `make run` the engagement collector
would read zeros forever. With it, every `step()` moves the counts the way a real
audience does:

- each Facebook post has a potential (reach, views, reactions, comments, shares,
  clicks), drawn once from a seeded random generator keyed by the post's id and
  scaled by its Page's followers when first seen; its counts follow that potential
  along a curve of its age: about 84 % in the first day, nearly all by day 7;
  a Zalo article's `total_view` does the same;
- each Page and OA gains a few followers an hour, plus a share of the new reach
  (views on Zalo) of its posts since the last step: more after posts;
- each Facebook post draws a citizen's question or three (`QUESTIONS`, real
  comments with their authors) asked over its first hours, so the inbox's
  collection job finds them under `make run`.

Counts never go down: a value set through the control API above the simulated one
stays. Deterministic: the same seed, the same posts and the same clock give the same
numbers (`clock` is a function returning Unix seconds, like the state's).
The feed page says the counts are simulated (`state.simulated`).
"""

import math
import random

from sandbox import graph_comments

HOUR = 3600.0
FAST_HOURS = 6.0  # most of a post's audience comes within hours
SLOW_HOURS = 72.0  # then a tail over days (shares of shares, search, the OA menu)
FAST_SHARE = 0.8
MAX_GAP_HOURS = 48.0  # a sandbox stopped for a month does not jump a month ahead
FOLLOW_RATE = 0.00004  # of the followers, per hour, without any post
FOLLOW_PER_REACH = 0.004  # new followers per newly reached person (Facebook)
FOLLOW_PER_VIEW = 0.003  # new followers per new article view (Zalo)

# (low, high) of uniform draws, per post
FB_RANGES = {
    "reach": (0.08, 0.35),  # of the Page's followers when the post is first seen
    "views": (1.3, 2.0),  # of reach: people see a post more than once
    "reactions": (0.03, 0.08),  # of reach
    "comments": (0.08, 0.25),  # of reactions
    "shares": (0.05, 0.2),  # of reactions
    "clicks": (0.01, 0.04),  # of reach
}
ZALO_VIEWS = (0.1, 0.45)  # of the OA's followers
# Citizens' questions (author as shown, text) of the campaign's target groups.
QUESTIONS = [
    (
        "Nguyễn Văn Tùng",
        "Tôi bán tạp hoá tại nhà, chưa đăng ký kinh doanh thì có phải đóng BHXH "
        "bắt buộc không?",
    ),
    (
        "Lò Thị Hằng",
        "Hộ kinh doanh đóng BHXH bắt buộc theo mức nào, đóng theo tháng hay theo "
        "quý được ạ?",
    ),
    (
        "Bế Văn Quyết",
        "Tôi là chủ nhiệm hợp tác xã, không hưởng lương thì đăng ký tham gia ở đâu?",
    ),
    (
        "Hà Thị Nga",
        "Tôi làm công an viên ở xã, không chuyên trách, từ năm nay có được đóng "
        "BHXH không ạ?",
    ),
    (
        "Vi Văn Sơn",
        "Đóng BHXH bắt buộc cho hộ kinh doanh thì có được hưởng chế độ thai sản không?",
    ),
    ("Nông Thị Thu", "Làm sao tra cứu quá trình đóng BHXH trên ứng dụng VssID ạ?"),
]
QUESTIONS_PER_POST = (1, 3)
QUESTION_AFTER = (120.0, 4 * 3600.0)  # seconds after the post: most ask early


def share_by(age_seconds):
    """The part of a post's eventual audience reached at this age (0 to 1)."""
    hours = max(0.0, age_seconds) / HOUR
    fast = 1 - math.exp(-hours / FAST_HOURS)
    slow = 1 - math.exp(-hours / SLOW_HOURS)
    return FAST_SHARE * fast + (1 - FAST_SHARE) * slow


class Simulator:
    """Moves the counts of a `SandboxState`; call `step()` now and then."""

    def __init__(self, state, *, seed=2025, clock=None):
        self.state = state
        self.seed = seed
        self.clock = clock or state.now
        self.random = random.Random(seed)

    def book(self):
        """Per-object bookkeeping, saved with the state (survives a restart)."""
        return self.state.data.setdefault(
            "simulation", {"posts": {}, "articles": {}, "audiences": {}}
        )

    def step(self):
        """Advance every count to the clock's time; True when something changed."""
        with self.state.lock:
            now = self.clock()
            book = self.book()
            reached = {}  # page or OA id -> new reach (views) this step
            changed = False
            for post in list(self.state.data["posts"].values()):
                changed |= self.move_post(book, post, now, reached)
                changed |= self.ask(book, post, now)
            for article in self.state.data["articles"].values():
                changed |= self.move_article(book, article, now, reached)
            for kind, key in (("pages", "facebook"), ("oas", "zalo")):
                for record in self.state.data[kind].values():
                    changed |= self.move_followers(book, key, record, now, reached)
            if changed:
                self.state.save()
            return changed

    # Posts and articles --------------------------------------------------------
    def potential(self, kind, object_id, followers):
        """A post's eventual counts: the same for the same seed and id."""
        draw = random.Random(f"{self.seed}:{kind}:{object_id}")
        if kind == "article":
            return {"views": round(followers * draw.uniform(*ZALO_VIEWS))}
        ratio = {name: draw.uniform(*bounds) for name, bounds in FB_RANGES.items()}
        reach = followers * ratio["reach"]
        reactions = reach * ratio["reactions"]
        return {
            "reach": round(reach),
            "views": round(reach * ratio["views"]),
            "reactions": round(reactions),
            "comments": round(reactions * ratio["comments"]),
            "shares": round(reactions * ratio["shares"]),
            "clicks": round(reach * ratio["clicks"]),
        }

    def move_post(self, book, post, now, reached):
        if post.get("deleted") or not post.get("published", True):
            return False
        page = self.state.data["pages"].get(post["page"], {})
        full = book["posts"].get(post["id"])
        if full is None:
            full = self.potential("post", post["id"], page.get("followers", 0))
            book["posts"][post["id"]] = full
        share = share_by(now - post["created_time"])
        counts = post.setdefault("engagement", {})
        before = dict(counts)
        for name, value in full.items():
            counts[name] = max(counts.get(name, 0), round(value * share))
        gained = counts["reach"] - before.get("reach", 0)
        reached[post["page"]] = reached.get(post["page"], 0) + gained
        return counts != before

    def move_article(self, book, article, now, reached):
        if article.get("deleted"):
            return False
        oa = self.state.data["oas"].get(article["oa"], {})
        full = book["articles"].get(article["id"])
        if full is None:
            full = self.potential("article", article["id"], oa.get("followers", 0))
            book["articles"][article["id"]] = full
        share = share_by(now - article["create_date"] / 1000)
        before = article.get("total_view", 0)
        article["total_view"] = max(before, round(full["views"] * share))
        gained = article["total_view"] - before
        reached[article["oa"]] = reached.get(article["oa"], 0) + gained
        return gained > 0

    # Citizens' questions -------------------------------------------------------
    def ask(self, book, post, now):
        """Comment the post's questions whose time has come; True when any."""
        if post.get("deleted") or not post.get("published", True):
            return False
        plans = book.setdefault("questions", {})
        plan = plans.get(post["id"])
        if plan is None:
            plan = plans[post["id"]] = self.question_plan(post["id"])
        asked = False
        while plan["asked"] < len(plan["at"]):
            after, which = plan["at"][plan["asked"]]
            if post["created_time"] + after > now:
                break
            author, text = QUESTIONS[which]
            person = {"id": f"90000{which:04d}", "name": author}
            at = post["created_time"] + after
            graph_comments.add_comment(self.state, post["id"], text, person, at=at)
            plan["asked"] += 1
            asked = True
        return asked

    def question_plan(self, post_id):
        """When the post's questions come and which: the same for the same id."""
        draw = random.Random(f"{self.seed}:questions:{post_id}")
        count = draw.randint(*QUESTIONS_PER_POST)
        which = draw.sample(range(len(QUESTIONS)), count)
        times = sorted(draw.uniform(*QUESTION_AFTER) for _ in range(count))
        return {"at": [[t, w] for t, w in zip(times, which, strict=True)], "asked": 0}

    # Followers -----------------------------------------------------------------
    def move_followers(self, book, network, record, now, reached):
        """A trickle every hour, more where posts reached new people."""
        audience = book["audiences"].setdefault(
            f"{network}:{record['id']}", {"at": now, "carry": 0.0}
        )
        hours = min(max(0.0, now - audience["at"]) / HOUR, MAX_GAP_HOURS)
        audience["at"] = now
        followers = record.get("followers", 0)
        per_reach = FOLLOW_PER_REACH if network == "facebook" else FOLLOW_PER_VIEW
        growth = followers * FOLLOW_RATE * hours * self.random.uniform(0.5, 1.5)
        growth += reached.get(record["id"], 0) * per_reach
        audience["carry"] += growth
        whole = int(audience["carry"])
        if whole <= 0:
            return False
        audience["carry"] -= whole
        record["followers"] = followers + whole
        if network == "facebook":
            record["fans"] = record["followers"]
        return True
