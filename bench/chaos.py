"""Chaos run: publications through several scheduler processes while the sandbox
fails at random and the processes are killed; then the feeds against the database.

Usage: scripts/with-postgres.sh .venv/bin/python bench/chaos.py
           [--posts 1200] [--channels 40] [--schedulers 2] [--duration 180]
           [--drain 360] [--lease 20] [--fault-rate 1.5] [--seed N]
           [--zalo-reads full|no-body|no-body-no-dates]
       make chaos   (the same; PGPORT and CHAOS_ARGS="--seed 7 ..." honoured)

PostgreSQL only (several scheduler processes are supported there only,
docs/architecture.md): database `bench_chaos` in the cluster of DATABASE_URL, dropped at
the end. One unit, 25 articles, `--channels` channels (one in five a Zalo OA, the rest
Facebook Pages) on a sandbox in its own process, `--posts` publications spread over the
channels, due over the first 60 % of `--duration` (one in twenty already overdue at the
start).
`--schedulers` processes of `manage.py run_scheduler` (leases of `--lease` seconds,
dispatch every 2 s, network timeout 5 s, so that a run fits in 10 minutes; the rest
are the project's defaults). For `--duration` seconds:
- faults: about `--fault-rate` a second are queued in the sandbox (at most 2 waiting
  per endpoint), each for the next call of its endpoint: publish calls (Graph `feed`,
  Zalo `create`) get every class of error the adapters map (transient, rate limits,
  expired tokens, missing permission, content and policy refusals, duplicate 506),
  HTML 500s, "500 but created", timeouts before and after the post was made,
  dropped connections and slow answers; Zalo `verify` polls and the reads that
  reconciliation makes (Graph `list`, Zalo `getslice`), and Zalo token refreshes,
  get errors and timeouts too;
- processes: every 10-30 s a random scheduler process is killed with SIGKILL (one
  time in five stopped with SIGTERM instead, as a deployment does) and started
  again 1-5 s later;
- tokens: every 15-35 s a channel's token is revoked in the sandbox (a Zalo OA's
  access and refresh tokens both). The script reconnects a channel some seconds
  after the system marked it `needs_reconnect`, as a person would, through
  `publishing.channels.connect.connect` (a new Page token from `me/accounts`, or
  new OA tokens through the refresh-token exchange), so its held publications go out.
Then `--drain` seconds at most without faults (those still queued are dropped
first) or kills (the script still reconnects), until every publication is in a
final state; the processes are stopped
(SIGTERM) and the sandbox's feeds compared with the database. The drain outlasts
the longest wait the product may choose after the last fault (the backoff before a
fifth try, 288 s at most, then the lease and a reconciliation) with a margin; a
publication still waiting at its end is stuck. `--seed` fixes the
script's own choices (due times, faults, which process is killed and when, which
token is revoked), not the timing of the processes: runs with one seed are alike,
not identical.

Definitions (status model: publishing/lifecycle.py, docs/architecture.md). A post
"of" a publication is a Facebook post or Zalo article in the sandbox, not deleted,
whose text carries `utm_content=pub-<id>` or the publication's short link
`/l/<code>` (every text we post does).
- final states: `published`, `failed`, `expired` (both with a reason for a person),
  `cancelled`, `withdrawn` (no person acts during the run: these two stay at 0);
- posted N: publications `published` whose `external_id` is one of their posts;
- lost L: publications `published` with no post of theirs, or whose `external_id`
  is not one of their posts; publications with a post but recorded as not posted
  (`failed`, `expired`, ...: the database lost track of a post that went out, and a
  person would post it again); `failed` or `expired` with no reason shown;
- duplicates D: posts beyond the first of each publication, plus posts that carry
  no known publication's marker;
- stuck S: publications in any other state after the drain (`scheduled`,
  `publishing`, `retrying`, `unconfirmed`, `held`, `paused`): nothing should be
  waiting once faults have stopped and every channel has been reconnected. Except
  what waits for a person because the network could not tell whether it was
  posted (`unconfirmed`, reason shown: possible on Zalo when `--zalo-reads`
  leaves the article's body, and the `pub-<id>` in it, out of `getdetail`):
  counted apart, on the line before the last.
Each stuck publication is printed with its status, lease, attempts, last error,
its channel's state and its attempts; a line says when the drain's last status
change came and which faults the sandbox still applied during it.
`failed` publications (content refused, or retries used up under the faults) are
expected: printed on the line before the last, with their reasons, not counted
in L. The goal is L = D = S = 0 on every run. The last line is exactly
`posted N, lost L, duplicates D, stuck S`; the exit status is 1 when L + D + S > 0.
"""

import argparse
import collections
import datetime
import json
import logging
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.chaos_settings"

from bench import dispatch as bench  # noqa: E402  (its set-up: sandbox, articles)

BENCH_DB = "bench_chaos"
MARKER = re.compile(r"utm_content=pub-(\d+)(?!\d)")
SHORT_LINK = re.compile(r"/l/([A-Za-z0-9]{8})(?![\w-])")
NETWORK_TIMEOUT = 5  # seconds, for the schedulers: timeout faults last longer
FINAL = ("published", "failed", "expired", "cancelled", "withdrawn")
# Unconfirmed, the network unable to tell whether it was posted (with the Zalo
# reads below): it waits for a person, with the reason shown. Not stuck.
WAITING = "unconfirmed for a person"
ZALO_READS = {  # what the sandbox's Zalo reads give (its /_sandbox/zalo/reads)
    "full": {"detail_body": True, "dates": True},
    "no-body": {"detail_body": False, "dates": True},
    "no-body-no-dates": {"detail_body": False, "dates": False},
}
NETWORK_URLS = (
    "FACEBOOK_GRAPH_URL",
    "FACEBOOK_DIALOG_URL",
    "ZALO_OPENAPI_URL",
    "ZALO_OAUTH_URL",
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1200)
    parser.add_argument("--channels", type=int, default=40)
    parser.add_argument("--schedulers", type=int, default=2)
    parser.add_argument("--duration", type=float, default=180, help="seconds of chaos")
    parser.add_argument("--drain", type=float, default=360, help="seconds at most")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--lease", type=int, default=20, help="lease seconds")
    parser.add_argument("--fault-rate", type=float, default=1.5, help="per second")
    parser.add_argument(
        "--zalo-reads",
        choices=sorted(ZALO_READS),
        default="full",
        help="what Zalo's getdetail gives: the body (full) or not",
    )
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(10**6)
    rng = random.Random(seed)
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit(
            "chaos.py needs PostgreSQL (several scheduler processes): run it through "
            "scripts/with-postgres.sh, or `make chaos`"
        )
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bench-chaos-"))
    os.environ["DATABASE_URL"] = chaos_database()
    os.environ["MEDIA_ROOT"] = str(workdir / "media")
    # SIGTERM and SIGINT end the run through the `finally`s: no orphans. (SIGINT
    # too: a shell starts background jobs with it ignored, which Python keeps.)
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)
    import django

    django.setup()
    logging.getLogger("wagtail").setLevel(logging.WARNING)
    logging.getLogger("publishing").setLevel(logging.ERROR)
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    sandbox = bench.start_sandbox()
    schedulers = None
    try:
        url = sandbox.url
        from django.conf import settings

        for name in NETWORK_URLS:  # this process reconnects channels
            setattr(settings, name, url)
        print(
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, seed {seed}, "
            f"{os.cpu_count()} CPUs, {args.posts} publications, {args.channels} "
            f"channels, {args.schedulers} schedulers, {args.duration:.0f} s of chaos "
            f"(lease {args.lease} s, {args.fault_rate:g} faults/s, Zalo reads "
            f"{args.zalo_reads})",
            flush=True,
        )
        bench.control(url, "zalo/reads", ZALO_READS[args.zalo_reads])
        world = World(url, rng)
        world.build(args)
        schedulers = Schedulers(args.schedulers, scheduler_env(url, args), workdir)
        schedulers.start_all()
        world.schedule(args)
        print(
            f"  set-up {time.monotonic() - started:.0f} s (migrate {migrated:.0f} s)",
            flush=True,
        )
        chaos = Chaos(world, schedulers, rng, args)
        chaos.run(args.duration)
        drained = chaos.drain(args.drain)
        schedulers.stop_all()
        report(world, chaos, drained, time.monotonic() - started, workdir)
        code = 0 if world.verdict_ok else 1
        if code == 0:
            shutil.rmtree(workdir, ignore_errors=True)
    finally:
        if schedulers is not None:
            schedulers.kill_all()
        sandbox.terminate()
        sandbox.wait(10)
        connection.close()
        drop_chaos_database()
    sys.exit(code)


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


# The world: articles, channels, publications --------------------------------------
class World:
    def __init__(self, url, rng):
        self.url, self.rng = url, rng
        self.channels = []  # Channel rows
        self.accounts = {}  # channel pk -> what the sandbox gave (ids, tokens)
        self.pks = []
        self.verdict_ok = False

    def build(self, args):
        from cms.core.models import Unit
        from publishing.models import Channel
        from publishing.outbox.compose import compose

        articles = bench.make_articles()
        self.articles = articles
        unit = Unit.objects.get(slug="bench")
        for n in range(args.channels):
            if n % 5 == 4:
                # Half the OAs answer "being processed" once before the id.
                oa = bench.control(
                    self.url, "zalo/oas", {"name": f"OA {n}", "verify_polls": n % 2}
                )
                channel = Channel(
                    unit=unit, network="zalo", name=f"OA {n}", external_id=oa["id"]
                )
                channel.set_credentials(zalo_credentials(oa))
            else:
                page = bench.control(self.url, "facebook/pages", {"name": f"Trang {n}"})
                channel = Channel(
                    unit=unit,
                    network="facebook",
                    name=f"Trang {n}",
                    external_id=page["id"],
                )
                channel.set_credentials({"page_token": page["page_token"]})
                oa = page
            channel.save()
            self.channels.append(channel)
            self.accounts[channel.pk] = oa
        # The renditions a Zalo article needs, made once here (not in each process).
        zalo = [c for c in self.channels if c.network == "zalo"]
        for page in articles if zalo else []:
            compose(page, zalo[0], "pub-0")

    def schedule(self, args):
        """The publications, due over the first 60 % of the chaos (5 % overdue)."""
        from django.utils import timezone

        from publishing.models import Publication

        now = timezone.now()
        window = args.duration * 0.6
        count, channels, articles = args.posts, self.channels, self.articles
        rows = []
        for n in range(count):
            if self.rng.random() < 0.05:
                offset = -self.rng.uniform(60, 600)
            else:
                offset = self.rng.uniform(2, window)
            rows.append(
                Publication(
                    page=articles[(n // len(channels)) % len(articles)],
                    channel=channels[n % len(channels)],
                    round=1 + n // (len(channels) * len(articles)),
                    publish_at=now + datetime.timedelta(seconds=offset),
                )
            )
        self.pks = [p.pk for p in Publication.objects.bulk_create(rows)]

    def statuses(self):
        from django.db.models import Count

        from publishing.models import Publication
        from publishing.outbox.reconcile import CANNOT_TELL

        counts = dict(
            Publication.objects.values_list("status")
            .annotate(n=Count("pk"))
            .values_list("status", "n")
        )
        waiting = Publication.objects.filter(
            status="unconfirmed", last_error_code=CANNOT_TELL
        ).count()
        if waiting:
            counts["unconfirmed"] -= waiting
            counts = {k: n for k, n in counts.items() if n} | {WAITING: waiting}
        return counts


def zalo_credentials(answer):
    from django.utils import timezone

    expires = timezone.now() + datetime.timedelta(seconds=90000)
    return {
        "access_token": answer["access_token"],
        "refresh_token": answer["refresh_token"],
        "expires_at": expires.isoformat(),
    }


# Scheduler processes --------------------------------------------------------------
def scheduler_env(url, args):
    return {
        **os.environ,
        **dict.fromkeys(NETWORK_URLS, url),
        "PUBLISHING_LEASE_SECONDS": str(args.lease),
        "PUBLISHING_DISPATCH_INTERVAL": "2",
        "NETWORK_TIMEOUT": str(NETWORK_TIMEOUT),
        "PYTHONUNBUFFERED": "1",
    }


class Schedulers:
    """`count` slots of `manage.py run_scheduler`; each writes to its own log."""

    def __init__(self, count, env, workdir):
        self.env, self.workdir = env, workdir
        self.processes = [None] * count
        self.started = self.killed = self.stopped = 0

    def start(self, slot):
        log_path = self.workdir / f"scheduler-{slot}.log"
        with open(log_path, "ab") as log:
            process = subprocess.Popen(
                [sys.executable, "manage.py", "run_scheduler"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process.log_path = log_path
        process.log_from = log_path.stat().st_size
        self.processes[slot] = process
        self.started += 1
        return process

    def start_all(self):
        for slot in range(len(self.processes)):
            self.start(slot)
        deadline = time.monotonic() + 90
        for process in self.processes:
            while "scheduler started" not in self.log(process):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("a scheduler did not start:\n" + self.log(process))
                time.sleep(0.2)

    def log(self, process):
        with open(process.log_path, "rb") as log:
            log.seek(process.log_from)
            return log.read().decode(errors="replace")

    def kill(self, slot):
        process = self.processes[slot]
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
            self.killed += 1
        self.processes[slot] = None

    def stop(self, slot, timeout=30):
        """SIGTERM, as a deployment does: the calls in flight finish, the rest of
        the claimed publications is given back."""
        process = self.processes[slot]
        if process is not None and process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                print(f"scheduler {process.pid} ignored SIGTERM: killed", flush=True)
                process.send_signal(signal.SIGKILL)
                process.wait(10)
            self.stopped += 1
        self.processes[slot] = None

    def ensure_running(self):
        for slot, process in enumerate(self.processes):
            if process is None or process.poll() is not None:
                self.start(slot)

    def alive(self):
        return [p for p in self.processes if p is not None and p.poll() is None]

    def stop_all(self, timeout=45):
        """SIGTERM: calls in flight finish, claimed publications are given back."""
        for process in self.alive():
            process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for process in self.alive():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                print(f"scheduler {process.pid} ignored SIGTERM: killed", flush=True)

    def kill_all(self):
        for slot in range(len(self.processes)):
            process = self.processes[slot]
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait(10)


# Faults ---------------------------------------------------------------------------
TIMEOUT = {"seconds": NETWORK_TIMEOUT + 2}


def graph_error(code, status=400, subcode=None, transient=False, message="Error"):
    error = {"message": message, "type": "OAuthException", "code": code}
    if subcode:
        error["error_subcode"] = subcode
    if transient:
        error["is_transient"] = True
    return {"mode": "error", "status": status, "body": {"error": error}}


def zalo_error(code, message="Error"):
    return {"mode": "error", "body": {"error": code, "message": message}}


# (weight, network, endpoint, [(weight, fault), ...])
FAULTS = [
    (
        60,
        "facebook",
        "feed",
        [
            (6, graph_error(2, transient=True, message="Service temporarily down")),
            (4, graph_error(1, status=500, transient=True)),
            (6, {"mode": "html_500"}),
            (10, {"mode": "500_but_created"}),
            (6, {"mode": "timeout", **TIMEOUT}),
            (6, {"mode": "timeout_after_create", **TIMEOUT}),
            (4, {"mode": "drop"}),
            (4, {"mode": "rate_limit", "code": 32, "minutes": 1}),
            (2, {"mode": "rate_limit", "code": 613, "minutes": 1}),
            (2, {"mode": "rate_limit", "code": 4, "minutes": 1}),
            (4, {"mode": "expired_token"}),
            (2, graph_error(200, status=403, message="(#200) pages_manage_posts")),
            (3, graph_error(100, message="(#100) Invalid parameter")),
            (1, graph_error(368, message="Blocked for policy")),
            (3, graph_error(506, message="Duplicate status message")),
            (6, {"mode": "delay", "seconds": 2}),
            (4, {"mode": "latency", "seconds": 3}),
        ],
    ),
    (
        8,
        "facebook",
        "list",
        [
            (3, graph_error(2, transient=True)),
            (2, {"mode": "html_500"}),
            (2, {"mode": "timeout", **TIMEOUT}),
            (1, {"mode": "drop"}),
        ],
    ),
    (
        18,
        "zalo",
        "create",
        [
            (4, {"mode": "500_but_created"}),
            (3, {"mode": "html_500"}),
            (3, {"mode": "timeout", **TIMEOUT}),
            (3, {"mode": "timeout_after_create", **TIMEOUT}),
            (2, {"mode": "drop"}),
            (2, {"mode": "rate_limit"}),
            (3, {"mode": "expired_token"}),
            (1, zalo_error(-201, "Invalid parameter: title")),
            (1, zalo_error(-248, "Content violates platform standards")),
            (2, {"mode": "delay", "seconds": 2}),
        ],
    ),
    (
        6,
        "zalo",
        "verify",
        [
            (2, {"mode": "html_500"}),
            (2, {"mode": "timeout", **TIMEOUT}),
            (1, {"mode": "drop"}),
            (1, zalo_error(-32, "The request exceeds the rate limit")),
        ],
    ),
    (
        3,
        "zalo",
        "getslice",
        [(1, {"mode": "html_500"}), (1, {"mode": "timeout", **TIMEOUT})],
    ),
    (
        2,
        "zalo",
        "oauth_token",
        [
            (1, {"mode": "html_500"}),
            (1, {"mode": "error", "status": 400, "body": {"error": -14014}}),
        ],
    ),
]


def pick(rng, weighted):
    total = sum(weight for weight, *_ in weighted)
    point = rng.uniform(0, total)
    for item in weighted:
        point -= item[0]
        if point <= 0:
            return item
    return weighted[-1]


# The chaos ------------------------------------------------------------------------
class Chaos:
    def __init__(self, world, schedulers, rng, args):
        self.world, self.schedulers, self.rng, self.args = world, schedulers, rng, args
        self.faults = collections.Counter()
        self.revoked = self.reconnected = 0
        self.reconnect_failures = 0
        self.reconnect_errors = set()
        self.needs_since = {}  # channel pk -> when first seen needing reconnection

    def run(self, duration):
        now = time.monotonic()
        end = now + duration
        next_kill = now + self.rng.uniform(10, 30)
        next_revoke = now + self.rng.uniform(15, 35)
        next_faults = next_report = now
        restarts = []  # (when, slot)
        while (now := time.monotonic()) < end:
            if now >= next_faults:
                self.inject(2.0)
                next_faults = now + 2.0
            if now >= next_kill:
                alive = [
                    slot
                    for slot, p in enumerate(self.schedulers.processes)
                    if p is not None and p.poll() is None
                ]
                if alive:
                    slot = self.rng.choice(alive)
                    if self.rng.random() < 0.2:
                        self.schedulers.stop(slot)
                    else:
                        self.schedulers.kill(slot)
                    restarts.append((now + self.rng.uniform(1, 5), slot))
                next_kill = now + self.rng.uniform(10, 30)
            for item in [r for r in restarts if r[0] <= now]:
                restarts.remove(item)
                self.schedulers.start(item[1])
            if now >= next_revoke:
                self.revoke()
                next_revoke = now + self.rng.uniform(15, 35)
            self.reconnect()
            if now >= next_report:
                self.progress("chaos")
                next_report = now + 20
            time.sleep(0.25)
        self.schedulers.ensure_running()

    def drain(self, limit):
        """Until every publication is final, `limit` seconds at most; True if so."""
        self.drain_started = datetime.datetime.now(datetime.UTC)
        # Faults still queued would strike the drain's first calls of their
        # endpoints, or a late retry's (bench/README.md): the drain has none.
        self.cleared = bench.control(self.world.url, "faults/clear", {})["cleared"]
        end = time.monotonic() + limit
        next_report = time.monotonic() + 20
        while time.monotonic() < end:
            self.schedulers.ensure_running()
            self.reconnect()
            statuses = self.world.statuses()
            if all(status in (*FINAL, WAITING) for status in statuses):
                self.progress("drained")
                return True
            if time.monotonic() >= next_report:
                self.progress("drain")
                next_report = time.monotonic() + 20
            time.sleep(1)
        self.progress("drain limit reached")
        return False

    def progress(self, phase):
        counts = ", ".join(f"{k} {v}" for k, v in sorted(self.world.statuses().items()))
        print(
            f"  [{phase}] {counts}; faults {sum(self.faults.values())}, kills "
            f"{self.schedulers.killed} (+{self.schedulers.stopped} SIGTERM), revoked "
            f"{self.revoked}, reconnected "
            f"{self.reconnected}",
            flush=True,
        )

    def inject(self, seconds):
        """About fault-rate x `seconds` faults, at most 2 waiting per endpoint."""
        waiting = collections.Counter(
            (f["network"], f["endpoint"])
            for f in bench.control(self.world.url, "state", {})["faults"]
        )
        for _ in range(round(self.args.fault_rate * seconds)):
            _w, network, endpoint, modes = pick(self.rng, FAULTS)
            if waiting[(network, endpoint)] >= 2:
                continue
            fault = dict(pick(self.rng, modes)[1])
            body = {"network": network, "endpoint": endpoint, "times": 1, **fault}
            bench.control(self.world.url, "faults", body)
            waiting[(network, endpoint)] += 1
            self.faults[f"{network}/{endpoint}/{fault['mode']}"] += 1

    def revoke(self):
        """A channel's token revoked in the sandbox (a Zalo OA's both tokens)."""
        from publishing.models import Channel, ChannelStatus

        channel = self.rng.choice(self.world.channels)
        channel = Channel.objects.get(pk=channel.pk)
        if channel.status != ChannelStatus.ACTIVE:
            return
        credentials = channel.get_credentials() or {}
        for key in ("page_token", "access_token", "refresh_token"):
            if credentials.get(key):
                bench.control(
                    self.world.url, "tokens/revoke", {"token": credentials[key]}
                )
        self.revoked += 1

    def reconnect(self, after=5.0):
        """Channels marked `needs_reconnect` for `after` seconds are reconnected the
        way a person does it (publishing.channels.connect), which releases their held
        publications."""
        from publishing.models import Channel, ChannelStatus

        needing = set(
            Channel.objects.filter(status=ChannelStatus.NEEDS_RECONNECT).values_list(
                "pk", flat=True
            )
        )
        now = time.monotonic()
        for pk in list(self.needs_since):
            if pk not in needing:
                del self.needs_since[pk]
        for pk in needing:
            since = self.needs_since.setdefault(pk, now)
            if now - since >= after:
                if self.reconnect_one(Channel.objects.get(pk=pk)):
                    self.reconnected += 1
                    del self.needs_since[pk]

    def reconnect_one(self, channel):
        import requests

        from publishing.channels.connect import (
            ConnectError,
            connect,
            credentials_from_token,
        )
        from publishing.networks import network_options

        url, account = self.world.url, self.world.accounts[channel.pk]
        try:
            if channel.network == "facebook":
                answer = requests.get(
                    f"{url}{network_options('facebook')['api_version']}/me/accounts",
                    params={"fields": "id,name,access_token"},
                    headers={"Authorization": f"Bearer {account['user_token']}"},
                    timeout=10,
                ).json()
                token = next(
                    page["access_token"]
                    for page in answer["data"]
                    if page["id"] == channel.external_id
                )
                credentials = {"page_token": token}
            else:
                fresh = bench.control(
                    url, "zalo/oas", {"id": channel.external_id, "name": channel.name}
                )
                credentials = credentials_from_token("zalo", fresh["refresh_token"])
            connect(
                channel.network,
                channel.external_id,
                channel.name,
                channel.unit,
                credentials,
                None,
            )
        except ConnectError as error:
            # An injected fault (the token exchange): tried again later.
            if str(error.message) not in self.reconnect_errors:
                print(f"  reconnecting {channel} failed: {error.message}", flush=True)
                self.reconnect_errors.add(str(error.message))
            self.reconnect_failures += 1
            return False
        return True


# The verdict ----------------------------------------------------------------------
def sandbox_posts(url):
    """{publication pk: [post or article ids]} and the posts carrying no marker."""
    from publishing.models import Publication

    codes = dict(Publication.objects.values_list("link_code", "pk"))
    state = bench.control(url, "state", {})
    found, unmarked = collections.defaultdict(list), []
    items = [(p["id"], p) for p in state["posts"].values()]
    items += [(a["id"], a) for a in state["articles"].values()]
    for post_id, post in items:
        if post.get("deleted"):
            continue
        text = json.dumps(post, ensure_ascii=False)
        pks = {int(pk) for pk in MARKER.findall(text)}
        pks |= {codes[c] for c in SHORT_LINK.findall(text) if c in codes}
        if not pks:
            unmarked.append(post_id)
        for pk in pks:
            found[pk].append(str(post_id))
    return found, unmarked


def report(world, chaos, drained, wall, workdir):
    from publishing.models import Publication
    from publishing.outbox.reconcile import CANNOT_TELL

    posts, unmarked = sandbox_posts(world.url)
    rows = Publication.objects.values_list(
        "pk", "status", "external_id", "last_error", "last_error_code"
    )
    known = set()
    posted = 0
    lost, duplicates, stuck = [], [], []
    failed, waiting = collections.Counter(), collections.Counter()
    for pk, status, external_id, last_error, code in rows:
        known.add(pk)
        mine = posts.get(pk, [])
        if len(mine) > 1:
            duplicates.append((pk, len(mine) - 1))
        if status == "published":
            if external_id in mine:
                posted += 1
            else:
                lost.append((pk, f"published as {external_id!r}, posts {mine}"))
        elif status in FINAL:
            if mine:
                lost.append((pk, f"{status} but posted as {mine}"))
            elif status in ("failed", "expired") and not last_error:
                lost.append((pk, f"{status} without a reason"))
            else:
                failed[f"{status} ({code or '-'})"] += 1
        elif status == "unconfirmed" and code == CANNOT_TELL and last_error:
            waiting["its post out" if mine else "not posted"] += 1
        else:
            stuck.append((pk, status, bool(mine)))
    strays = [(pk, len(ids)) for pk, ids in posts.items() if pk not in known]
    d = sum(n for _pk, n in duplicates) + len(unmarked) + sum(n for _p, n in strays)
    world.verdict_ok = not (lost or d or stuck)
    print(
        f"faults injected {sum(chaos.faults.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(chaos.faults.items()))}); "
        f"scheduler processes killed {chaos.schedulers.killed} (SIGKILL), stopped "
        f"{chaos.schedulers.stopped} (SIGTERM), started {chaos.schedulers.started}; "
        f"tokens revoked {chaos.revoked}, channels reconnected {chaos.reconnected} "
        f"({chaos.reconnect_failures} tries failed)"
    )
    for pk, what in lost[:20]:
        print(f"  lost: pub-{pk} {what}")
    for pk, extra in duplicates[:20]:
        print(f"  duplicate: pub-{pk} posted {extra + 1} times")
    for post_id in unmarked[:20]:
        print(f"  duplicate: post {post_id} carries no publication's marker")
    for pk, status, has_post in stuck[:20]:
        print(f"  stuck: pub-{pk} {status}{' (its post is out)' if has_post else ''}")
        print(diagnosis(pk))
    print(drain_timing(world, chaos))
    errors = logged_errors(workdir)
    if errors:
        print(
            f"scheduler errors logged: {sum(errors.values())} ("
            + "; ".join(f"{n} x {text}" for text, n in errors.most_common(5))
            + ")"
        )
    if lost or d or stuck:
        print(f"  scheduler logs kept in {workdir}")
    print(
        f"drained: {'yes' if drained else 'no'}; wall time {wall:.0f} s; "
        f"failed {sum(failed.values())} (expected: "
        f"{', '.join(f'{k} {v}' for k, v in sorted(failed.items())) or 'none'}); "
        f"{WAITING}: {sum(waiting.values())}"
        + (
            f" ({', '.join(f'{k} {v}' for k, v in sorted(waiting.items()))})"
            if waiting
            else ""
        )
    )
    print(f"posted {posted}, lost {len(lost)}, duplicates {d}, stuck {len(stuck)}")


def drain_timing(world, chaos):
    """When the drain's last status change came, and the faults the sandbox still
    applied during the drain (queued during the chaos, each for the next call of
    its endpoint), from its calls log (its last 1,000 calls)."""
    from django.db.models import Max

    from publishing.models import Publication

    start = chaos.drain_started
    last = Publication.objects.aggregate(last=Max("updated_at"))["last"]
    calls = bench.control(world.url, "state", {})["calls"]
    times = [
        datetime.datetime.strptime(c["time"], "%Y-%m-%dT%H:%M:%S%z") for c in calls
    ]
    late = [
        f"{c['endpoint']}/{c['fault']} +{(t - start).total_seconds():.0f} s"
        for c, t in zip(calls, times, strict=True)
        if c["fault"] and t >= start
    ]
    complete = not times or times[0] < start
    return (
        f"drain: last status change {(last - start).total_seconds():+.0f} s into it; "
        f"queued faults cleared at its start: {chaos.cleared}; "
        f"faults applied during it: {len(late)}{'' if complete else ' (log cut)'}"
        + (f" ({', '.join(late)})" if late else "")
    )


def diagnosis(pk):
    """What a stuck publication shows: its state, lease, attempts, last error, its
    channel's state and its attempt history (oldest first)."""
    from django.utils import timezone

    from publishing.models import Publication

    p = Publication.objects.select_related("channel").get(pk=pk)
    now = timezone.now()

    def ago(moment):
        return f"{(moment - now).total_seconds():+.0f} s" if moment else "-"

    lines = [
        f"    status {p.status}, lease {ago(p.lease_until)} by {p.leased_by or '-'}, "
        f"attempts {p.attempts}, next attempt {ago(p.next_attempt_at)}, "
        f"publish_at {ago(p.publish_at)}, updated {ago(p.updated_at)}, verify token "
        f"{'yes' if p.verify_token else 'no'}",
        f"    last error [{p.last_error_code or '-'}] {p.last_error[:160]}",
        f"    channel {p.channel} ({p.channel.network}): {p.channel.status} "
        f"{p.channel.status_reason[:100]}",
    ]
    for attempt in p.attempt_history.all():
        lines.append(
            f"    attempt {ago(attempt.started_at)} .. {ago(attempt.finished_at)} "
            f"{attempt.outcome or '(unfinished)'} [{attempt.error_code or '-'}] "
            f"{attempt.message[:100]}"
        )
    return "\n".join(lines)


def logged_errors(workdir):
    """ERROR lines of the scheduler logs, by logger and message (pub ids left out)."""
    found = collections.Counter()
    for path in workdir.glob("scheduler-*.log"):
        for line in path.read_text(errors="replace").splitlines():
            if " ERROR " in line:
                text = line.split(" ERROR ", 1)[1]
                found[re.sub(r"pub-\d+", "pub-N", text)[:120]] += 1
    return found


# The throwaway database -----------------------------------------------------------
def chaos_database():
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
    os.environ["CHAOS_ADMIN_URL"] = url
    return url.rsplit("/", 1)[0] + "/" + BENCH_DB


def drop_chaos_database():
    import psycopg

    with psycopg.connect(os.environ["CHAOS_ADMIN_URL"], autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")


if __name__ == "__main__":
    main()
